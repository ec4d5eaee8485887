//! Reading Discord's answers: rate-limit headers, 429 instructions, bodies (capped), network
//! failures, and answers that are not Discord's.

use std::io::Read;

use reqwest::blocking::Response;
use reqwest::header::{self, HeaderMap};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::DiscordError;
use super::ratelimit::{self, TooMany};
use super::route::Route;

pub(crate) fn decode<T: DeserializeOwned>(route: &str, body: &[u8]) -> Result<T, DiscordError> {
    serde_json::from_slice(body).map_err(|e| DiscordError::Decode {
        route: route.to_string(),
        detail: e.to_string(),
    })
}

/// The largest answer read. Discord's largest answers here (1000 members, 100 messages) are
/// well under 10 MB; anything bigger is not Discord's and is not read into memory.
pub const MAX_BODY: u64 = 16 * 1024 * 1024;

/// The answer's body, at most [`MAX_BODY`] bytes: a larger `Content-Length` is refused before
/// reading, and a body of unknown length is cut off just past the cap.
pub(crate) fn read_body(route: &Route, response: Response) -> Result<Vec<u8>, DiscordError> {
    let too_large = || DiscordError::TooLarge {
        route: route.to_string(),
        limit: MAX_BODY,
    };
    match response.content_length() {
        Some(length) if length > MAX_BODY => return Err(too_large()),
        // HTTP framing stops at the announced length: read it in one go.
        Some(_) => {
            return response
                .bytes()
                .map(|body| body.to_vec())
                .map_err(|error| network(route, error));
        }
        None => {}
    }
    let mut body = Vec::new();
    response
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|error| reading(route, &error))?;
    if body.len() as u64 > MAX_BODY {
        return Err(too_large());
    }
    Ok(body)
}

/// Reading the body failed: reqwest's error (a timeout, a reset) travels inside the I/O error.
fn reading(route: &Route, error: &std::io::Error) -> DiscordError {
    let inner = error.get_ref().and_then(|e| e.downcast_ref::<reqwest::Error>());
    let kind =
        if inner.is_some_and(reqwest::Error::is_timeout) || error.kind() == std::io::ErrorKind::TimedOut {
            "timed out reading the answer"
        } else {
            "the connection failed while reading the answer"
        };
    DiscordError::Network {
        route: route.to_string(),
        detail: kind.to_string(),
    }
}

/// What an answer that is not Discord's JSON is, for an error message; never its content.
pub(crate) fn describe(headers: &HeaderMap) -> String {
    match header_str(headers, "content-type") {
        Some(kind) if kind.contains("html") => "an HTML page".to_string(),
        Some(kind) if kind.contains("json") => "JSON that is not Discord's".to_string(),
        Some(kind) => {
            let kind: String = kind
                .split(';')
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_graphic())
                .take(60)
                .collect();
            format!("a `{kind}` answer")
        }
        None => "an answer without a content type".to_string(),
    }
}

/// The host (and port) a redirect's `Location` names, resolved against the request's URL.
pub(crate) fn location_host(headers: &HeaderMap, request_url: &str) -> Option<String> {
    let location = header_str(headers, header::LOCATION.as_str())?;
    let url = reqwest::Url::parse(request_url).ok()?.join(location).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

pub(crate) fn network(route: &Route, error: reqwest::Error) -> DiscordError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "the connection failed"
    };
    // reqwest's own text names the URL, which holds ids but never the token.
    DiscordError::Network {
        route: route.to_string(),
        detail: format!("{kind} ({})", error.without_url()),
    }
}

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    header_str(headers, "content-type").is_some_and(|t| t.contains("json"))
}

pub(crate) fn rate_headers(headers: &HeaderMap) -> ratelimit::Headers {
    let number = |name: &str| header_str(headers, name).and_then(|v| v.parse::<f64>().ok());
    ratelimit::Headers {
        bucket: header_str(headers, "x-ratelimit-bucket").map(str::to_string),
        limit: number("x-ratelimit-limit").map(|n| n as u32),
        remaining: number("x-ratelimit-remaining").map(|n| n as u32),
        reset_after: number("x-ratelimit-reset-after"),
    }
}

/// A 429 body says how long to wait; `Retry-After` (whole seconds) is the fallback.
pub(crate) fn too_many(body: &[u8], headers: &HeaderMap) -> TooMany {
    let value: Value = serde_json::from_slice(body).unwrap_or_default();
    let retry_after = value
        .get("retry_after")
        .and_then(Value::as_f64)
        .or_else(|| header_str(headers, "retry-after").and_then(|v| v.parse().ok()))
        .unwrap_or(1.0);
    let global = value.get("global").and_then(Value::as_bool).unwrap_or(false)
        || header_str(headers, "x-ratelimit-global").is_some_and(|v| v == "true")
        || header_str(headers, "x-ratelimit-scope") == Some("global");
    TooMany { retry_after, global }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn a_redirect_is_named_by_its_host_only() {
        let from = "https://discord.com/api/v10/channels/1/messages";
        let cases = [
            ("https://evil.example/steal?url=secret", Some("evil.example")),
            ("http://127.0.0.1:9000/x", Some("127.0.0.1:9000")),
            ("/elsewhere", Some("discord.com")),
        ];
        for (location, host) in cases {
            let found = location_host(&headers(&[("location", location)]), from);
            assert_eq!(found.as_deref(), host, "{location}");
        }
        assert_eq!(location_host(&HeaderMap::new(), from), None);
    }

    #[test]
    fn an_answer_that_is_not_discords_is_described_not_quoted() {
        let cases = [
            (Some("text/html; charset=UTF-8"), "an HTML page"),
            (Some("application/json"), "JSON that is not Discord's"),
            (Some("text/plain"), "a `text/plain` answer"),
            (None, "an answer without a content type"),
        ];
        for (kind, words) in cases {
            let map = kind.map_or_else(HeaderMap::new, |k| headers(&[("content-type", k)]));
            assert_eq!(describe(&map), words);
        }
    }
}
