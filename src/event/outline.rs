//! The agenda outline: a `- ` list nested by two spaces, with a little inline markup.
//!
//! ```text
//! - WebRTC SFU Sora
//!   - Sora 2025.1.x release notes <https://blog.example.com/sora-2025-1>
//!   - **inter-node transfer**, see https://example.com/doc
//!   - [x] ``rid: auto`` simulcast
//! ```
//!
//! An item whose whole text is `title <URL>` is a named link; URLs elsewhere are bare links;
//! `**bold**` and ``` ``literal`` ``` mark text; `[x] ` / `[ ] ` start a checklist item.

use std::ops::Range;

use serde::Serialize;

/// Lists nest at most this deep (reStructuredText, Markdown and Discord all render it).
pub const MAX_DEPTH: usize = 6;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outline {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
    pub text: Vec<Inline>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Item>,
    /// A literal block after an item ending in `::`, dedented; blank lines inside kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub literal: Vec<String>,
    /// Images under the item's text: `.. image:: URL` lines at its content column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Inline {
    Text { text: String },
    Link { title: String, url: String },
    Url { url: String },
    Bold { text: String },
    Literal { text: String },
}

impl Item {
    /// `[x] ` / `[ ] ` for a checklist item, as every format writes it.
    pub fn marker(&self) -> &'static str {
        match self.checked {
            Some(true) => "[x] ",
            Some(false) => "[ ] ",
            None => "",
        }
    }
}

impl Inline {
    /// `alone`: the inline is the whole line, where a named link is written `title <URL>`;
    /// inside a sentence it is `` `title <URL>`_ ``.
    fn write_source(&self, alone: bool, out: &mut String) {
        match self {
            Self::Text { text } => out.push_str(text),
            Self::Link { title, url } if !alone => {
                out.push('`');
                out.push_str(title);
                out.push_str(" <");
                out.push_str(url);
                out.push_str(">`_");
            }
            Self::Link { title, url } => {
                out.push_str(title);
                out.push_str(" <");
                out.push_str(url);
                out.push('>');
            }
            Self::Url { url } => out.push_str(url),
            Self::Bold { text } => {
                out.push_str("**");
                out.push_str(text);
                out.push_str("**");
            }
            Self::Literal { text } => {
                out.push_str("``");
                out.push_str(text);
                out.push_str("``");
            }
        }
    }
}

/// A problem in the outline, as a byte range of the agenda text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineError {
    pub span: Range<usize>,
    pub message: String,
}

impl Outline {
    pub fn parse(source: &str) -> Result<Self, Vec<OutlineError>> {
        let mut errors = Vec::new();
        let mut flat: Vec<(usize, Item)> = Vec::new();
        let mut offset = 0;
        // The indent of the item whose text ends in `::`: deeper lines are its literal block.
        let mut literal_under: Option<usize> = None;
        for raw in source.split_inclusive('\n') {
            let line = raw.trim_end_matches(['\n', '\r']);
            let start = offset;
            offset += raw.len();
            let spaces = line.len() - line.trim_start_matches(' ').len();
            // A visible ASCII character after the spaces (most lines): the line is not blank
            // and `trim_start` would stop there, so neither needs computing.
            let first = line.as_bytes().get(spaces).copied().filter(u8::is_ascii_graphic);
            let blank = first.is_none() && line.trim().is_empty();
            if let Some(indent) = literal_under {
                let deeper = spaces > indent + 2;
                if blank || deeper {
                    if let Some((_, item)) = flat.last_mut() {
                        item.literal.push(line.to_string());
                    }
                    continue;
                }
                literal_under = None;
            }
            if blank {
                continue;
            }
            if first.is_none_or(|b| b == b'.')
                && let Some(url) = line.trim_start().strip_prefix(".. image:: ")
                && let Some((depth, item)) = flat.last_mut()
                && line.len() - line.trim_start().len() == *depth * 2 + 2
            {
                item.images.push(url.trim().to_string());
                continue;
            }
            if line.trim_end().ends_with("::") {
                literal_under = Some(spaces);
            }
            let previous = flat.last().map(|(depth, _)| *depth);
            match parse_line(line, previous) {
                Ok(parsed) => flat.push(parsed),
                Err(mut error) => {
                    error.span = start + error.span.start..start + error.span.end;
                    errors.push(error);
                }
            }
        }
        for (_, item) in flat.iter_mut().filter(|(_, item)| !item.literal.is_empty()) {
            item.literal = dedent(std::mem::take(&mut item.literal));
        }
        if errors.is_empty() {
            Ok(Self { items: nest(flat) })
        } else {
            Err(errors)
        }
    }

    /// The outline written back as source, down to `depth` levels (1 = top-level items only).
    pub fn to_source(&self, depth: usize) -> String {
        // Two spaces per level, without a string made for each line.
        fn indent(level: usize, out: &mut String) {
            for _ in 0..level {
                out.push_str("  ");
            }
        }
        fn write(items: &[Item], level: usize, depth: usize, out: &mut String) {
            if level >= depth {
                return;
            }
            for item in items {
                indent(level, out);
                out.push_str("- ");
                out.push_str(item.marker());
                for inline in &item.text {
                    inline.write_source(item.text.len() == 1, out);
                }
                out.push('\n');
                if !item.literal.is_empty() {
                    out.push('\n');
                    for line in &item.literal {
                        if !line.is_empty() {
                            indent(level + 2, out);
                            out.push_str(line);
                        }
                        out.push('\n');
                    }
                    out.push('\n');
                }
                for url in &item.images {
                    indent(level + 1, out);
                    out.push_str(".. image:: ");
                    out.push_str(url);
                    out.push('\n');
                }
                write(&item.children, level + 1, depth, out);
            }
        }
        let mut out = String::new();
        write(&self.items, 0, depth, &mut out);
        out
    }

    /// Items at every depth.
    pub fn count(&self) -> usize {
        fn count(items: &[Item]) -> usize {
            items.iter().map(|item| 1 + count(&item.children)).sum()
        }
        count(&self.items)
    }
}

/// Lines of a literal block without their common indent and the blank lines around them.
pub fn dedent(mut lines: Vec<String>) -> Vec<String> {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    lines
        .into_iter()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                l[indent..].trim_end().to_string()
            }
        })
        .collect()
}

fn error(span: Range<usize>, message: impl Into<String>) -> OutlineError {
    OutlineError {
        span,
        message: message.into(),
    }
}

fn parse_line(line: &str, previous: Option<usize>) -> Result<(usize, Item), OutlineError> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if rest.starts_with('\t') {
        return Err(error(
            indent..indent + 1,
            "agenda items are indented with spaces, not tabs",
        ));
    }
    if !indent.is_multiple_of(2) {
        return Err(error(
            0..indent,
            format!("indented by {indent} spaces; nested items are indented by 2 spaces per level"),
        ));
    }
    let depth = indent / 2;
    let allowed = previous.map_or(0, |d| d + 1);
    if depth > allowed {
        let message = match previous {
            None => "the first agenda item cannot be indented".to_string(),
            Some(_) => format!(
                "indented {} levels deeper than the item above; nest one level (2 spaces) at a time",
                depth - allowed + 1
            ),
        };
        return Err(error(0..indent, message));
    }
    if depth >= MAX_DEPTH {
        return Err(error(
            0..indent,
            format!("agenda lists nest at most {MAX_DEPTH} levels deep"),
        ));
    }
    let Some(body) = rest.strip_prefix("- ").or_else(|| (rest == "-").then_some("")) else {
        return Err(error(
            indent..line.len(),
            "every agenda line is an item starting with `- `",
        ));
    };
    let body_start = indent + 2;
    let (checked, text, text_start) = match body.get(..4) {
        Some("[x] " | "[X] ") => (Some(true), &body[4..], body_start + 4),
        Some("[ ] ") => (Some(false), &body[4..], body_start + 4),
        _ => (None, body, body_start),
    };
    if text.trim().is_empty() {
        return Err(error(
            indent..line.len(),
            "empty agenda item; write its text after `- `",
        ));
    }
    let inlines = parse_inline(text.trim_end()).map_err(|mut e| {
        e.span = text_start + e.span.start..text_start + e.span.end;
        e
    })?;
    Ok((
        depth,
        Item {
            checked,
            text: inlines,
            children: Vec::new(),
            literal: Vec::new(),
            images: Vec::new(),
        },
    ))
}

fn nest(flat: Vec<(usize, Item)>) -> Vec<Item> {
    // A stack of open items per depth; each finished item is attached to its parent.
    let mut stack: Vec<Item> = Vec::new();
    let mut roots = Vec::new();
    let mut depths: Vec<usize> = Vec::new();
    for (depth, item) in flat {
        while depths.last().is_some_and(|&d| d >= depth) {
            close(&mut stack, &mut depths, &mut roots);
        }
        stack.push(item);
        depths.push(depth);
    }
    while !stack.is_empty() {
        close(&mut stack, &mut depths, &mut roots);
    }
    roots
}

fn close(stack: &mut Vec<Item>, depths: &mut Vec<usize>, roots: &mut Vec<Item>) {
    let item = stack.pop().expect("an open item");
    depths.pop();
    match stack.last_mut() {
        Some(parent) => parent.children.push(item),
        None => roots.push(item),
    }
}

fn is_url_start(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// Inline markup of one item. A named link is the whole item: `title <URL>`.
pub fn parse_inline(text: &str) -> Result<Vec<Inline>, OutlineError> {
    if is_plain(text) {
        return Ok(vec![Inline::Text {
            text: text.to_string(),
        }]);
    }
    if let Some(link) = named_link(text)? {
        return Ok(vec![link]);
    }
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let marked = if let Some(inner) = rest.strip_prefix("**") {
            let end = inner.find("**").ok_or_else(|| {
                error(
                    i..i + 2,
                    "`**` opens bold text that is never closed; add the closing `**`",
                )
            })?;
            Some((
                Inline::Bold {
                    text: inner[..end].to_string(),
                },
                4 + end,
            ))
        } else if let Some(inner) = rest.strip_prefix("``") {
            let end = inner.find("``").ok_or_else(|| {
                error(
                    i..i + 2,
                    "`` `` `` opens literal text that is never closed; add the closing `` `` ``",
                )
            })?;
            Some((
                Inline::Literal {
                    text: inner[..end].to_string(),
                },
                4 + end,
            ))
        } else if let Some((link, width)) = inline_link(rest) {
            Some((link, width))
        } else if is_url_start(rest) && (i == 0 || !text[..i].ends_with(|c: char| c.is_alphanumeric())) {
            let end = url_end(rest);
            Some((
                Inline::Url {
                    url: rest[..end].to_string(),
                },
                end,
            ))
        } else {
            None
        };
        match marked {
            Some((inline, width)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text {
                        text: std::mem::take(&mut plain),
                    });
                }
                out.push(inline);
                i += width;
            }
            None => {
                // Markup starts only at `*`, `` ` `` or the `h` of a URL: copy up to the next.
                let next = i + rest.chars().next().map_or(1, char::len_utf8);
                let end = text.as_bytes()[next..]
                    .iter()
                    .position(|b| matches!(b, b'*' | b'`' | b'h'))
                    .map_or(text.len(), |at| next + at);
                plain.push_str(&text[i..end]);
                i = end;
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text { text: plain });
    }
    Ok(out)
}

/// Text in which nothing can start: no `*`, no `` ` ``, no URL (nor a named link, which holds
/// one). Most agenda items are such, and are one text inline.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    !text.is_empty()
        && !bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'*' || b == b'`' || (b == b'h' && bytes[i..].starts_with(b"http")))
}

/// A named link in the middle of a sentence, written as rst writes it:
/// `` `title <https://...>`_ `` (or `__`). Anything else starting with a backquote is text.
fn inline_link(rest: &str) -> Option<(Inline, usize)> {
    let inner = rest.strip_prefix('`')?;
    let close = inner.find(">`_")?;
    let (title, url) = inner[..close].rsplit_once(" <")?;
    let valid = is_url_start(url) && !url.contains(char::is_whitespace) && !title.trim().is_empty();
    if !valid || title.contains('`') {
        return None;
    }
    let mut width = 1 + close + 3;
    if inner[close + 3..].starts_with('_') {
        width += 1;
    }
    Some((
        Inline::Link {
            title: title.trim().to_string(),
            url: url.to_string(),
        },
        width,
    ))
}

/// A bare URL runs to the next space, less a closing parenthesis it does not open: in
/// `(see https://a.example)` or `[x](https://a.example)` the `)` is the text's.
fn url_end(rest: &str) -> usize {
    let mut url = &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())];
    while url.ends_with(')') && url.matches(')').count() > url.matches('(').count() {
        url = &url[..url.len() - 1];
    }
    url.len()
}

fn named_link(text: &str) -> Result<Option<Inline>, OutlineError> {
    if !text.contains('<') {
        return Ok(None);
    }
    let Some(open) = text.rfind(" <http") else {
        return Ok(None);
    };
    let Some(inner) = text[open + 2..].strip_suffix('>') else {
        if text[open..].contains(">`_") {
            // `` `title <URL>`_ `` in a sentence: parsed inline.
            return Ok(None);
        }
        let message = if text[open..].contains('>') {
            "a named link is the whole item, `title <URL>`, with nothing after the `>`"
        } else {
            "unclosed link: `<URL` needs its closing `>`"
        };
        return Err(error(open + 1..text.len(), message));
    };
    if inner.contains(char::is_whitespace) || inner.contains(['<', '>']) {
        return Err(error(
            open + 1..text.len(),
            "a link's URL cannot contain spaces or `<` `>`",
        ));
    }
    let title = text[..open].trim();
    Ok(Some(Inline::Link {
        title: title.to_string(),
        url: inner.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    #[test]
    fn nests_by_two_spaces() {
        let outline = Outline::parse("- a\n  - b\n    - c\n  - d\n- e\n").unwrap();
        assert_eq!(outline.items.len(), 2);
        assert_eq!(outline.items[0].children.len(), 2);
        assert_eq!(outline.items[0].children[0].children[0].text, vec![text("c")]);
        assert_eq!(outline.count(), 5);
    }

    #[test]
    fn blank_lines_are_ignored() {
        let outline = Outline::parse("\n- a\n\n  - b\n\n- c").unwrap();
        assert_eq!(outline.count(), 3);
        // Whitespace beyond ASCII spaces is blank too.
        let outline =
            Outline::parse("- a\n\u{3000}\n \t\n- b\n  .. image:: https://i.example/x.png\n").unwrap();
        assert_eq!(outline.count(), 2);
        assert_eq!(outline.items[1].images, ["https://i.example/x.png"]);
    }

    #[test]
    fn inline_markup() {
        let cases: Vec<(&str, Vec<Inline>)> = vec![
            (
                "M121 Release Notes <https://groups.google.com/g/x>",
                vec![Inline::Link {
                    title: "M121 Release Notes".into(),
                    url: "https://groups.google.com/g/x".into(),
                }],
            ),
            (
                "https://example.com/a",
                vec![Inline::Url {
                    url: "https://example.com/a".into(),
                }],
            ),
            (
                "see https://example.com now",
                vec![
                    text("see "),
                    Inline::Url {
                        url: "https://example.com".into(),
                    },
                    text(" now"),
                ],
            ),
            (
                "**ノード間転送機能**",
                vec![Inline::Bold {
                    text: "ノード間転送機能".into(),
                }],
            ),
            (
                "``rid: auto`` です",
                vec![
                    Inline::Literal {
                        text: "rid: auto".into(),
                    },
                    text(" です"),
                ],
            ),
            ("Never* use Datagrams", vec![text("Never* use Datagrams")]),
            (
                "[x](https://evil.example)",
                vec![
                    text("[x]("),
                    Inline::Url {
                        url: "https://evil.example".into(),
                    },
                    text(")"),
                ],
            ),
            (
                "https://w.example/Foo_(bar)",
                vec![Inline::Url {
                    url: "https://w.example/Foo_(bar)".into(),
                }],
            ),
            (
                "# 区切りを _ 区切りに変更する",
                vec![text("# 区切りを _ 区切りに変更する")],
            ),
            ("雑談", vec![text("雑談")]),
            ("shiguredo/http11-rs", vec![text("shiguredo/http11-rs")]),
            ("", vec![]),
            (
                "hi 日本 *h* **b**http://x.example ahttps://y",
                vec![
                    text("hi 日本 *h* "),
                    Inline::Bold { text: "b".into() },
                    Inline::Url {
                        url: "http://x.example".into(),
                    },
                    text(" ahttps://y"),
                ],
            ),
        ];
        for (source, expected) in cases {
            assert_eq!(parse_inline(source).unwrap(), expected, "{source}");
        }
    }

    #[test]
    fn checklist_items() {
        let outline = Outline::parse("- [x] done\n- [ ] todo\n- [y] text").unwrap();
        let checks: Vec<_> = outline.items.iter().map(|i| i.checked).collect();
        assert_eq!(checks, vec![Some(true), Some(false), None]);
        assert_eq!(outline.items[2].text, vec![text("[y] text")]);
    }

    #[test]
    fn problems_are_located() {
        let cases = [
            ("- a\n   - b\n", 4..7, "indented by 3 spaces"),
            ("- a\n      - b\n", 4..10, "levels deeper"),
            ("  - a\n", 0..2, "first agenda item"),
            ("- a\n* b\n", 4..7, "starting with `- `"),
            ("- a\n- \n", 4..6, "empty agenda item"),
            ("- Title <https://example.com\n", 8..28, "unclosed link"),
            ("- **bold\n", 2..4, "never closed"),
            ("- a\n\t- b\n", 4..5, "tabs"),
        ];
        for (source, span, message) in cases {
            let errors = Outline::parse(source).unwrap_err();
            assert_eq!(errors.len(), 1, "{source:?}");
            assert_eq!(errors[0].span, span, "{source:?}");
            assert!(
                errors[0].message.contains(message),
                "{source:?}: {}",
                errors[0].message
            );
        }
    }

    #[test]
    fn every_problem_is_reported() {
        let errors = Outline::parse("- a\n   - b\n- c\n - d\n").unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn source_round_trips() {
        let source = "- a <https://a.example>\n  - [x] **b** ``c`` https://d.example\n    - e\n- f\n";
        let outline = Outline::parse(source).unwrap();
        assert_eq!(outline.to_source(usize::MAX), source);
        assert_eq!(outline.to_source(1), "- a <https://a.example>\n- f\n");
    }

    #[test]
    fn links_in_a_sentence_and_literal_blocks_round_trip() {
        let source = "- see `a b <https://a.example>`_ now::\n\n    tree/\n\n      x\n\n  - child\n";
        let outline = Outline::parse(source).unwrap();
        let item = &outline.items[0];
        assert_eq!(
            item.text[1],
            Inline::Link {
                title: "a b".into(),
                url: "https://a.example".into()
            }
        );
        assert_eq!(item.literal, ["tree/", "", "  x"]);
        assert_eq!(item.children.len(), 1);
        assert_eq!(Outline::parse(&outline.to_source(MAX_DEPTH)).unwrap(), outline);
    }

    #[test]
    fn depth_is_capped() {
        let deep: String = (0..6).map(|d| format!("{}- x\n", "  ".repeat(d))).collect();
        assert_eq!(Outline::parse(&deep).unwrap().count(), 6);
        let deeper = format!("{deep}{}- y\n", "  ".repeat(6));
        assert!(
            Outline::parse(&deeper).unwrap_err()[0]
                .message
                .contains("at most 6")
        );
    }
}
