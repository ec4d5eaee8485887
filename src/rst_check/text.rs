//! Markup in event text (notes, agenda) that would escape its place on the page: inline markup
//! that reStructuredText cannot close, directives that read files or pass raw output, and
//! masked links whose text names another URL than their target. Each problem is a byte range
//! of the text, for `check` to locate in the file.

use std::ops::Range;

use crate::rst_check;

/// Directives that read a file or a URL, or put raw output on the page. `csv-table` only with
/// `:file:` or `:url:`; `role` only when it derives a role from `raw`.
const DANGEROUS: &[&str] = &["include", "raw", "literalinclude"];
const READS_WITH_OPTIONS: &[&str] = &["csv-table", "list-table", "table", "code", "code-block"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextProblem {
    pub span: Range<usize>,
    pub warning: bool,
    pub message: String,
    pub help: String,
}

/// Every problem of one event text; `allowed` are the directives the series allows.
pub fn check(text: &str, allowed: &[String]) -> Vec<TextProblem> {
    if !may_hold_markup(text) {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = line_offsets(text);
    let mut found = Vec::new();
    for (index, &(offset, line)) in lines.iter().enumerate() {
        // Most lines hold no markup at all: vectorised searches skip them.
        let bytes = line.as_bytes();
        let marks = memchr::memchr2(b'*', b'`', bytes).is_some();
        let angle = memchr::memchr(b'<', bytes).is_some();
        let colons = memchr::memchr_iter(b':', bytes).any(|at| bytes.get(at + 1) == Some(&b':'));
        if colons && let Some(problem) = directive(&lines[index..], allowed) {
            found.push(problem);
            continue;
        }
        if !marks && !angle {
            continue;
        }
        let (content_start, content) = inline_part(line);
        let spans = if marks { marked_spans(content) } else { Vec::new() };
        for (span, start, inner) in spans {
            if inner.is_empty()
                || inner.starts_with(char::is_whitespace)
                || inner.ends_with(char::is_whitespace)
            {
                let shown = &content[span.clone()];
                let delimiters = match start {
                    "``" => "double backquotes",
                    _ => "double asterisks",
                };
                found.push(TextProblem {
                    span: offset + content_start + span.start..offset + content_start + span.end,
                    warning: false,
                    message: format!(
                        "{shown} does not close in reStructuredText: the text between the {delimiters} \
                         is empty or starts or ends with a space"
                    ),
                    help: format!("remove the spaces just inside the {delimiters}, or move them outside"),
                });
            }
        }
        if angle && let Some(problem) = masked_link(content) {
            let span = offset + content_start..offset + line.len();
            found.push(TextProblem { span, ..problem });
        }
    }
    found
}

/// Every problem starts at `*`, `` ` ``, a named link's `<` or a directive's `::`: text with
/// none of them (most notes and agendas) is clean. Each byte search is a `memchr`.
fn may_hold_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    if [b'*', b'`', b'<'].iter().any(|b| bytes.contains(b)) {
        return true;
    }
    let mut rest = text;
    while let Some(at) = rest.find(':') {
        rest = &rest[at + 1..];
        if rest.starts_with(':') {
            return true;
        }
    }
    false
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    crate::lines::inclusive(text)
        .map(|raw| {
            let start = offset;
            offset += raw.len();
            (start, crate::lines::trim_newline(raw))
        })
        .collect()
}

/// The part of a line that holds inline markup: after a list marker, a checkbox, heading
/// hashes or a field name.
fn inline_part(line: &str) -> (usize, &str) {
    let trimmed = line.trim_start();
    let mut start = line.len() - trimmed.len();
    let mut rest = trimmed;
    for prefix in ["- [x] ", "- [X] ", "- [ ] ", "- ", "#### ", "### ", "## ", "# "] {
        if let Some(after) = rest.strip_prefix(prefix) {
            start += prefix.len();
            rest = after;
            break;
        }
    }
    if let Some(field) = rest.strip_prefix(':')
        && let Some(end) = field.find(": ")
    {
        start += end + 3;
        rest = &field[end + 2..];
    }
    (start, rest)
}

/// `**bold**` and ``` ``literal`` ``` of one line as tsudoi reads them: (span, delimiter, inside).
fn marked_spans(text: &str) -> Vec<(Range<usize>, &'static str, &str)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let delimiter = ["**", "``"].into_iter().find(|d| rest.starts_with(d));
        if let Some(delimiter) = delimiter {
            let Some(end) = rest[2..].find(delimiter) else {
                break;
            };
            spans.push((i..i + end + 4, delimiter, &rest[2..2 + end]));
            i += end + 4;
        } else if rest.starts_with("http://") || rest.starts_with("https://") {
            i += rest.find(char::is_whitespace).unwrap_or(rest.len());
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    spans
}

/// A directive the series does not allow, at the first of `lines`.
fn directive(lines: &[(usize, &str)], allowed: &[String]) -> Option<TextProblem> {
    let (offset, line) = lines[0];
    // A list item's or a field's body is read as blocks too: `- .. include:: x` includes.
    let (content_start, content) = inline_part(line);
    let (indent, name) = match rst_check::directive_name(line.trim_start()) {
        Some(name) => (line.len() - line.trim_start().len(), name),
        None => (content_start, rst_check::directive_name(content)?),
    };
    let options: Vec<&str> = lines[1..]
        .iter()
        .map(|(_, l)| *l)
        .take_while(|l| l.len() - l.trim_start().len() > indent && !l.trim().is_empty())
        .map(str::trim_start)
        .collect();
    let reads_option = options
        .iter()
        .find(|o| o.starts_with(":file:") || o.starts_with(":url:") || o.starts_with(":source:"));
    let raw_role = name == "role" && line.contains("(raw)");
    let dangerous = DANGEROUS.contains(&name)
        || raw_role
        || (READS_WITH_OPTIONS.contains(&name) && reads_option.is_some());
    if !dangerous || allowed.iter().any(|a| a == name) {
        return None;
    }
    let why = if name == "raw" || raw_role {
        "passes raw output to the page"
    } else {
        "reads a file or a URL when the page is built"
    };
    Some(TextProblem {
        span: offset + indent..offset + line.len(),
        warning: false,
        message: format!("the `{name}` directive {why}"),
        help: format!(
            "remove it; if this series really needs it, add `allow_rst_directives = [\"{name}\"]` under \
             [series] in tsudoi.toml"
        ),
    })
}

/// A named link `title <URL>` whose title looks like another URL than its target.
fn masked_link(content: &str) -> Option<TextProblem> {
    let open = content.rfind(" <http")?;
    let url = content[open + 2..].strip_suffix('>')?;
    let title = content[..open].trim();
    let looks_like_url = title.contains("://") || title.starts_with("www.") || is_domain(title);
    (looks_like_url && normal(title) != normal(url)).then(|| TextProblem {
        span: 0..0,
        warning: true,
        message: format!("the link text `{title}` looks like a URL but the link goes to {url}"),
        help: "make the text name the link's real target, or write the URL alone".into(),
    })
}

fn is_domain(text: &str) -> bool {
    let host = text.split('/').next().unwrap_or_default();
    host.contains('.')
        && !host.contains(char::is_whitespace)
        && host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

fn normal(url: &str) -> String {
    let url = url.trim().to_lowercase();
    let url = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    url.trim_start_matches("www.").trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str, allowed: &[&str]) -> Vec<(Range<usize>, bool, String)> {
        let allowed: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
        check(text, &allowed)
            .into_iter()
            .map(|p| (p.span, p.warning, p.message))
            .collect()
    }

    #[test]
    fn clean_text_passes() {
        let text = "今回は ``docker run`` と **太字** です。\n\n- a <https://a.example>\n  - https://a.example <https://a.example/>\n.. image:: https://i.example/x.png\n";
        assert_eq!(messages(text, &[]), vec![]);
    }

    #[test]
    fn markup_that_cannot_close_is_located() {
        let found = messages("a\nまず ``docker run `` を\n- **x **\n", &[]);
        assert_eq!(found.len(), 2, "{found:?}");
        let text = "a\nまず ``docker run `` を\n- **x **\n";
        assert_eq!(&text[found[0].0.clone()], "``docker run ``");
        assert!(found[0].2.contains("``docker run ``"), "{}", found[0].2);
        assert_eq!(&text[found[1].0.clone()], "**x **");
    }

    #[test]
    fn file_reading_and_raw_directives_are_errors_unless_allowed() {
        let source = "- 項目\n  - .. include:: /etc/passwd\n:欄: .. raw:: html\n";
        let nested = messages(source, &[]);
        assert_eq!(nested.len(), 2, "{nested:?}");
        assert_eq!(&source[nested[0].0.clone()], ".. include:: /etc/passwd");
        let text = ".. include:: /etc/passwd\n\n.. raw:: html\n\n   <script>\n\n.. csv-table:: t\n   :file: /etc/passwd\n\n.. csv-table:: t\n\n   a,b\n\n.. note:: fine\n\n.. role:: x(raw)\n";
        let found = messages(text, &[]);
        let names: Vec<&str> = found.iter().map(|f| f.2.split('`').nth(1).unwrap()).collect();
        assert_eq!(names, ["include", "raw", "csv-table", "role"]);
        assert_eq!(found[0].0, 0..24);
        let allowed = messages(text, &["raw", "include", "csv-table", "role"]);
        assert!(allowed.iter().all(|f| !f.2.starts_with("the `")), "{allowed:?}");
    }

    #[test]
    fn a_url_shaped_link_text_to_another_target_is_a_warning() {
        let found = messages("- https://good.example <https://evil.example>\n", &[]);
        assert_eq!(found.len(), 1);
        assert!(found[0].1);
        assert_eq!(
            messages("- good.example/page <https://good.example/page>\n", &[]),
            vec![]
        );
        assert_eq!(messages("- Release notes <https://evil.example>\n", &[]), vec![]);
        assert_eq!(
            messages("- www.good.example <https://evil.example>\n", &[]).len(),
            1
        );
    }
}
