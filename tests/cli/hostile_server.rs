//! tick against servers that misbehave: answers that are not Discord's (HTML with 200, cut JSON,
//! an HTML 404) are retried by the next tick, a redirect is never followed, a huge answer is not
//! read, and a server that never answers does not hold the tick past its time budget.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tsudoi::discord::client::Clock;

use crate::fake::state::{GUILD, SHARE, TOKEN};
use crate::fake::{FakeDiscord, Fault};
use crate::scenario::{URL, configured, fake, jst};
use crate::util::{Dir, Output};

/// `tsudoi tick` against `base`.
fn tick(base: &str, dir: &Dir, at: DateTime<Utc>) -> Output {
    dir.tsudoi(["--now", &at.to_rfc3339(), "tick"])
        .envs(&[
            ("DISCORD_API_BASE", base),
            ("DISCORD_TOKEN", TOKEN),
            ("SHIGURADIO_VIEWER_URL", URL),
        ])
        .run()
}

/// Messages the bot posted in the share channel.
fn shared(fake: &FakeDiscord) -> usize {
    fake.state(|s| s.messages.values().filter(|m| m.channel_id == SHARE).count())
}

/// The next tick against a healthy server shares: nothing was given up.
fn assert_retried(fake: &FakeDiscord, dir: &Dir) {
    fake.clear_faults();
    let next = tick(&fake.base(), dir, jst(14, 46));
    assert!(
        next.stdout.contains("URL share  done"),
        "the next tick retries: {}{}",
        next.stdout,
        next.stderr
    );
    assert_eq!(shared(fake), 1);
}

#[test]
fn an_answer_that_is_not_discords_is_retried_by_the_next_tick() {
    let read = format!("GET /channels/{SHARE}/messages");
    for (fault, words) in [
        (Fault::Html(200), "HTML page (200)"),
        (Fault::Truncated, "cut short"),
        (Fault::Html(404), "HTML page (404)"),
    ] {
        let fake = fake();
        let dir = configured("onair_notice = false");
        fake.fail(&read, fault.clone(), 100);
        let first = tick(&fake.base(), &dir, jst(14, 45));
        assert_eq!(first.code, 1, "{fault:?}: {}{}", first.stdout, first.stderr);
        assert!(
            first.stdout.contains("URL share  FAILED") && first.stdout.contains(words),
            "{fault:?}: {}",
            first.stdout
        );
        assert!(!first.stdout.contains("<html") && !first.stdout.contains("<!DOCTYPE"));
        assert_eq!(shared(&fake), 0);
        assert_retried(&fake, &dir);
    }
}

/// A listener that answers nothing and records every byte it is sent.
struct Witness {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<u8>>>,
}

impl Witness {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = received.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                let mut buffer = [0; 4096];
                // Read what arrives, then hang up without answering.
                while let Ok(n @ 1..) = stream.read(&mut buffer) {
                    sink.lock().unwrap().extend_from_slice(&buffer[..n]);
                }
            }
        });
        Self { addr, received }
    }
}

#[test]
fn a_redirect_is_not_followed_and_the_url_goes_nowhere_else() {
    for status in [307, 308] {
        let fake = fake();
        let witness = Witness::start();
        let dir = configured("onair_notice = false");
        let elsewhere = format!("http://{}/api/v10/channels/{SHARE}/messages", witness.addr);
        let post = format!("POST /channels/{SHARE}/messages");
        fake.fail(&post, Fault::Redirect(status, elsewhere), 100);
        let first = tick(&fake.base(), &dir, jst(14, 45));
        assert!(
            witness.received.lock().unwrap().is_empty(),
            "the other host received: {}",
            String::from_utf8_lossy(&witness.received.lock().unwrap())
        );
        assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
        assert!(
            first
                .stdout
                .contains(&format!("redirected ({status}) to `{}`", witness.addr)),
            "{}",
            first.stdout
        );
        assert!(!first.stdout.contains(URL) && !first.stderr.contains(URL));
        assert_eq!(fake.count(&post), 1, "a redirect stops the run");
        assert_retried(&fake, &dir);
    }
}

/// How a hostile server answers each request.
#[derive(Clone, Copy)]
enum Hostile {
    /// 200 with a JSON content type and this many bytes, announced in Content-Length.
    Declared(u64),
    /// 200 with a JSON content type and this many bytes, chunked (length unknown up front).
    Chunked(u64),
    /// Accept, read the request, never answer.
    Silent,
}

/// A server that answers every request the same hostile way, and counts the body bytes it
/// managed to send.
struct HostileServer {
    addr: SocketAddr,
    sent: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl HostileServer {
    fn start(behaviour: Hostile) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let sent = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (counter, stopping) = (sent.clone(), stop.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (counter, stopping) = (counter.clone(), stopping.clone());
                thread::spawn(move || answer(stream, behaviour, &counter, &stopping));
            }
        });
        Self { addr, sent, stop }
    }

    fn base(&self) -> String {
        format!("http://{}/api/v10", self.addr)
    }

    fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Read one request head, then misbehave.
fn answer(mut stream: TcpStream, behaviour: Hostile, sent: &AtomicU64, stop: &AtomicBool) {
    let mut head = Vec::new();
    let mut byte = [0; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let json = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";
    let (length, chunked) = match behaviour {
        Hostile::Declared(length) => {
            let _ = write!(stream, "{json}content-length: {length}\r\n\r\n");
            (length, false)
        }
        Hostile::Chunked(length) => {
            let _ = write!(stream, "{json}transfer-encoding: chunked\r\n\r\n");
            (length, true)
        }
        Hostile::Silent => {
            // Hold the connection open, saying nothing, until the client hangs up.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
            while !stop.load(Ordering::SeqCst) {
                match stream.read(&mut byte) {
                    Ok(0) => return,
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(_) => return,
                }
            }
            return;
        }
    };
    let chunk = vec![b' '; 64 * 1024];
    let mut left = length;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        let written = if chunked {
            write!(stream, "{n:x}\r\n")
                .and_then(|()| stream.write_all(&chunk[..n]))
                .and_then(|()| stream.write_all(b"\r\n"))
        } else {
            stream.write_all(&chunk[..n])
        };
        if written.is_err() {
            return;
        }
        sent.fetch_add(n as u64, Ordering::SeqCst);
        left -= n as u64;
    }
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n");
    }
}

const MIB: u64 = 1024 * 1024;

#[test]
fn an_answer_larger_than_the_cap_is_refused_without_reading_it_whole() {
    for behaviour in [Hostile::Declared(128 * MIB), Hostile::Chunked(128 * MIB)] {
        let server = HostileServer::start(behaviour);
        let dir = configured("onair_notice = false");
        let first = tick(&server.base(), &dir, jst(14, 45));
        assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
        assert!(
            first.stdout.contains("URL share  FAILED") && first.stdout.contains("answer too large"),
            "{}",
            first.stdout
        );
        assert!(
            server.sent() < 64 * MIB,
            "the client read {} MiB of a huge answer",
            server.sent() / MIB
        );
        let fake = fake();
        assert_retried(&fake, &dir);
    }
}

/// Wait for `child`, at most `limit`; a child still running then is killed and the test fails.
fn finish_within(mut child: Child, limit: Duration) -> (Duration, String) {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            let mut stdout = String::new();
            child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
            return (started.elapsed(), stdout);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tick still ran after {limit:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_server_that_never_answers_does_not_hold_the_tick() {
    let server = HostileServer::start(Hostile::Silent);
    let dir = configured("onair_notice = false");
    let child = dir
        .tsudoi(["tick"])
        .now(&jst(14, 45).to_rfc3339())
        .env("DISCORD_API_BASE", &server.base())
        .env("DISCORD_TOKEN", TOKEN)
        .env("SHIGURADIO_VIEWER_URL", URL)
        .env("TSUDOI_HTTP_TIMEOUT", "200ms")
        .spawn();
    // Four tries of 200 ms and their backoff take seconds; the old 30 s timeout took minutes.
    let (_, stdout) = finish_within(child, Duration::from_secs(40));
    assert!(
        stdout.contains("URL share  FAILED") && stdout.contains("timed out"),
        "{stdout}"
    );
    let fake = fake();
    assert_retried(&fake, &dir);
}

#[test]
fn when_the_time_budget_is_used_up_the_rest_is_not_attempted_and_retried_next_tick() {
    let fake = fake();
    let dir = configured("");
    // Waiting a minute for a rate limit would pass the tick's budget: nothing waits for real.
    fake.fail(
        "GET ",
        Fault::TooMany {
            retry_after: 60.0,
            global: false,
        },
        1,
    );
    let started = Instant::now();
    let first = tick(&fake.base(), &dir, jst(14, 57));
    assert!(started.elapsed() < Duration::from_secs(30), "the tick waited");
    assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
    assert!(first.stdout.contains("time budget"), "{}", first.stdout);
    assert!(
        first
            .stdout
            .contains("on-air notice  FAILED  not attempted: time budget used up, the next tick retries"),
        "{}",
        first.stdout
    );
    assert!(
        first.stderr.contains("time budget") && first.stderr.contains("next tick"),
        "{}",
        first.stderr
    );
    let next = tick(&fake.base(), &dir, jst(14, 58));
    assert_eq!(next.code, 0, "{}{}", next.stdout, next.stderr);
    assert!(next.stdout.contains("URL share  done"), "{}", next.stdout);
    assert!(next.stdout.contains("on-air notice  done"), "{}", next.stdout);
}

#[test]
fn the_request_timeout_must_be_a_duration() {
    let dir = configured("");
    let out = dir
        .tsudoi(["tick"])
        .envs(&[("TSUDOI_HTTP_TIMEOUT", "soon")])
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("TSUDOI_HTTP_TIMEOUT"), "{}", out.stderr);
}

/// A stopped clock that moves only when the client sleeps: nothing waits for real.
#[derive(Clone)]
struct SkippingClock {
    start: Instant,
    slept: Arc<Mutex<Duration>>,
}

impl Clock for SkippingClock {
    fn now(&self) -> Instant {
        self.start + *self.slept.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) {
        *self.slept.lock().unwrap() += duration;
    }
}

/// A client of `fake` whose deadline is `budget` from its clock's start.
fn client_with_budget(fake: &FakeDiscord, budget: Duration) -> (tsudoi::discord::Client, SkippingClock) {
    let clock = SkippingClock {
        start: Instant::now(),
        slept: Arc::default(),
    };
    let options = tsudoi::discord::Options {
        base: fake.base(),
        deadline: Some(clock.start + budget),
        max_wait: Duration::from_secs(600),
        ..crate::fake::fast_options()
    };
    let token = tsudoi::discord::Token::new(TOKEN).unwrap();
    let client = tsudoi::discord::Client::with_clock(token, options, Box::new(clock.clone())).unwrap();
    (client, clock)
}

#[test]
fn the_client_starts_no_request_and_no_wait_past_its_deadline() {
    let fake = fake();
    let (client, clock) = client_with_budget(&fake, Duration::from_secs(45));
    client.current_user().unwrap();
    assert!(!client.out_of_time());
    // A 429 asking for 50 s: waiting would pass the deadline, so the client does not wait.
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 50.0,
            global: false,
        },
        1,
    );
    let error = client.current_user().unwrap_err();
    assert!(
        matches!(error, tsudoi::discord::DiscordError::OutOfTime { .. }) && error.is_transient(),
        "{error}"
    );
    assert!(
        error.to_string().contains("would pass the time budget"),
        "{error}"
    );
    assert_eq!(*clock.slept.lock().unwrap(), Duration::ZERO, "nothing was waited");
    assert!(client.out_of_time());
    let sent = fake.log().len();
    assert!(client.guild(crate::fake::id(GUILD)).is_err());
    assert_eq!(
        fake.log().len(),
        sent,
        "no request starts once the budget is used up"
    );

    // A short wait within the budget is waited; past the deadline nothing more is sent.
    let fake = self::fake();
    let (client, clock) = client_with_budget(&fake, Duration::from_secs(10));
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 9.5,
            global: false,
        },
        1,
    );
    client.current_user().unwrap();
    assert_eq!(*clock.slept.lock().unwrap(), Duration::from_millis(9500));
    clock.sleep(Duration::from_secs(1));
    assert!(client.out_of_time());
    let sent = fake.log().len();
    let error = client.current_user().unwrap_err();
    assert!(
        error.to_string().contains("time budget of this run is used up"),
        "{error}"
    );
    assert_eq!(fake.log().len(), sent);
}
