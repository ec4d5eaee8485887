//! The document a template produces, in tsudoi's own small markup, before it becomes rst,
//! Markdown, Discord or plain text. One markup means one set of templates for every format.
//!
//! ```text
//! # Title                     headings, levels 1 to 4
//! :Field: value               a field line (rst field list)
//! .. image:: https://...      an image
//! - item                      a list: the agenda outline syntax, nested by two spaces
//! A paragraph, one or more lines, with **bold**, ``literal``, URLs, or a whole line
//! `title <https://...>` as a named link.
//! ```

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::event::Agenda;
use crate::event::outline::{Inline, List, OutlineError, parse_inline};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: usize,
        text: Vec<Inline>,
    },
    Fields(Vec<(String, Vec<Inline>)>),
    Image {
        url: String,
    },
    /// Lines of one paragraph, each parsed on its own.
    Paragraph(Vec<Vec<Inline>>),
    /// A list in the agenda outline syntax, checked (an event's agenda shared, not copied).
    List(Arc<List>),
    /// The indented lines after a paragraph ending in `::`, dedented, shown as written.
    Literal(Vec<String>),
}

/// A problem in the rendered document, at a line of the template's output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} of the rendered text: {message}\n  {text}")]
pub struct DocError {
    pub line: usize,
    pub text: String,
    pub message: String,
}

pub fn parse(source: &str) -> Result<Vec<Block>, DocError> {
    blocks(source, None).collect()
}

/// The blocks of `source` one at a time, for a writer that need not hold the whole document:
/// a page of years of events is written block by block. A list that is one of the `known`
/// agendas, as the template put it, is that agenda's list, not read again.
pub fn blocks<'a>(source: &'a str, known: Option<&'a Known<'a>>) -> Blocks<'a> {
    let mut lines = Vec::with_capacity(crate::lines::count(source));
    lines.extend(crate::lines::lines(source));
    Blocks {
        source,
        known,
        lines,
        i: 0,
        literal: None,
        failed: false,
    }
}

/// Agendas a template may put on a page, by their text: checked, and their items found, when
/// their event files were read.
#[derive(Debug, Default)]
pub struct Known<'a> {
    lists: HashMap<Text<'a>, &'a Arc<List>>,
}

impl<'a> Known<'a> {
    pub fn new(agendas: impl IntoIterator<Item = &'a Agenda>) -> Self {
        let lists = agendas
            .into_iter()
            .filter_map(|agenda| {
                // A list in a document ends at its last line's end; the agenda with its `\n`.
                let text = agenda.source().strip_suffix('\n')?;
                Some((Text(text), agenda.list()))
            })
            .collect();
        Self { lists }
    }

    fn get(&self, text: &str) -> Option<&'a Arc<List>> {
        self.lists.get(&Text(text)).copied()
    }
}

/// A text as a key that hashes its length and ends only: agendas are kilobytes long, and
/// equal keys are compared whole.
#[derive(Debug, PartialEq, Eq)]
struct Text<'a>(&'a str);

impl Hash for Text<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let bytes = self.0.as_bytes();
        let ends = 64.min(bytes.len());
        state.write_usize(bytes.len());
        state.write(&bytes[..ends]);
        state.write(&bytes[bytes.len() - ends..]);
    }
}

pub struct Blocks<'a> {
    source: &'a str,
    known: Option<&'a Known<'a>>,
    lines: Vec<&'a str>,
    /// The next line to read.
    i: usize,
    /// The literal block read with the paragraph that opened it, to be handed out next.
    literal: Option<Vec<String>>,
    /// After an error nothing more is read.
    failed: bool,
}

impl Iterator for Blocks<'_> {
    type Item = Result<Block, DocError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(literal) = self.literal.take() {
            return Some(Ok(Block::Literal(literal)));
        }
        if self.failed {
            return None;
        }
        let block = self.read();
        self.failed = block.as_ref().is_some_and(Result::is_err);
        block
    }
}

impl Blocks<'_> {
    /// The next block after blank lines, if any.
    fn read(&mut self) -> Option<Result<Block, DocError>> {
        while self.lines.get(self.i).is_some_and(|l| l.trim_end().is_empty()) {
            self.i += 1;
        }
        (self.i < self.lines.len()).then(|| self.block())
    }

    /// The block that starts at the non-blank line `self.i`; `self.i` moves past it.
    fn block(&mut self) -> Result<Block, DocError> {
        let lines = &self.lines;
        let i = &mut self.i;
        let line = lines[*i].trim_end();
        if let Some((level, title)) = heading(line) {
            let text = inline(title).map_err(|e| at(*i, line, e))?;
            *i += 1;
            return Ok(Block::Heading { level, text });
        }
        if let Some(url) = line.strip_prefix(".. image:: ") {
            *i += 1;
            return Ok(Block::Image {
                url: url.trim().to_string(),
            });
        }
        if field(line).is_some() {
            let mut fields = Vec::new();
            while let Some((name, value)) = lines.get(*i).and_then(|l| field(l.trim_end())) {
                fields.push((name.to_string(), inline(value).map_err(|e| at(*i, lines[*i], e))?));
                *i += 1;
            }
            return Ok(Block::Fields(fields));
        }
        if is_item(line) {
            let start = *i;
            while *i < lines.len()
                && (is_item(crate::lines::trim_start(lines[*i])) || continues_list(lines, *i))
            {
                *i += 1;
            }
            let from = lines[start].as_ptr() as usize - self.source.as_ptr() as usize;
            let to = lines[*i - 1].as_ptr() as usize + lines[*i - 1].len() - self.source.as_ptr() as usize;
            if let Some(agenda) = self.known.and_then(|known| known.get(&self.source[from..to])) {
                return Ok(Block::List(Arc::clone(agenda)));
            }
            // Each item line ends with its `\n`, as in an agenda.
            let mut text = lines[start..*i].join("\n");
            text.push('\n');
            let list = List::parse(text).map_err(|(errors, text)| list_error(&errors[0], &text, start))?;
            return Ok(Block::List(Arc::new(list)));
        }
        let mut paragraph = Vec::new();
        let mut opens_literal = false;
        while let Some(l) = lines.get(*i).map(|l| l.trim_end()) {
            if l.is_empty() || heading(l).is_some() || is_item(l) || field(l).is_some() {
                break;
            }
            paragraph.push(inline(l.trim_start()).map_err(|e| at(*i, l, e))?);
            *i += 1;
            if l.ends_with("::") {
                opens_literal = true;
                break;
            }
        }
        if opens_literal {
            let start = *i;
            while *i < lines.len() && (lines[*i].starts_with(' ') || lines[*i].trim().is_empty()) {
                *i += 1;
            }
            let body =
                crate::event::outline::dedent(lines[start..*i].iter().map(|l| l.to_string()).collect());
            self.literal = (!body.is_empty()).then_some(body);
        }
        Ok(Block::Paragraph(paragraph))
    }
}

/// A line that opens a literal block (`text::`) as formats without literal blocks write it:
/// `text:`, or nothing when the line is only `::`.
pub fn literal_intro(text: &[Inline]) -> Vec<Inline> {
    let mut text = text.to_vec();
    if let Some(Inline::Text { text: last }) = text.last_mut()
        && let Some(stripped) = last.trim_end().strip_suffix("::")
    {
        *last = if stripped.trim().is_empty() {
            stripped.trim_end().to_string()
        } else {
            format!("{stripped}:")
        };
    }
    text.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    text
}

fn at(index: usize, line: &str, error: OutlineError) -> DocError {
    DocError {
        line: index + 1,
        text: line.to_string(),
        message: error.message,
    }
}

fn inline(text: &str) -> Result<Vec<Inline>, OutlineError> {
    parse_inline(text.trim())
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    let title = line[hashes..].strip_prefix(' ')?;
    ((1..=4).contains(&hashes) && !title.trim().is_empty()).then_some((hashes, title))
}

fn field(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let (name, value) = rest.split_once(": ")?;
    (!name.is_empty() && !name.contains('`')).then_some((name, value))
}

fn is_item(line: &str) -> bool {
    line.starts_with("- ") || line == "-"
}

/// Blank lines and indented lines inside a list keep it going.
fn continues_list(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    if line.starts_with(' ') && !line.trim().is_empty() {
        return true;
    }
    line.trim().is_empty()
        && lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.starts_with(' '))
}

fn list_error(error: &OutlineError, text: &str, first_line: usize) -> DocError {
    let line_in_list = text[..error.span.start.min(text.len())].matches('\n').count();
    let text_line = text.lines().nth(line_in_list).unwrap_or_default();
    DocError {
        line: first_line + line_in_list + 1,
        text: text_line.to_string(),
        message: error.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    #[test]
    fn blocks_of_a_page() {
        let source = "# Title\n\n:日時: 15:00\n:場所: Discord\n\n.. image:: https://i.example/a.jpg\n\nline one\nline **two**\n\n- a\n\n  - b\n- c\n\n## Next\n";
        let blocks = parse(source).unwrap();
        assert_eq!(blocks.len(), 6);
        assert_eq!(
            blocks[0],
            Block::Heading {
                level: 1,
                text: vec![text("Title")]
            }
        );
        assert_eq!(
            blocks[1],
            Block::Fields(vec![
                ("日時".into(), vec![text("15:00")]),
                ("場所".into(), vec![text("Discord")])
            ])
        );
        assert_eq!(
            blocks[2],
            Block::Image {
                url: "https://i.example/a.jpg".into()
            }
        );
        let Block::Paragraph(lines) = &blocks[3] else {
            panic!()
        };
        assert_eq!(lines.len(), 2);
        let Block::List(list) = &blocks[4] else { panic!() };
        let items = list.outline().items;
        assert_eq!((items.len(), items[0].children.len()), (2, 1));
        assert_eq!(
            blocks[5],
            Block::Heading {
                level: 2,
                text: vec![text("Next")]
            }
        );
    }

    /// A list that is an agenda as its event file gave it is that agenda's list, shared; a
    /// list a template changed is read as it stands. Both come out as `List::parse` reads them.
    #[test]
    fn an_agenda_on_the_page_is_not_read_again() {
        let agenda = Agenda::parse("- a\n  - b::\n\n      tree/\n  - c <https://c.example>\n- d\n").unwrap();
        let known = Known::new([&agenda]);
        let page = format!("# T\n\n{}\nafter\n\n  {}", agenda.source(), "- a\n");
        let read =
            |page: &str| -> Vec<Block> { blocks(page, Some(&known)).collect::<Result<_, _>>().unwrap() };
        let shown = read(&page);
        let Block::List(list) = &shown[1] else {
            panic!("{shown:?}")
        };
        assert!(Arc::ptr_eq(list, agenda.list()));
        assert_eq!(shown, parse(&page).unwrap());
        let changed = page.replace("- c <", "- x <");
        let shown = read(&changed);
        let Block::List(list) = &shown[1] else {
            panic!("{shown:?}")
        };
        assert!(!Arc::ptr_eq(list, agenda.list()));
        assert_eq!(shown, parse(&changed).unwrap());
    }

    #[test]
    fn errors_name_the_output_line() {
        let error = parse("# T\n\n- a\n   - b\n").unwrap_err();
        assert_eq!(error.line, 4);
        assert!(error.message.contains("indented by 3 spaces"));
    }

    #[test]
    fn hashes_without_a_space_are_text() {
        let blocks = parse("#event channel\n").unwrap();
        assert!(matches!(blocks[0], Block::Paragraph(_)));
    }
}
