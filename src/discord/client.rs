//! The one HTTP client: authenticates, identifies itself, waits for rate limits before sending,
//! retries only what is safe to retry, and stops before Discord would ban the IP. It follows no
//! redirect, reads no answer past a size cap, and keeps to its deadline.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client as Http, RequestBuilder, Response};
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;

use super::error::{ApiError, DiscordError};
use super::plan::Planned;
use super::ratelimit::Limiter;
use super::redact::{self, Kind};
use super::request::{audit_reason, backoff};
use super::response::{
    decode, describe, header_str, is_json, location_host, network, rate_headers, read_body, too_many,
};
use super::route::{Method, Route};
use super::token::Token;

use super::options::versioned_base;
pub use super::options::{Clock, DEFAULT_API_BASE, Options, SystemClock, USER_AGENT};
pub use super::request::Request;

#[derive(Default)]
struct State {
    limiter: Limiter,
    /// Requests sent to Discord (each attempt counts), for `-v` summaries.
    sent: u32,
    waited: Duration,
    invalid: u32,
    stopped: Option<String>,
    /// A request or a wait was refused because it would pass the deadline.
    out_of_time: bool,
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
        // Registered first: from here on no output, log or error may show it.
        redact::register(Kind::Token, token.expose());
        options.base = versioned_base(&options.base)?;
        let http = Http::builder()
            .user_agent(USER_AGENT)
            // Discord's API does not redirect; following one would re-send a body (the viewer
            // URL) and the token's request to another host.
            .redirect(reqwest::redirect::Policy::none())
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

    /// Whether the deadline has passed, or a request or wait was refused for it: what is left is
    /// for the next run.
    pub fn out_of_time(&self) -> bool {
        self.state.borrow().out_of_time || self.options.deadline.is_some_and(|d| self.clock.now() >= d)
    }

    /// How many requests were sent to Discord so far (retries included).
    pub fn requests_sent(&self) -> u32 {
        self.state.borrow().sent
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
        if self.out_of_time() {
            return Err(self.ran_out(route, None));
        }
        loop {
            let delay = self.state.borrow().limiter.delay(route, self.clock.now());
            let Some((wait, why)) = delay else { break };
            self.wait(wait, route, why.as_str())?;
        }
        self.state.borrow_mut().limiter.sent(self.clock.now());
        Ok(())
    }

    fn wait(&self, wait: Duration, route: &Route, why: &'static str) -> Result<(), DiscordError> {
        if self.options.deadline.is_some_and(|d| self.clock.now() + wait > d) {
            return Err(self.ran_out(route, Some((wait, why))));
        }
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

    /// Note that the deadline stopped `route`; everything after it waits for the next run.
    fn ran_out(&self, route: &Route, waiting: Option<(Duration, &'static str)>) -> DiscordError {
        self.state.borrow_mut().out_of_time = true;
        DiscordError::OutOfTime {
            route: route.to_string(),
            waiting,
        }
    }

    /// The time one request may take: the configured timeout, cut to end by the deadline.
    fn request_timeout(&self) -> Duration {
        let left = |deadline: Instant| deadline.saturating_duration_since(self.clock.now());
        self.options
            .deadline
            .map_or(self.options.timeout, |d| self.options.timeout.min(left(d)))
    }

    fn attempt(&self, request: &Request) -> Outcome {
        let route = &request.route;
        self.log(1, &format!("→ {route}"));
        self.state.borrow_mut().sent += 1;
        let response = match self.build(request).timeout(self.request_timeout()).send() {
            Ok(response) => response,
            Err(error) => return Outcome::Transient(network(route, error)),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if (300..400).contains(&status) {
            return self.redirected(route, status, &response);
        }
        let body = match read_body(route, response) {
            Ok(body) => body,
            Err(error @ DiscordError::TooLarge { .. }) => return Outcome::Fail(error),
            Err(error) => return Outcome::Transient(error),
        };
        let limits = rate_headers(&headers);
        self.state
            .borrow_mut()
            .limiter
            .update(route, &limits, self.clock.now());
        let bucket = match (&limits.bucket, limits.remaining, limits.reset_after) {
            (Some(bucket), Some(left), Some(reset)) => {
                format!(" (bucket {bucket}: {left} left, resets in {reset}s)")
            }
            _ => String::new(),
        };
        self.log(1, &format!("← {status} {route}{bucket}"));
        if self.options.verbosity >= 2 {
            self.log(2, &format!("  body: {}", loggable(&body)));
        }
        self.judge(route, status, &headers, body)
    }

    /// A redirect is never followed: its body is not read, the run stops, and the error names
    /// only the host it pointed to.
    fn redirected(&self, route: &Route, status: u16, response: &Response) -> Outcome {
        self.log(1, &format!("← {status} {route} (a redirect, not followed)"));
        self.stop("a redirect");
        Outcome::Fail(DiscordError::Redirect {
            status,
            route: route.to_string(),
            location: location_host(response.headers(), response.url().as_str()),
        })
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
                self.log(
                    2,
                    &format!("  request body: {}", loggable(body.to_string().as_bytes())),
                );
                builder.json(body)
            }
            // Discord answers 411 to a body-less write without an explicit zero length.
            None if route.method != Method::Get => {
                builder.header(header::CONTENT_LENGTH, "0").body(Vec::new())
            }
            None => builder,
        }
    }

    /// Sort an answer into done, retry-after-waiting, retry-if-safe, or fail. An answer that is
    /// not Discord's is transient: a success page is retried like a 5xx, an error page stops
    /// the run (an edge block grows with every request) and is left for the next run.
    fn judge(&self, route: &Route, status: u16, headers: &HeaderMap, body: Vec<u8>) -> Outcome {
        let json = is_json(headers);
        if (200..300).contains(&status) {
            if body.is_empty() || json {
                return Outcome::Done(body);
            }
            return Outcome::Transient(DiscordError::NotDiscord {
                status,
                route: route.to_string(),
                what: describe(headers),
            });
        }
        if status == 429 && json {
            return self.rate_limited(route, headers, &body);
        }
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
            self.stop("an answer that is not Discord's");
            return Outcome::Fail(DiscordError::EdgeBlocked {
                status,
                route: route.to_string(),
                what: describe(headers),
            });
        };
        if matches!(status, 401 | 403) {
            self.state.borrow_mut().invalid += 1;
        }
        if status == 401 {
            self.stop("the token was refused (401)");
        }
        Outcome::Fail(DiscordError::Api(api))
    }

    /// A 429 from Discord: learn how long to wait; it counts as refused unless it is about a
    /// shared resource rather than the bot.
    fn rate_limited(&self, route: &Route, headers: &HeaderMap, body: &[u8]) -> Outcome {
        if header_str(headers, "x-ratelimit-scope") != Some("shared") {
            self.state.borrow_mut().invalid += 1;
        }
        let too_many = too_many(body, headers);
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
        Outcome::RateLimited
    }

    fn stop(&self, why: &str) {
        self.state.borrow_mut().stopped = Some(why.to_string());
    }

    /// Talk on stderr at `-v` and above; the token and every other secret are scrubbed.
    fn log(&self, level: i8, message: &str) {
        if self.options.verbosity >= level {
            eprintln!("tsudoi: {}", self.scrub(message));
        }
    }

    /// Treat `secret` (a viewer URL) like the token: it never appears in any output.
    pub fn add_secret(&self, secret: &str) {
        redact::register(Kind::ViewerUrl, secret);
    }

    /// `text` with the token and every registered secret replaced by `(redacted)`.
    pub fn scrub(&self, text: &str) -> String {
        redact::scrub(text).into_owned()
    }
}

/// A body for a log line: every secret and every URL (a viewer URL shared earlier is no longer
/// known, but may be read back) removed before it is cut to a readable length.
fn loggable(body: &[u8]) -> String {
    let text = redact::redact_urls(&redact::scrub(&String::from_utf8_lossy(body)));
    match text.char_indices().nth(600) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}
