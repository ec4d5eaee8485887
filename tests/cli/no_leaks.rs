//! Nothing leaks: the token and every viewer URL (current or former) stay out of every output,
//! errors and `--json` included, whatever a server echoes and at every verbosity.

use chrono::{DateTime, Utc};

use crate::fake::Fault;
use crate::fake::state::{SHARE, TOKEN};
use crate::scenario::{configured, fake, jst};
use crate::util::{Dir, Output};

const URL: &str = "https://viewer.example/room/leak-check-first?k=a1&x=1";
const NEW_URL: &str = "https://viewer.example/room/leak-check-second";

fn run_with(base: &str, url: &str, dir: &Dir, at: DateTime<Utc>, args: &[&str]) -> Output {
    let now = at.to_rfc3339();
    let mut all = vec!["--now", now.as_str()];
    all.extend_from_slice(args);
    let env = [
        ("DISCORD_API_BASE", base),
        ("DISCORD_TOKEN", TOKEN),
        ("SHIGURADIO_VIEWER_URL", url),
    ];
    dir.tsudoi(&all).envs(&env).run()
}

/// Every secret's telling part, in the spellings a body or a log may use.
fn assert_clean(what: &str, text: &str) {
    for secret in [TOKEN, "leak-check-first", "leak-check-second"] {
        assert!(!text.contains(secret), "{what} shows `{secret}`:\n{text}");
    }
}

fn assert_output_clean(what: &str, out: &Output) {
    assert_clean(&format!("{what} (stdout)"), &out.stdout);
    assert_clean(&format!("{what} (stderr)"), &out.stderr);
}

#[test]
fn a_token_a_server_echoes_in_a_500_is_scrubbed_from_the_error_and_the_json() {
    let fake = fake();
    let dir = configured("");
    fake.fail("GET /users/@me", Fault::EchoAuth, 4);
    let out = run_with(
        &fake.base(),
        URL,
        &dir,
        jst(12, 0),
        &["--json", "post", "2026-02-17"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("upstream rejected Bot (redacted)"),
        "the error still says what happened: {}",
        out.stderr
    );
    assert_output_clean("post", &out);
    let message = out.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains("(redacted)"), "{message}");
}

#[test]
fn a_token_placed_in_the_api_base_is_scrubbed() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let dir = configured("");
    for base in [
        format!("http://127.0.0.1:{port}/{TOKEN}/api/v10"),
        format!("http://127.0.0.1:{port}/{TOKEN}"),
    ] {
        for args in [&["post", "2026-02-17"][..], &["--json", "post", "2026-02-17"]] {
            let out = run_with(&base, URL, &dir, jst(12, 0), args);
            assert_eq!(out.code, 1, "{args:?}: {}{}", out.stdout, out.stderr);
            assert_output_clean(&format!("{base} {args:?}"), &out);
        }
    }
}

/// A full event day at `-vvv`, with the URL rotated after it was shared: every command's
/// output and the ledger hold neither the token nor either URL.
#[test]
fn an_event_day_at_vvv_shows_neither_the_token_nor_any_url() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"\nclose_notice = true");
    let base = fake.base();
    let mut outputs: Vec<(String, Output)> = Vec::new();
    let mut step = |url: &str, at: DateTime<Utc>, args: &[&str]| {
        fake.state(|s| s.clock_ms = Some(at.timestamp_millis() as u64));
        let mut all = vec!["-vvv"];
        all.extend_from_slice(args);
        let out = run_with(&base, url, &dir, at, &all);
        outputs.push((format!("{at} {args:?}"), out));
    };
    for args in [
        &["check"][..],
        &["list"],
        &["plan"],
        &["show", "2026-02-17"],
        &["announce"],
        &["announce", "--format", "discord"],
        &["doctor"],
        &["--json", "doctor"],
    ] {
        step(URL, jst(13, 0), args);
    }
    step(URL, jst(14, 0), &["tick"]);
    step(URL, jst(14, 10), &["roles", "2026-02-17"]);
    step(URL, jst(14, 20), &["share", "2026-02-17", "--dry-run"]);
    step(URL, jst(14, 20), &["--json", "share", "2026-02-17", "--dry-run"]);
    step(URL, jst(14, 45), &["tick"]);
    // The URL rotates after the share: the old one is read back with the channel's messages.
    for (at, args) in [
        (jst(14, 50), &["--json", "tick"][..]),
        (jst(14, 55), &["tick"]),
        (jst(15, 0), &["plan"]),
        (jst(15, 30), &["tick"]),
        (jst(17, 1), &["tick"]),
        (jst(17, 1), &["--json", "show", "2026-02-17"]),
    ] {
        step(NEW_URL, at, args);
    }
    let shared = fake.state(|s| {
        s.messages
            .values()
            .filter(|m| m.channel_id == SHARE)
            .map(|m| m.content.clone())
            .collect::<Vec<_>>()
    });
    // The share went out with the first URL and was edited in place when it rotated.
    assert!(
        shared.iter().any(|m| m.contains(NEW_URL)),
        "the rotated URL was shared: {shared:?}"
    );
    assert!(
        outputs.iter().any(|(_, o)| o.stderr.contains("body:")),
        "-vvv logs the bodies"
    );
    for (what, out) in &outputs {
        assert_output_clean(what, out);
    }
    let state = dir.path().join(".state");
    for entry in std::fs::read_dir(&state).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert_clean(&path.display().to_string(), &text);
        #[cfg(unix)]
        if path.extension().is_some_and(|e| e == "toml") {
            assert_eq!(mode(&path), 0o600, "the ledger is private: {}", path.display());
        }
    }
    #[cfg(unix)]
    assert_eq!(mode(&state), 0o700, "the state folder is private");
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
