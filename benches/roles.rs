//! `cargo bench --bench roles`: one `roles` run against the fake Discord with 1,000 members,
//! 1,500 messages under the post and about 800 valid declarations, under short rate-limit
//! windows; then a second run. Prints requests by route, 429s, wall time and the floor: the
//! least time the fake's limits allow for the requests made (each bucket drained at its limit
//! per window, buckets in parallel; a lower bound that ignores that reads must come first).
//!
//! `BENCH_LIMIT` (default 5) requests per `BENCH_WINDOW_MS` (default 1000) per bucket.

#[allow(dead_code, unused_imports)]
#[path = "../tests/cli/fake/mod.rs"]
mod fake;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use fake::FakeDiscord;
use fake::state::{BOT, BOT_ROLE, GUILD, SHARE, SIGNUP, State, TOKEN};
use tsudoi::discord::{Client, Options, Snowflake, Token};
use tsudoi::event::Directory;
use tsudoi::roles::{self, PostRef};
use tsudoi::state::Ledger;

const MEMBERS: u64 = 1000;
const MESSAGES: usize = 1500;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn at(h: u32, m: u32, s: u32) -> u64 {
    Utc.with_ymd_and_hms(2026, 2, 17, h, m, s)
        .unwrap()
        .timestamp_millis() as u64
}

/// 1,000 members; 1,500 messages under the post: 800 valid declarations, 60 late, 60 without
/// an avatar, 30 from members who left, 100 second declarations, 150 「参加しません」, 300
/// chatter; 20 boosters among the members who did not declare.
fn populate(state: &mut State) -> u64 {
    state
        .roles
        .iter_mut()
        .find(|r| r.id == BOT_ROLE)
        .unwrap()
        .position = 5;
    let user = |n: u64| 700_000_000_000_000_000 + n;
    for n in 1..=MEMBERS {
        state.member(user(n), &[]);
    }
    let post = state.post_at(SIGNUP, BOT, "イベントのお知らせ", at(0, 0, 0), None);
    let mut messages: Vec<(u64, &str, u64)> = Vec::new();
    for n in 1..=800 {
        messages.push((user(n), "参加します！", at(6, 0, 0) + n * 1000));
    }
    for n in 801..=860 {
        messages.push((user(n), "参加します", at(6, 40, 0) + n));
    }
    for n in 861..=920 {
        state.users.get_mut(&user(n)).unwrap().avatar = None;
        messages.push((user(n), "参加 します", at(6, 1, 0) + n));
    }
    for n in 1001..=1030 {
        state.user(user(n), &format!("gone{n}"), false);
        messages.push((user(n), "参加します", at(6, 2, 0) + n));
    }
    for n in 1..=100 {
        messages.push((user(n), "参加します（二回目）", at(6, 25, 0) + n));
    }
    for n in 921..=1000 {
        messages.push((user(n), "参加しません", at(6, 3, 0) + n));
        messages.push((user(n), "参加しませんか？", at(6, 3, 30) + n));
    }
    while messages.len() < MESSAGES {
        let n = (messages.len() as u64 % 1000) + 1;
        messages.push((user(n), "こんにちは", at(6, 4, 0) + messages.len() as u64));
    }
    for (author, text, ms) in messages {
        state.post_at(SIGNUP, author, text, ms, Some(post));
    }
    for n in 981..=1000 {
        state.members.get_mut(&user(n)).unwrap().premium_since = Some("2025-01-01T00:00:00+00:00".into());
    }
    post
}

fn directory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let series = std::fs::read_to_string(format!("{root}/events/tsudoi.toml")).unwrap().replace(
        "# guild_id = \"...\"\n# signup_channel_id = \"...\"   # #event\n# share_channel_id = \"...\"    # where role holders read the viewer URL",
        &format!("guild_id = \"{GUILD}\"\nsignup_channel_id = \"{SIGNUP}\"\nshare_channel_id = \"{SHARE}\""),
    );
    std::fs::write(dir.path().join("tsudoi.toml"), series).unwrap();
    let event = std::fs::read_to_string(format!("{root}/events/2026-02-17.toml")).unwrap();
    std::fs::write(dir.path().join("2026-02-17.toml"), event).unwrap();
    dir
}

struct Figures {
    by_route: BTreeMap<String, usize>,
    reads: usize,
    writes: usize,
    too_many: usize,
    floor: Duration,
}

/// What the fake saw from `from` on: requests by documented route, and the floor of its buckets.
fn figures(fake: &FakeDiscord, from: usize, limit: u32, window: Duration) -> Figures {
    let log = &fake.log()[from..];
    let spec = fake::openapi::Spec::get();
    let mut by_route = BTreeMap::new();
    let mut buckets: BTreeMap<(String, String), u32> = BTreeMap::new();
    for entry in log {
        let (template, params) = spec.template(&entry.path).unwrap();
        *by_route
            .entry(format!("{} {template}", entry.method))
            .or_default() += 1;
        let major = params.first().map(|(_, v)| v.clone()).unwrap_or_default();
        *buckets
            .entry((format!("{} {template}", entry.method), major))
            .or_default() += 1;
    }
    let per_bucket = buckets.values().map(|n| window * (n.div_ceil(limit) - 1));
    // Discord's global limit, 50 requests per second, in force across buckets.
    let global = Duration::from_secs(log.len().div_ceil(50).saturating_sub(1) as u64);
    Figures {
        reads: log.iter().filter(|l| l.method == "GET").count(),
        writes: log.iter().filter(|l| l.method != "GET").count(),
        too_many: log.iter().filter(|l| l.status == 429).count(),
        floor: per_bucket.chain([global]).max().unwrap_or_default(),
        by_route,
    }
}

fn main() {
    let limit = env("BENCH_LIMIT", 5) as u32;
    let window = Duration::from_millis(env("BENCH_WINDOW_MS", 1000));
    let fake = FakeDiscord::builder().rate_limit(limit, window).start();
    let post = fake.state(populate);
    let members = fake.state(|s| s.members.len());
    let dir = directory();
    let loaded = Directory::load(dir.path()).unwrap();
    let series = loaded.series().unwrap();
    let event = loaded.event("2026-02-17").unwrap();
    let options = Options {
        base: fake.base(),
        max_wait: Duration::from_secs(3600),
        ..Options::default()
    };
    let post = PostRef {
        channel: Snowflake(SIGNUP),
        message: Snowflake(post),
        in_thread: false,
    };
    let now = Utc.with_ymd_and_hms(2026, 2, 17, 8, 0, 0).unwrap();
    println!(
        "roles benchmark: {members} members, {MESSAGES} messages, {limit} requests per {window:?} per bucket"
    );
    for run in 1..=2 {
        let client = Client::new(Token::new(TOKEN).unwrap(), options.clone()).unwrap();
        let from = fake.log().len();
        let started = Instant::now();
        let target = roles::Run {
            client: &client,
            series,
            event,
            post: &post,
            now,
            progress: false,
        };
        let report = roles::run(&target, &mut Ledger::default()).unwrap();
        let wall = started.elapsed();
        let f = figures(&fake, from, limit, window);
        let c = &report.counts;
        println!(
            "\nrun {run}: {} considered, {} granted, {} already had, {} rejected, {} failed; {} reactions",
            c.considered, c.granted, c.already_had, c.rejected, c.failed, report.writes.reactions
        );
        for (route, count) in &f.by_route {
            println!("  {count:>5}  {route}");
        }
        let read_budget = MESSAGES.div_ceil(100) + members.div_ceil(1000) + 5;
        println!(
            "  reads {} (target ≤ {read_budget}), writes {}, 429s {}",
            f.reads, f.writes, f.too_many
        );
        let ratio = wall.as_secs_f64() / f.floor.as_secs_f64().max(f64::EPSILON);
        println!(
            "  wall {wall:.2?}, floor {:.2?}, wall/floor {ratio:.3} (target ≤ 1.15)",
            f.floor
        );
    }
}
