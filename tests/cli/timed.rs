//! post, share, tick and plan against the fake: every timed action exactly once, at its minute,
//! through overlapping ticks, lost state, a crash after the request, and a DST day.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::fake::state::{self, BOT_ROLE, SHARE, SIGNUP, TOKEN};
use crate::fake::{FakeDiscord, Fault};
use crate::scenario::{ROLE, URL, bot_on_top, configured, jst};
use crate::util::{Dir, Output};

/// A healthy server where the event role exists below the bot's role, held by one member.
fn fake() -> FakeDiscord {
    bot_on_top()
        .role(ROLE, "2026-02-17", 2, 0)
        .member(7, &[ROLE])
        .start()
}

fn run(fake: &FakeDiscord, dir: &Dir, now: &str, args: &[&str]) -> Output {
    dir.tsudoi(args)
        .now(now)
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .env("SHIGURADIO_VIEWER_URL", URL)
        .run()
}

fn tick(fake: &FakeDiscord, dir: &Dir, at: DateTime<Utc>) -> Output {
    run(fake, dir, &at.to_rfc3339(), &["tick"])
}

/// A tick started and left running, to race another.
fn spawn_tick(fake: &FakeDiscord, dir: &Dir, at: DateTime<Utc>) -> std::process::Child {
    dir.tsudoi(["tick"])
        .now(&at.to_rfc3339())
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .spawn()
}

#[test]
fn an_event_day_minute_by_minute_does_each_action_once_at_its_minute() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"\nclose_notice = true");
    let mut seen: Vec<(String, String)> = Vec::new();
    fake.state(|s| {
        s.member(21, &[]);
        s.member(22, &[]);
    });
    let mut at = jst(13, 58);
    while at <= jst(17, 2) {
        fake.state(|s| s.clock_ms = Some(at.timestamp_millis() as u64));
        if at == jst(15, 29) || at == jst(15, 31) {
            // One declaration a minute before the deadline, one a minute after.
            let user = if at == jst(15, 29) { 21 } else { 22 };
            let post = fake.state(|s| s.messages.values().find(|m| m.channel_id == SIGNUP).unwrap().id);
            fake.state(|s| {
                s.post_at(
                    SIGNUP,
                    user,
                    "参加します！",
                    at.timestamp_millis() as u64 + 1,
                    Some(post),
                )
            });
        }
        let out = tick(&fake, &dir, at);
        assert_eq!(out.code, 0, "{at}: {}{}", out.stdout, out.stderr);
        for line in out.stdout.lines() {
            seen.push((
                at.with_timezone(&chrono_tz::Asia::Tokyo)
                    .format("%H:%M")
                    .to_string(),
                line.to_string(),
            ));
        }
        at += Duration::minutes(1);
    }
    // Role grants are tested with `roles`; here, the messages.
    let actions: Vec<(&str, &str)> = seen
        .iter()
        .map(|(t, l)| (t.as_str(), l.split("  ").nth(1).unwrap()))
        .filter(|(_, action)| !action.contains("role grants"))
        .collect();
    assert_eq!(
        actions,
        [
            ("14:00", "event post"),
            ("14:45", "URL share"),
            ("14:55", "on-air notice"),
            ("15:30", "sign-ups closed notice")
        ]
    );
    assert_eq!(
        fake.bot_messages(SIGNUP).len(),
        3,
        "the post (two messages) and the close notice"
    );
    let share = fake.bot_messages(SHARE);
    assert_eq!(share.len(), 2, "the URL and the on-air notice");
    assert!(share[0].starts_with(&format!("<@&{ROLE}> ")) && share[0].contains(URL));
    for line in &seen {
        assert!(!line.1.contains(URL), "the URL was printed: {}", line.1);
    }
    let creates: Vec<_> = fake.log().into_iter().filter(|l| l.method == "POST").collect();
    assert_eq!(creates.len(), 5);
    for create in &creates {
        let body = create.body.as_ref().unwrap();
        assert_eq!(body["enforce_nonce"], true);
        assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    }
    let share_body = creates
        .iter()
        .find(|c| c.path.contains(&SHARE.to_string()))
        .unwrap()
        .body
        .clone()
        .unwrap();
    assert_eq!(
        share_body["allowed_mentions"]["roles"],
        serde_json::json!([ROLE.to_string()])
    );
    let close = fake.state(|s| {
        s.messages
            .values()
            .find(|m| m.content.contains("締め切りました"))
            .unwrap()
            .reference
    });
    let post_id = fake.state(|s| s.messages.values().find(|m| m.channel_id == SIGNUP).unwrap().id);
    assert_eq!(close, Some(post_id), "the close notice replies to the event post");
}

#[test]
fn nothing_due_prints_nothing() {
    let fake = fake();
    let dir = configured("");
    let out = tick(&fake, &dir, jst(9, 0) - Duration::days(60));
    assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (0, "", ""));
    assert!(fake.log().is_empty(), "no request when nothing is due");
    let json = run(
        &fake,
        &dir,
        &(jst(9, 0) - Duration::days(60)).to_rfc3339(),
        &["--json", "tick"],
    );
    assert_eq!(json.json()["actions"], serde_json::json!([]));
}

#[test]
fn two_ticks_at_once_post_once() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"");
    let (a, b) = (
        spawn_tick(&fake, &dir, jst(14, 0)),
        spawn_tick(&fake, &dir, jst(14, 0)),
    );
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success());
    assert_eq!(fake.bot_messages(SIGNUP).len(), 2, "one post of two messages");
    let lines = String::from_utf8_lossy(&a.stdout).lines().count()
        + String::from_utf8_lossy(&b.stdout).lines().count();
    assert_eq!(
        lines, 1,
        "one of the two reports the post, the other finds it done"
    );
}

#[test]
fn two_machines_at_the_same_minute_post_once() {
    let fake = fake();
    let host = configured("announce_before_start = \"1h\"");
    let ci = configured("announce_before_start = \"1h\"");
    let (a, b) = (
        spawn_tick(&fake, &host, jst(14, 0)),
        spawn_tick(&fake, &ci, jst(14, 0)),
    );
    assert!(a.wait_with_output().unwrap().status.success());
    assert!(b.wait_with_output().unwrap().status.success());
    assert_eq!(
        fake.bot_messages(SIGNUP).len(),
        2,
        "one post of two messages, whichever machine won"
    );
    for dir in [&host, &ci] {
        assert!(dir.read(".state/2026-02-17.toml").contains("outcome = \"done\""));
    }
}

#[test]
fn a_missing_role_is_retried_by_the_next_tick() {
    let fake = bot_on_top().start();
    let dir = configured("onair_notice = false");
    let first = tick(&fake, &dir, jst(14, 45));
    assert!(
        first
            .stdout
            .contains("URL share  FAILED  the role `2026-02-17` does not exist yet"),
        "{}",
        first.stdout
    );
    fake.state(|s| {
        s.role(ROLE, "2026-02-17", 2, 0);
    });
    let second = tick(&fake, &dir, jst(14, 46));
    assert!(second.stdout.contains("URL share  done"), "{}", second.stdout);
}

#[test]
fn lost_state_does_not_post_twice() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"");
    let first = tick(&fake, &dir, jst(14, 0));
    assert!(
        first.stdout.contains("event post  done  posted 2 message(s)"),
        "{}",
        first.stdout
    );
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    let out = tick(&fake, &dir, jst(14, 1));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("posted 0 message(s) to channel") && out.stdout.contains("found 2 already there"),
        "{}",
        out.stdout
    );
    assert_eq!(fake.bot_messages(SIGNUP).len(), 2);
    assert_eq!(tick(&fake, &dir, jst(14, 2)).stdout, "", "adopted and recorded");
}

#[test]
fn a_crash_after_the_request_does_not_post_twice() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"");
    // Discord creates the message, then every answer is lost: the run fails after the write.
    fake.fail(
        &format!("POST /channels/{SIGNUP}/messages"),
        Fault::DropAfter,
        100,
    );
    let out = tick(&fake, &dir, jst(14, 0));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("event post  FAILED"), "{}", out.stdout);
    assert_eq!(
        fake.bot_messages(SIGNUP).len(),
        1,
        "the nonce made every retry return the first message"
    );
    assert!(
        fake.count(&format!("POST /channels/{SIGNUP}/messages")) > 1,
        "the create was retried"
    );
    fake.clear_faults();
    let out = tick(&fake, &dir, jst(14, 1));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("found 1 already there"), "{}", out.stdout);
    assert_eq!(
        fake.bot_messages(SIGNUP).len(),
        2,
        "the first message adopted, the second posted"
    );
}

#[test]
fn a_first_tick_three_minutes_before_start_shares_and_goes_on_air() {
    let fake = fake();
    let dir = configured("");
    let out = tick(&fake, &dir, jst(14, 57));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let actions: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split("  ").nth(1).unwrap())
        .collect();
    assert_eq!(actions, ["URL share", "on-air notice"]);
}

#[test]
fn a_first_tick_after_the_end_reports_skips() {
    let fake = fake();
    let dir = configured("");
    let out = tick(&fake, &dir, jst(17, 5));
    assert_eq!(out.code, 1, "a skip turns cron red");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[0].starts_with("2026-02-17  URL share  skipped  missed: not done by 2026-02-17 17:00 JST"));
    assert!(lines[1].starts_with("2026-02-17  on-air notice  skipped"));
    assert!(lines[2].starts_with("2026-02-17  final role grants  skipped"));
    assert!(fake.log().is_empty(), "recording a skip needs no Discord");
    let again = tick(&fake, &dir, jst(17, 6));
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, ""),
        "a skip is reported once"
    );
}

#[test]
fn a_dst_series_fires_at_the_right_instant() {
    let fake = fake();
    let series = configured("")
        .read("tsudoi.toml")
        .replace("Asia/Tokyo", "America/New_York");
    let event = "date = \"2026-03-08\"\nviewer_url_env = \"SHIGURADIO_VIEWER_URL\"\n";
    let dir = Dir::new()
        .file("tsudoi.toml", &series)
        .file("2026-03-08.toml", event);
    let fake_role = "2026-03-08";
    fake.state(|s| {
        s.role(601, fake_role, 2, 0);
    });
    // 15:00 EDT on the day clocks spring forward is 19:00 UTC; the share is 18:45 UTC.
    let at = |h, m| Utc.with_ymd_and_hms(2026, 3, 8, h, m, 0).unwrap();
    assert_eq!(tick(&fake, &dir, at(18, 44)).stdout, "");
    assert!(tick(&fake, &dir, at(18, 45)).stdout.contains("URL share  done"));
}

#[test]
fn a_cancelled_event_posts_nothing() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"");
    let event = dir.read("2026-02-17.toml").replace(
        "date = \"2026-02-17\"",
        "date = \"2026-02-17\"\nstatus = \"cancelled\"",
    );
    let dir = dir.file("2026-02-17.toml", &event);
    for at in [jst(14, 0), jst(14, 45), jst(14, 55), jst(17, 30)] {
        let out = tick(&fake, &dir, at);
        assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    }
    assert!(fake.log().is_empty());
    let out = run(&fake, &dir, &jst(14, 0).to_rfc3339(), &["post", "2026-02-17"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("`2026-02-17` is cancelled; nothing was sent"));
}

#[test]
fn a_missing_viewer_url_fails_that_action_only() {
    let fake = fake();
    let dir = configured("");
    let base = fake.base();
    let env = [("DISCORD_API_BASE", base.as_str()), ("DISCORD_TOKEN", TOKEN)];
    let out = dir
        .tsudoi(["--now", &jst(14, 57).to_rfc3339(), "tick"])
        .envs(&env)
        .run();
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("2026-02-17  URL share  FAILED  the viewer URL is not set"),
        "{}",
        out.stdout
    );
    assert!(
        lines[1].starts_with("2026-02-17  on-air notice  done"),
        "{}",
        out.stdout
    );
    let share = dir
        .tsudoi(["--now", &jst(14, 57).to_rfc3339(), "share", "2026-02-17"])
        .envs(&env)
        .run();
    assert_eq!(share.code, 1);
    assert!(
        share
            .stderr
            .contains("hint: export SHIGURADIO_VIEWER_URL=https://..."),
        "{}",
        share.stderr
    );
    assert_eq!(fake.bot_messages(SHARE).len(), 1, "only the on-air notice");
}

#[test]
fn share_never_prints_the_url_unless_asked() {
    let fake = fake();
    let dir = configured("");
    let now = jst(14, 45).to_rfc3339();
    let dry = run(&fake, &dir, &now, &["-vv", "share", "2026-02-17", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        !dry.stdout.contains(URL) && !dry.stderr.contains(URL),
        "{}{}",
        dry.stdout,
        dry.stderr
    );
    assert!(
        dry.stdout.contains("POST /channels/") && dry.stdout.contains("(redacted)"),
        "{}",
        dry.stdout
    );
    assert!(fake.bot_messages(SHARE).is_empty(), "a dry run sends nothing");
    let real = run(&fake, &dir, &now, &["-vv", "share", "2026-02-17"]);
    assert_eq!(real.code, 0, "{}", real.stderr);
    assert!(!real.stdout.contains(URL) && !real.stderr.contains(URL));
    assert!(!real.stdout.contains(TOKEN) && !real.stderr.contains(TOKEN));
    assert_eq!(fake.bot_messages(SHARE).len(), 1);
    let again = run(&fake, &dir, &now, &["share", "2026-02-17"]);
    assert!(again.stdout.contains("already shared"), "{}", again.stdout);
    let forced = run(
        &fake,
        &dir,
        &now,
        &["share", "2026-02-17", "--force", "--dry-run", "--reveal"],
    );
    assert!(
        forced.stdout.contains("adopted it"),
        "the same message is in the channel: {}",
        forced.stdout
    );
    // Asked for, the URL shows in the plan of a share that would be sent.
    let (other, fresh) = (self::fake(), configured(""));
    let revealed = run(
        &other,
        &fresh,
        &now,
        &["--json", "share", "2026-02-17", "--dry-run", "--reveal"],
    );
    assert_eq!(revealed.code, 0, "{}", revealed.stderr);
    assert!(
        revealed.json()["requests"][0]["body"]["content"]
            .as_str()
            .unwrap()
            .contains(URL)
    );
    assert_eq!(fake.bot_messages(SHARE).len(), 1);
    let bad = [
        ("DISCORD_API_BASE", fake.base()),
        ("DISCORD_TOKEN", TOKEN.to_string()),
        ("SHIGURADIO_VIEWER_URL", "ftp://x".into()),
    ];
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = dir
        .tsudoi(["--now", &now, "share", "2026-02-17", "--force"])
        .envs(&bad)
        .run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("is not an http(s) URL") && !out.stderr.contains("ftp://x"),
        "{}",
        out.stderr
    );
}

#[test]
fn share_by_dm_reports_closed_dms_and_reaches_the_others() {
    let fake = bot_on_top()
        .role(ROLE, "2026-02-17", 2, 0)
        .member(7, &[ROLE])
        .member(8, &[ROLE])
        .member(9, &[])
        .start();
    fake.state(|s| s.users.get_mut(&8).unwrap().dms_closed = true);
    let dir = configured("share_mode = \"dm\"");
    let out = run(&fake, &dir, &jst(14, 45).to_rfc3339(), &["share", "2026-02-17"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("by DM to 1 of 2 holder(s)") && out.stdout.contains("DMs closed: 8"),
        "{}",
        out.stdout
    );
    let dms = fake.state(|s| s.messages.values().filter(|m| m.content.contains(URL)).count());
    assert_eq!(dms, 1);
    let again = run(
        &fake,
        &dir,
        &jst(14, 46).to_rfc3339(),
        &["share", "2026-02-17", "--force"],
    );
    assert!(
        again.stdout.contains("by DM to 0 of 2"),
        "reached users are not messaged twice: {}",
        again.stdout
    );
}

#[test]
fn post_to_a_forum_starts_a_thread_once() {
    let fake = FakeDiscord::builder().channel(SIGNUP, 15, "event").start();
    let dir = configured("");
    let out = run(&fake, &dir, &jst(10, 0).to_rfc3339(), &["post", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("started the forum post “2026 年 2 月 17 日 (火)"),
        "{}",
        out.stdout
    );
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(
        ledger.contains("[actions.post]") && ledger.contains("outcome = \"done\""),
        "{ledger}"
    );
    let again = run(&fake, &dir, &jst(10, 1).to_rfc3339(), &["post", "2026-02-17"]);
    assert!(again.stdout.contains("already posted"), "{}", again.stdout);
    // With the state lost, the thread is found among the active ones and adopted.
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    let lost = run(&fake, &dir, &jst(10, 2).to_rfc3339(), &["post", "2026-02-17"]);
    assert!(
        lost.stdout.contains("already there") && lost.stdout.contains("adopted it"),
        "{}",
        lost.stdout
    );
    assert_eq!(fake.count("POST /channels/800000000000000300/threads"), 1);
}

#[test]
fn post_dry_run_prints_the_requests_and_sends_none() {
    let fake = fake();
    let dir = configured("");
    let out = run(
        &fake,
        &dir,
        &jst(10, 0).to_rfc3339(),
        &["post", "2026-02-17", "--dry-run"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(&format!("POST /channels/{SIGNUP}/messages")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\"enforce_nonce\": true"));
    assert!(fake.log().iter().all(|l| l.method == "GET"));
    assert!(
        !dir.path().join(".state/2026-02-17.toml").exists(),
        "a dry run records nothing"
    );
}

#[test]
fn plan_shows_the_timeline_with_states() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"");
    tick(&fake, &dir, jst(14, 0));
    let out = run(&fake, &dir, &jst(14, 50).to_rfc3339(), &["--json", "plan"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = out.json()["timeline"].clone();
    let states: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("post", "done"),
        ("roles", "due"),
        ("share", "due"),
        ("onair", "waiting"),
        ("roles-final", "waiting"),
    ];
    let want: Vec<_> = want.iter().map(|(a, s)| (a.to_string(), s.to_string())).collect();
    assert_eq!(states, want);
    let table = run(&fake, &dir, &jst(14, 50).to_rfc3339(), &["plan"]);
    assert!(
        table
            .stdout
            .contains("2026-02-17 14:45 JST ┆ 2026-02-17 ┆ URL share"),
        "{}",
        table.stdout
    );
}

#[test]
fn tick_dry_run_sends_and_records_nothing() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"");
    let out = run(&fake, &dir, &jst(14, 57).to_rfc3339(), &["tick", "--dry-run"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("event post  done  would post 2 message(s)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("# dry run: these requests were not sent"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!("POST /channels/{SHARE}/messages")),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(URL), "the URL is redacted in the plan");
    assert!(fake.log().iter().all(|l| l.method == "GET"));
    assert!(!dir.path().join(".state/2026-02-17.toml").exists());
}

#[test]
fn server_errors_are_retried_by_the_next_tick_refusals_are_not() {
    let fake = fake();
    let dir = configured("onair_notice = false");
    fake.fail(
        &format!("POST /channels/{SHARE}/messages"),
        Fault::Status(503),
        100,
    );
    let first = run(
        &fake,
        &dir,
        &jst(14, 45).to_rfc3339(),
        &["--max-wait", "1s", "tick"],
    );
    assert_eq!(first.code, 1, "{}", first.stdout);
    assert!(first.stdout.contains("URL share  FAILED"), "{}", first.stdout);
    fake.clear_faults();
    let second = tick(&fake, &dir, jst(14, 46));
    assert!(
        second.stdout.contains("URL share  done"),
        "a 5xx is retried: {}",
        second.stdout
    );

    // The bot may not send in the share channel: Discord refuses with 50013.
    let refusing = self::fake();
    refusing.state(|s| s.overwrite(SHARE, BOT_ROLE, 0, state::VIEW_CHANNEL, state::SEND_MESSAGES));
    let dir = configured("onair_notice = false");
    let refused = tick(&refusing, &dir, jst(14, 45));
    assert_eq!(refused.code, 1);
    assert!(
        refused.stdout.contains("URL share  FAILED") && refused.stdout.contains("hint:"),
        "{}",
        refused.stdout
    );
    for minute in 46..50 {
        let later = tick(&refusing, &dir, jst(14, minute));
        assert_eq!(
            (later.code, later.stdout.as_str()),
            (0, ""),
            "a refusal is reported once"
        );
    }
    assert_eq!(
        refusing.count(&format!("POST /channels/{SHARE}/messages")),
        1,
        "never hammer a 403"
    );
    let plan = run(&refusing, &dir, &jst(14, 50).to_rfc3339(), &["plan"]);
    assert!(plan.stdout.contains("failed:"), "{}", plan.stdout);
}

#[test]
fn a_damaged_ledger_or_a_broken_event_file_is_reported_not_skipped_in_silence() {
    let fake = fake();
    let dir = configured("")
        .file(".state/2026-02-17.toml", "actions = 3\n")
        .file("2026-02-18.toml", "date = \"2026-02-18\"\nstrat = \"15:00\"\n");
    let out = tick(&fake, &dir, jst(14, 45));
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].starts_with("2026-02-18  event files  FAILED  ") && lines[0].contains("unknown key `strat`")
    );
    assert!(
        lines[1].starts_with("2026-02-17  event files  FAILED  the state file"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("is damaged") && lines[1].contains("hint: move it aside"),
        "{}",
        lines[1]
    );
    assert!(
        fake.bot_messages(SHARE).is_empty(),
        "nothing is sent on a ledger that cannot be read"
    );
}

#[test]
fn post_refuses_a_sign_up_channel_that_takes_no_post() {
    let fake = bot_on_top().channel(SIGNUP, 2, "lounge").start();
    let dir = configured("");
    let out = run(&fake, &dir, &jst(10, 0).to_rfc3339(), &["post", "2026-02-17"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains(&format!("the sign-up channel {SIGNUP} is a voice channel")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("point `signup_channel_id` at a text or forum channel"),
        "{}",
        out.stderr
    );
    assert!(fake.log().iter().all(|l| l.method == "GET"), "nothing was sent");
}
