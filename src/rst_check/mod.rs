//! What makes a page invalid reStructuredText, checked without docutils: a section underline
//! narrower than its title (East Asian wide characters count two columns), a list, field list
//! or directive that is not set apart by blank lines, and inline markup that does not close
//! under the spec's inline markup recognition rules. Also lists every directive, so `check`
//! can refuse the ones that read files or pass raw output.
//!
//! Pure: a page in, its problems out, each at a 1-based line and column (in characters).

pub(crate) mod text;

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A section title's underline (or overline) is narrower than the title.
    ShortUnderline { title_width: usize, rule_width: usize },
    /// A list, field list or explicit markup block touches the text around it.
    NoBlankLine { block: &'static str },
    /// Inline markup that opens here and never closes: `**`, `*`, ``` `` ```, `` ` ``.
    Unclosed { start: String },
    /// A directive, `.. name::` (or `.. |sub| name::`), with its option names.
    Directive { name: String, options: Vec<String> },
}

impl Problem {
    /// Words for a person; `None` for a directive, which is only a problem by policy.
    pub fn message(&self) -> Option<String> {
        Some(match &self.kind {
            Kind::ShortUnderline {
                title_width,
                rule_width,
            } => format!("the title is {title_width} columns wide but its underline only {rule_width}"),
            Kind::NoBlankLine { block } => format!("a {block} needs a blank line before and after it"),
            Kind::Unclosed { start } => format!(
                "`{start}` opens inline markup that never closes (the closing `{start}` must follow \
                 text directly and be followed by a space or punctuation)"
            ),
            Kind::Directive { .. } => return None,
        })
    }
}

/// Every problem of `page`, in order.
pub fn check(page: &str) -> Vec<Problem> {
    let mut lines = Vec::with_capacity(crate::lines::count(page));
    lines.extend(crate::lines::lines(page));
    let mut problems = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if blank(lines[i]) {
            i += 1;
            continue;
        }
        if let Some(end) = section(&lines, i, &mut problems) {
            i = end;
            continue;
        }
        let kind = block_kind(crate::lines::trim_start(lines[i]));
        let end = match kind {
            Some("directive") => directive_block(&lines, i, &mut problems),
            Some(_) => items(&lines, i, &mut problems),
            None => paragraph(&lines, i, &mut problems),
        };
        if let Some(block) = kind {
            set_apart(&lines, i..end, block, &mut problems);
        }
        i = end.max(i + 1);
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

/// A directive and its indented body; the index after it.
fn directive_block(lines: &[&str], i: usize, problems: &mut Vec<Problem>) -> usize {
    directive(lines, i, problems);
    let indent = indent_of(lines[i]);
    let mut end = i + 1;
    while end < lines.len() && (blank(lines[end]) || indent_of(lines[end]) > indent) {
        end += 1;
    }
    while end > i + 1 && blank(lines[end - 1]) {
        end -= 1;
    }
    end
}

/// List items (or fields) of one kind at one indent, each with its deeper continuation lines.
fn items(lines: &[&str], i: usize, problems: &mut Vec<Problem>) -> usize {
    let indent = indent_of(lines[i]);
    let kind = block_kind(crate::lines::trim_start(lines[i]));
    inline(&lines[i..=i], i, problems);
    let mut end = i + 1;
    while let Some(line) = lines.get(end).filter(|l| !blank(l)) {
        let sibling = indent_of(line) == indent && block_kind(crate::lines::trim_start(line)) == kind;
        if !sibling && indent_of(line) <= indent {
            break;
        }
        if sibling {
            inline(&lines[end..=end], end, problems);
        }
        end += 1;
    }
    end
}

/// A paragraph, and the literal block a trailing `::` introduces.
fn paragraph(lines: &[&str], i: usize, problems: &mut Vec<Problem>) -> usize {
    let indent = indent_of(lines[i]);
    let mut end = i + 1;
    while lines
        .get(end)
        .is_some_and(|l| !blank(l) && block_kind(crate::lines::trim_start(l)).is_none())
    {
        end += 1;
    }
    inline(&lines[i..end], i, problems);
    if lines[i..end].iter().any(|l| l.trim_end().ends_with("::")) {
        // The indented literal block that follows is not markup.
        while end < lines.len() && (blank(lines[end]) || indent_of(lines[end]) > indent) {
            end += 1;
        }
    }
    end
}

/// A block must not touch the text before or after it at its own indent or less.
fn set_apart(lines: &[&str], block: std::ops::Range<usize>, name: &'static str, problems: &mut Vec<Problem>) {
    let indent = indent_of(lines[block.start]);
    let kind = block_kind(crate::lines::trim_start(lines[block.start]));
    let touches = |l: &&str| !blank(l) && indent_of(l) <= indent;
    let before = block.start.checked_sub(1).filter(|&b| touches(&lines[b]));
    let after = Some(block.end).filter(|&a| {
        lines
            .get(a)
            .is_some_and(|l| touches(l) && block_kind(crate::lines::trim_start(l)) != kind)
    });
    if let Some(line) = before.map(|_| block.start).or(after) {
        problems.push(Problem {
            line: line + 1,
            column: indent + 1,
            kind: Kind::NoBlankLine { block: name },
        });
    }
}

/// Only whitespace. After the indent, nearly every line has a visible ASCII character, which
/// settles it without decoding characters.
fn blank(line: &str) -> bool {
    let bytes = line.as_bytes();
    match bytes.iter().find(|&&b| b != b' ' && b != b'\t') {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => line.trim().is_empty(),
    }
}

/// The spaces that start `line`.
fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// A bullet list item, a field, or explicit markup (a directive, a comment, a target).
fn block_kind(line: &str) -> Option<&'static str> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) || ["-", "*", "+"].contains(&line) {
        Some("list")
    } else if line.starts_with(':') && line[1..].find(": ").is_some_and(|i| i > 0) {
        Some("field list")
    } else if line.starts_with(".. ") || line == ".." {
        Some("directive")
    } else {
        None
    }
}

/// Two or more of one ASCII punctuation character. Bytes suffice: a character of several
/// bytes has none equal to an ASCII one. (Most lines of a page are list items, which start with
/// punctuation: counting their characters was a fifth of the check.)
fn is_adornment(line: &str) -> bool {
    let bytes = line.trim_end().as_bytes();
    let Some(&first) = bytes.first() else { return false };
    first.is_ascii_punctuation() && bytes.len() >= 2 && bytes.iter().all(|&b| b == first)
}

/// A section title at `i` (with an underline, maybe an overline); the line after it.
fn section(lines: &[&str], i: usize, problems: &mut Vec<Problem>) -> Option<usize> {
    let (overline, title, title_at) =
        if is_adornment(lines[i]) && lines.len() > i + 2 && is_adornment(lines[i + 2]) {
            (Some(lines[i]), lines[i + 1], i + 1)
        } else {
            (None, lines[i], i)
        };
    let underline = *lines.get(title_at + 1)?;
    let plausible = !blank(title)
        && indent_of(title) == 0
        && is_adornment(underline)
        && block_kind(title).is_none()
        && (overline.is_some()
            || underline.trim_end().len() >= 4
            || underline.trim_end().len() >= title.width());
    if !plausible {
        return None;
    }
    let title_width = title.trim_end().width();
    for (rule, at) in [(Some(underline), title_at + 1), (overline, i)] {
        let Some(rule) = rule else { continue };
        let rule_width = rule.trim_end().len();
        if rule_width < title_width {
            problems.push(Problem {
                line: at + 1,
                column: 1,
                kind: Kind::ShortUnderline {
                    title_width,
                    rule_width,
                },
            });
        }
    }
    inline(&lines[title_at..title_at + 1], title_at, problems);
    Some(title_at + 2)
}

fn directive(lines: &[&str], i: usize, problems: &mut Vec<Problem>) {
    let line = lines[i];
    let indent = indent_of(line);
    let Some(name) = directive_name(crate::lines::trim_start(line)) else {
        return;
    };
    let options = lines[i + 1..]
        .iter()
        .take_while(|l| indent_of(l) > indent && !blank(l))
        .filter_map(|l| {
            let rest = crate::lines::trim_start(l).strip_prefix(':')?;
            Some(rest[..rest.find(':')?].to_string())
        })
        .collect();
    problems.push(Problem {
        line: i + 1,
        column: indent + 1,
        kind: Kind::Directive {
            name: name.to_string(),
            options,
        },
    });
}

/// `include` of `.. include:: x`, also of `.. |sub| raw:: html`.
pub fn directive_name(line: &str) -> Option<&str> {
    let mut rest = line.strip_prefix("..")?.trim_start();
    if let Some(after) = rest.strip_prefix('|') {
        rest = after[after.find('|')? + 1..].trim_start();
    }
    let end = rest.find("::")?;
    let name = &rest[..end];
    let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || "-_+.:".contains(c));
    valid.then_some(name)
}

/// Inline markup of one text block (`lines` starting at line index `first`).
fn inline(lines: &[&str], first: usize, problems: &mut Vec<Problem>) {
    // Every start-string begins with `*` or `` ` ``: most lines of a page have neither.
    if !lines
        .iter()
        .any(|l| memchr::memchr2(b'*', b'`', l.as_bytes()).is_some())
    {
        return;
    }
    let text: Vec<char> = lines.join("\n").chars().collect();
    let mut i = 0;
    while i < text.len() {
        if text[i] == '\\' {
            i += 2;
            continue;
        }
        let Some(start) = start_string(&text, i) else {
            i += 1;
            continue;
        };
        let open = start.chars().count();
        match find_end(&text, i + open, start) {
            Some(end) => i = end,
            None => {
                let (line, column) = position(&text, i);
                problems.push(Problem {
                    line: first + line + 1,
                    column: column + 1,
                    kind: Kind::Unclosed {
                        start: start.to_string(),
                    },
                });
                i += open;
            }
        }
    }
}

fn position(text: &[char], at: usize) -> (usize, usize) {
    let line = text[..at].iter().filter(|c| **c == '\n').count();
    let column = text[..at].iter().rev().take_while(|c| **c != '\n').count();
    (line, column)
}

/// The inline markup start-string at `i`, when the recognition rules make it one.
fn start_string(text: &[char], i: usize) -> Option<&'static str> {
    let start = if text[i..].starts_with(&['*', '*']) {
        "**"
    } else if text[i..].starts_with(&['`', '`']) {
        "``"
    } else if text[i] == '*' {
        "*"
    } else if text[i] == '`' {
        "`"
    } else {
        return None;
    };
    let len = start.len();
    let before = i.checked_sub(1).map(|j| text[j]);
    let after = text.get(i + len).copied();
    // Rule 1: followed by non-whitespace; rule 3: preceded by start, whitespace or an opener.
    let opens = after.is_some_and(|a| !a.is_whitespace())
        && before.is_none_or(|b| b.is_whitespace() || opens_markup(b));
    // Rule 5: not quoted like '*' or (*).
    let quoted = matches!(
        (before, after),
        (Some('\''), Some('\''))
            | (Some('"'), Some('"'))
            | (Some('('), Some(')'))
            | (Some('['), Some(']'))
            | (Some('{'), Some('}'))
            | (Some('<'), Some('>'))
    );
    (opens && !quoted).then_some(start)
}

/// Where the markup opened by `start` ends (the index after its end-string), if it does.
fn find_end(text: &[char], from: usize, start: &str) -> Option<usize> {
    let end: Vec<char> = start.chars().collect();
    let mut j = from;
    while j + end.len() <= text.len() {
        if start != "``" && text[j] == '\\' {
            j += 2;
            continue;
        }
        if text[j..].starts_with(&end) && j > from {
            let before = text[j - 1];
            let mut after_at = j + end.len();
            if start == "`" {
                // A reference: `title <url>`_ or `title`__.
                while after_at < text.len() && text[after_at] == '_' && after_at < j + 3 {
                    after_at += 1;
                }
            }
            let after = text.get(after_at).copied();
            // Rule 2: preceded by non-whitespace (and not escaped); rule 4: followed by end,
            // whitespace or a closer.
            let escaped = start != "``" && j >= 2 && text[j - 2] == '\\' && before != '\\';
            let closes = !before.is_whitespace()
                && !escaped
                && after.is_none_or(|a| a.is_whitespace() || closes_markup(a));
            if closes && !(start == "*" && text.get(j + 1) == Some(&'*')) {
                return Some(after_at);
            }
        }
        j += 1;
    }
    None
}

/// Characters that may stand before a start-string (rule 3), CJK punctuation included.
fn opens_markup(c: char) -> bool {
    "-:/'\"<([{".contains(c) || "「『（【〔〈《‘“、。，．・…—–‐".contains(c)
}

/// Characters that may follow an end-string (rule 4), CJK punctuation included.
fn closes_markup(c: char) -> bool {
    "-.,:;!?\\/'\")]}>".contains(c) || "」』）】〕〉》’”、。，．・…—–‐！？：；".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(page: &str) -> Vec<(usize, usize, Kind)> {
        check(page)
            .into_iter()
            .filter(|p| !matches!(p.kind, Kind::Directive { .. }))
            .map(|p| (p.line, p.column, p.kind))
            .collect()
    }

    fn unclosed(start: &str) -> Kind {
        Kind::Unclosed { start: start.into() }
    }

    #[test]
    fn valid_text_has_no_problem() {
        let pages = [
            "Title\n=====\n\ntext with **bold**, ``literal``, *em* and `link <https://a.example>`_.\n",
            "######\n時雨堂\n######\n\n今回は\\ ``2026-02-17``\\ です\n",
            "- a\n\n  - b\n  - c\n\n- d\n",
            ":日時: 15:00\n:場所: Discord\n\n.. image:: https://i.example/a.jpg\n\ntext\n",
            "Never* use \\*x* and foo\\_ bar 2*3 a * b\n",
            "a ``x`` b\n\n- ``y``\n",
            "see (**this**) and \"*that*\"\n",
            "x::\n\n  **not markup\n\nafter\n",
        ];
        for page in pages {
            assert_eq!(kinds(page), vec![], "{page}");
        }
    }

    #[test]
    fn underlines_count_display_columns() {
        assert_eq!(
            kinds("開催について\n======\n"),
            vec![(
                2,
                1,
                Kind::ShortUnderline {
                    title_width: 12,
                    rule_width: 6
                }
            )]
        );
        assert_eq!(kinds("#####\n時雨堂!\n#######\n").len(), 1);
    }

    #[test]
    fn inline_markup_must_close() {
        let cases = [
            ("run ``docker run `` now\n", 1, 5, "``"),
            ("**bold **\n", 1, 1, "**"),
            ("a **b**c\n", 1, 3, "**"),
            ("*em\n", 1, 1, "*"),
            ("line one\nand `title <https://x>`_here\n", 2, 5, "`"),
            ("今回は ``x``です\n", 1, 5, "``"),
        ];
        for (page, line, column, start) in cases {
            assert_eq!(kinds(page), vec![(line, column, unclosed(start))], "{page}");
        }
    }

    #[test]
    fn blocks_need_blank_lines() {
        let list = Kind::NoBlankLine { block: "list" };
        assert_eq!(kinds("text\n- a\n- b\n"), vec![(2, 1, list.clone())]);
        assert_eq!(kinds("- a\n- b\ntext\n"), vec![(3, 1, list)]);
        assert_eq!(
            kinds(".. image:: x\ntext\n"),
            vec![(2, 1, Kind::NoBlankLine { block: "directive" })]
        );
        assert_eq!(
            kinds(":a: b\ntext\n"),
            vec![(2, 1, Kind::NoBlankLine { block: "field list" })]
        );
    }

    #[test]
    fn directives_are_listed_with_their_options() {
        let found: Vec<Kind> = check("text\n\n.. include:: /etc/passwd\n\n.. csv-table:: x\n   :file: /etc/passwd\n\n.. |x| raw:: html\n")
            .into_iter()
            .map(|p| p.kind)
            .collect();
        assert_eq!(
            found,
            vec![
                Kind::Directive {
                    name: "include".into(),
                    options: vec![]
                },
                Kind::Directive {
                    name: "csv-table".into(),
                    options: vec!["file".into()]
                },
                Kind::Directive {
                    name: "raw".into(),
                    options: vec![]
                },
            ]
        );
    }
}
