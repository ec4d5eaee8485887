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
use std::sync::Arc;

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
        marker(self.checked)
    }
}

impl Inline {
    pub fn as_piece(&self) -> Piece<'_> {
        match self {
            Self::Text { text } => Piece::Text(text),
            Self::Link { title, url } => Piece::Link { title, url },
            Self::Url { url } => Piece::Url(url),
            Self::Bold { text } => Piece::Bold(text),
            Self::Literal { text } => Piece::Literal(text),
        }
    }
}

impl Piece<'_> {
    /// `alone`: the inline is the whole line, where a named link is written `title <URL>`;
    /// inside a sentence it is `` `title <URL>`_ ``.
    fn write_source(self, alone: bool, out: &mut String) {
        match self {
            Self::Text(text) | Self::Url(text) => out.push_str(text),
            Self::Link { title, url } => {
                if !alone {
                    out.push('`');
                }
                out.push_str(title);
                out.push_str(" <");
                out.push_str(url);
                out.push_str(if alone { ">" } else { ">`_" });
            }
            Self::Bold(text) => {
                out.push_str("**");
                out.push_str(text);
                out.push_str("**");
            }
            Self::Literal(text) => {
                out.push_str("``");
                out.push_str(text);
                out.push_str("``");
            }
        }
    }
}

/// An event's agenda, checked: kept as the source the outline writes back
/// ([`Outline::to_source`]), a few kilobytes, with its items found as a flat [`List`] rather
/// than a tree. Both are made in the one pass that checks the file's text, on the core that
/// read the file: a page shows the agenda from this list without reading it again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    list: Arc<List>,
}

impl Agenda {
    /// Check `text` and write it as [`Outline::to_source`] would, without building the tree.
    pub fn parse(text: &str) -> Result<Self, Vec<OutlineError>> {
        let mut out = String::with_capacity(text.len());
        let mut items: Vec<FlatItem> = Vec::with_capacity(crate::lines::count(text));
        let mut level = 0;
        // The literal block of the item last written, flushed before what follows it.
        let mut literal: Vec<&str> = Vec::new();
        let errors = scan(text, |line| {
            match line {
                Line::Item(ItemLine {
                    depth,
                    checked,
                    text,
                    text_start,
                }) => {
                    flush_literal(&mut literal, level, &mut out, &mut items);
                    let mark = out.len();
                    indent(depth, &mut out);
                    out.push_str("- ");
                    out.push_str(marker(checked));
                    let text_at = out.len();
                    // The first piece waits: a named link alone on its line is written bare.
                    let mut first = None;
                    let mut more = false;
                    let read = pieces(text, |piece| match first.take() {
                        None if !more => first = Some(piece),
                        held => {
                            if let Some(held) = held {
                                held.write_source(false, &mut out);
                            }
                            more = true;
                            piece.write_source(false, &mut out);
                        }
                    });
                    if let Err(error) = read {
                        out.truncate(mark);
                        return Err(shifted(error, text_start));
                    }
                    if let Some(first) = first {
                        first.write_source(true, &mut out);
                    }
                    items.push(FlatItem::new(depth, checked, text_at..out.len()));
                    out.push('\n');
                    level = depth;
                }
                Line::Literal(line) => literal.push(line),
                Line::Image(url) => {
                    flush_literal(&mut literal, level, &mut out, &mut items);
                    write_image(url, level, &mut out);
                    if let Some(item) = items.last_mut() {
                        item.add_image(url);
                    }
                }
            }
            Ok(())
        });
        flush_literal(&mut literal, level, &mut out, &mut items);
        if errors.is_empty() {
            Ok(Self {
                list: Arc::new(List { source: out, items }),
            })
        } else {
            Err(errors)
        }
    }

    /// The agenda as tsudoi markup, every level.
    pub fn source(&self) -> &str {
        &self.list.source
    }

    /// The agenda's items, as a page writes them: the list [`List::parse`] would read from
    /// [`Agenda::source`].
    pub fn list(&self) -> &Arc<List> {
        &self.list
    }

    /// The tree of items, for a caller that walks it.
    pub fn outline(&self) -> Outline {
        Outline::parse(self.source()).expect("an agenda is checked when it is read")
    }

    /// The agenda as source, down to `depth` levels (1 = top-level items only).
    pub fn to_source(&self, depth: usize) -> String {
        if depth >= MAX_DEPTH {
            self.source().to_string()
        } else {
            self.outline().to_source(depth)
        }
    }

    /// Items at every depth.
    pub fn count(&self) -> usize {
        self.list.items.len()
    }
}

impl Serialize for Agenda {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.outline().serialize(serializer)
    }
}

/// A list in the outline syntax, checked and kept flat: each item's depth and where its text
/// is, no tree and no copy of the text per item. The rst page writes its lists from this as
/// they come; a writer that walks a tree asks for [`List::outline`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct List {
    source: String,
    items: Vec<FlatItem>,
}

/// One item of a [`List`], in order: 40 bytes, as most items have nothing under them (an
/// agenda of a hundred items is held for every held event a page lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatItem {
    pub depth: usize,
    pub checked: Option<bool>,
    /// Where the item's text is in the list's source.
    text: Range<usize>,
    under: Option<Box<Under>>,
}

/// What a few items have under them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Under {
    /// The literal block, dedented.
    literal: Vec<String>,
    images: Vec<String>,
}

impl FlatItem {
    fn new(depth: usize, checked: Option<bool>, text: Range<usize>) -> Self {
        Self {
            depth,
            checked,
            text,
            under: None,
        }
    }

    pub fn marker(&self) -> &'static str {
        marker(self.checked)
    }

    /// The literal block under the item, dedented.
    pub fn literal(&self) -> &[String] {
        self.under.as_ref().map_or(&[], |under| &under.literal)
    }

    pub fn images(&self) -> &[String] {
        self.under.as_ref().map_or(&[], |under| &under.images)
    }

    fn set_literal(&mut self, block: Vec<String>) {
        if !block.is_empty() || self.under.is_some() {
            self.under.get_or_insert_default().literal = block;
        }
    }

    fn add_image(&mut self, url: &str) {
        self.under.get_or_insert_default().images.push(url.to_string());
    }
}

impl List {
    /// The list, or its problems with the source handed back for locating them.
    pub fn parse(source: String) -> Result<Self, (Vec<OutlineError>, String)> {
        let mut items: Vec<FlatItem> = Vec::new();
        let mut literal: Vec<&str> = Vec::new();
        let base = source.as_ptr() as usize;
        let close = |items: &mut Vec<FlatItem>, literal: &mut Vec<&str>| {
            if let Some(item) = items.last_mut().filter(|_| !literal.is_empty()) {
                item.set_literal(dedent(literal.drain(..).map(str::to_string).collect()));
            }
        };
        let errors = scan(&source, |line| {
            match line {
                Line::Item(ItemLine {
                    depth,
                    checked,
                    text,
                    text_start,
                }) => {
                    pieces(text, |_| {}).map_err(|e| shifted(e, text_start))?;
                    close(&mut items, &mut literal);
                    let at = text.as_ptr() as usize - base;
                    items.push(FlatItem::new(depth, checked, at..at + text.len()));
                }
                Line::Literal(line) => literal.push(line),
                Line::Image(url) => {
                    close(&mut items, &mut literal);
                    if let Some(item) = items.last_mut() {
                        item.add_image(url);
                    }
                }
            }
            Ok(())
        });
        close(&mut items, &mut literal);
        drop(literal);
        if errors.is_empty() {
            Ok(Self { source, items })
        } else {
            Err((errors, source))
        }
    }

    pub fn items(&self) -> &[FlatItem] {
        &self.items
    }

    /// An item's text, as inline markup.
    pub fn text(&self, item: &FlatItem) -> &str {
        &self.source[item.text.clone()]
    }

    /// The list as a tree of items.
    pub fn outline(&self) -> Outline {
        Outline::parse(&self.source).expect("a list is checked when it is read")
    }
}

/// `[x] ` / `[ ] ` for a checklist item, as every format writes it.
fn marker(checked: Option<bool>) -> &'static str {
    match checked {
        Some(true) => "[x] ",
        Some(false) => "[ ] ",
        None => "",
    }
}

/// An image under an item at `level`, at the item's content column.
fn write_image(url: &str, level: usize, out: &mut String) {
    indent(level + 1, out);
    out.push_str(".. image:: ");
    out.push_str(url);
    out.push('\n');
}

/// Two spaces per level, without a string made for each line.
fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// The literal block under the last item (at `level`), dedented and set off by blank lines,
/// as [`Outline::to_source`] writes it; the item keeps it, as [`List::parse`] would find it.
fn flush_literal(lines: &mut Vec<&str>, level: usize, out: &mut String, items: &mut [FlatItem]) {
    if lines.is_empty() {
        return;
    }
    let block = dedent(lines.drain(..).map(str::to_string).collect());
    write_literal(&block, level, out);
    if let Some(item) = items.last_mut() {
        item.set_literal(block);
    }
}

/// A dedented literal block under an item at `level`, set off by blank lines; nothing when it
/// is empty.
fn write_literal(block: &[String], level: usize, out: &mut String) {
    if block.is_empty() {
        return;
    }
    out.push('\n');
    for line in block {
        if !line.is_empty() {
            indent(level + 2, out);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push('\n');
}

/// A problem in the outline, as a byte range of the agenda text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineError {
    pub span: Range<usize>,
    pub message: String,
}

/// One line of an agenda as the scanner reads it.
enum Line<'a> {
    Item(ItemLine<'a>),
    /// A line of the literal block under the last item, as written (blank lines included).
    Literal(&'a str),
    /// `.. image:: URL` at the last item's content column.
    Image(&'a str),
}

/// An item line: its depth, checklist mark and text (trimmed at the end), with the text's
/// offset in the line for locating inline problems.
struct ItemLine<'a> {
    depth: usize,
    checked: Option<bool>,
    text: &'a str,
    text_start: usize,
}

/// Every line of `source`, in order, to `on_line`; a problem with the line's shape or one
/// `on_line` returns (located in the line) is collected and the scan goes on.
fn scan<'a>(
    source: &'a str,
    mut on_line: impl FnMut(Line<'a>) -> Result<(), OutlineError>,
) -> Vec<OutlineError> {
    let mut errors = Vec::new();
    let mut offset = 0;
    // The depth of the last item read.
    let mut previous: Option<usize> = None;
    // The indent of the item whose text ends in `::`: deeper lines are its literal block.
    let mut literal_under: Option<usize> = None;
    for raw in crate::lines::inclusive(source) {
        let line = crate::lines::trim_newline(raw);
        let start = offset;
        offset += raw.len();
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        // A visible ASCII character after the spaces (most lines): the line is not blank
        // and `trim_start` would stop there, so neither needs computing.
        let first = line.as_bytes().get(spaces).copied().filter(u8::is_ascii_graphic);
        let blank = first.is_none() && line.trim().is_empty();
        if let Some(indent) = literal_under {
            if blank || spaces > indent + 2 {
                if previous.is_some() {
                    // The caller's answer to a literal line is always `Ok`.
                    let _ = on_line(Line::Literal(line));
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
            && let Some(depth) = previous
            && line.len() - line.trim_start().len() == depth * 2 + 2
        {
            let _ = on_line(Line::Image(url.trim()));
            continue;
        }
        if line.trim_end().ends_with("::") {
            literal_under = Some(spaces);
        }
        let read = shape(line, spaces, previous).and_then(|item| {
            let depth = item.depth;
            on_line(Line::Item(item)).map(|()| depth)
        });
        match read {
            Ok(depth) => previous = Some(depth),
            Err(mut error) => {
                error.span = start + error.span.start..start + error.span.end;
                errors.push(error);
            }
        }
    }
    errors
}

impl Outline {
    pub fn parse(source: &str) -> Result<Self, Vec<OutlineError>> {
        let mut flat: Vec<(usize, Item)> = Vec::new();
        let errors = scan(source, |line| {
            match line {
                Line::Item(ItemLine {
                    depth,
                    checked,
                    text,
                    text_start,
                }) => {
                    let text = parse_inline(text).map_err(|e| shifted(e, text_start))?;
                    flat.push((
                        depth,
                        Item {
                            checked,
                            text,
                            children: Vec::new(),
                            literal: Vec::new(),
                            images: Vec::new(),
                        },
                    ));
                }
                Line::Literal(line) => {
                    if let Some((_, item)) = flat.last_mut() {
                        item.literal.push(line.to_string());
                    }
                }
                Line::Image(url) => {
                    if let Some((_, item)) = flat.last_mut() {
                        item.images.push(url.to_string());
                    }
                }
            }
            Ok(())
        });
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
        fn write(items: &[Item], level: usize, depth: usize, out: &mut String) {
            if level >= depth {
                return;
            }
            for item in items {
                indent(level, out);
                out.push_str("- ");
                out.push_str(item.marker());
                for inline in &item.text {
                    inline.as_piece().write_source(item.text.len() == 1, out);
                }
                out.push('\n');
                write_literal(&item.literal, level, out);
                for url in &item.images {
                    write_image(url, level, out);
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

/// An item line's depth, mark and text, or what is wrong with its shape.
/// `indent`: the spaces that start the line.
fn shape(line: &str, indent: usize, previous: Option<usize>) -> Result<ItemLine<'_>, OutlineError> {
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
    let text = text.trim_end();
    if text.trim_start().is_empty() {
        return Err(error(
            indent..line.len(),
            "empty agenda item; write its text after `- `",
        ));
    }
    Ok(ItemLine {
        depth,
        checked,
        text,
        text_start,
    })
}

/// `error`, located in a line rather than in the text that starts at `by` in it.
fn shifted(mut error: OutlineError, by: usize) -> OutlineError {
    error.span = by + error.span.start..by + error.span.end;
    error
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

/// An inline as a slice of the text it was read from: what the parser finds before anything
/// is copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link { title: &'a str, url: &'a str },
    Url(&'a str),
    Bold(&'a str),
    Literal(&'a str),
}

impl Piece<'_> {
    fn to_inline(self) -> Inline {
        match self {
            Self::Text(text) => Inline::Text { text: text.into() },
            Self::Link { title, url } => Inline::Link {
                title: title.into(),
                url: url.into(),
            },
            Self::Url(url) => Inline::Url { url: url.into() },
            Self::Bold(text) => Inline::Bold { text: text.into() },
            Self::Literal(text) => Inline::Literal { text: text.into() },
        }
    }
}

/// Inline markup of one item. A named link is the whole item: `title <URL>`.
pub fn parse_inline(text: &str) -> Result<Vec<Inline>, OutlineError> {
    let mut out = Vec::new();
    pieces(text, |piece| out.push(piece.to_inline()))?;
    Ok(out)
}

/// The inlines of `text`, in order, as slices of it.
pub fn pieces<'a>(text: &'a str, mut emit: impl FnMut(Piece<'a>)) -> Result<(), OutlineError> {
    if is_plain(text) {
        emit(Piece::Text(text));
        return Ok(());
    }
    if let Some(link) = named_link(text)? {
        emit(link);
        return Ok(());
    }
    // Plain text runs from `plain` to `i`: it is emitted when markup starts or at the end.
    let mut plain = 0;
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
            Some((Piece::Bold(&inner[..end]), 4 + end))
        } else if let Some(inner) = rest.strip_prefix("``") {
            let end = inner.find("``").ok_or_else(|| {
                error(
                    i..i + 2,
                    "`` `` `` opens literal text that is never closed; add the closing `` `` ``",
                )
            })?;
            Some((Piece::Literal(&inner[..end]), 4 + end))
        } else if let Some((link, width)) = inline_link(rest) {
            Some((link, width))
        } else if is_url_start(rest) && (i == 0 || !text[..i].ends_with(|c: char| c.is_alphanumeric())) {
            let end = url_end(rest);
            Some((Piece::Url(&rest[..end]), end))
        } else {
            None
        };
        match marked {
            Some((piece, width)) => {
                if plain < i {
                    emit(Piece::Text(&text[plain..i]));
                }
                emit(piece);
                i += width;
                plain = i;
            }
            None => {
                // Markup starts only at `*`, `` ` `` or the `h` of a URL: skip to the next.
                let next = i + rest.chars().next().map_or(1, char::len_utf8);
                i = text.as_bytes()[next..]
                    .iter()
                    .position(|b| matches!(b, b'*' | b'`' | b'h'))
                    .map_or(text.len(), |at| next + at);
            }
        }
    }
    if plain < text.len() {
        emit(Piece::Text(&text[plain..]));
    }
    Ok(())
}

/// Text in which nothing can start: no `*`, no `` ` ``, no URL (nor a named link, which holds
/// one). Most agenda items are such, and are one text inline.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    !text.is_empty()
        && memchr::memchr3_iter(b'*', b'`', b'h', bytes)
            .all(|at| bytes[at] == b'h' && !bytes[at..].starts_with(b"http"))
}

/// A named link in the middle of a sentence, written as rst writes it:
/// `` `title <https://...>`_ `` (or `__`). Anything else starting with a backquote is text.
fn inline_link(rest: &str) -> Option<(Piece<'_>, usize)> {
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
        Piece::Link {
            title: title.trim(),
            url,
        },
        width,
    ))
}

/// A bare URL runs to the next space, less a closing parenthesis it does not open: in
/// `(see https://a.example)` or `[x](https://a.example)` the `)` is the text's.
fn url_end(rest: &str) -> usize {
    // URLs are ASCII: their bytes are compared, and characters decoded only past one that is not.
    let ascii = rest
        .bytes()
        .position(|b| b.is_ascii_whitespace() || b == 0x0B || !b.is_ascii())
        .unwrap_or(rest.len());
    let end = match rest.as_bytes().get(ascii) {
        Some(b) if !b.is_ascii() => {
            ascii
                + rest[ascii..]
                    .find(char::is_whitespace)
                    .unwrap_or(rest.len() - ascii)
        }
        _ => ascii,
    };
    let mut url = &rest[..end];
    while url.ends_with(')') && url.matches(')').count() > url.matches('(').count() {
        url = &url[..url.len() - 1];
    }
    url.len()
}

fn named_link(text: &str) -> Result<Option<Piece<'_>>, OutlineError> {
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
    Ok(Some(Piece::Link {
        title: text[..open].trim(),
        url: inner,
    }))
}

/// `count` picks of fewer than `most` of `lines` each, at random but the same on every run (a
/// small linear congruential generator from `seed`): the agendas and lists the tests make.
#[cfg(test)]
pub(crate) fn random_picks<'a>(
    lines: &[&'a str],
    seed: u64,
    count: usize,
    most: u64,
) -> impl Iterator<Item = Vec<&'a str>> {
    let lines = lines.to_vec();
    let mut state = seed;
    (0..count).map(move |_| {
        let mut picked = Vec::new();
        for _ in 0..(state % most) {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            picked.push(lines[(state >> 33) as usize % lines.len()]);
        }
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
        picked
    })
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

    /// `Agenda::parse` writes what `Outline::parse` then `to_source` writes, and fails where it
    /// fails with the same problems; its items are what `List::parse` finds in what it wrote
    /// (the page writes them without reading the agenda again). On hand-picked agendas and on
    /// lines combined at random.
    #[test]
    fn an_agenda_is_the_outline_written_back() {
        let same = |text: &str| {
            let agenda = Agenda::parse(text);
            match Outline::parse(text) {
                Ok(outline) => {
                    let agenda = agenda.unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
                    assert_eq!(agenda.source(), outline.to_source(MAX_DEPTH), "{text:?}");
                    assert_eq!(agenda.count(), outline.count(), "{text:?}");
                    assert_eq!(agenda.outline(), outline, "{text:?}");
                    let read = List::parse(agenda.source().to_string()).unwrap();
                    assert_eq!(**agenda.list(), read, "{text:?}");
                }
                Err(errors) => assert_eq!(agenda.unwrap_err(), errors, "{text:?}"),
            }
        };
        let picked = [
            "",
            "- a\n  - b\n    - c\n  - d\n- e\n",
            "\n- a\n\n  - b\n\n- c",
            "- [X] done\n- [ ] todo\n- [y] text  \n",
            "- Title   <https://a.example>\n- see `a b <https://a.example>`_ now::\n\n    tree/\n\n      x\n\n  - child\n",
            "- `a <https://a.example>`_\n- **b** ``c`` https://d.example ok\n",
            "- a::\n\n      deep\n    less\n  .. image:: https://i.example/x.png \n  - b\n",
            "- a::\n\n\n- b\n  .. image:: https://i.example/y.png\n",
            "- a\n   - b\n- c\n - d\n",
            "- **bold\n  - x\n",
            "- Title <https://example.com\n",
        ];
        for text in picked {
            same(text);
        }
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
            "   - odd",
            "- ``code``",
            "  - https://u.example/(a))",
            "- ",
            "\t- tab",
            "- 雑談 ``a`` 日本",
        ];
        for picked in random_picks(&lines, 0x5eed, 5000, 9) {
            let text: String = picked.iter().map(|line| format!("{line}\n")).collect();
            same(&text);
        }
    }

    /// A bare URL ends where the first whitespace character does, ASCII or not.
    #[test]
    fn a_url_ends_at_any_whitespace() {
        let old = |rest: &str| {
            let mut url = &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())];
            while url.ends_with(')') && url.matches(')').count() > url.matches('(').count() {
                url = &url[..url.len() - 1];
            }
            url.len()
        };
        for rest in [
            "https://a.example",
            "https://a.example/x y",
            "https://a.example/日本\u{3000}語",
            "https://a.example/日本語 x",
            "https://a.example/\u{a0}x",
            "https://a.example/(a))",
            "https://a.example/x\u{0B}y",
            "https://a.example/x\ty",
        ] {
            assert_eq!(url_end(rest), old(rest), "{rest:?}");
        }
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
