//! Reading Discord's answers: rate-limit headers, 429 instructions, bodies, network failures.

use reqwest::header::HeaderMap;
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
