//! reStructuredText that docutils reads without a warning: underlines as wide as their titles
//! (East Asian wide characters count two columns), a blank line around every nested list, and
//! anonymous links where two links share a title but not a URL.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::doc::Block;
use super::templates::Templates;
use super::{Exporter, RenderError, context};
use crate::event::outline::{Inline, Item};

#[cfg(test)]
pub fn render(blocks: &[Block]) -> String {
    render_with(blocks, crate::event::RST_ADORNMENTS)
}

/// `adornments`: the characters of heading levels 1 to 4 (level 1 is over- and underlined).
pub fn render_with(blocks: &[Block], adornments: &str) -> String {
    let mut writer = Writer {
        adornments: adornments.chars().collect(),
        ..Writer::default()
    };
    let parts: Vec<String> = blocks.iter().map(|block| writer.block(block)).collect();
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// The series page as reStructuredText.
pub struct RstExporter;

impl Exporter for RstExporter {
    fn render(&self, templates: &Templates, context: &context::Page) -> Result<String, RenderError> {
        checked(render_with(
            &super::page(templates, context)?,
            &context.series.rst_adornments,
        ))
    }
}

/// The page, or the first place reStructuredText would not read as written.
pub fn checked(page: String) -> Result<String, RenderError> {
    match crate::rst_check::check(&page)
        .into_iter()
        .find_map(|p| Some((p.line, p.message()?)))
    {
        Some((line, message)) => Err(RenderError::InvalidRst { line, message }),
        None => Ok(page),
    }
}

#[derive(Default)]
struct Writer {
    /// Named link targets so far: title → URL.
    targets: HashMap<String, String>,
    adornments: Vec<char>,
}

impl Writer {
    fn block(&mut self, block: &Block) -> String {
        match block {
            Block::Heading { level, text } => {
                let title = self.inlines(text);
                heading(*level, &title, &self.adornments)
            }
            Block::Fields(fields) => fields
                .iter()
                .map(|(name, value)| format!(":{name}: {}", self.inlines(value)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Image { url } => format!(".. image:: {url}"),
            Block::Paragraph(lines) => lines
                .iter()
                .map(|l| self.inlines(l))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::List(items) => {
                let mut out = String::new();
                self.list(items, 0, &mut out);
                out.trim_end().to_string()
            }
            Block::Literal(lines) => {
                let mut out = String::new();
                literal(lines, "    ", &mut out);
                out.trim_end().to_string()
            }
        }
    }

    fn list(&mut self, items: &[Item], depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        for (i, item) in items.iter().enumerate() {
            out.push_str(&indent);
            out.push_str("- ");
            out.push_str(item.marker());
            out.push_str(&self.inlines(&item.text));
            out.push('\n');
            if !item.literal.is_empty() {
                out.push('\n');
                literal(&item.literal, &format!("{indent}    "), out);
                if i + 1 < items.len() || !item.children.is_empty() {
                    out.push('\n');
                }
            }
            if !item.images.is_empty() {
                if item.literal.is_empty() {
                    out.push('\n');
                }
                for url in &item.images {
                    out.push_str(&format!("{indent}  .. image:: {url}\n\n"));
                }
                if i + 1 == items.len() && item.children.is_empty() {
                    out.pop();
                }
            }
            if !item.children.is_empty() {
                if item.literal.is_empty() && item.images.is_empty() {
                    out.push('\n');
                }
                self.list(&item.children, depth + 1, out);
                if i + 1 < items.len() {
                    out.push('\n');
                }
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        for (i, inline) in inlines.iter().enumerate() {
            let piece = match inline {
                Inline::Text { text } => escape(text),
                Inline::Url { url } => url.clone(),
                Inline::Link { title, url } => self.link(title, url),
                Inline::Bold { text } => format!("**{}**", text.replace('*', "\\*")),
                Inline::Literal { text } => format!("``{text}``"),
            };
            let markup = !matches!(inline, Inline::Text { .. });
            // Inline markup must stand apart from the text around it: "a\ **b**\ c".
            if markup && !out.is_empty() && !out.ends_with(separates) {
                out.push_str("\\ ");
            }
            let follows_markup = i > 0 && !matches!(inlines[i - 1], Inline::Text { .. });
            if follows_markup && !piece.starts_with(separates) {
                out.push_str("\\ ");
            }
            out.push_str(&piece);
        }
        out
    }

    fn link(&mut self, title: &str, url: &str) -> String {
        let key = title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let title = title.replace('`', "\\`").replace('<', "\\<");
        let anonymous = match self.targets.get(&key) {
            Some(known) => known != url,
            None => {
                self.targets.insert(key, url.to_string());
                false
            }
        };
        format!("`{title} <{url}>`{}", if anonymous { "__" } else { "_" })
    }
}

/// A literal block's lines under `indent`; blank lines stay blank.
fn literal(lines: &[String], indent: &str, out: &mut String) {
    for line in lines {
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn separates(c: char) -> bool {
    c.is_whitespace() || "-:/'\"<([{".contains(c)
}

/// Escape what would start inline markup in plain text, and nothing else.
fn escape(text: &str) -> String {
    if !text
        .bytes()
        .any(|b| matches!(b, b'*' | b'`' | b'|' | b'_' | b'\\'))
    {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let opens = matches!(c, '*' | '`' | '|')
            && before.is_none_or(|b| b.is_whitespace() || "([{<'\"".contains(b))
            && after.is_some_and(|a| !a.is_whitespace());
        let reference = c == '_'
            && before.is_some_and(|b| b.is_alphanumeric())
            && after.is_none_or(|a| a.is_whitespace() || ".,;:!?)".contains(a));
        if opens || reference || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn heading(level: usize, title: &str, adornments: &[char]) -> String {
    let width = title.width();
    let default: Vec<char> = crate::event::RST_ADORNMENTS.chars().collect();
    let chars = if adornments.len() == 4 {
        adornments
    } else {
        &default
    };
    let rule = chars[level.clamp(1, 4) - 1].to_string().repeat(width);
    match level {
        1 => format!("{rule}\n{title}\n{rule}"),
        _ => format!("{title}\n{rule}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::doc::parse;

    fn rst(source: &str) -> String {
        render(&parse(source).unwrap())
    }

    #[test]
    fn underlines_count_display_columns() {
        assert_eq!(rst("## 開催"), "開催\n====\n");
        assert_eq!(
            rst("# SHIGURADIO 時雨堂"),
            "#################\nSHIGURADIO 時雨堂\n#################\n"
        );
    }

    #[test]
    fn nested_lists_get_blank_lines() {
        assert_eq!(rst("- a\n  - b\n  - c\n- d"), "- a\n\n  - b\n  - c\n\n- d\n");
    }

    #[test]
    fn duplicate_link_titles_become_anonymous() {
        let out =
            rst("- Notes <https://a.example>\n- Notes <https://a.example>\n- Notes <https://b.example>");
        assert_eq!(
            out,
            "- `Notes <https://a.example>`_\n- `Notes <https://a.example>`_\n- `Notes <https://b.example>`__\n"
        );
    }

    #[test]
    fn markup_is_separated_and_text_escaped() {
        assert_eq!(
            rst("今回は``2026-02-17``です"),
            "今回は\\ ``2026-02-17``\\ です\n"
        );
        assert_eq!(
            rst("Never* use *x* and foo_ bar"),
            "Never* use \\*x* and foo\\_ bar\n"
        );
        assert_eq!(rst("区切りを _ 区切りに"), "区切りを _ 区切りに\n");
    }
}
