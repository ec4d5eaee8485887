//! reStructuredText that docutils reads without a warning: underlines as wide as their titles
//! (East Asian wide characters count two columns), a blank line around every nested list, and
//! anonymous links where two links share a title but not a URL.

use std::borrow::Cow;
use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::doc::Block;
use super::templates::Templates;
use super::{Exporter, RenderError, context};
use crate::event::outline::{Inline, Item};

#[cfg(test)]
pub fn render(blocks: &[Block]) -> String {
    let mut writer = Writer::new(crate::event::RST_ADORNMENTS);
    for block in blocks {
        writer.push(block);
    }
    writer.finish()
}

/// A page is handed to its checker in parts of at least this many bytes.
pub const PART: usize = 32 * 1024;

/// The blocks of a template's output written as they are read, so that a page of years of
/// events is never held as blocks all at once. Each finished part of the page goes to `part`
/// as soon as it is written (the page's checker runs beside the writer): a part ends just
/// before a section title, after the blank line that sets the title apart.
pub fn render_stream<E>(
    blocks: impl Iterator<Item = Result<Block, E>>,
    adornments: &str,
    part: &mut dyn FnMut(&str),
) -> Result<String, E> {
    let mut writer = Writer::new(adornments);
    let mut handed = 0;
    for block in blocks {
        let block = block?;
        if matches!(block, Block::Heading { .. }) && writer.out.len() - handed >= PART {
            part(&writer.out[handed..]);
            handed = writer.out.len();
        }
        writer.push(&block);
    }
    let page = writer.finish();
    part(&page[handed..]);
    Ok(page)
}

/// The first place a page would not read as reStructuredText, fed the page part by part in
/// order. Each part starts at a section title after a blank line (or the page's start), where
/// nothing before it bears on how it reads, so the parts are checked one at a time.
#[derive(Debug, Default)]
pub struct Checker {
    /// The index of the first line of the next part in the page.
    first_line: usize,
    /// The line (1-based) and words of the first problem.
    pub problem: Option<(usize, String)>,
}

impl Checker {
    pub fn part(&mut self, part: &str) {
        if self.problem.is_some() {
            return;
        }
        let first_line = self.first_line;
        self.problem = crate::rst_check::check(part)
            .into_iter()
            .find_map(|p| Some((first_line + p.line, p.message()?)));
        self.first_line += part.bytes().filter(|&b| b == b'\n').count();
    }
}

/// The series page as reStructuredText.
pub struct RstExporter;

impl Exporter for RstExporter {
    fn render(&self, templates: &Templates, context: &context::Page) -> Result<String, RenderError> {
        super::page_rst(templates, "page.j2", context)
    }
}

struct Writer {
    /// Named link targets so far: title → URL.
    targets: HashMap<String, String>,
    adornments: Vec<char>,
    out: String,
}

impl Writer {
    fn new(adornments: &str) -> Self {
        Self {
            targets: HashMap::new(),
            adornments: adornments.chars().collect(),
            out: String::new(),
        }
    }

    /// The page: its blocks apart by blank lines, and a final newline.
    fn finish(mut self) -> String {
        if self.out.ends_with("\n\n") {
            self.out.pop();
        } else {
            self.out.push('\n');
        }
        self.out
    }

    /// `block`, and the blank line after it.
    fn push(&mut self, block: &Block) {
        let start = self.out.len();
        let mut out = std::mem::take(&mut self.out);
        match block {
            Block::Heading { level, text } => {
                let mut title = String::new();
                self.inlines(text, &mut title);
                out.push_str(&heading(*level, &title, &self.adornments));
            }
            Block::Fields(fields) => {
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    out.push(':');
                    out.push_str(name);
                    out.push_str(": ");
                    self.inlines(value, &mut out);
                }
            }
            Block::Image { url } => {
                out.push_str(".. image:: ");
                out.push_str(url);
            }
            Block::Paragraph(lines) => {
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    self.inlines(line, &mut out);
                }
            }
            Block::List(items) => {
                self.list(items, 0, &mut out);
                trim_end_from(&mut out, start);
            }
            Block::Literal(lines) => {
                literal(lines, "    ", &mut out);
                trim_end_from(&mut out, start);
            }
        }
        out.push_str("\n\n");
        self.out = out;
    }

    fn list(&mut self, items: &[Item], depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        for (i, item) in items.iter().enumerate() {
            out.push_str(&indent);
            out.push_str("- ");
            out.push_str(item.marker());
            self.inlines(&item.text, out);
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
                    out.push_str(&indent);
                    out.push_str("  .. image:: ");
                    out.push_str(url);
                    out.push_str("\n\n");
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

    /// `inlines` appended to `out`, each piece of markup set apart from the text around it.
    fn inlines(&mut self, inlines: &[Inline], out: &mut String) {
        let start = out.len();
        for (i, inline) in inlines.iter().enumerate() {
            let piece: Cow<str> = match inline {
                Inline::Text { text } => escape(text),
                Inline::Url { url } => Cow::Borrowed(url),
                Inline::Link { title, url } => Cow::Owned(self.link(title, url)),
                Inline::Bold { text } => Cow::Owned(format!("**{}**", text.replace('*', "\\*"))),
                Inline::Literal { text } => Cow::Owned(format!("``{text}``")),
            };
            let markup = !matches!(inline, Inline::Text { .. });
            // Inline markup must stand apart from the text around it: "a\ **b**\ c".
            if markup && out.len() > start && !out.ends_with(separates) {
                out.push_str("\\ ");
            }
            let follows_markup = i > 0 && !matches!(inlines[i - 1], Inline::Text { .. });
            if follows_markup && !piece.starts_with(separates) {
                out.push_str("\\ ");
            }
            out.push_str(&piece);
        }
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
fn escape(text: &str) -> Cow<'_, str> {
    if !text
        .bytes()
        .any(|b| matches!(b, b'*' | b'`' | b'|' | b'_' | b'\\'))
    {
        return Cow::Borrowed(text);
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
    Cow::Owned(out)
}

/// Trailing whitespace off what was written to `out` since `start`.
fn trim_end_from(out: &mut String, start: usize) {
    let keep = start + out[start..].trim_end().len();
    out.truncate(keep);
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

    /// A page checked part by part, as it is written, finds the problem the whole page has,
    /// at the same line, and the parts make the page.
    #[test]
    fn a_page_checked_in_parts_is_checked_as_a_whole() {
        let mut source = String::from("# Title\n\n");
        for n in 0..3000 {
            source.push_str(&format!(
                "## Section {n}\n\ntext of **{n}**\n\n- a\n  - b ``c``\n\n"
            ));
        }
        source.push_str("## Last\n\n- run ``docker run `` now\n");
        let mut parts = Vec::new();
        let page = render_stream(
            parse(&source).unwrap().into_iter().map(Ok::<_, ()>),
            "#=-~",
            &mut |p| parts.push(p.to_string()),
        )
        .unwrap();
        assert!(parts.len() > 3, "{}", parts.len());
        assert_eq!(parts.concat(), page);
        assert_eq!(page, render(&parse(&source).unwrap()));
        let mut checker = Checker::default();
        for part in &parts {
            checker.part(part);
        }
        let whole = crate::rst_check::check(&page)
            .into_iter()
            .find_map(|p| Some((p.line, p.message()?)));
        assert!(whole.is_some());
        assert_eq!(checker.problem, whole);
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
