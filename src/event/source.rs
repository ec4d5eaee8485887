//! Reading one file into text and parsing it as TOML, every failure as a located diagnostic.

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::shape::{self, FileKind};

use crate::diag::Diagnostic;
use crate::event::file::KNOWN_KEYS;

/// Files larger than this are not event files; reading them would only waste a cron tick.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A file's text, for locating spans.
#[derive(Debug)]
pub struct Source {
    pub text: String,
}

/// A folder files are read from, with its real path resolved once: a load of thousands of
/// files resolves the folder once, not once per file.
pub struct Root<'a> {
    given: &'a Path,
    real: Result<PathBuf, Diagnostic>,
}

impl<'a> Root<'a> {
    pub fn new(given: &'a Path) -> Self {
        Self {
            given,
            real: given.canonicalize().map_err(|e| unreadable(given, &e)),
        }
    }
}

/// An event file or the series file of the directory `root`, as text.
pub fn read(root: &Root, path: &Path, what: &str) -> Result<Source, Diagnostic> {
    read_source(root, path, what, false)
}

/// As [`read`], for a file the folder's listing showed as a plain file (not a link, a pipe or
/// a device): it is opened directly, still refusing a link at its name and never waiting on a
/// pipe, in case it was swapped since.
pub fn read_listed_file(root: &Root, path: &Path, what: &str) -> Result<Source, Diagnostic> {
    read_source(root, path, what, true)
}

fn read_source(root: &Root, path: &Path, what: &str, listed_plain: bool) -> Result<Source, Diagnostic> {
    let text = read_in(root, path, what, listed_plain)?;
    if text.trim().is_empty() {
        let help = match what {
            "series" => {
                "a series file needs `[series]` with `title` and `timezone`; `tsudoi init` writes a commented example"
            }
            _ => {
                "an event file needs at least `date = \"YYYY-MM-DD\"`; `tsudoi create --date ...` writes one"
            }
        };
        return Err(Diagnostic::error(path, "the file is empty").help(help));
    }
    Ok(Source { text })
}

/// The text of a file the event directory `root` reads (an event, the series, a template).
/// Only regular files whose real path is inside `root` are read: a link to a file elsewhere
/// (`/proc/self/environ`) or a device is refused unread, so its content never reaches a
/// diagnostic, a page or a post.
pub fn read_confined(root: &Path, path: &Path, what: &str) -> Result<String, Diagnostic> {
    read_in(&Root::new(root), path, what, false)
}

fn read_in(root: &Root, path: &Path, what: &str, listed_plain: bool) -> Result<String, Diagnostic> {
    let file = match listed_plain.then(|| open_plain(root, path)).flatten() {
        Some(file) => file,
        None => {
            let real = confine(root, path)?;
            std::fs::File::open(&real).map_err(|e| unreadable(path, &e))?
        }
    };
    let metadata = file.metadata().map_err(|e| unreadable(path, &e))?;
    // It may have been swapped between the look and the open.
    if !metadata.is_file() {
        return Err(not_regular(path));
    }
    let size = metadata.len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            format!(
                "the file is {:.1} MiB; {what} files are at most 1 MiB",
                size as f64 / 1_048_576.0
            ),
        )
        .help("is this the right file? move it out of the event directory"));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(path, &e))?;
    // Checked with SIMD: event files are mostly Japanese, where the standard check goes a
    // character at a time (a twentieth of `announce`). A copy of a few KB costs less.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(text.to_owned());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let at = lossy
            .char_indices()
            .nth(String::from_utf8_lossy(&e.as_bytes()[..valid]).chars().count());
        let offset = at.map_or(lossy.len(), |(i, _)| i);
        Diagnostic::error(path, "the file is not UTF-8 text")
            .at(&lossy, offset..offset + 1)
            .help("save the file as UTF-8 (tsudoi reads no other encoding)")
    })?;
    Ok(text)
}

/// A file right in the folder that its listing showed as plain, opened without following a
/// link at its name and without waiting on a pipe (it may have been swapped since): one `open`
/// where `confine` needs an `lstat` too. A link (which the system then refuses to open), a file
/// in a subfolder, or any error goes the careful way, through `confine`; what was opened is
/// still checked to be a regular file before it is read. Pipes and devices the listing shows
/// are never opened.
#[cfg(unix)]
fn open_plain(root: &Root, path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    root.real.as_ref().ok()?;
    if path.parent() != Some(root.given) {
        return None;
    }
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()
}

#[cfg(not(unix))]
fn open_plain(_: &Root, _: &Path) -> Option<std::fs::File> {
    None
}

/// The real path of `path` when it is a regular file inside `root` (through links or not).
fn confine(root: &Root, path: &Path) -> Result<PathBuf, Diagnostic> {
    let real_root = root.real.as_ref().map_err(Clone::clone)?;
    // A plain file (not a link) right in the folder is where the folder really is: one
    // `lstat` rather than resolving every component of its path again.
    if path.parent() == Some(root.given)
        && let Some(name) = path.file_name()
        && path.symlink_metadata().is_ok_and(|m| m.is_file())
    {
        return Ok(real_root.join(name));
    }
    let real = path.canonicalize().map_err(|e| unreadable(path, &e))?;
    if !real.starts_with(real_root) {
        return Err(Diagnostic::error(
            path,
            format!(
                "the file leads to `{}`, outside the event directory; tsudoi reads nothing outside it",
                real.display()
            ),
        )
        .help("copy the file into the event directory instead of linking to it"));
    }
    let metadata = std::fs::metadata(&real).map_err(|e| unreadable(path, &e))?;
    if !metadata.is_file() {
        return Err(not_regular(path));
    }
    Ok(real)
}

fn not_regular(path: &Path) -> Diagnostic {
    Diagnostic::error(
        path,
        "not a regular file (a device, a pipe or a folder); tsudoi reads only plain files here",
    )
    .help("replace it with a plain text file, or move it out of the event directory")
}

fn unreadable(path: &Path, error: &std::io::Error) -> Diagnostic {
    let help = match error.kind() {
        std::io::ErrorKind::PermissionDenied => "give the user running tsudoi read permission on it",
        std::io::ErrorKind::IsADirectory => "a directory cannot end in `.toml` here; rename it",
        _ => "check that the file exists and can be read",
    };
    Diagnostic::error(path, format!("cannot read the file: {error}")).help(help)
}

impl Source {
    pub fn parse<T: DeserializeOwned>(&self, path: &Path) -> Result<T, Diagnostic> {
        toml::from_str(&self.text).map_err(|e| self.toml_error(path, &e))
    }

    /// As [`Source::parse`], but when the file does not fit its shape, every unknown key,
    /// missing key and wrong type in it, not only the first serde met.
    pub fn parse_all<T: DeserializeOwned>(&self, path: &Path, kind: FileKind) -> Result<T, Vec<Diagnostic>> {
        self.parse(path).map_err(|first| {
            let all = shape::problems(path, &self.text, kind);
            if all.is_empty() { vec![first] } else { all }
        })
    }

    fn toml_error(&self, path: &Path, error: &toml::de::Error) -> Diagnostic {
        let message = error.message().trim().to_string();
        let span = error.span().unwrap_or(0..0);
        let mut diag = if let Some(key) = backticked_after(&message, "unknown field ") {
            let expected = expected_names(&message);
            let candidates: Vec<&str> = if expected.is_empty() {
                KNOWN_KEYS.to_vec()
            } else {
                expected
            };
            let diag = Diagnostic::error(path, format!("unknown key `{key}`"));
            match suggest(&key, &candidates) {
                Some(name) => diag.help(format!("did you mean `{name}`?")),
                None => diag.help(format!("the keys allowed here are: {}", candidates.join(", "))),
            }
        } else if let Some(key) = backticked_after(&message, "missing field ") {
            Diagnostic::error(path, format!("missing key `{key}`")).help(format!("add `{key} = ...`"))
        } else if message.starts_with("invalid type") {
            Diagnostic::error(path, message.replace("invalid type: ", "wrong type: "))
                .help("strings are quoted: `date = \"2026-02-17\"`, `start = \"15:00\"`")
        } else {
            Diagnostic::error(path, format!("this is not valid TOML: {message}"))
        };
        diag = diag.at(&self.text, span);
        diag
    }

    /// The byte offset in the file where a string value's text starts, when the file spells
    /// it literally (no escapes); otherwise the start of the value.
    pub fn value_offset(&self, span: &Range<usize>, value: &str) -> usize {
        let Some(raw) = self.text.get(span.clone()) else {
            return span.start;
        };
        for quote in ["\"\"\"", "'''", "\"", "'"] {
            let Some(inner) = raw.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) else {
                continue;
            };
            let mut start = span.start + quote.len();
            let mut inner = inner;
            if quote.len() == 3 {
                for newline in ["\r\n", "\n"] {
                    if let Some(rest) = inner.strip_prefix(newline) {
                        start += newline.len();
                        inner = rest;
                        break;
                    }
                }
            }
            return if inner == value { start } else { span.start };
        }
        span.start
    }
}

fn backticked_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    Some(rest[..rest.find('`')?].to_string())
}

fn expected_names(message: &str) -> Vec<&str> {
    let Some((_, list)) = message.split_once("expected one of ") else {
        return message
            .split_once("expected `")
            .map(|(_, r)| vec![r.trim_end_matches('`')])
            .unwrap_or_default();
    };
    list.split(", ").map(|name| name.trim_matches('`')).collect()
}

/// The closest known name, when it is close enough to be a typo.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        assert_eq!(suggest("strat", &["start", "end", "date"]), Some("start"));
        assert_eq!(
            suggest("sheduled", &["draft", "scheduled", "cancelled"]),
            Some("scheduled")
        );
        assert_eq!(suggest("xyz", &["start", "end", "date"]), None);
    }

    #[test]
    fn value_offsets_skip_quotes_and_the_first_newline() {
        let source = Source {
            text: "a = \"xy\"\nb = \"\"\"\n- z\n\"\"\"\nc = \"q\\tq\"\n".into(),
        };
        assert_eq!(source.value_offset(&(4..8), "xy"), 5);
        assert_eq!(source.value_offset(&(13..24), "- z\n"), 17);
        assert_eq!(source.value_offset(&(29..35), "q\tq"), 29);
    }

    /// A file the listing showed as plain may have been swapped before it is opened: a link in
    /// its place is still refused (to a file outside, unread), a pipe without waiting.
    #[cfg(unix)]
    #[test]
    fn a_listed_file_swapped_for_a_link_or_a_pipe_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.toml");
        std::fs::write(&secret, "date = \"2026-01-01\"\n").unwrap();
        let link = dir.path().join("2026-01-01.toml");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let root = Root::new(dir.path());
        let refused = read_listed_file(&root, &link, "event").unwrap_err();
        assert!(
            refused.message.contains("outside the event directory"),
            "{refused:?}"
        );
        let fifo = dir.path().join("2026-01-02.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success(), "mkfifo is needed for this test");
        let refused = read_listed_file(&root, &fifo, "event").unwrap_err();
        assert!(refused.message.contains("not a regular file"), "{refused:?}");
        let plain = dir.path().join("2026-01-03.toml");
        std::fs::write(&plain, "date = \"2026-01-03\"\n").unwrap();
        assert_eq!(
            read_listed_file(&root, &plain, "event").unwrap().text,
            "date = \"2026-01-03\"\n"
        );
    }
}
