//! The one HTTP client: authenticates, identifies itself, waits for rate limits before sending,
//! retries only what is safe to retry, and stops before Discord would ban the IP.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client as Http, RequestBuilder};
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApiError, DiscordError};
use super::plan::Planned;
use super::ratelimit::{self, Limiter, TooMany};
use super::route::{Method, Route};
use super::token::Token;

pub const DEFAULT_API_BASE: &str = "https://discord.com/api/v10";

/// `DiscordBot (url, version)`, the form Discord requires of bots.
pub const USER_AGENT: &str = concat!(
    "DiscordBot (",
    env!("CARGO_PKG_REPOSITORY"),
    ", ",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// How patient and how persistent the client is.
#[derive(Debug, Clone)]
pub struct Options {
    pub base: String,
    /// Per request, connecting included.
    pub timeout: Duration,
    /// Total time one command may spend waiting for rate limits and retries.
    pub max_wait: Duration,
    /// Tries per request for network errors and 5xx, the first included.
    pub max_attempts: u32,
    pub backoff: Duration,
    pub backoff_cap: Duration,
    /// Refused requests (401, 403, 429) after which the run stops.
    pub max_invalid: u32,
    pub verbosity: i8,
    /// Send GETs, record every other request instead of sending it.
    pub dry_run: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base: DEFAULT_API_BASE.to_string(),
            timeout: Duration::from_secs(30),
            max_wait: Duration::from_secs(120),
            max_attempts: 4,
            backoff: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(8),
            max_invalid: 10,
            verbosity: 0,
            dry_run: false,
        }
    }
}

/// Time as the client sees it; tests of the waiting logic can bring their own.
pub trait Clock {
    fn now(&self) -> Instant;
    fn sleep(&self, duration: Duration);
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

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

#[derive(Default)]
struct State {
    limiter: Limiter,
    waited: Duration,
    invalid: u32,
    stopped: Option<String>,
    reason: String,
    planned: Vec<Planned>,
}

/// What one attempt came to.
enum Outcome {
    Done(Vec<u8>),
    Fail(DiscordError),
    RateLimited,
    Transient(DiscordError),
}

pub struct Client {
    http: Http,
    token: Token,
    options: Options,
    clock: Box<dyn Clock>,
    state: RefCell<State>,
}

impl Client {
    pub fn new(token: Token, options: Options) -> Result<Self, DiscordError> {
        Self::with_clock(token, options, Box::new(SystemClock))
    }

    pub fn with_clock(
        token: Token,
        mut options: Options,
        clock: Box<dyn Clock>,
    ) -> Result<Self, DiscordError> {
        options.base = versioned_base(&options.base)?;
        let http = Http::builder()
            .user_agent(USER_AGENT)
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .build()
            .map_err(|e| DiscordError::Network {
                route: "(client setup)".into(),
                detail: e.to_string(),
            })?;
        let state = State {
            reason: "tsudoi".into(),
            ..State::default()
        };
        Ok(Self {
            http,
            token,
            options,
            clock,
            state: RefCell::new(state),
        })
    }

    pub fn is_dry_run(&self) -> bool {
        self.options.dry_run
    }

    /// The `X-Audit-Log-Reason` of the writes that follow, e.g. `tsudoi roles 2026-02-17`.
    pub fn set_reason(&self, command: &str, event: Option<&str>) {
        let reason = match event {
            Some(event) => format!("tsudoi {command} {event}"),
            None => format!("tsudoi {command}"),
        };
        self.state.borrow_mut().reason = reason;
    }

    /// The requests a dry run recorded instead of sending, in order.
    pub fn planned(&self) -> Vec<Planned> {
        self.state.borrow().planned.clone()
    }

    /// GET and decode.
    pub fn get<T: DeserializeOwned>(&self, request: Request) -> Result<T, DiscordError> {
        let route = request.route.to_string();
        let body = self.send(&request)?.expect("GETs are sent in dry runs too");
        decode(&route, &body)
    }

    /// A write whose answer is wanted; `None` in a dry run.
    pub fn write<T: DeserializeOwned>(&self, request: Request) -> Result<Option<T>, DiscordError> {
        let route = request.route.to_string();
        self.send(&request)?.map(|body| decode(&route, &body)).transpose()
    }

    /// Send (or, in a dry run, record) one request; the body of the success answer.
    pub fn send(&self, request: &Request) -> Result<Option<Vec<u8>>, DiscordError> {
        if self.options.dry_run && request.route.method != Method::Get {
            let reason = self.state.borrow().reason.clone();
            self.state
                .borrow_mut()
                .planned
                .push(Planned::new(request, reason));
            return Ok(None);
        }
        let mut attempt = 1;
        loop {
            self.admit(&request.route)?;
            match self.attempt(request) {
                Outcome::Done(body) => return Ok(Some(body)),
                Outcome::Fail(error) => return Err(error),
                Outcome::RateLimited => {}
                Outcome::Transient(error) => {
                    if !request.retry_safe() || attempt >= self.options.max_attempts {
                        return Err(error);
                    }
                    let wait = backoff(
                        attempt,
                        self.options.backoff,
                        self.options.backoff_cap,
                        fastrand::f64(),
                    );
                    self.log(1, &format!("{error}; retrying in {wait:.2?}"));
                    self.wait(wait, &request.route, "a retry")?;
                    attempt += 1;
                }
            }
        }
    }

    /// Refuse when the run is stopped; otherwise wait until the limits allow the route.
    fn admit(&self, route: &Route) -> Result<(), DiscordError> {
        let mut state = self.state.borrow_mut();
        if let Some(why) = &state.stopped {
            return Err(DiscordError::Stopped {
                route: route.to_string(),
                why: why.clone(),
            });
        }
        if state.invalid >= self.options.max_invalid {
            state.stopped = Some(format!("{} refused requests", state.invalid));
            return Err(DiscordError::TooManyInvalid { count: state.invalid });
        }
        drop(state);
        loop {
            let delay = self.state.borrow().limiter.delay(route, self.clock.now());
            let Some((wait, why)) = delay else { break };
            self.wait(wait, route, why.as_str())?;
        }
        self.state.borrow_mut().limiter.sent(self.clock.now());
        Ok(())
    }

    fn wait(&self, wait: Duration, route: &Route, why: &'static str) -> Result<(), DiscordError> {
        let waited = self.state.borrow().waited;
        if waited + wait > self.options.max_wait {
            return Err(DiscordError::WaitCap {
                route: route.to_string(),
                why,
                waited,
                needed: wait,
                cap: self.options.max_wait,
            });
        }
        self.log(1, &format!("waiting {wait:.2?} for {why} before {route}"));
        self.clock.sleep(wait);
        self.state.borrow_mut().waited += wait;
        Ok(())
    }

    fn attempt(&self, request: &Request) -> Outcome {
        let route = &request.route;
        self.log(1, &format!("→ {route}"));
        let response = match self.build(request).send() {
            Ok(response) => response,
            Err(error) => return Outcome::Transient(network(route, error)),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes() {
            Ok(body) => body.to_vec(),
            Err(error) => return Outcome::Transient(network(route, error)),
        };
        let limits = rate_headers(&headers);
        self.state
            .borrow_mut()
            .limiter
            .update(route, &limits, self.clock.now());
        self.log(
            1,
            &format!(
                "← {status} {route} (bucket {}, {} left, reset in {}s)",
                limits.bucket.as_deref().unwrap_or("-"),
                limits.remaining.map_or("-".into(), |r| r.to_string()),
                limits.reset_after.map_or("-".into(), |r| r.to_string()),
            ),
        );
        self.log(
            2,
            &format!(
                "  body: {}",
                String::from_utf8_lossy(&body[..body.len().min(600)])
            ),
        );
        self.judge(route, status, &headers, body)
    }

    fn build(&self, request: &Request) -> RequestBuilder {
        let route = &request.route;
        let url = format!("{}{}", self.options.base, route.path);
        let method = reqwest::Method::from_bytes(route.method.as_str().as_bytes()).expect("a valid method");
        let mut authorization = HeaderValue::from_str(&format!("Bot {}", self.token.expose()))
            .unwrap_or(HeaderValue::from_static(""));
        authorization.set_sensitive(true);
        let mut builder = self
            .http
            .request(method, url)
            .query(&request.query)
            .header(header::AUTHORIZATION, authorization);
        if route.method != Method::Get {
            let reason = audit_reason(&self.state.borrow().reason);
            builder = builder.header("X-Audit-Log-Reason", reason);
        }
        match &request.body {
            Some(body) => {
                self.log(2, &format!("  request body: {body}"));
                builder.json(body)
            }
            // Discord answers 411 to a body-less write without an explicit zero length.
            None if route.method != Method::Get => {
                builder.header(header::CONTENT_LENGTH, "0").body(Vec::new())
            }
            None => builder,
        }
    }

    /// Sort an answer into done, retry-after-waiting, retry-if-safe, or fail.
    fn judge(&self, route: &Route, status: u16, headers: &HeaderMap, body: Vec<u8>) -> Outcome {
        if (200..300).contains(&status) {
            return Outcome::Done(body);
        }
        let json = is_json(headers);
        let api = json
            .then(|| ApiError::parse(status, route.to_string(), &body))
            .flatten();
        if status >= 500 {
            let detail = format!("Discord answered {status}");
            return Outcome::Transient(api.map_or(
                DiscordError::Network {
                    route: route.to_string(),
                    detail,
                },
                DiscordError::Api,
            ));
        }
        let Some(api) = api else {
            self.stop("an HTML error page");
            return Outcome::Fail(DiscordError::EdgeBlocked {
                status,
                route: route.to_string(),
            });
        };
        let shared = header_str(headers, "x-ratelimit-scope") == Some("shared");
        if matches!(status, 401 | 403) || (status == 429 && !shared) {
            self.state.borrow_mut().invalid += 1;
        }
        if status == 429 {
            let too_many = too_many(&body, headers);
            self.log(
                1,
                &format!(
                    "429 on {route}: retry after {}s (global: {})",
                    too_many.retry_after, too_many.global
                ),
            );
            self.state
                .borrow_mut()
                .limiter
                .limited(route, &too_many, self.clock.now());
            return Outcome::RateLimited;
        }
        if status == 401 {
            self.stop("the token was refused (401)");
        }
        Outcome::Fail(DiscordError::Api(api))
    }

    fn stop(&self, why: &str) {
        self.state.borrow_mut().stopped = Some(why.to_string());
    }

    /// Talk on stderr at `-v` and above; the token is scrubbed from anything said.
    fn log(&self, level: i8, message: &str) {
        if self.options.verbosity >= level {
            eprintln!("tsudoi: {}", message.replace(self.token.expose(), "(redacted)"));
        }
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

fn versioned_base(base: &str) -> Result<String, DiscordError> {
    let trimmed = base.trim_end_matches('/');
    let version = trimmed.rsplit('/').next().unwrap_or_default();
    let versioned = version.len() > 1
        && version.starts_with('v')
        && version[1..].bytes().all(|b| b.is_ascii_digit())
        && (trimmed.starts_with("https://") || trimmed.starts_with("http://"));
    if versioned {
        Ok(trimmed.to_string())
    } else {
        Err(DiscordError::BadBase {
            base: base.to_string(),
        })
    }
}

/// Audit log reasons travel URL-encoded (UTF-8), at most 512 characters.
fn audit_reason(reason: &str) -> String {
    let short: String = reason.chars().take(170).collect();
    percent_encoding::utf8_percent_encode(&short, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn decode<T: DeserializeOwned>(route: &str, body: &[u8]) -> Result<T, DiscordError> {
    serde_json::from_slice(body).map_err(|e| DiscordError::Decode {
        route: route.to_string(),
        detail: e.to_string(),
    })
}

fn network(route: &Route, error: reqwest::Error) -> DiscordError {
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

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn is_json(headers: &HeaderMap) -> bool {
    header_str(headers, "content-type").is_some_and(|t| t.contains("json"))
}

fn rate_headers(headers: &HeaderMap) -> ratelimit::Headers {
    let number = |name: &str| header_str(headers, name).and_then(|v| v.parse::<f64>().ok());
    ratelimit::Headers {
        bucket: header_str(headers, "x-ratelimit-bucket").map(str::to_string),
        limit: number("x-ratelimit-limit").map(|n| n as u32),
        remaining: number("x-ratelimit-remaining").map(|n| n as u32),
        reset_after: number("x-ratelimit-reset-after"),
    }
}

/// A 429 body says how long to wait; `Retry-After` (whole seconds) is the fallback.
fn too_many(body: &[u8], headers: &HeaderMap) -> TooMany {
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
    fn the_base_must_name_an_api_version() {
        assert_eq!(
            versioned_base("https://discord.com/api/v10/").unwrap(),
            DEFAULT_API_BASE
        );
        assert!(versioned_base("http://127.0.0.1:9/api/v10").is_ok());
        for bad in [
            "https://discord.com/api",
            "discord.com/api/v10",
            "https://x/v",
            "https://x/vx",
        ] {
            assert!(versioned_base(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn user_agent_has_the_required_form() {
        assert!(USER_AGENT.starts_with("DiscordBot (https://"), "{USER_AGENT}");
        assert!(USER_AGENT.ends_with(&format!(", {})", env!("CARGO_PKG_VERSION"))));
    }

    #[test]
    fn audit_reasons_are_url_encoded() {
        assert_eq!(
            audit_reason("tsudoi roles 2026-02-17"),
            "tsudoi%20roles%202026%2D02%2D17"
        );
    }
}
