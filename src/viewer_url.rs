//! The viewer URL: read at share time from the environment or a file named in the event,
//! never from the event files themselves, and never shown unless asked.

use std::fmt;

use crate::discord::redact::{self, Kind};
use crate::discord::token::{SECRET_FILE_CAP, read_small_file};
use crate::error::Error;
use crate::event::{Event, ViewerUrlSource};

/// A secret like the token: Debug and Display print `(redacted viewer URL)`.
#[derive(Clone, PartialEq, Eq)]
pub struct ViewerUrl(String);

impl ViewerUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A SHA-256 of the URL with `key` (the share's nonce key) mixed in, in hex: the ledger
    /// keeps it to tell a changed URL from the one shared, without keeping the URL.
    pub fn fingerprint(&self, key: &str) -> String {
        let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
        for part in ["tsudoi viewer URL", key, &self.0] {
            digest.update(part.as_bytes());
            digest.update(&[0]);
        }
        digest
            .finish()
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl fmt::Debug for ViewerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted viewer URL)")
    }
}

impl fmt::Display for ViewerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted viewer URL)")
    }
}

/// The event's viewer URL; `env` looks up an environment variable (the caller's config owns
/// the environment). Every failure names the source, never the value.
pub fn load(event: &Event, env: impl Fn(&str) -> Option<String>) -> Result<ViewerUrl, Error> {
    let (text, from) = match &event.viewer_url {
        None => {
            return Err(Error::NoViewerUrlSource {
                event: event.id.clone(),
            });
        }
        Some(ViewerUrlSource::Env(name)) => {
            let text = env(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| Error::ViewerUrlUnset { name: name.clone() })?;
            (text, format!("${name}"))
        }
        Some(ViewerUrlSource::File(path)) => {
            let text = read_small_file(path, SECRET_FILE_CAP).map_err(|e| Error::ViewerUrlUnreadable {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            (text, format!("file {}", path.display()))
        }
    };
    let url = text.trim();
    let valid = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && url.len() <= 1000
        && !url.contains(char::is_whitespace);
    if !valid {
        return Err(Error::NotAUrl { from });
    }
    // Known from now on to every output of this process, shared or not.
    redact::register(Kind::ViewerUrl, url);
    Ok(ViewerUrl(url.to_string()))
}

/// Load the viewer URL of each event that names a source, so that every output of this run
/// scrubs them, even when this run shares nothing; a source that fails is left to the share.
pub fn register_all<'a>(events: impl IntoIterator<Item = &'a Event>, env: impl Fn(&str) -> Option<String>) {
    for event in events {
        if event.viewer_url.is_some() {
            let _ = load(event, &env);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(source: Option<ViewerUrlSource>) -> Event {
        let mut event = crate::event::sample(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        event.viewer_url = source;
        event
    }

    #[test]
    fn reads_the_environment_and_hides_the_value() {
        let e = event(Some(ViewerUrlSource::Env("URL".into())));
        let url = load(&e, |_| Some(" https://viewer.example/room?k=secret \n".into())).unwrap();
        assert_eq!(url.expose(), "https://viewer.example/room?k=secret");
        assert_eq!(
            format!("{url} {url:?}"),
            "(redacted viewer URL) (redacted viewer URL)"
        );
    }

    #[test]
    fn the_fingerprint_tells_urls_apart_and_shows_neither() {
        let url = |u: &str| ViewerUrl(u.into());
        let a = url("https://viewer.example/a").fingerprint("g/2026-02-17/share/0");
        assert_eq!(
            a,
            url("https://viewer.example/a").fingerprint("g/2026-02-17/share/0")
        );
        assert_ne!(
            a,
            url("https://viewer.example/b").fingerprint("g/2026-02-17/share/0")
        );
        assert_ne!(
            a,
            url("https://viewer.example/a").fingerprint("g/2026-03-17/share/0")
        );
        assert_eq!(a.len(), 64);
        assert!(!a.contains("viewer"));
    }

    #[test]
    fn every_failure_names_the_source_not_the_value() {
        let e = event(Some(ViewerUrlSource::Env("URL".into())));
        let missing = load(&e, |_| None).unwrap_err().to_string();
        assert!(missing.contains("`URL` is empty or missing"), "{missing}");
        let bad = load(&e, |_| Some("ftp://secret-host/x".into()))
            .unwrap_err()
            .to_string();
        assert!(
            bad.contains("from $URL is not an http(s) URL") && !bad.contains("secret-host"),
            "{bad}"
        );
        let none = load(&event(None), |_| None).unwrap_err().to_string();
        assert!(none.contains("has no viewer URL source"), "{none}");
        let file = event(Some(ViewerUrlSource::File("/nonexistent/url".into())));
        assert!(
            load(&file, |_| None)
                .unwrap_err()
                .to_string()
                .contains("cannot read the viewer URL file")
        );
    }
}
