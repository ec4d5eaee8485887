//! One request to make, and whether it is safe to send twice.

use std::time::Duration;

use serde_json::Value;

use super::route::Route;

/// One request to make: the route, its query and its JSON body.
#[derive(Debug, Clone)]
pub struct Request {
    pub route: Route,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Value>,
}

impl Request {
    pub fn new(route: Route) -> Self {
        Self {
            route,
            query: Vec::new(),
            body: None,
        }
    }

    pub fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Safe to send twice: GET, PUT and DELETE are idempotent, and a message create carrying a
    /// nonce that Discord enforces returns the first message instead of posting a second.
    pub fn retry_safe(&self) -> bool {
        let enforced_nonce = self.body.as_ref().is_some_and(|b| {
            b.get("enforce_nonce") == Some(&Value::Bool(true)) && b.get("nonce").is_some_and(|n| !n.is_null())
        });
        self.route.method.is_idempotent() || enforced_nonce
    }
}

/// Capped exponential backoff with jitter: the n-th retry waits between half and all of
/// `base × 2ⁿ⁻¹`, never more than `cap`.
pub fn backoff(attempt: u32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let full = base
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(cap);
    full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Audit log reasons travel URL-encoded (UTF-8), at most 512 characters.
pub(crate) fn audit_reason(reason: &str) -> String {
    // 170 characters stay within 512 once encoded, even when each takes three bytes.
    let short: String = reason.chars().take(170).collect();
    percent_encoding::utf8_percent_encode(&short, super::route::SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::route::Method;
    use serde_json::json;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let (base, cap) = (Duration::from_millis(100), Duration::from_secs(1));
        assert_eq!(backoff(1, base, cap, 1.0), Duration::from_millis(100));
        assert_eq!(backoff(2, base, cap, 1.0), Duration::from_millis(200));
        assert_eq!(backoff(3, base, cap, 0.0), Duration::from_millis(200));
        assert_eq!(backoff(9, base, cap, 1.0), cap);
        assert_eq!(backoff(40, base, cap, 0.5), Duration::from_millis(750));
    }

    #[test]
    fn only_safe_requests_are_retried() {
        let route = |method| Route::new(method, "/channels/{channel_id}/messages", &["1"]);
        assert!(Request::new(route(Method::Get)).retry_safe());
        assert!(Request::new(route(Method::Put)).retry_safe());
        assert!(Request::new(route(Method::Delete)).retry_safe());
        let post = Request::new(route(Method::Post));
        assert!(!post.clone().body(json!({"content": "x"})).retry_safe());
        assert!(
            !post
                .clone()
                .body(json!({"content": "x", "nonce": "n"}))
                .retry_safe()
        );
        assert!(
            post.body(json!({"content": "x", "nonce": "n", "enforce_nonce": true}))
                .retry_safe()
        );
        assert!(!Request::new(route(Method::Patch)).retry_safe());
    }

    #[test]
    fn audit_reasons_are_url_encoded() {
        assert_eq!(
            audit_reason("tsudoi roles 2026-02-17"),
            "tsudoi%20roles%202026-02-17"
        );
    }
}
