//! Plain text for sites that take no markup: underlined headings, `- ` lists, links as
//! `title (URL)`.

use unicode_width::UnicodeWidthStr;

use super::doc::{Block, literal_intro};
use super::templates::Templates;
use super::{Exporter, RenderError, context};
use crate::event::outline::{Inline, Item};

pub fn render(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks.iter().map(block).collect();
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// The series page as plain text.
pub struct TextExporter;

impl Exporter for TextExporter {
    fn render(&self, templates: &Templates, context: &context::Page) -> Result<String, RenderError> {
        Ok(render(&super::page(templates, context)?))
    }
}

fn block(block: &Block) -> String {
    match block {
        Block::Heading { level, text } => {
            let title = inlines(text);
            let rule = if *level <= 2 { "=" } else { "-" };
            format!("{title}\n{}", rule.repeat(title.width()))
        }
        Block::Fields(fields) => fields
            .iter()
            .map(|(name, value)| format!("{name}: {}", inlines(value)))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Image { url } => format!("[image] {url}"),
        Block::Paragraph(lines) => lines
            .iter()
            .map(|l| inlines(&literal_intro(l)))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Literal(lines) => indented(lines, "    "),
        Block::List(list_block) => {
            let mut out = String::new();
            list(&list_block.outline().items, 0, &mut out);
            out.trim_end().to_string()
        }
    }
}

fn list(items: &[Item], depth: usize, out: &mut String) {
    for item in items {
        out.push_str(&"  ".repeat(depth));
        out.push_str("- ");
        out.push_str(item.marker());
        out.push_str(&inlines(&literal_intro(&item.text)));
        out.push('\n');
        if !item.literal.is_empty() {
            out.push_str(&indented(&item.literal, &"  ".repeat(depth + 2)));
            out.push('\n');
        }
        for url in &item.images {
            out.push_str(&format!("{}[image] {url}\n", "  ".repeat(depth + 1)));
        }
        list(&item.children, depth + 1, out);
    }
}

fn indented(lines: &[String], indent: &str) -> String {
    lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn inlines(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text { text } | Inline::Bold { text } | Inline::Literal { text } => text.clone(),
            Inline::Url { url } => url.clone(),
            Inline::Link { title, url } => format!("{title} ({url})"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::doc::parse;

    #[test]
    fn plain() {
        let out =
            render(&parse("## 開催\n\n:日時: 15:00\n\n- a <https://a.example>\n  - **b** ``c``").unwrap());
        assert_eq!(
            out,
            "開催\n====\n\n日時: 15:00\n\n- a (https://a.example)\n  - b c\n"
        );
    }
}
