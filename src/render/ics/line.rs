//! iCalendar content lines (RFC 5545 §3.1): escaped TEXT values, lines folded at 75 octets
//! without splitting a UTF-8 sequence, CRLF after each.

/// The longest a content line may be, in octets, line break excluded (RFC 5545 §3.1).
pub const MAX_OCTETS: usize = 75;

/// One property: its name (with any parameters) and its value, already in iCalendar form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: &'static str,
    pub value: String,
}

impl Property {
    /// A TEXT value (SUMMARY, DESCRIPTION, …): escaped.
    pub fn text(name: &'static str, value: &str) -> Self {
        Self {
            name,
            value: escape_text(value),
        }
    }

    /// A value that is not TEXT (a date-time, a URI, a number, a keyword): written as it is.
    pub fn raw(name: &'static str, value: impl Into<String>) -> Self {
        Self {
            name,
            value: value.into(),
        }
    }

    /// `NAME:value`, folded, each physical line ended by CRLF.
    pub fn write(&self, out: &mut String) {
        fold(&format!("{}:{}", self.name, self.value), out);
    }
}

/// RFC 5545 §3.3.11: backslash, semicolon and comma escaped, a line break as `\n`.
pub fn escape_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in a TEXT value.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Append `line` folded at 75 octets: each continuation starts with one space, and a break
/// never falls inside a character's UTF-8 sequence, nor inside an escape such as `\n` (RFC
/// 5545 allows that one, but readers that unescape before they unfold do not).
pub fn fold(line: &str, out: &mut String) {
    let mut room = MAX_OCTETS;
    let mut chars = line.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let end = match (c, chars.peek()) {
            ('\\', Some(&(next, escaped))) => {
                chars.next();
                next + escaped.len_utf8()
            }
            _ => start + c.len_utf8(),
        };
        let unit = &line[start..end];
        if unit.len() > room {
            out.push_str("\r\n ");
            room = MAX_OCTETS - 1;
        }
        out.push_str(unit);
        room -= unit.len();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("one\ntwo\r\nthree"), r"one\ntwo\nthree");
        assert_eq!(escape_text("bell\u{7}"), "bell");
    }

    #[test]
    fn short_lines_are_not_folded() {
        let mut out = String::new();
        fold("SUMMARY:short", &mut out);
        assert_eq!(out, "SUMMARY:short\r\n");
        let exact = format!("X:{}", "a".repeat(73));
        out.clear();
        fold(&exact, &mut out);
        assert_eq!(out, format!("{exact}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets() {
        let mut out = String::new();
        fold(&format!("DESCRIPTION:{}", "a".repeat(200)), &mut out);
        for line in out.split_terminator("\r\n") {
            assert!(line.len() <= MAX_OCTETS, "{line:?}");
        }
        let first = out.split("\r\n").next().unwrap();
        assert_eq!(first.len(), MAX_OCTETS);
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("DESCRIPTION:{}\r\n", "a".repeat(200))
        );
    }

    #[test]
    fn folding_keeps_an_escape_whole() {
        for prefix in 60..80 {
            let mut out = String::new();
            fold(&format!("{}\\n{}", "a".repeat(prefix), "b".repeat(80)), &mut out);
            assert!(!out.contains("\\\r\n"), "an escape was cut: {out:?}");
            assert!(out.split("\r\n").all(|l| l.len() <= MAX_OCTETS));
        }
    }

    #[test]
    fn folding_never_splits_a_japanese_character() {
        // Three-octet characters after a one-octet prefix: a naive 75-octet cut lands inside one.
        let title = "時雨堂 不定期オンライン雑談配信 (SHIGURADIO) ".repeat(6);
        let mut out = String::new();
        Property::text("SUMMARY", &title).write(&mut out);
        let bytes = out.as_bytes();
        for line in bytes.split(|b| *b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            assert!(line.len() <= MAX_OCTETS, "{} octets", line.len());
            // Every physical line is valid UTF-8 on its own: no sequence was cut.
            std::str::from_utf8(line).expect("a fold split a UTF-8 sequence");
        }
        assert!(out.lines().count() > 3, "the title was folded");
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", escape_text(&title)));
    }
}
