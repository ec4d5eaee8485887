//! Lines of a long text, each found with one vectorised search (`memchr`), and the small
//! byte-level helpers the page's readers share: a page of years of events has tens of
//! thousands of lines.

/// The lines of `text` as [`str::lines`] gives them: split at `\n`, a `\r` before it dropped,
/// no empty line after a final `\n`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    inclusive(text).map(|line| match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    })
}

/// The lines of `text` with their `\n`, as [`str::split_inclusive`] gives them.
pub fn inclusive(text: &str) -> Inclusive<'_> {
    Inclusive { rest: text }
}

/// The iterator of [`inclusive`]: one `memchr` per line, nothing else.
pub struct Inclusive<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Inclusive<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', self.rest.as_bytes()).map_or(self.rest.len(), |at| at + 1);
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(line)
    }
}

/// `line` without the `\n` and `\r` that end it, as `trim_end_matches(['\n', '\r'])` gives it,
/// compared as bytes.
pub fn trim_newline(line: &str) -> &str {
    let kept = line
        .bytes()
        .rev()
        .skip_while(|&b| b == b'\n' || b == b'\r')
        .count();
    &line[..kept]
}

/// How many lines [`lines`] gives, counted without visiting them: the size of a `Vec` of them.
pub fn count(text: &str) -> usize {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// `line` without its leading whitespace, as [`str::trim_start`] gives it. Indents are ASCII
/// spaces: they are skipped as bytes, and characters are decoded only when a non-ASCII one
/// follows them.
pub fn trim_start(line: &str) -> &str {
    let bytes = line.as_bytes();
    let at = bytes
        .iter()
        .position(|&b| !(b.is_ascii_whitespace() || b == 0x0B))
        .unwrap_or(bytes.len());
    // Everything before `at` is ASCII, so `at` starts a character.
    let rest = &line[at..];
    match rest.as_bytes().first() {
        Some(&b) if b >= 0x80 => rest.trim_start(),
        _ => rest,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_lines_std_gives() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\na\n\n",
            "日本\n語",
            "x\r",
            "  \t- item",
            " \u{3000}全角の字下げ",
            "\u{0B}\u{0C} x",
            "   ",
            "\u{a0}",
            "x\r\n\r\n",
            "日本\r",
        ] {
            assert_eq!(
                super::lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
            assert_eq!(
                super::inclusive(text).collect::<Vec<_>>(),
                text.split_inclusive('\n').collect::<Vec<_>>(),
                "{text:?}"
            );
            assert_eq!(super::count(text), text.lines().count(), "{text:?}");
            assert_eq!(super::trim_start(text), text.trim_start(), "{text:?}");
            assert_eq!(
                super::trim_newline(text),
                text.trim_end_matches(['\n', '\r']),
                "{text:?}"
            );
        }
    }
}
