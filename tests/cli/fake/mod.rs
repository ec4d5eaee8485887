//! A stateful fake Discord on 127.0.0.1: it serves a guild (roles, members, channels,
//! messages, reactions), sends real rate-limit headers with a short window, checks every request
//! against Discord's OpenAPI document and the protocol rules (token, User-Agent, audit-log
//! reason, explicit zero length), fills its own answers out to the documented response schema
//! and checks them too, and can be told to misbehave: 429 (route or global), 5xx, an
//! HTML page, a dropped connection, a stall, a redirect, a truncated body.
//!
//! ```ignore
//! let fake = FakeDiscord::builder().member(42, &[]).role(600, "2026-02-17", 2, 0).start();
//! let client = fake.client(Options::default());
//! ```
//! Dropping the fake fails the test if any request broke the OpenAPI document or the rules.

pub mod clock;
pub mod http;
pub mod openapi;
mod respond;
mod routes;
pub mod scheduled_events;
mod schema;
pub mod state;

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

use clock::FakeClock;
use http::{Handler, Server};
pub use state::State;

/// A request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    /// Under the API base, e.g. `/users/@me`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    pub status: u16,
}

impl Logged {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Something to go wrong, for requests whose `METHOD path` contains the matcher.
#[derive(Debug, Clone)]
pub enum Fault {
    TooMany {
        retry_after: f64,
        global: bool,
    },
    /// A 429 on the resource, not on the bot (`X-RateLimit-Scope: shared`).
    Shared(f64),
    Status(u16),
    Html(u16),
    Drop,
    /// Do the work, then drop the connection before answering.
    DropAfter,
    Stall(Duration),
    /// A 500 whose JSON body echoes the request's `Authorization` header, as a careless
    /// proxy or debug page would.
    EchoAuth,
    /// Answer with this redirect status (307, 308, ...) and `Location`, as a proxy might.
    Redirect(u16, String),
    /// Do the work, then send only the first half of the JSON answer (a well-formed HTTP
    /// message whose body is cut JSON).
    Truncated,
}

struct Injected {
    matcher: String,
    fault: Fault,
    times: usize,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    remaining: u32,
    reset_at: Instant,
}

/// A change another client makes to the state right before a request matching the text is
/// served.
type Hook = (String, Box<dyn FnOnce(&mut State) + Send>);

struct Inner {
    state: State,
    hooks: Vec<Hook>,
    log: Vec<Logged>,
    violations: Vec<String>,
    faults: Vec<Injected>,
    buckets: HashMap<(String, String), Bucket>,
    global_until: Option<Instant>,
    limit: u32,
    window: Duration,
    clock: FakeClock,
}

/// Requests matching `matcher` are held until `count` of them have arrived, and their answers
/// until all `count` are served: racing clients all finish their reads before any of these
/// writes is done, and all the writes are done before any is answered.
struct Gate {
    matcher: String,
    count: usize,
    arrived: usize,
    served: usize,
}

/// How long a held request waits for the others at most, so a test that sends fewer fails on
/// its assertions instead of hanging.
const GATE_PATIENCE: Duration = Duration::from_secs(20);

type Gates = Arc<(Mutex<Vec<Gate>>, Condvar)>;

/// Count `line` in at the first open gate it matches and wait for the others; that gate's index.
fn enter_gate(gates: &Gates, line: &str) -> Option<usize> {
    let index = {
        let mut open = gates.0.lock().unwrap_or_else(|e| e.into_inner());
        let index = open
            .iter()
            .position(|g| g.arrived < g.count && line.contains(&g.matcher))?;
        open[index].arrived += 1;
        index
    };
    wait_at_gate(gates, |g| g[index].arrived >= g[index].count);
    Some(index)
}

fn leave_gate(gates: &Gates, index: usize) {
    gates.0.lock().unwrap_or_else(|e| e.into_inner())[index].served += 1;
    wait_at_gate(gates, |g| g[index].served >= g[index].count);
}

fn wait_at_gate(gates: &Gates, done: impl Fn(&[Gate]) -> bool) {
    let (lock, changed) = &**gates;
    changed.notify_all();
    let deadline = Instant::now() + GATE_PATIENCE;
    let mut all = lock.lock().unwrap_or_else(|e| e.into_inner());
    while !done(&all) && Instant::now() < deadline {
        all = changed
            .wait_timeout(all, deadline - Instant::now())
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

fn run_hook(inner: &Mutex<Inner>, line: &str) {
    let mut inner = inner.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(index) = inner.hooks.iter().position(|(m, _)| line.contains(m.as_str())) {
        let (_, change) = inner.hooks.remove(index);
        change(&mut inner.state);
    }
}

pub struct Builder {
    state: State,
    limit: u32,
    window: Duration,
}

impl Builder {
    pub fn state(mut self, change: impl FnOnce(&mut State)) -> Self {
        change(&mut self.state);
        self
    }

    /// A member of the guild holding `roles` (the user is made up if unknown).
    pub fn member(mut self, user: u64, roles: &[u64]) -> Self {
        self.state.member(user, roles);
        self
    }

    /// A role at `position` (the bot's role `tsudoi` is at 1, `@everyone` at 0).
    pub fn role(mut self, id: u64, name: &str, position: i64, permissions: u64) -> Self {
        self.state.role(id, name, position, permissions);
        self
    }

    /// A channel: 0 text, 5 announcement, 15 forum.
    pub fn channel(mut self, id: u64, kind: u8, name: &str) -> Self {
        self.state.channel(id, kind, name);
        self
    }

    /// The application's flags: which privileged intents are on.
    pub fn app_flags(mut self, flags: u64) -> Self {
        self.state.app_flags = flags;
        self
    }

    /// Requests per bucket per window; the window is kept short so tests wait milliseconds.
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.limit = limit;
        self.window = window;
        self
    }

    pub fn start(self) -> FakeDiscord {
        let clock = FakeClock::stopped();
        let inner = Arc::new(Mutex::new(Inner {
            state: self.state,
            hooks: Vec::new(),
            log: Vec::new(),
            violations: Vec::new(),
            faults: Vec::new(),
            buckets: HashMap::new(),
            global_until: None,
            limit: self.limit,
            window: self.window,
            clock: clock.clone(),
        }));
        let shared = inner.clone();
        let gates: Gates = Arc::default();
        let held = gates.clone();
        let handler: Handler = Arc::new(move |request| {
            let path = request.path.strip_prefix("/api/v10").unwrap_or(&request.path);
            let line = format!("{} {path}", request.method);
            let gate = enter_gate(&held, &line);
            run_hook(&shared, &line);
            let reply = respond::respond(&shared, request);
            if let Some(index) = gate {
                leave_gate(&held, index);
            }
            reply
        });
        let server = Server::start(handler);
        FakeDiscord {
            server,
            inner,
            gates,
            clock,
        }
    }
}

pub struct FakeDiscord {
    server: Server,
    inner: Arc<Mutex<Inner>>,
    gates: Gates,
    clock: FakeClock,
}

impl FakeDiscord {
    pub fn builder() -> Builder {
        Builder {
            state: State::healthy(),
            limit: 10,
            window: Duration::from_millis(50),
        }
    }

    pub fn start() -> Self {
        Self::builder().start()
    }

    /// The API base for a spawned `tsudoi`, which sleeps on the real clock: from now on the
    /// fake's rate-limit windows follow real time too.
    pub fn base(&self) -> String {
        self.clock.follow_real_time();
        self.address()
    }

    fn address(&self) -> String {
        format!("http://{}/api/v10", self.server.addr)
    }

    /// The fake's clock, which in-process clients share: their waits take no real time.
    pub fn clock(&self) -> FakeClock {
        self.clock.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Make the next `times` requests matching `matcher` (e.g. `GET /users/@me`) go wrong.
    pub fn fail(&self, matcher: &str, fault: Fault, times: usize) {
        self.lock().faults.push(Injected {
            matcher: matcher.to_string(),
            fault,
            times,
        });
    }

    /// Right before the first request matching `matcher` is served, change the state the way
    /// another client would at that moment.
    pub fn before(&self, matcher: &str, change: impl FnOnce(&mut State) + Send + 'static) {
        self.lock().hooks.push((matcher.to_string(), Box::new(change)));
    }

    /// Hold the requests matching `matcher` (e.g. `POST /guilds/`) until `count` of them have
    /// arrived, then serve them all before answering any.
    pub fn hold_until(&self, matcher: &str, count: usize) {
        let (lock, _) = &*self.gates;
        lock.lock().unwrap_or_else(|e| e.into_inner()).push(Gate {
            matcher: matcher.to_string(),
            count,
            arrived: 0,
            served: 0,
        });
    }

    /// Behave again: drop every fault still pending.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    pub fn log(&self) -> Vec<Logged> {
        self.lock().log.clone()
    }

    /// The requests that changed (or tried to change) something: every one but the GETs.
    pub fn writes(&self) -> Vec<Logged> {
        self.log().into_iter().filter(|l| l.method != "GET").collect()
    }

    /// The texts of the bot's messages in `channel`, oldest first.
    pub fn bot_messages(&self, channel: u64) -> Vec<String> {
        self.state(|s| {
            s.messages
                .values()
                .filter(|m| m.channel_id == channel && m.author == state::BOT)
                .map(|m| m.content.clone())
                .collect()
        })
    }

    /// How many requests matched `matcher` (`METHOD path` contains it).
    pub fn count(&self, matcher: &str) -> usize {
        self.log()
            .iter()
            .filter(|l| format!("{} {}", l.method, l.path).contains(matcher))
            .count()
    }

    /// Requests answered 429 because the client sent them into an empty bucket or a pause.
    pub fn rate_limited(&self) -> usize {
        self.log().iter().filter(|l| l.status == 429).count()
    }

    pub fn state<T>(&self, read: impl FnOnce(&mut State) -> T) -> T {
        read(&mut self.lock().state)
    }

    pub fn violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }

    /// A client pointed at this fake, with the token it accepts, on the fake's clock.
    pub fn client(&self, options: tsudoi::discord::Options) -> tsudoi::discord::Client {
        self.client_with_token(state::TOKEN, options)
    }

    pub fn client_with_token(
        &self,
        token: &str,
        options: tsudoi::discord::Options,
    ) -> tsudoi::discord::Client {
        let options = tsudoi::discord::Options {
            base: self.address(),
            ..options
        };
        let token = tsudoi::discord::Token::new(token).unwrap();
        tsudoi::discord::Client::with_clock(token, options, Box::new(self.clock())).unwrap()
    }
}

pub fn id(n: u64) -> tsudoi::discord::Snowflake {
    tsudoi::discord::Snowflake(n)
}

/// The status and JSON code of an API error; panics on any other error.
pub fn api_code(error: &tsudoi::discord::DiscordError) -> (u16, Option<u64>) {
    let api = error.api().unwrap_or_else(|| panic!("not an API error: {error}"));
    (api.status, api.code)
}

/// Options that keep tests fast: short backoff (on the fake's clock, so no real wait), and a
/// timeout long enough that a loaded machine never turns a slow answer into a retry.
pub fn fast_options() -> tsudoi::discord::Options {
    tsudoi::discord::Options {
        timeout: Duration::from_secs(20),
        backoff: Duration::from_millis(5),
        backoff_cap: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        ..tsudoi::discord::Options::default()
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        let violations = self.violations();
        if !std::thread::panicking() && !violations.is_empty() {
            panic!(
                "requests broke Discord's API description:\n{}",
                violations.join("\n")
            );
        }
    }
}
