//! reStructuredText that docutils reads without a warning: underlines as wide as their titles
//! (East Asian wide characters count two columns), a blank line around every nested list, and
//! anonymous links where two links share a title but not a URL.

use std::borrow::Cow;
use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::doc::{self, Block, DocError};
use super::templates::Templates;
use super::{Exporter, RenderError, context};
use crate::event::outline::{self, Inline, List, Piece};

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
/// `markup_len`: the length of the markup the blocks are read from.
pub fn render_stream<E>(
    blocks: impl Iterator<Item = Result<Block, E>>,
    markup_len: usize,
    adornments: &str,
    part: &mut dyn FnMut(&str),
) -> Result<String, E> {
    let mut writer = Writer::new(adornments);
    // rst is about as long as the markup it comes from: one buffer, not a dozen doublings.
    writer.out.reserve(markup_len + markup_len / 8);
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

/// Why tsudoi markup did not become a page.
#[derive(Debug, PartialEq, Eq)]
pub enum PageError {
    Markup(DocError),
    /// The first place the page would not read as reStructuredText.
    Invalid {
        line: usize,
        message: String,
    },
}

/// `source` (tsudoi markup) written as reStructuredText and checked; lists that are `known`
/// agendas are written from their items; `beside`: the check runs on a second thread, part by
/// part as the page is written.
pub fn write_checked(
    source: &str,
    known: Option<&doc::Known>,
    adornments: &str,
    beside: bool,
) -> Result<String, PageError> {
    let write = |part: &mut dyn FnMut(&str)| {
        render_stream(doc::blocks(source, known), source.len(), adornments, part)
    };
    let (page, problem) = if beside {
        std::thread::scope(|scope| {
            let (send, parts) = std::sync::mpsc::channel::<String>();
            let checker = scope.spawn(move || {
                let mut checker = Checker::default();
                for part in parts {
                    checker.part(&part);
                }
                checker.problem
            });
            let page = write(&mut |part| {
                // The checker stops only by ending: its parts are always received.
                let _ = send.send(part.to_string());
            });
            drop(send);
            let problem = checker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (page, problem)
        })
    } else {
        let mut checker = Checker::default();
        let page = write(&mut |part| checker.part(part));
        (page, checker.problem)
    };
    let page = page.map_err(PageError::Markup)?;
    match problem {
        Some((line, message)) => Err(PageError::Invalid { line, message }),
        None => Ok(page),
    }
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
        self.first_line += crate::lines::count(part);
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
            Block::List(list) => {
                self.list(list, &mut out);
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

    /// A list written item by item from its flat form. What the tree would tell (whether an
    /// item has children, whether a sibling follows) is read from the next item: a deeper
    /// one is its first child, one at its depth its next sibling, a shallower one closes it.
    fn list(&mut self, list: &List, out: &mut String) {
        let items = list.items();
        for (i, item) in items.iter().enumerate() {
            let next = items.get(i + 1).map(|n| n.depth);
            let has_children = next.is_some_and(|d| d > item.depth);
            let last = next.is_none_or(|d| d < item.depth);
            indent(item.depth, out);
            out.push_str("- ");
            out.push_str(item.marker());
            let start = out.len();
            let mut markup_before = false;
            let read = outline::pieces(list.text(item), |piece| {
                markup_before = self.piece(piece, markup_before, start, out);
            });
            debug_assert!(read.is_ok(), "a list is checked when it is read");
            out.push('\n');
            if !item.literal().is_empty() {
                out.push('\n');
                for line in item.literal() {
                    if !line.is_empty() {
                        indent(item.depth, out);
                        out.push_str("    ");
                        out.push_str(line);
                    }
                    out.push('\n');
                }
                if !last || has_children {
                    out.push('\n');
                }
            }
            if !item.images().is_empty() {
                if item.literal().is_empty() {
                    out.push('\n');
                }
                for url in item.images() {
                    indent(item.depth, out);
                    out.push_str("  .. image:: ");
                    out.push_str(url);
                    out.push_str("\n\n");
                }
                if last && !has_children {
                    out.pop();
                }
            }
            if has_children && item.literal().is_empty() && item.images().is_empty() {
                out.push('\n');
            }
            // A shallower item is the next sibling of an ancestor: a blank line ends the
            // ancestor's children.
            if next.is_some_and(|d| d < item.depth) {
                out.push('\n');
            }
        }
    }

    /// `inlines` appended to `out`, each piece of markup set apart from the text around it.
    fn inlines(&mut self, inlines: &[Inline], out: &mut String) {
        let start = out.len();
        let mut markup_before = false;
        for inline in inlines {
            markup_before = self.piece(inline.as_piece(), markup_before, start, out);
        }
    }

    /// One piece of a line whose text starts at `start` in `out`; `markup_before`: the piece
    /// before it is markup. Returns whether this one is.
    fn piece(&mut self, piece: Piece, markup_before: bool, start: usize, out: &mut String) -> bool {
        let markup = !matches!(piece, Piece::Text(_));
        let text: Cow<str> = match piece {
            Piece::Text(text) => escape(text),
            Piece::Url(url) => Cow::Borrowed(url),
            Piece::Link { title, url } => Cow::Owned(self.link(title, url)),
            Piece::Bold(text) => Cow::Owned(format!("**{}**", text.replace('*', "\\*"))),
            Piece::Literal(text) => Cow::Owned(format!("``{text}``")),
        };
        // Inline markup must stand apart from the text around it: "a\ **b**\ c".
        if markup && out.len() > start && !out.ends_with(separates) {
            out.push_str("\\ ");
        }
        if markup_before && !text.starts_with(separates) {
            out.push_str("\\ ");
        }
        out.push_str(&text);
        markup
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

/// Two spaces per level.
fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn separates(c: char) -> bool {
    c.is_whitespace() || "-:/'\"<([{".contains(c)
}

/// Escape what would start inline markup in plain text, and nothing else.
fn escape(text: &str) -> Cow<'_, str> {
    // Two vectorised searches: a page's text is hundreds of KB, nearly all of it plain.
    let bytes = text.as_bytes();
    if memchr::memchr3(b'*', b'`', b'|', bytes).is_none() && memchr::memchr2(b'_', b'\\', bytes).is_none() {
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
            source.len(),
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

    /// Checked beside the writer or after it, a page comes out the same, and so do its errors.
    #[test]
    fn a_page_checked_on_a_second_thread_is_checked_the_same() {
        let mut valid = String::from("# Title\n\n");
        for n in 0..3000 {
            valid.push_str(&format!("## Section {n}\n\n- a\n  - b ``c``\n\n"));
        }
        let invalid = format!("{valid}## Last\n\n- run ``docker run `` now\n");
        let broken = format!("{valid}## Last\n\n- a\n   - b\n");
        for source in [&valid, &invalid, &broken] {
            let after = write_checked(source, None, "#=-~", false);
            assert_eq!(write_checked(source, None, "#=-~", true), after);
        }
        assert!(write_checked(&valid, None, "#=-~", true).is_ok());
        assert!(matches!(
            write_checked(&invalid, None, "#=-~", true),
            Err(PageError::Invalid { .. })
        ));
        assert!(matches!(
            write_checked(&broken, None, "#=-~", true),
            Err(PageError::Markup(_))
        ));
    }

    /// The list writer as it was, walking the tree: the flat writer must write what it wrote.
    fn tree_list(writer: &mut Writer, items: &[crate::event::outline::Item], depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        for (i, item) in items.iter().enumerate() {
            out.push_str(&indent);
            out.push_str("- ");
            out.push_str(item.marker());
            writer.inlines(&item.text, out);
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
                tree_list(writer, &item.children, depth + 1, out);
                if i + 1 < items.len() {
                    out.push('\n');
                }
            }
        }
    }

    #[test]
    fn lists_are_written_from_their_flat_form_as_from_the_tree() {
        let lines = [
            "- a",
            "  - b",
            "    - c",
            "- [x] d",
            "  - [ ] e",
            "- f::",
            "    lit",
            "      deeper",
            "",
            "  .. image:: https://i.example/z.png",
            "    .. image:: https://i.example/w.png",
            "- `t <https://t.example>`_ and **b**",
            "- x <https://x.example>",
            "- x <https://y.example>",
            "- ``code``",
            "  - https://u.example/(a))",
            "- 雑談 ``a`` 日本",
            "  - g::",
            "",
            "      block",
            "- h_ *i* |j|",
        ];
        let mut written = 0;
        for picked in outline::random_picks(&lines, 0xface, 5000, 11) {
            let text = std::iter::once("- first")
                .chain(picked)
                .collect::<Vec<_>>()
                .join("\n");
            let Ok(list) = List::parse(text.clone()) else {
                continue;
            };
            let (mut flat, mut tree) = (Writer::new("#=-~"), Writer::new("#=-~"));
            let (mut a, mut b) = (String::new(), String::new());
            flat.list(&list, &mut a);
            tree_list(&mut tree, &list.outline().items, 0, &mut b);
            assert_eq!(a, b, "{text:?}");
            written += 1;
        }
        assert!(written > 1000, "{written}");
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
