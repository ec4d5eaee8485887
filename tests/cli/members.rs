//! Members (issue 16): `why` explains one decision with the rules `roles` uses, reading little.

use crate::fake::FakeDiscord;
use crate::fake::state::{self, SIGNUP, TOKEN};
use crate::roles::{AFTER, ROLE, at, builder, configured, post, recorded, roles, rows, user};
use crate::util::{Dir, Output};

fn why(fake: &FakeDiscord, dir: &Dir, who: &str, extra: &[&str]) -> Output {
    let base = fake.base();
    let mut all = vec!["--now", AFTER, "-v", "why", "2026-02-17", who];
    all.extend_from_slice(extra);
    dir.tsudoi(&all)
        .envs(&[("DISCORD_API_BASE", &base), ("DISCORD_TOKEN", TOKEN)])
        .run()
}

/// The sign-up scenario: one member of every kind, by number.
fn scenario() -> (FakeDiscord, Dir) {
    // Counted requests must not depend on how fast the machine runs one `tsudoi` after
    // another: a spawned process puts the fake on real time, and twelve runs of `why` inside
    // the default 50 ms window would meet a 429 (the client tests and hostile_server.rs test
    // 429s on their own).
    let fake = builder()
        .rate_limit(1000, std::time::Duration::from_millis(50))
        .role(ROLE, "2026-02-17", 2, 0)
        .start();
    let p = post(&fake);
    let u = user;
    fake.state(|s| {
        for n in 1..=20 {
            s.member(u(n), &[]);
        }
        let say = |s: &mut state::State, n: u64, text: &str, when: u64| {
            s.post_at(SIGNUP, u(n), text, when, Some(p))
        };
        say(s, 1, "参加します", at(6, 10, 0)); // on time
        say(s, 2, "参加します", at(6, 11, 0)); // server avatar only
        s.users.get_mut(&u(2)).unwrap().avatar = None;
        s.members.get_mut(&u(2)).unwrap().avatar = Some("g2".into());
        say(s, 3, "参加します", at(6, 12, 0)); // no avatar
        s.users.get_mut(&u(3)).unwrap().avatar = None;
        say(s, 4, "参加します", at(6, 30, 1)); // late
        s.members.get_mut(&u(6)).unwrap().premium_since = Some("2025-01-01T00:00:00+00:00".into());
        say(s, 8, "参加します", at(6, 13, 0)); // bot
        s.users.get_mut(&u(8)).unwrap().bot = true;
        say(s, 9, "参加します", at(6, 14, 0)); // denied
        say(s, 10, "参加します", at(6, 15, 0)); // pending
        s.members.get_mut(&u(10)).unwrap().pending = true;
        say(s, 11, "参加します", at(6, 16, 0)); // left
        s.members.remove(&u(11));
        say(s, 12, "参加しません", at(6, 17, 0)); // no keyword
        let other = s.post_at(SIGNUP, u(20), "こんにちは", at(6, 0, 0), None);
        s.post_at(SIGNUP, u(16), "参加します", at(6, 21, 0), Some(other)); // wrong post
        say(s, 17, "参加します！", at(6, 5, 0));
        s.users.get_mut(&u(17)).unwrap().global_name = Some("Hanako".into());
        s.members.get_mut(&u(17)).unwrap().nick = Some("はなこ".into());
        say(s, 18, "よろしく", at(6, 24, 0));
        s.users.get_mut(&u(18)).unwrap().global_name = Some("Hanako".into());
    });
    let extra = format!(
        "[policy]\nsignup_keywords = [\"参加します\", \"join\"]\ndeny_users = [\"{}\"]\nboosters_join_without_signup = true\n",
        u(9)
    );
    (fake, recorded(configured(&extra), p))
}

fn requests(out: &Output) -> u32 {
    let line = out
        .stderr
        .lines()
        .find(|l| l.ends_with("request(s) sent"))
        .unwrap_or_else(|| panic!("no request count:\n{}", out.stderr));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn why_gives_the_reason_the_rules_give_for_every_kind_of_member() {
    let (fake, dir) = scenario();
    let want: [(u64, Option<&str>, &str); 12] = [
        (1, Some("grant"), "declared in time"),
        (2, Some("grant"), "declared in time"),
        (3, Some("reject"), "no avatar"),
        (4, Some("reject"), "late by 1s"),
        (6, Some("grant"), "booster"),
        (8, Some("reject"), "bot"),
        (9, Some("reject"), "on deny list"),
        (10, Some("reject"), "pending screening"),
        (11, Some("reject"), "left the server"),
        (
            12,
            None,
            "wrote 1 message(s) replying to the event post, none with a sign-up keyword",
        ),
        (16, None, "wrote nothing replying to the event post"),
        (17, Some("grant"), "declared in time"),
    ];
    let mut explained = Vec::new();
    for (n, _, _) in &want {
        let before = fake.log().len();
        let out = why(&fake, &dir, &user(*n).to_string(), &["--json"]);
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        let sent = fake.log().len() - before;
        // The member, the roles, one page of messages: never the member list.
        assert_eq!(requests(&out) as usize, sent, "{}", out.stderr);
        assert_eq!(sent, 3, "user {n}: {:?}", &fake.log()[before..]);
        assert!(fake.log()[before..].iter().all(|l| l.method == "GET"));
        let json = out.json();
        assert_eq!(json["requests"], sent);
        let reason = match json["reason"]["kind"].as_str() {
            Some(_) => format_reason(&json["reason"]),
            None => json["not_considered"].as_str().unwrap().to_string(),
        };
        explained.push((*n, json["decision"].as_str().map(str::to_string), reason));
    }
    let want: Vec<_> = want
        .iter()
        .map(|(n, d, r)| (*n, d.map(str::to_string), r.to_string()))
        .collect();
    assert_eq!(explained, want);

    // The same decisions as `roles` makes.
    let run = roles(&fake, &dir, &["--json"]);
    let decided = rows(&run);
    for (n, decision, reason) in &want {
        let Some(decision) = decision else { continue };
        let row = decided.iter().find(|(id, _, _)| *id == user(*n)).unwrap();
        let same = match decision.as_str() {
            "grant" => row.1 == "granted",
            _ => row.1 == "rejected",
        };
        assert!(same && &row.2 == reason, "{n}: {row:?}");
    }
}

/// The reason words, as `roles` prints them.
fn format_reason(reason: &serde_json::Value) -> String {
    match reason["kind"].as_str().unwrap() {
        "declared" => "declared in time".into(),
        "booster" => "booster".into(),
        "late" => format!("late by {}s", reason["by_seconds"]),
        "no_avatar" => "no avatar".into(),
        "bot" => "bot".into(),
        "denied" => "on deny list".into(),
        "pending" => "pending screening".into(),
        "left_server" => "left the server".into(),
        other => other.into(),
    }
}

#[test]
fn why_shows_the_evidence_in_the_series_zone() {
    let (fake, dir) = scenario();
    let out = why(&fake, &dir, &user(4).to_string(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let late = fake.state(|s| s.messages.values().find(|m| m.author == user(4)).unwrap().id);
    assert!(out.stdout.contains("turned away: late by 1s"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("2026-02-17 15:30:01 JST (sign-ups closed 2026-02-17 15:30:00 JST)"),
        "{}",
        out.stdout
    );
    let link = format!("https://discord.com/channels/{}/{SIGNUP}/{late}", state::GUILD);
    assert!(out.stdout.contains(&link), "{}", out.stdout);
    assert!(out.stdout.contains("keyword       参加します"), "{}", out.stdout);
}

#[test]
fn why_finds_a_member_by_name_and_lists_the_matches_when_ambiguous() {
    let (fake, dir) = scenario();
    // A nickname: the member search finds it.
    let out = why(&fake, &dir, "はなこ", &["--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["person"]["id"], user(17).to_string());
    // A username.
    let out = why(&fake, &dir, &format!("user{}", user(3)), &["--json"]);
    assert_eq!(out.json()["person"]["id"], user(3).to_string());
    // A global name two people share: both listed, with their ids.
    let out = why(&fake, &dir, "hanako", &[]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("`hanako` is ambiguous"), "{}", out.stderr);
    for n in [17, 18] {
        assert!(out.stderr.contains(&format!("({},", user(n))), "{}", out.stderr);
    }
    // Nobody.
    let out = why(&fake, &dir, "nobody", &[]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("answers to `nobody`"), "{}", out.stderr);
}

#[test]
fn why_stops_reading_at_the_members_first_declaration() {
    let fake = builder().role(ROLE, "2026-02-17", 2, 0).start();
    let p = post(&fake);
    fake.state(|s| {
        s.member(user(1), &[]);
        s.member(user(2), &[]);
        s.post_at(SIGNUP, user(1), "参加します", at(6, 0, 0), Some(p));
        for i in 0..250 {
            s.post_at(SIGNUP, user(2), "おはよう", at(6, 1, 0) + i, Some(p));
        }
    });
    let dir = recorded(configured(""), p);
    let out = why(&fake, &dir, &user(1).to_string(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(requests(&out), 3, "one page of messages, not three");
    let out = why(&fake, &dir, &user(2).to_string(), &[]);
    assert_eq!(requests(&out), 5, "no declaration: every page");
    assert!(out.stdout.contains("wrote 250 message(s)"), "{}", out.stdout);
}

// Reminders (`remind_before`).

const URL: &str = "https://viewer.example/room/s3cr3t-42";

fn jst(day: u32, h: u32, m: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(2026, 2, day, h, m, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// A tick at `at`, the fake's clock set to it (message ids carry their time).
fn tick_at(fake: &FakeDiscord, dir: &Dir, at: chrono::DateTime<chrono::Utc>) -> Output {
    fake.state(|s| s.clock_ms = Some(at.timestamp_millis() as u64));
    dir.tsudoi(["tick"])
        .now(&at.to_rfc3339())
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .env("SHIGURADIO_VIEWER_URL", URL)
        .run()
}

/// The event post recorded, `remind_before = ["1d", "1h"]`, and the role held by `holders`.
fn reminding(holders: &[u64]) -> (FakeDiscord, Dir, u64) {
    let mut builder = builder().role(ROLE, "2026-02-17", 2, 0);
    for holder in holders {
        builder = builder.member(*holder, &[ROLE]);
    }
    let fake = builder.start();
    let p = post(&fake);
    let dir = recorded(configured("[policy]\nremind_before = [\"1h\", \"1d\"]\n"), p);
    (fake, dir, p)
}

fn reminders(fake: &FakeDiscord) -> Vec<(String, Option<u64>)> {
    fake.state(|s| {
        s.messages
            .values()
            .filter(|m| m.author == state::BOT && m.content.contains("リマインダー"))
            .map(|m| (m.content.clone(), m.reference))
            .collect()
    })
}

#[test]
fn reminders_reply_to_the_post_at_their_minutes_once_each() {
    let (fake, dir, p) = reminding(&[user(7)]);
    let mut seen = Vec::new();
    let minutes = [
        jst(16, 14, 59),
        jst(16, 15, 0),
        jst(16, 15, 1),
        jst(17, 13, 59),
        jst(17, 14, 0),
        jst(17, 14, 1),
        jst(17, 14, 30),
    ];
    for at in minutes {
        let out = tick_at(&fake, &dir, at);
        assert_eq!(out.code, 0, "{at}: {}{}", out.stdout, out.stderr);
        for line in out.stdout.lines().filter(|l| l.contains("reminder")) {
            seen.push((at, line.to_string()));
        }
    }
    let at: Vec<_> = seen.iter().map(|(at, _)| *at).collect();
    assert_eq!(at, [jst(16, 15, 0), jst(17, 14, 0)], "{seen:?}");
    let posted = reminders(&fake);
    assert_eq!(posted.len(), 2);
    let start = jst(17, 15, 0).timestamp();
    for (content, reference) in &posted {
        assert_eq!(
            content,
            &format!(
                "<@&{ROLE}> リマインダー: 2026 年 2 月 17 日 (火) のイベントは <t:{start}:R> に始まります。"
            )
        );
        assert_eq!(*reference, Some(p), "a reply to the event post");
        assert!(!content.contains(URL));
    }
    let creates: Vec<_> = fake
        .log()
        .into_iter()
        .filter(|l| {
            l.method == "POST"
                && l.body
                    .as_ref()
                    .is_some_and(|b| b["content"].as_str().unwrap_or("").contains("リマインダー"))
        })
        .collect();
    assert_eq!(
        creates.len(),
        2,
        "{:?}",
        fake.log()
            .iter()
            .filter(|l| l.method == "POST")
            .map(|l| (&l.path, &l.body))
            .collect::<Vec<_>>()
    );
    assert_ne!(
        creates[0].body.as_ref().unwrap()["nonce"],
        creates[1].body.as_ref().unwrap()["nonce"]
    );
    assert_eq!(
        creates[0].body.as_ref().unwrap()["allowed_mentions"]["roles"],
        serde_json::json!([ROLE.to_string()])
    );
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(
        ledger.contains("[actions.remind-1d]") && ledger.contains("[actions.remind-1h]"),
        "{ledger}"
    );
}

#[test]
fn two_ticks_at_once_remind_once() {
    let (fake, dir, _) = reminding(&[user(7)]);
    fake.state(|s| s.clock_ms = Some(jst(17, 14, 0).timestamp_millis() as u64));
    let spawn = || {
        dir.tsudoi(["tick"])
            .now(&jst(17, 14, 0).to_rfc3339())
            .env("DISCORD_API_BASE", &fake.base())
            .env("DISCORD_TOKEN", TOKEN)
            .spawn()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success(), "{a:?}\n{b:?}");
    // The 1d reminder stopped being useful when the 1h one came due: skipped, not sent.
    assert_eq!(reminders(&fake).len(), 1, "{:?}", reminders(&fake));
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(ledger.contains("missed"), "{ledger}");
}

#[test]
fn a_reminder_is_skipped_when_nobody_holds_the_role_or_the_event_started() {
    let (fake, dir, _) = reminding(&[]);
    let out = tick_at(&fake, &dir, jst(16, 15, 0));
    assert_eq!(
        out.code, 0,
        "a skipped reminder is no failure: {}{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout
            .contains("reminder  skipped  nobody holds the role `2026-02-17` yet"),
        "{}",
        out.stdout
    );
    let again = tick_at(&fake, &dir, jst(16, 15, 1));
    assert!(
        !again.stdout.contains("reminder"),
        "recorded once: {}",
        again.stdout
    );
    assert!(reminders(&fake).is_empty());
    // Past the start, the 1h reminder is pointless.
    let late = tick_at(&fake, &dir, jst(17, 15, 1));
    assert!(
        late.stdout.contains("reminder  skipped  missed"),
        "{}",
        late.stdout
    );
    assert!(reminders(&fake).is_empty());
}

// `attendees`.

fn attendees(fake: &FakeDiscord, dir: &Dir, extra: &[&str]) -> Output {
    let base = fake.base();
    let mut all = vec!["--now", AFTER, "attendees", "2026-02-17"];
    all.extend_from_slice(extra);
    dir.tsudoi(&all)
        .envs(&[("DISCORD_API_BASE", &base), ("DISCORD_TOKEN", TOKEN)])
        .run()
}

#[test]
fn attendees_are_the_role_holders_with_their_reasons_in_a_stable_order() {
    let (fake, dir) = scenario();
    fake.state(|s| {
        // Held by hand before any run: "already had it".
        s.members.get_mut(&user(19)).unwrap().roles.push(ROLE);
        s.members.get_mut(&user(1)).unwrap().nick = Some("Ann, \"the\" host".into());
    });
    let run = roles(&fake, &dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = attendees(&fake, &dir, &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    let rows = json["members"].as_array().unwrap();
    let attended: Vec<u64> = rows
        .iter()
        .filter(|r| r["status"] == "attended")
        .map(|r| r["user_id"].as_str().unwrap().parse().unwrap())
        .collect();
    let holders: Vec<u64> = fake.state(|s| {
        s.members
            .values()
            .filter(|m| m.roles.contains(&ROLE))
            .map(|m| m.user)
            .collect()
    });
    assert_eq!(attended, holders, "sorted by id, as the fake keeps them");
    let reason = |n: u64| {
        rows.iter()
            .find(|r| r["user_id"].as_str() == Some(&user(n).to_string()))
            .map(|r| {
                (
                    r["status"].as_str().unwrap().to_string(),
                    r["reason"].as_str().unwrap().to_string(),
                )
            })
            .unwrap()
    };
    assert_eq!(reason(1), ("attended".into(), "declared".into()));
    assert_eq!(reason(6), ("attended".into(), "booster".into()));
    assert_eq!(reason(19), ("attended".into(), "already had it".into()));
    assert_eq!(reason(3), ("turned_away".into(), "no avatar".into()));
    assert_eq!(reason(4), ("turned_away".into(), "late by 1s".into()));
    assert!(
        rows.iter().all(|r| r.get("name").is_none()),
        "no names unless asked"
    );
    let declared = rows
        .iter()
        .find(|r| r["user_id"].as_str() == Some(&user(1).to_string()))
        .unwrap();
    assert_eq!(declared["declared_at"], "2026-02-17T15:10:00+09:00");

    let csv = attendees(&fake, &dir, &["--format", "csv", "--names"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("user_id,status,reason,declared_at,holds_role,name")
    );
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "{},attended,declared,2026-02-17 15:10:00 JST,true,\"Ann, \"\"the\"\" host\"",
                user(1)
            )
            .as_str()
        )
    );
    let again = attendees(&fake, &dir, &["--format", "csv", "--names"]);
    assert_eq!(again.stdout, csv.stdout, "the same export twice");
    let table = attendees(&fake, &dir, &[]);
    assert!(
        table.stdout.ends_with("5 attended, 6 turned away\n"),
        "{}",
        table.stdout
    );
}

// Role retention (`role_retention`, `roles prune`).

/// The event (ends 17:00 JST on the 17th) with `role_retention = "30d"` in the series, its post
/// recorded, and `extra` event files; `roles` run once (creating the role when missing).
fn retaining(fake: &FakeDiscord, extra: &[(&str, &str)]) -> Dir {
    let p = post(fake);
    let event = std::fs::read_to_string(crate::util::shipped_events().join("2026-02-17.toml")).unwrap();
    let mut dir = Dir::new()
        .series(crate::util::Series::for_fake().policy("role_retention = \"30d\""))
        .event("2026-02-17", &event);
    for (name, text) in extra {
        dir = dir.event(name, text);
    }
    let dir = recorded(dir, p);
    let out = roles(fake, &dir, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // A tick right after the event records what was missed, so later ticks speak of roles only.
    tick_at(fake, &dir, jst(17, 18, 0));
    dir
}

fn role_named(fake: &FakeDiscord, name: &str) -> Option<u64> {
    fake.state(|s| s.roles.iter().find(|r| r.name == name).map(|r| r.id))
}

fn deletes(fake: &FakeDiscord) -> Vec<String> {
    fake.log()
        .into_iter()
        .filter(|l| l.method == "DELETE" && l.path.contains("/roles/"))
        .map(|l| l.path)
        .collect()
}

fn role_lines(out: &Output) -> Vec<String> {
    out.stdout
        .lines()
        .filter(|l| l.contains("role deletion"))
        .map(str::to_string)
        .collect()
}

#[test]
fn retention_deletes_the_role_tsudoi_created_once_after_its_time() {
    let fake = builder().member(user(1), &[]).start();
    let dir = retaining(&fake, &[]);
    let role = role_named(&fake, "2026-02-17").expect("roles created the role");
    assert!(
        dir.read(".state/2026-02-17.toml")
            .contains("created_by_tsudoi = true")
    );
    let before = tick_at(
        &fake,
        &dir,
        jst(17, 17, 0) + chrono::Duration::days(30) - chrono::Duration::minutes(1),
    );
    assert!(role_lines(&before).is_empty(), "{}", before.stdout);
    let at = tick_at(&fake, &dir, jst(17, 17, 0) + chrono::Duration::days(30));
    assert_eq!(at.code, 0, "{}{}", at.stdout, at.stderr);
    assert_eq!(
        role_lines(&at),
        [format!(
            "2026-02-17  role deletion  done  deleted `2026-02-17` ({role})"
        )]
    );
    let after = tick_at(&fake, &dir, jst(17, 17, 1) + chrono::Duration::days(30));
    assert!(role_lines(&after).is_empty(), "once: {}", after.stdout);
    assert_eq!(deletes(&fake).len(), 1);
    assert_eq!(role_named(&fake, "2026-02-17"), None);
    assert!(dir.read(".state/2026-02-17.toml").contains("pruned_at"));
}

#[test]
fn retention_never_deletes_an_adopted_role() {
    let fake = builder().role(ROLE, "2026-02-17", 2, 0).start();
    let dir = retaining(&fake, &[]);
    assert!(
        dir.read(".state/2026-02-17.toml")
            .contains("created_by_tsudoi = false")
    );
    let at = tick_at(&fake, &dir, jst(17, 17, 0) + chrono::Duration::days(30));
    assert_eq!(
        role_lines(&at),
        ["2026-02-17  role deletion  done  kept `2026-02-17`: tsudoi did not create it"]
    );
    assert!(deletes(&fake).is_empty());
    assert_eq!(role_named(&fake, "2026-02-17"), Some(ROLE));
}

/// A second event the same day, whose role has the same name and is kept.
const SAME_DAY: &str =
    "date = \"2026-02-17\"\nstart = \"19:00\"\nend = \"20:00\"\n\n[policy]\nrole_retention = \"keep\"\n";

#[test]
fn retention_never_deletes_a_role_another_event_still_uses() {
    let fake = builder().member(user(1), &[]).start();
    let dir = retaining(&fake, &[("2026-02-17-b", SAME_DAY)]);
    let role = role_named(&fake, "2026-02-17").unwrap();
    fake.state(|s| s.members.get_mut(&user(1)).unwrap().roles.push(role));
    let at = tick_at(&fake, &dir, jst(17, 17, 0) + chrono::Duration::days(30));
    assert_eq!(
        role_lines(&at),
        [
            "2026-02-17  role deletion  skipped  kept `2026-02-17`: it is also the role of 2026-02-17-b, which is not retired yet"
        ]
    );
    let by_hand = dir
        .tsudoi(["roles", "prune", "--before", "2026-03-01"])
        .now("2026-04-01T00:00:00Z")
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .run();
    assert!(deletes(&fake).is_empty(), "{}{}", by_hand.stdout, by_hand.stderr);
    assert!(fake.state(|s| s.members[&user(1)].roles.contains(&role)));
}

#[test]
fn roles_prune_by_hand_deletes_older_roles_once_and_a_dry_run_sends_nothing() {
    let fake = builder().member(user(1), &[]).start();
    let dir = retaining(&fake, &[]);
    let role = role_named(&fake, "2026-02-17").unwrap();
    let prune = |args: &[&str]| {
        let mut all = vec!["roles", "prune"];
        all.extend_from_slice(args);
        dir.tsudoi(&all)
            .now("2026-02-20T00:00:00Z")
            .env("DISCORD_API_BASE", &fake.base())
            .env("DISCORD_TOKEN", TOKEN)
            .run()
    };
    // Not yet 30 days: nothing without --before.
    let early = prune(&[]);
    assert_eq!(early.code, 0, "{}", early.stderr);
    assert!(
        early.stderr.contains("no event role to delete"),
        "{}",
        early.stderr
    );
    let dry = prune(&["--before", "2026-02-18", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout
            .contains(&format!("DELETE /guilds/{}/roles/{role}", state::GUILD)),
        "{}",
        dry.stdout
    );
    assert!(deletes(&fake).is_empty());
    let real = prune(&["--before", "2026-02-18"]);
    assert_eq!(real.code, 0, "{}", real.stderr);
    assert_eq!(
        real.stdout,
        format!("2026-02-17  role deletion  done  deleted `2026-02-17` ({role})\n")
    );
    let again = prune(&["--before", "2026-02-18"]);
    assert!(
        again.stderr.contains("no event role to delete"),
        "{}",
        again.stderr
    );
    assert_eq!(deletes(&fake).len(), 1);
    // `roles ID` still works beside the subcommand.
    let run = roles(&fake, &dir, &["--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn doctor_warns_past_200_roles_and_counts_what_tsudoi_could_prune() {
    let fake = builder().member(user(1), &[]).start();
    let dir = retaining(&fake, &[]);
    let doctor = |json: bool| {
        let mut args = vec!["--now", "2026-02-20T00:00:00Z", "doctor"];
        if json {
            args.insert(0, "--json");
        }
        dir.tsudoi(&args)
            .env("DISCORD_API_BASE", &fake.base())
            .env("DISCORD_TOKEN", TOKEN)
            .run()
    };
    let headroom = |out: &Output| {
        out.json()["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "role headroom")
            .cloned()
            .unwrap()
    };
    let calm = headroom(&doctor(true));
    assert_eq!(calm["status"], "ok", "{calm}");
    fake.state(|s| {
        let count = s.roles.len() as u64;
        for n in count..201 {
            s.role(900 + n, &format!("extra {n}"), 1, 0);
        }
    });
    let crowded = headroom(&doctor(true));
    assert_eq!(crowded["status"], "warn", "{crowded}");
    assert_eq!(
        crowded["detail"],
        "201 of 250 roles; room for 49 more; tsudoi could prune 1 date role(s) it created for past events"
    );
    assert!(
        crowded["fix"].as_str().unwrap().contains("tsudoi roles prune"),
        "{crowded}"
    );
}

#[test]
fn check_names_a_bad_reminder_offset_or_retention() {
    let dir = Dir::new()
        .series(
            crate::util::Series::for_fake()
                .policy("remind_before = [\"1d\", \"soon\"]\nrole_retention = \"a month\""),
        )
        .shipped_event("2026-02-17");
    let out = dir.tsudoi(["check"]).now(AFTER).run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("`soon` is not a duration"), "{}", out.stderr);
    assert!(
        out.stderr.contains("`a month` is not a duration"),
        "{}",
        out.stderr
    );
    let fine = Dir::new()
        .series(
            crate::util::Series::for_fake()
                .policy("remind_before = [\"1h\", \"1d\"]\nrole_retention = \"keep\""),
        )
        .shipped_event("2026-02-17");
    let out = fine.tsudoi(["check"]).now(AFTER).run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn in_a_forum_why_reads_the_thread_and_a_reminder_replies_in_it() {
    use crate::fake::state::{BOT, GUILD, SHARE};
    let forum = 800_000_000_000_000_500;
    let fake = builder()
        .role(ROLE, "2026-02-17", 2, 0)
        .channel(forum, 15, "events")
        .member(user(9), &[ROLE])
        .start();
    let thread = fake.state(|s| {
        let thread = s.post_at(0, BOT, "イベントのお知らせ", at(0, 0, 0) - 86_400_000, None);
        s.channel(thread, 11, "2026-02-17").parent_id = Some(forum);
        s.messages.get_mut(&thread).unwrap().channel_id = thread;
        s.member(user(1), &[]);
        s.post_at(thread, user(1), "参加します", at(6, 1, 0), None);
        thread
    });
    let dir = configured(&format!(
        "[discord]\npost_id = \"{thread}\"\n\n[policy]\nremind_before = [\"1h\"]\n"
    ))
    .series(crate::util::Series::shipped().discord(GUILD, forum, SHARE));
    let out = why(&fake, &dir, &user(1).to_string(), &["--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["decision"], "grant");
    let link = json["declaration"]["link"].as_str().unwrap().to_string();
    assert!(
        link.starts_with(&format!("https://discord.com/channels/{GUILD}/{thread}/")),
        "{link}"
    );
    // The post by hand: one more request, to learn the sign-up channel is a forum.
    assert_eq!(json["requests"], 4);

    let tick = tick_at(&fake, &dir, jst(17, 14, 0));
    assert_eq!(tick.code, 0, "{}{}", tick.stdout, tick.stderr);
    let posted = reminders(&fake);
    assert_eq!(posted.len(), 1, "{}", tick.stdout);
    let in_thread = fake.state(|s| {
        s.messages.values().any(|m| {
            m.channel_id == thread && m.content.contains("リマインダー") && m.reference == Some(thread)
        })
    });
    assert!(in_thread, "the reminder replies in the post's thread");
}
