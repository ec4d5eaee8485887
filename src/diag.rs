//! Problems found in files, located as `path:line:col` with the source line and a caret.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

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
        let source_line = source[line_start..line_end].trim_end_matches('\r').to_string();
        let before = &source[line_start..start];
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let covered = &source[start..end];
        Self {
            line,
            column: before.chars().count() + 1,
            caret_offset: before.width(),
            caret_width: covered.width().max(1),
            source_line,
        }
    }
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

    /// The header line alone: `path:line:col: error: message`.
    pub fn headline(&self) -> String {
        let mut text = self.path.display().to_string();
        if let Some(location) = &self.location {
            let _ = write!(text, ":{}:{}", location.line, location.column);
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("{text}: {label}: {}", self.message)
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
    fn a_span_past_the_end_points_at_the_end() {
        let at = Location::of("a = 1", 10..12);
        assert_eq!((at.line, at.column), (1, 6));
    }
}
