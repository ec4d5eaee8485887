//! Problems found in files, located as `path:line:col` with the source line and a caret.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::output::Paint;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where in a file a problem is: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    source_line: String,
    #[serde(skip)]
    caret_offset: usize,
    #[serde(skip)]
    caret_width: usize,
}

impl Location {
    /// Locate a byte range of `source`; the caret covers the range's part on its first line.
    pub fn of(source: &str, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let line_end = line_start + source[line_start..line_end].trim_end_matches('\r').len();
        let start = start.min(line_end);
        let before = &source[line_start..start];
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let (source_line, caret_offset, caret_width) =
            shown_line(before, &source[start..end], &source[end..line_end]);
        Self {
            line,
            column: before.chars().count() + 1,
            caret_offset,
            caret_width,
            source_line,
        }
    }
}

/// The widest source line a diagnostic shows, in terminal columns.
const MAX_LINE_WIDTH: usize = 200;

/// A line as a terminal shows it safely: control characters escaped (a file must not move the
/// cursor or recolor the terminal), cut to `MAX_LINE_WIDTH` columns around the caret. The
/// caret's offset and width, in columns of the shown line.
fn shown_line(before: &str, covered: &str, after: &str) -> (String, usize, usize) {
    let (before, covered, after) = (escape(before), escape(covered), escape(after));
    let offset = before.width();
    let width = covered.width().max(1);
    let line = format!("{before}{covered}{after}");
    let total = line.width();
    if total <= MAX_LINE_WIDTH {
        return (line, offset, width);
    }
    // Far to the right, the caret keeps a third of the room before it.
    let from = if offset + width.min(MAX_LINE_WIDTH / 2) < MAX_LINE_WIDTH - 1 {
        0
    } else {
        offset - MAX_LINE_WIDTH / 3
    };
    let lead = usize::from(from > 0);
    let room = MAX_LINE_WIDTH - lead - 1;
    let (mut kept, mut first, mut last, mut column) = (String::new(), None, from, 0);
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if column >= from && column + w <= from + room {
            first.get_or_insert(column);
            kept.push(c);
            last = column + w;
        }
        column += w;
    }
    let first = first.unwrap_or(from);
    let shown = format!(
        "{}{kept}{}",
        if lead == 1 { "…" } else { "" },
        if last < total { "…" } else { "" }
    );
    let caret_offset = offset.saturating_sub(first) + lead;
    let caret_width = width.min(last.saturating_sub(offset)).max(1);
    (shown, caret_offset, caret_width)
}

/// Control and bidirectional-override characters as escapes (`\u{1b}`); a tab as spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() || bidi => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.to_path_buf(),
            location: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(path: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, message)
        }
    }

    pub fn at(mut self, source: &str, span: Range<usize>) -> Self {
        self.location = Some(Location::of(source, span));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The whole diagnostic for a terminal: headline, source line, caret, help.
    pub fn render(&self, paint: Paint) -> String {
        let mut text = self.path.display().to_string();
        if let Some(location) = &self.location {
            let _ = write!(text, ":{}:{}", location.line, location.column);
        }
        let label = match self.severity {
            Severity::Error => paint.error("error"),
            Severity::Warning => paint.warning("warning"),
        };
        let mut out = format!("{}: {label}: {}\n", paint.bold(&text), self.message);
        if let Some(location) = &self.location {
            let gutter = location.line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{gutter} | {}", location.source_line);
            let caret = "^".repeat(location.caret_width);
            let marker = match self.severity {
                Severity::Error => paint.error(&caret),
                Severity::Warning => paint.warning(&caret),
            };
            let _ = writeln!(out, "{pad} | {}{marker}", " ".repeat(location.caret_offset));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns_in_characters() {
        let source = "date = \"2026-02-30\"\ntitle = \"時雨堂\"\nstrat = \"15:00\"\n";
        let at = Location::of(source, 40..45);
        assert_eq!((at.line, at.column), (3, 1));
        assert_eq!(at.source_line, "strat = \"15:00\"");
        let wide = Location::of(source, 29..38);
        assert_eq!((wide.line, wide.column, wide.caret_offset), (2, 10, 9));
        assert_eq!(wide.caret_width, 6);
    }

    #[test]
    fn renders_source_line_and_caret() {
        let source = "date = \"2026-02-30\"\n";
        let diag = Diagnostic::error(Path::new("events/2026-02-30.toml"), "no such date")
            .at(source, 7..19)
            .help("February 2026 has 28 days");
        assert_eq!(
            diag.render(Paint::plain()),
            "events/2026-02-30.toml:1:8: error: no such date\n  |\n1 | date = \"2026-02-30\"\n  |        ^^^^^^^^^^^^\n  = help: February 2026 has 28 days\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret_and_controls_escaped() {
        let source = format!("notes = \"{}\u{1b}[31m{}\"\n", "a".repeat(300), "b".repeat(300));
        let at = source.find('\u{1b}').unwrap();
        let diag = Diagnostic::error(Path::new("e.toml"), "control character").at(&source, at..at + 1);
        let text = diag.render(Paint::plain());
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[2].strip_prefix("1 | ").unwrap();
        let caret = lines[3].strip_prefix("  | ").unwrap();
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(shown.width() <= MAX_LINE_WIDTH, "{}", shown.width());
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        let column = caret.find('^').unwrap();
        let under: String = shown.chars().skip(column).take(caret.trim().len()).collect();
        assert_eq!(under, "\\u{1b}");
        assert_eq!(diag.location.as_ref().unwrap().column, 310);
    }

    #[test]
    fn a_long_line_with_the_caret_near_its_start_keeps_the_start() {
        let source = format!("x = 1 {}\n", "wide時雨".repeat(60));
        let at = Location::of(&source, 4..5);
        assert_eq!((at.caret_offset, at.caret_width), (4, 1));
        assert!(at.source_line.ends_with('…') && at.source_line.width() <= MAX_LINE_WIDTH);
    }

    #[test]
    fn a_span_past_the_end_points_at_the_end() {
        let at = Location::of("a = 1", 10..12);
        assert_eq!((at.line, at.column), (1, 6));
    }
}
