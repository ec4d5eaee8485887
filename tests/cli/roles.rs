//! `tsudoi roles` against the fake: every kind of sign-up and member decided for its reason,
//! the role created once, the share channel opened once, a second run that writes nothing, and
//! each way it stops before granting anything.

use crate::fake::state::{self, BOT, BOT_ROLE, GUILD, SHARE, SIGNUP, TOKEN};
use crate::fake::{Builder, FakeDiscord};
use crate::util::{Dir, Output, Series, shipped_events};
use chrono::{TimeZone, Utc};

/// After the event: every sign-up is in, late ones included.
pub const AFTER: &str = "2026-02-17T08:00:00Z";
pub const ROLE: u64 = 300;

/// Milliseconds since the Unix epoch at 2026-02-17 `h:m:s` UTC (the event starts 06:00 UTC,
/// sign-ups close 06:30 UTC).
pub fn at(h: u32, m: u32, s: u32) -> u64 {
    Utc.with_ymd_and_hms(2026, 2, 17, h, m, s)
        .unwrap()
        .timestamp_millis() as u64
}

/// A user id as configured ids must look (18 digits).
pub fn user(n: u64) -> u64 {
    700_000_000_000_000_000 + n
}

/// The fake with the bot's role high enough to grant event roles.
pub fn builder() -> Builder {
    FakeDiscord::builder().state(|s| {
        s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap().position = 5;
    })
}

/// The event post: a message in the sign-up channel before the event.
pub fn post(fake: &FakeDiscord) -> u64 {
    fake.state(|s| s.post_at(SIGNUP, BOT, "イベントのお知らせ", at(0, 0, 0) - 86_400_000, None))
}

/// The shipped series with the fake's ids; the 2026-02-17 event with `extra` appended.
pub fn configured(extra: &str) -> Dir {
    let event = std::fs::read_to_string(shipped_events().join("2026-02-17.toml")).unwrap();
    Dir::new()
        .series(Series::for_fake())
        .event("2026-02-17", &format!("{event}\n{extra}"))
}

/// The ledger as `post` leaves it: the post's channel and message.
pub fn recorded(dir: Dir, post: u64) -> Dir {
    let ledger = format!(
        "[actions.post]\noutcome = \"done\"\nat = \"2026-02-16T00:00:00Z\"\nchannel_id = \"{SIGNUP}\"\nmessage_ids = [\"{post}\"]\n"
    );
    dir.file(".state/2026-02-17.toml", &ledger)
}

pub fn roles(fake: &FakeDiscord, dir: &Dir, args: &[&str]) -> Output {
    let base = fake.base();
    let mut all = vec!["--now", AFTER, "roles", "2026-02-17"];
    all.extend_from_slice(args);
    dir.tsudoi(&all)
        .envs(&[("DISCORD_API_BASE", &base), ("DISCORD_TOKEN", TOKEN)])
        .run()
}

/// (user, decision, reason) of every row.
pub fn rows(out: &Output) -> Vec<(u64, String, String)> {
    let json = out.json();
    json["users"]
        .as_array()
        .unwrap_or_else(|| panic!("{}\n{}", out.stdout, out.stderr))
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("user_id").parse().unwrap(), s("decision"), s("reason"))
        })
        .collect()
}

pub fn writes(fake: &FakeDiscord) -> Vec<String> {
    fake.log()
        .iter()
        .filter(|l| l.method != "GET")
        .map(|l| format!("{} {}", l.method, l.path))
        .collect()
}

#[test]
fn every_sign_up_is_decided_for_its_reason_and_a_second_run_writes_nothing() {
    let fake = builder().role(ROLE, "2026-02-17", 2, 0).start();
    let p = post(&fake);
    let ids: Vec<u64> = (1..=20).map(user).collect();
    let u = |n: usize| ids[n - 1];
    fake.state(|s| {
        for id in &ids {
            s.member(*id, &[]);
        }
        let say = |s: &mut state::State, n: usize, text: &str, when: u64| {
            s.post_at(SIGNUP, u(n), text, when, Some(p))
        };
        say(s, 1, "参加します", at(6, 10, 0)); // user avatar
        say(s, 2, "参加します", at(6, 11, 0)); // server avatar only
        s.users.get_mut(&u(2)).unwrap().avatar = None;
        s.members.get_mut(&u(2)).unwrap().avatar = Some("g2".into());
        say(s, 3, "参加します", at(6, 12, 0)); // no avatar
        s.users.get_mut(&u(3)).unwrap().avatar = None;
        say(s, 4, "参加します", at(6, 30, 1)); // 1 second late
        say(s, 5, "参加します", at(6, 30, 0)); // exactly at the deadline
        s.members.get_mut(&u(6)).unwrap().premium_since = Some("2025-01-01T00:00:00+00:00".into()); // booster, no declaration
        say(s, 7, "参加します", at(7, 0, 0)); // booster after the deadline
        s.members.get_mut(&u(7)).unwrap().premium_since = Some("2025-01-01T00:00:00+00:00".into());
        say(s, 8, "参加します", at(6, 13, 0)); // a bot
        s.users.get_mut(&u(8)).unwrap().bot = true;
        say(s, 9, "参加します", at(6, 14, 0)); // on the deny list
        say(s, 10, "参加します", at(6, 15, 0)); // pending screening
        s.members.get_mut(&u(10)).unwrap().pending = true;
        say(s, 11, "参加します", at(6, 16, 0)); // left the server
        s.members.remove(&u(11));
        say(s, 12, "参加しません", at(6, 17, 0));
        say(s, 13, "参加します！", at(6, 18, 0));
        say(s, 14, "ＪＯＩＮ！", at(6, 19, 0)); // full-width
        say(s, 15, "参加します 🙏", at(6, 20, 0));
        let other = s.post_at(SIGNUP, u(20), "こんにちは", at(6, 0, 0), None);
        s.post_at(SIGNUP, u(16), "参加します", at(6, 21, 0), Some(other)); // a reply to another message
        s.post_at(SIGNUP, u(16), "参加します", at(6, 22, 0), None); // not a reply at all
        say(s, 17, "参加します", at(6, 5, 0)); // the same user twice
        say(s, 17, "参加します！", at(6, 6, 0));
        say(s, 18, "参加します", at(6, 23, 0)); // already has the role
        s.members.get_mut(&u(18)).unwrap().roles.push(ROLE);
    });
    let extra = format!(
        "[policy]\nsignup_keywords = [\"参加します\", \"join\"]\ndeny_users = [\"{}\"]\n",
        u(9)
    );
    let dir = recorded(configured(&extra), p);
    let out = roles(&fake, &dir, &["--json"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let want = [
        (17, "granted", "declared in time"),
        (1, "granted", "declared in time"),
        (2, "granted", "declared in time"),
        (3, "rejected", "no avatar"),
        (8, "rejected", "bot"),
        (9, "rejected", "on deny list"),
        (10, "rejected", "pending screening"),
        (11, "rejected", "left the server"),
        (13, "granted", "declared in time"),
        (14, "granted", "declared in time"),
        (15, "granted", "declared in time"),
        (18, "already_had", "declared in time"),
        (5, "granted", "declared in time"),
        (4, "rejected", "late by 1s"),
        (7, "granted", "booster"),
        (6, "granted", "booster"),
    ];
    let want: Vec<(u64, String, String)> = want
        .iter()
        .map(|(n, d, r)| (u(*n), d.to_string(), r.to_string()))
        .collect();
    assert_eq!(rows(&out), want);
    let json = out.json();
    assert_eq!(
        json["counts"],
        serde_json::json!({"considered": 16, "granted": 9, "already_had": 1, "rejected": 6, "failed": 0})
    );
    let first: u64 = json["users"][0]["message_id"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        first,
        state::snowflake_at(at(6, 5, 0), 0),
        "the earliest declaration counts"
    );
    let granted: Vec<u64> = [17, 1, 2, 13, 14, 15, 5, 7, 6].iter().map(|n| u(*n)).collect();
    fake.state(|s| {
        for id in &granted {
            assert!(s.members[id].roles.contains(&ROLE), "{id}");
        }
        assert!(!s.members[&u(3)].roles.contains(&ROLE));
        let overwrite = s.channels[&SHARE]
            .overwrites
            .iter()
            .find(|o| o.id == ROLE)
            .unwrap();
        assert_eq!(
            (overwrite.allow, overwrite.deny),
            (state::VIEW_CHANNEL | state::READ_MESSAGE_HISTORY, 0)
        );
    });
    // One reaction per accepted declaration (the booster without one has none), then grants.
    let log = writes(&fake);
    assert_eq!(log.iter().filter(|w| w.contains("/reactions/")).count(), 9);
    assert_eq!(log.iter().filter(|w| w.contains("/roles/")).count(), 9);
    assert_eq!(log.iter().filter(|w| w.contains("/permissions/")).count(), 1);
    assert!(
        fake.log()
            .iter()
            .filter(|l| l.method != "GET")
            .all(|l| l.header("x-audit-log-reason") == Some("tsudoi%20roles%202026-02-17"))
    );

    let before = fake.log().len();
    let again = roles(&fake, &dir, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let second: Vec<_> = fake.log()[before..]
        .iter()
        .filter(|l| l.method != "GET")
        .cloned()
        .collect();
    assert!(second.is_empty(), "a second run wrote: {second:?}");
    assert!(again.stdout.contains("already had"), "{}", again.stdout);
    assert!(
        again
            .stdout
            .ends_with("16 considered: 0 granted, 10 already had, 6 rejected, 0 failed\n"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_missing_role_is_created_once_below_the_bot_and_a_dry_run_sends_nothing() {
    let fake = builder().start();
    let p = post(&fake);
    fake.state(|s| {
        s.member(user(1), &[]);
        s.post_at(SIGNUP, user(1), "参加します", at(6, 1, 0), Some(p));
    });
    let dir = recorded(configured(""), p);
    let dry = roles(&fake, &dir, &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(writes(&fake).is_empty(), "{:?}", writes(&fake));
    assert!(dry.stdout.starts_with(&format!(
        "POST /guilds/{GUILD}/roles\n{{\n  \"hoist\": false,\n  \"mentionable\": false,\n  \"name\": \"2026-02-17\",\n  \"permissions\": 0\n}}\n"
    )), "{}", dry.stdout);
    assert!(
        dry.stdout
            .contains(&format!("PUT /guilds/{GUILD}/members/{}/roles/0", user(1))),
        "{}",
        dry.stdout
    );
    assert!(dry.stderr.contains("would grant"), "{}", dry.stderr);

    let out = roles(&fake, &dir, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let again = roles(&fake, &dir, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(fake.count("POST /guilds"), 1);
    fake.state(|s| {
        let made: Vec<_> = s.roles.iter().filter(|r| r.name == "2026-02-17").collect();
        assert_eq!(made.len(), 1);
        assert!(made[0].position < s.bot_top());
        assert_eq!(made[0].permissions, 0);
        assert!(s.members[&user(1)].roles.contains(&made[0].id));
    });
}

#[test]
fn admin_reaction_grants_only_what_an_organizer_approved_and_the_bot_does_not_react() {
    let (organizer, helper) = (user(90), user(91));
    let helpers: u64 = 700_000_000_000_000_400;
    let fake = builder()
        .role(ROLE, "2026-02-17", 2, 0)
        .role(helpers, "helpers", 3, 0)
        .start();
    let p = post(&fake);
    fake.state(|s| {
        for n in 1..=4 {
            s.member(user(n), &[]);
        }
        s.member(organizer, &[]);
        s.member(helper, &[helpers]);
        let a = s.post_at(SIGNUP, user(1), "参加します", at(6, 1, 0), Some(p));
        let b = s.post_at(SIGNUP, user(2), "参加します", at(6, 2, 0), Some(p));
        let c = s.post_at(SIGNUP, user(3), "参加します", at(6, 3, 0), Some(p));
        s.post_at(SIGNUP, user(4), "参加します", at(6, 4, 0), Some(p));
        s.react(a, "✅", organizer);
        s.react(b, "✅", user(1)); // not an organizer
        s.react(b, "👍", organizer); // not the accept emoji
        s.react(c, "✅", helper); // holds the organizer role
    });
    let extra = format!(
        "[policy]\napproval = \"admin-reaction\"\norganizers = [\"{organizer}\"]\norganizer_role_id = \"{helpers}\"\n"
    );
    let out = roles(&fake, &recorded(configured(&extra), p), &["--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let not = "not approved by an organizer";
    assert_eq!(
        rows(&out),
        vec![
            (user(1), "granted".into(), "declared in time".into()),
            (user(2), "rejected".into(), not.into()),
            (user(3), "granted".into(), "declared in time".into()),
            (user(4), "rejected".into(), not.into()),
        ]
    );
    assert_eq!(
        fake.count("/reactions/%E2%9C%85/@me"),
        0,
        "the bot does not react itself"
    );
    let read = format!("GET /channels/{SIGNUP}/messages/");
    assert_eq!(
        fake.count(&read),
        3,
        "who reacted ✅, on the three declarations that have it"
    );
}

#[test]
fn reaction_sign_ups_count_from_when_they_were_first_seen() {
    let fake = builder().role(ROLE, "2026-02-17", 2, 0).start();
    let p = post(&fake);
    fake.state(|s| {
        for n in 1..=3 {
            s.member(user(n), &[]);
            s.react(p, "🙋", user(n));
        }
        s.react(p, "🙋", state::BOT); // the bot's prompt is no sign-up
        s.users.get_mut(&user(3)).unwrap().avatar = None;
    });
    let dir = recorded(configured("[policy]\nsignup_mode = \"reaction\"\n"), p);
    let base = fake.base();
    let env = [("DISCORD_API_BASE", base.as_str()), ("DISCORD_TOKEN", TOKEN)];
    let run = |now: &str| {
        dir.tsudoi(["--now", now, "--json", "roles", "2026-02-17"])
            .envs(&env)
            .run()
    };
    let early = run("2026-02-17T06:10:00Z");
    assert_eq!(early.code, 0, "{}", early.stderr);
    assert_eq!(
        rows(&early),
        vec![
            (user(1), "granted".into(), "declared in time".into()),
            (user(2), "granted".into(), "declared in time".into()),
            (user(3), "rejected".into(), "no avatar".into()),
        ]
    );
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(
        ledger.contains(&format!("{} = \"2026-02-17T06:10:00Z\"", user(1))),
        "{ledger}"
    );
    fake.state(|s| {
        s.member(user(4), &[]);
        s.react(p, "🙋", user(4));
    });
    let late = run("2026-02-17T06:42:03Z");
    let got = rows(&late);
    assert_eq!(got[3], (user(4), "rejected".into(), "late by 12m 3s".into()));
    assert_eq!(got[0], (user(1), "already_had".into(), "declared in time".into()));
    assert_eq!(fake.count("/reactions/%F0%9F%99%8B"), 2, "read, never reacted to");
}

#[test]
fn a_forum_post_by_hand_reads_its_whole_thread() {
    let forum = 800_000_000_000_000_500;
    let fake = builder()
        .role(ROLE, "2026-02-17", 2, 0)
        .channel(forum, 15, "events")
        .start();
    let thread = fake.state(|s| {
        let thread = s.post_at(0, BOT, "イベントのお知らせ", at(0, 0, 0), None);
        s.channel(thread, 11, "2026-02-17").parent_id = Some(forum);
        s.messages.get_mut(&thread).unwrap().channel_id = thread;
        for n in 1..=2 {
            s.member(user(n), &[]);
        }
        s.post_at(thread, user(1), "参加します", at(6, 1, 0), None);
        s.post_at(thread, user(2), "参加しますか？", at(6, 2, 0), None);
        thread
    });
    let dir = configured(&format!("[discord]\npost_id = \"{thread}\"\n"))
        .series(Series::shipped().discord(GUILD, forum, SHARE));
    let out = roles(&fake, &dir, &["--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        rows(&out),
        vec![(user(1), "granted".into(), "declared in time".into())]
    );
    let json = out.json();
    assert_eq!(
        json["post"],
        serde_json::json!({"channel": thread.to_string(), "message": thread.to_string(), "in_thread": true})
    );
    assert_eq!(fake.count(&format!("PUT /channels/{thread}/messages/")), 1);
}

#[test]
fn the_table_names_every_decision_then_the_counts() {
    let fake = builder().role(ROLE, "2026-02-17", 2, 0).start();
    let p = post(&fake);
    fake.state(|s| {
        s.user(user(1), "hanako", false);
        s.user(user(2), "taro", false).avatar = None;
        s.user(user(3), "jiro", false);
        for n in 1..=3 {
            s.member(user(n), &[]);
        }
        s.post_at(SIGNUP, user(1), "参加します！", at(6, 1, 0), Some(p));
        s.post_at(SIGNUP, user(2), "参加します", at(6, 2, 0), Some(p));
        s.post_at(SIGNUP, user(3), "参加 します 🙏", at(6, 42, 3), Some(p));
    });
    let out = roles(&fake, &recorded(configured(""), p), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
    assert_eq!(out.stderr, "");
}
