//! Every secret this process has seen — the bot token, each viewer URL loaded — in one
//! process-wide registry, so that whatever tsudoi prints or writes is scrubbed at the last
//! moment, wherever the text was made (a server's error body, a URL in a setting, a log line).

use std::borrow::Cow;
use std::sync::Mutex;

/// What a secret is: `share --reveal` lets viewer URLs through, never the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Token,
    ViewerUrl,
}

struct Secret {
    kind: Kind,
    /// The secret and the ways a server or a JSON encoder may spell it.
    forms: Vec<String>,
}

static REGISTRY: Mutex<Vec<Secret>> = Mutex::new(Vec::new());

/// The text that stands where a secret was.
pub const REDACTED: &str = "(redacted)";

/// Shorter text is no real token or URL, and scrubbing it would garble every line.
const MIN_SECRET_LEN: usize = 8;

/// Remember `secret`: from now on it is scrubbed from every output.
pub fn register(kind: Kind, secret: &str) {
    if secret.trim().len() < MIN_SECRET_LEN {
        return;
    }
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    if registry.iter().any(|s| s.kind == kind && s.forms[0] == secret) {
        return;
    }
    registry.push(Secret {
        kind,
        forms: forms(secret),
    });
}

/// `text` with every registered secret replaced by `(redacted)`; borrowed when it holds none
/// (a page of years of events is not copied to learn that).
pub fn scrub(text: &str) -> Cow<'_, str> {
    scrub_kinds(text, &[Kind::Token, Kind::ViewerUrl])
}

/// `text` with the token scrubbed but viewer URLs left (`share --reveal`).
pub fn scrub_token(text: &str) -> Cow<'_, str> {
    scrub_kinds(text, &[Kind::Token])
}

fn scrub_kinds<'a>(text: &'a str, kinds: &[Kind]) -> Cow<'a, str> {
    let registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let mut forms: Vec<&str> = registry
        .iter()
        .filter(|s| kinds.contains(&s.kind))
        .flat_map(|s| s.forms.iter().map(String::as_str))
        .collect();
    // Longest first: a secret that contains another is replaced whole.
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    let mut text = Cow::Borrowed(text);
    for form in forms {
        // Only a text that holds a secret is copied.
        if text.contains(form) {
            text = Cow::Owned(text.replace(form, REDACTED));
        }
    }
    text
}

/// The secret as written, as JSON encoders escape it (`\/`, `\u0026`), and percent-encoded.
fn forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).expect("a string serializes");
    let json = json[1..json.len() - 1].to_string();
    let slashes = json.replace('/', "\\/");
    let html_safe = |text: &str| {
        text.replace('&', "\\u0026")
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
    };
    let mut forms = vec![
        secret.to_string(),
        html_safe(&json),
        html_safe(&slashes),
        json,
        slashes,
        percent_encode(secret, true),
        percent_encode(secret, false),
    ];
    let mut seen = std::collections::HashSet::new();
    forms.retain(|form| seen.insert(form.clone()));
    forms
}

/// Every byte but the unreserved ones as `%XX` (`upper` or lower hex digits).
fn percent_encode(text: &str, upper: bool) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else if upper {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push_str(&format!("%{byte:02x}"));
        }
    }
    out
}

/// `text` with every `http(s)://` URL replaced, in any of the spellings above: for response
/// and request bodies in log lines, where a URL shared earlier (no longer known) may be read back.
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_url(rest) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || "\"'<>`)]},|".contains(c))
            .unwrap_or(tail.len());
        out.push_str("(redacted URL)");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn find_url(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    [
        "http://",
        "https://",
        "http:\\/\\/",
        "https:\\/\\/",
        "http%3a%2f%2f",
        "https%3a%2f%2f",
    ]
    .iter()
    .filter_map(|scheme| lower.find(scheme))
    .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_without_secrets_is_not_copied() {
        assert!(matches!(scrub("a page of years of events"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_spelling_of_a_secret_is_scrubbed() {
        let url = "https://viewer.example/room?k=unit-test-only&x=<1>";
        register(Kind::ViewerUrl, url);
        for text in [
            url.to_string(),
            serde_json::to_string(url).unwrap(),
            serde_json::to_string(url).unwrap().replace('/', "\\/"),
            "https:\\/\\/viewer.example\\/room?k=unit-test-only\\u0026x=\\u003c1\\u003e".to_string(),
            "https%3A%2F%2Fviewer.example%2Froom%3Fk%3Dunit-test-only%26x%3D%3C1%3E".to_string(),
            "https%3a%2f%2fviewer.example%2froom%3fk%3dunit-test-only%26x%3d%3c1%3e".to_string(),
        ] {
            let written = format!("before {text} after");
            let scrubbed = scrub(&written);
            assert!(!scrubbed.contains("unit-test-only"), "{scrubbed}");
            assert!(scrubbed.starts_with("before ") && scrubbed.ends_with(" after"));
        }
        assert!(
            scrub_token(url).contains("unit-test-only"),
            "--reveal keeps the URL"
        );
    }

    #[test]
    fn logged_bodies_lose_every_url() {
        let body = r#"{"content":"<@&1> https://old.example/a?b=c see","embeds":[{"url":"https:\/\/old.example\/a"}]}"#;
        let redacted = redact_urls(body);
        assert!(!redacted.contains("old.example"), "{redacted}");
        assert!(redacted.contains("<@&1> (redacted URL) see"), "{redacted}");
        assert_eq!(redact_urls("no links here"), "no links here");
    }
}
