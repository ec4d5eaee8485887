//! Markdown for GitHub and for Discord, which reads a dialect of it.

use super::doc::{Block, literal_intro};
use super::templates::Templates;
use super::{Exporter, RenderError, context};
use crate::event::outline::{Inline, Item};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    GitHub,
    /// Masked links and URLs in `<...>` so a post with many links does not unfold into embeds;
    /// `@everyone` / `@here` defused in text.
    Discord,
}

pub fn render(blocks: &[Block], flavor: Flavor) -> String {
    let parts: Vec<String> = blocks.iter().map(|block| self::block(block, flavor)).collect();
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// The series page as GitHub Markdown.
pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn render(&self, templates: &Templates, context: &context::Page) -> Result<String, RenderError> {
        Ok(render(&super::page(templates, context)?, Flavor::GitHub))
    }
}

fn block(block: &Block, flavor: Flavor) -> String {
    match block {
        Block::Heading { level, text } => {
            format!("{} {}", "#".repeat((*level).min(3)), inlines(text, flavor))
        }
        Block::Fields(fields) => fields
            .iter()
            .map(|(name, value)| format!("- **{}**: {}", escape(name, flavor), inlines(value, flavor)))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Image { url } => match flavor {
            Flavor::GitHub => format!("![]({})", destination(url)),
            Flavor::Discord => destination(url),
        },
        Block::Paragraph(lines) => lines
            .iter()
            .map(|l| inlines(&literal_intro(l), flavor))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::List(list_block) => {
            let mut out = String::new();
            list(&list_block.outline().items, 0, flavor, &mut out);
            out.trim_end().to_string()
        }
        Block::Literal(lines) => fence(lines, ""),
    }
}

fn list(items: &[Item], depth: usize, flavor: Flavor, out: &mut String) {
    for item in items {
        out.push_str(&"  ".repeat(depth));
        out.push_str("- ");
        out.push_str(item.marker());
        out.push_str(&inlines(&literal_intro(&item.text), flavor));
        out.push('\n');
        if !item.literal.is_empty() {
            out.push_str(&fence(&item.literal, &"  ".repeat(depth + 1)));
            out.push('\n');
        }
        for url in &item.images {
            let image = match flavor {
                Flavor::GitHub => format!("![]({})", destination(url)),
                Flavor::Discord => destination(url),
            };
            out.push_str(&format!("{}{image}\n", "  ".repeat(depth + 1)));
        }
        list(&item.children, depth + 1, flavor, out);
    }
}

/// A literal block as a fenced code block, longer fences when the text holds backquotes.
fn fence(lines: &[String], indent: &str) -> String {
    let longest = lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let mut out = format!("{indent}{fence}\n");
    for line in lines {
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str(&fence);
    out
}

pub fn inlines(inlines: &[Inline], flavor: Flavor) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(&escape(text, flavor)),
            Inline::Url { url } => match flavor {
                Flavor::GitHub => out.push_str(&destination(url)),
                Flavor::Discord => out.push_str(&format!("<{}>", destination(url))),
            },
            Inline::Link { title, url } => {
                let title = escape(title, flavor);
                let url = destination(url);
                match flavor {
                    Flavor::GitHub => out.push_str(&format!("[{title}]({url})")),
                    Flavor::Discord => out.push_str(&format!("[{title}](<{url}>)")),
                }
            }
            Inline::Bold { text } => out.push_str(&format!("**{}**", escape(text, flavor))),
            Inline::Literal { text } => out.push_str(&code(text)),
        }
    }
    out
}

/// A link target that no Markdown reader can cut short or read as HTML: the characters that
/// end a destination or open a tag are percent-encoded, which leaves the address the same.
fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            '"' => out.push_str("%22"),
            c if c.is_whitespace() || c.is_control() => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Backslash what Markdown would read as markup, brackets included so that text never forms a
/// masked link. GitHub: `<` `>` `&` become entities, so text never passes raw HTML. Discord
/// renders no HTML, and its timestamps (`<t:…:F>`) and mentions are written with `<` on purpose.
fn escape(text: &str, flavor: Flavor) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        match (flavor, c) {
            (Flavor::GitHub, '<') => out.push_str("&lt;"),
            (Flavor::GitHub, '>') => out.push_str("&gt;"),
            (Flavor::GitHub, '&') => out.push_str("&amp;"),
            _ => {
                if "\\*_`[]|~".contains(c) || (i == 0 && c == '#') {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    if flavor == Flavor::Discord {
        // A zero-width space keeps the text readable and the mention inert.
        out = out
            .replace("@everyone", "@\u{200b}everyone")
            .replace("@here", "@\u{200b}here");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::doc::parse;

    fn md(source: &str, flavor: Flavor) -> String {
        render(&parse(source).unwrap(), flavor)
    }

    #[test]
    fn github() {
        let out = md(
            "## 開催\n\n- a <https://a.example>\n  - [x] **b** ``c`` https://d.example\n- #e_f",
            Flavor::GitHub,
        );
        assert_eq!(
            out,
            "## 開催\n\n- [a](https://a.example)\n  - [x] **b** `c` https://d.example\n- \\#e\\_f\n"
        );
    }

    #[test]
    fn discord_masks_links_and_defuses_mentions() {
        let out = md(
            "hi @everyone and @here <t:1771308000:F>\n\n- a <https://a.example>\n- https://b.example",
            Flavor::Discord,
        );
        assert_eq!(
            out,
            "hi @\u{200b}everyone and @\u{200b}here <t:1771308000:F>\n\n- [a](<https://a.example>)\n- <https://b.example>\n"
        );
    }

    #[test]
    fn literal_fences_grow_around_backquotes() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }
}
