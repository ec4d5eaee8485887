//! A past event's role no longer reads the share channel: `roles` (and `tick`'s role grants)
//! close it to the roles of the series' events that have ended, so the next event's share
//! passes the privacy check. Any other overwrite is left alone, an event not yet over keeps
//! its, a second run writes nothing, and `doctor` points at `tsudoi roles ID`.

use chrono::{DateTime, Utc};

use crate::fake::state::{BOT, READ_MESSAGE_HISTORY, SHARE, SIGNUP, TOKEN, VIEW_CHANNEL};
use crate::fake::{FakeDiscord, State};
use crate::scenario::{URL, bot_on_top, jst_on};
use crate::util::{Dir, Output, Series};

/// The role of last week's event, `2026-02-10`, still let into the share channel.
const LAST_WEEK: u64 = 400;
const MODS: u64 = 500;

fn event(date: &str, start: &str, end: &str) -> String {
    format!(
        "date = \"{date}\"\nstart = \"{start}\"\nend = \"{end}\"\nviewer_url_env = \"SHIGURADIO_VIEWER_URL\"\n"
    )
}

/// The shipped series with the fake's ids and `role_name`, last week's event and this week's.
fn directory(role_name: &str) -> Dir {
    let series = Series::for_fake().policy(&format!("role_name = \"{role_name}\""));
    Dir::new()
        .series(series)
        .file("2026-02-10.toml", &event("2026-02-10", "15:00", "17:00"))
        .file("2026-02-17.toml", &event("2026-02-17", "15:00", "17:00"))
}

/// A healthy server where last week's role (held by member 7) can still read the share channel.
fn fake(change: impl FnOnce(&mut State)) -> FakeDiscord {
    bot_on_top()
        .role(LAST_WEEK, "2026-02-10", 2, 0)
        .member(7, &[LAST_WEEK])
        .state(|s| s.overwrite(SHARE, LAST_WEEK, 0, VIEW_CHANNEL | READ_MESSAGE_HISTORY, 0))
        .state(change)
        .start()
}

/// `dir` with the sign-up post of `event` made in the fake and recorded in its ledger.
fn posted(fake: &FakeDiscord, dir: Dir, event: &str) -> Dir {
    let at = jst_on(16, 12, 0).timestamp_millis() as u64;
    let post = fake.state(|s| s.post_at(SIGNUP, BOT, "イベントのお知らせ", at, None));
    let ledger = format!(
        "[actions.post]\noutcome = \"done\"\nat = \"2026-02-16T00:00:00Z\"\nchannel_id = \"{SIGNUP}\"\nmessage_ids = [\"{post}\"]\n"
    );
    dir.file(&format!(".state/{event}.toml"), &ledger)
}

fn run(fake: &FakeDiscord, dir: &Dir, at: DateTime<Utc>, args: &[&str]) -> Output {
    let base = fake.base();
    let now = at.to_rfc3339();
    let mut all = vec!["--now", now.as_str()];
    all.extend_from_slice(args);
    let env = [
        ("DISCORD_API_BASE", base.as_str()),
        ("DISCORD_TOKEN", TOKEN),
        ("SHIGURADIO_VIEWER_URL", URL),
    ];
    let out = dir.tsudoi(&all).envs(&env).run();
    assert!(
        !out.stdout.contains(URL) && !out.stderr.contains(URL),
        "{}{}",
        out.stdout,
        out.stderr
    );
    out
}

/// `METHOD path` of every write.
fn writes(fake: &FakeDiscord) -> Vec<String> {
    fake.writes()
        .iter()
        .map(|l| format!("{} {}", l.method, l.path))
        .collect()
}

/// The roles (by name) with an overwrite on the share channel that lets them view it.
fn let_in(fake: &FakeDiscord) -> Vec<String> {
    fake.state(|s| {
        let mut names: Vec<String> = s.channels[&SHARE]
            .overwrites
            .iter()
            .filter(|o| o.kind == 0 && o.allow & VIEW_CHANNEL != 0)
            .filter_map(|o| s.roles.iter().find(|r| r.id == o.id))
            .map(|r| r.name.clone())
            .collect();
        names.sort();
        names
    })
}

fn shared(fake: &FakeDiscord) -> usize {
    fake.state(|s| {
        s.messages
            .values()
            .filter(|m| m.channel_id == SHARE && m.author == BOT)
            .count()
    })
}

#[test]
fn roles_closes_the_share_channel_to_last_weeks_role_so_the_share_passes() {
    let fake = fake(|_| {});
    let dir = posted(&fake, directory("{date}"), "2026-02-17");
    assert_eq!(let_in(&fake), ["2026-02-10", "tsudoi"]);

    let out = run(&fake, &dir, jst_on(17, 14, 0), &["roles", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        let_in(&fake),
        ["2026-02-17", "tsudoi"],
        "last week's role out, this week's in"
    );
    assert!(
        out.stdout
            .ends_with("\nclosed #viewers to `2026-02-10` (the event `2026-02-10` has ended)\n"),
        "{}",
        out.stdout
    );
    let delete = format!("DELETE /channels/{SHARE}/permissions/{LAST_WEEK}");
    assert_eq!(fake.count(&delete), 1);
    let logged = fake.log();
    let sent = logged.iter().find(|l| l.method == "DELETE").unwrap();
    assert_eq!(
        sent.header("x-audit-log-reason"),
        Some("tsudoi%20roles%202026-02-17")
    );
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());

    let before = writes(&fake).len();
    let again = run(&fake, &dir, jst_on(17, 14, 5), &["roles", "2026-02-17"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(
        writes(&fake)[before..],
        [] as [String; 0],
        "a second run writes nothing"
    );
    assert!(!again.stdout.contains("closed"), "{}", again.stdout);

    let share = run(&fake, &dir, jst_on(17, 14, 45), &["share", "2026-02-17"]);
    assert_eq!(share.code, 0, "{}{}", share.stdout, share.stderr);
    assert_eq!(shared(&fake), 1);
}

#[test]
fn a_dry_run_lists_the_delete_and_sends_nothing() {
    let fake = fake(|_| {});
    let dir = posted(&fake, directory("{date}"), "2026-02-17");
    let out = run(
        &fake,
        &dir,
        jst_on(17, 14, 0),
        &["roles", "2026-02-17", "--dry-run"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains(&format!("DELETE /channels/{SHARE}/permissions/{LAST_WEEK}\n")),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("would close #viewers to `2026-02-10` (the event `2026-02-10` has ended)"),
        "{}",
        out.stderr
    );
    assert_eq!(writes(&fake), [] as [String; 0]);
    assert_eq!(let_in(&fake), ["2026-02-10", "tsudoi"]);
}

#[test]
fn another_roles_overwrite_is_left_alone_and_the_share_still_refused() {
    let fake = fake(|s| {
        s.role(MODS, "mods", 3, 0);
        s.overwrite(SHARE, MODS, 0, VIEW_CHANNEL, 0);
    });
    let dir = posted(&fake, directory("{date}"), "2026-02-17");
    let out = run(&fake, &dir, jst_on(17, 14, 0), &["roles", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(let_in(&fake), ["2026-02-17", "mods", "tsudoi"]);
    assert_eq!(fake.count("DELETE"), 1, "only last week's overwrite goes");

    let share = run(&fake, &dir, jst_on(17, 14, 45), &["share", "2026-02-17"]);
    assert_eq!(share.code, 1, "{}{}", share.stdout, share.stderr);
    assert!(
        share.stderr.contains(
            "tsudoi: error: the role `mods` can view #viewers: the viewer URL would leak to its holders; \
             nothing was sent"
        ) && share.stderr.contains(
            "hint: in #viewers → Edit Channel → Permissions → `mods`, deny View Channel, then run `tsudoi \
             doctor` and share again"
        ),
        "{}",
        share.stderr
    );
    assert_eq!(shared(&fake), 0);
}

#[test]
fn an_event_not_yet_over_keeps_its_overwrite() {
    // Two events on 2026-02-17, each with its own role; the afternoon one is under way.
    let fake = fake(|s| {
        s.role(600, "2026-02-17", 2, 0);
        s.overwrite(SHARE, 600, 0, VIEW_CHANNEL | READ_MESSAGE_HISTORY, 0);
    });
    let dir = directory("{id}").file("2026-02-17-b.toml", &event("2026-02-17", "20:00", "22:00"));
    let dir = posted(&fake, dir, "2026-02-17-b");
    let out = run(&fake, &dir, jst_on(17, 16, 0), &["roles", "2026-02-17-b"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(let_in(&fake), ["2026-02-17", "2026-02-17-b", "tsudoi"]);
    assert_eq!(
        fake.count("DELETE"),
        1,
        "only the role of the event that ended: {:?}",
        writes(&fake)
    );
    assert!(
        out.stdout
            .ends_with("\nclosed #viewers to `2026-02-10` (the event `2026-02-10` has ended)\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn tick_closes_last_weeks_role_before_it_shares() {
    let fake = fake(|_| {});
    let dir = posted(&fake, directory("{date}"), "2026-02-17");
    let out = run(&fake, &dir, jst_on(17, 14, 45), &["tick"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(let_in(&fake), ["2026-02-17", "tsudoi"]);
    assert!(
        out.stdout
            .contains("closed #viewers to `2026-02-10` (the event `2026-02-10` has ended)"),
        "{}",
        out.stdout
    );
    assert_eq!(shared(&fake), 1, "{}", out.stdout);
}

#[test]
fn doctor_points_at_roles_when_ended_events_roles_can_read() {
    let doctor = |fake: &FakeDiscord| {
        let dir = directory("{date}");
        let out = run(fake, &dir, jst_on(17, 10, 0), &["--json", "doctor"]);
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        let json = out.json();
        let row = json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "share privacy")
            .unwrap()
            .clone();
        assert_eq!(row["status"], "fail");
        row["fix"].as_str().unwrap().to_string()
    };
    let roles_fix =
        "run `tsudoi roles 2026-02-17`: it closes #viewers to the roles of events that have ended";
    assert_eq!(doctor(&fake(|_| {})), roles_fix);
    let with_mods = fake(|s| {
        s.role(MODS, "mods", 3, 0);
        s.overwrite(SHARE, MODS, 0, VIEW_CHANNEL, 0);
    });
    assert_eq!(
        doctor(&with_mods),
        format!("in #viewers → Edit Channel → Permissions → `mods`, deny View Channel; {roles_fix}")
    );
}
