//! Events change after they are announced (issue 12): the post is edited in place, a change of
//! time or a cancellation gets one notice, `move` and `cancel`, a rotated viewer URL, all
//! against the fake and each exactly once.

use chrono::{DateTime, TimeZone, Utc};

use crate::fake::FakeDiscord;
use crate::fake::state::{BOT_ROLE, GUILD, SHARE, SIGNUP, TOKEN};
use crate::util::{Dir, Output, Series};

const URL: &str = "https://viewer.example/room/s3cr3t-42";
const ROLE: u64 = 600;
const EVENT: &str = "2026-02-17.toml";

fn configured(policy: &str) -> Dir {
    Dir::new()
        .series(Series::for_fake().policy(policy))
        .shipped_event("2026-02-17")
}

fn fake() -> FakeDiscord {
    builder()
        .role(ROLE, "2026-02-17", 2, 0)
        .member(7, &[ROLE])
        .start()
}

fn builder() -> crate::fake::Builder {
    FakeDiscord::builder().state(|s| s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap().position = 5)
}

fn run(fake: &FakeDiscord, dir: &Dir, at: DateTime<Utc>, args: &[&str]) -> Output {
    dir.tsudoi(args)
        .now(&at.to_rfc3339())
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .env("SHIGURADIO_VIEWER_URL", URL)
        .run()
}

fn tick(fake: &FakeDiscord, dir: &Dir, at: DateTime<Utc>) -> Output {
    run(fake, dir, at, &["tick"])
}

fn jst(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(2026, 2, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// How many requests changed something on Discord.
fn writes(fake: &FakeDiscord) -> usize {
    fake.writes().len()
}

/// Replace `old` by `new` in the event file, as a person would.
fn edit(dir: &Dir, name: &str, old: &str, new: &str) {
    let path = dir.path().join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old), "{old} not in {name}");
    std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
}

/// The event announced an hour before its start, at 14:00 JST.
fn announced(policy: &str) -> (FakeDiscord, Dir) {
    let fake = fake();
    let dir = configured(&format!("announce_before_start = \"1h\"\n{policy}"));
    let out = tick(&fake, &dir, jst(17, 14, 0));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fake.bot_messages(SIGNUP).len(), 2, "the post, two messages");
    (fake, dir)
}

fn notices(fake: &FakeDiscord) -> Vec<serde_json::Value> {
    fake.log()
        .into_iter()
        .filter(|l| {
            l.method == "POST"
                && l.body
                    .as_ref()
                    .is_some_and(|b| b.get("message_reference").is_some())
        })
        .filter_map(|l| l.body)
        .collect()
}

#[test]
fn an_agenda_edited_after_posting_is_one_patch_and_no_notice() {
    let (fake, dir) = announced("");
    let before = writes(&fake);
    edit(&dir, EVENT, "shiguredo/srt-rs", "shiguredo/srt-rs (SRT 1.5)");
    let out = tick(&fake, &dir, jst(17, 14, 5));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("event post  updated  edited 1 message(s) in place"),
        "{}",
        out.stdout
    );
    assert_eq!(writes(&fake) - before, 1, "one PATCH: {:?}", fake.log().last());
    assert_eq!(fake.count("PATCH /channels/"), 1);
    let patch = fake.log().into_iter().find(|l| l.method == "PATCH").unwrap();
    assert_eq!(
        patch.body.unwrap()["allowed_mentions"]["parse"],
        serde_json::json!([])
    );
    assert!(fake.bot_messages(SIGNUP).iter().any(|m| m.contains("SRT 1.5")));
    assert!(notices(&fake).is_empty(), "an agenda edit is silent");
    // Nothing changed since: no write at all.
    let before = writes(&fake);
    let again = tick(&fake, &dir, jst(17, 14, 6));
    assert_eq!((again.code, again.stdout.as_str()), (0, ""));
    assert_eq!(writes(&fake), before, "a second tick writes nothing");
}

#[test]
fn a_start_moved_by_an_hour_is_one_patch_and_one_notice_with_both_times() {
    let (fake, dir) = announced("");
    edit(&dir, EVENT, "start = \"15:00\"", "start = \"16:00\"");
    let out = tick(&fake, &dir, jst(17, 14, 5));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        fake.count("PATCH /channels/"),
        1,
        "the first message holds the time"
    );
    let notices = notices(&fake);
    assert_eq!(notices.len(), 1, "{notices:?}");
    let text = notices[0]["content"].as_str().unwrap();
    let (old, new) = (jst(17, 15, 0).timestamp(), jst(17, 16, 0).timestamp());
    assert!(
        text.contains(&format!("<t:{old}:F>")) && text.contains(&format!("<t:{new}:F>")),
        "{text}"
    );
    assert!(
        text.contains(&format!("<@&{ROLE}>")),
        "the role has a holder: {text}"
    );
    assert_eq!(
        notices[0]["allowed_mentions"]["roles"],
        serde_json::json!([ROLE.to_string()])
    );
    let before = writes(&fake);
    tick(&fake, &dir, jst(17, 14, 6));
    assert_eq!(writes(&fake), before, "the notice goes once");
}

#[test]
fn a_notice_pings_no_one_when_the_role_has_no_holders() {
    let fake = builder().role(ROLE, "2026-02-17", 2, 0).start();
    let dir = configured("announce_before_start = \"1h\"");
    tick(&fake, &dir, jst(17, 14, 0));
    edit(&dir, EVENT, "end = \"17:00\"", "end = \"17:30\"");
    tick(&fake, &dir, jst(17, 14, 5));
    let notices = notices(&fake);
    assert_eq!(notices.len(), 1);
    assert!(!notices[0]["content"].as_str().unwrap().contains("<@&"));
    assert_eq!(notices[0]["allowed_mentions"]["roles"], serde_json::json!([]));
}

#[test]
fn two_ticks_at_once_on_a_changed_event_send_one_patch_and_one_notice() {
    let (fake, dir) = announced("");
    edit(&dir, EVENT, "start = \"15:00\"", "start = \"16:00\"");
    let spawn = || {
        dir.tsudoi(["tick"])
            .now(&jst(17, 14, 5).to_rfc3339())
            .env("DISCORD_API_BASE", &fake.base())
            .env("DISCORD_TOKEN", TOKEN)
            .env("SHIGURADIO_VIEWER_URL", URL)
            .spawn()
    };
    let (a, b) = (spawn(), spawn());
    assert!(a.wait_with_output().unwrap().status.success());
    assert!(b.wait_with_output().unwrap().status.success());
    assert_eq!(fake.count("PATCH /channels/"), 1);
    assert_eq!(notices(&fake).len(), 1);
}

/// An event whose post is one message; its agenda can grow it.
fn small_event(agenda: &str) -> String {
    format!("date = \"2026-02-17\"\nstart = \"15:00\"\nend = \"17:00\"\nagenda = \"\"\"\n{agenda}\n\"\"\"\n")
}

fn long_agenda() -> String {
    (0..80)
        .map(|i| format!("- item {i}: a topic that takes a line of its own"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_post_grows_from_one_to_three_messages_and_shrinks_back() {
    let fake = fake();
    let dir = Dir::new()
        .series(Series::for_fake().policy("announce_before_start = \"1h\""))
        .event("2026-02-17", &small_event("- one topic"));
    let out = tick(&fake, &dir, jst(17, 14, 0));
    assert_eq!(fake.bot_messages(SIGNUP).len(), 1, "{}{}", out.stdout, out.stderr);
    std::fs::write(dir.path().join(EVENT), small_event(&long_agenda())).unwrap();
    let out = tick(&fake, &dir, jst(17, 14, 5));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fake.bot_messages(SIGNUP).len(), 3, "{}", out.stdout);
    assert_eq!(fake.count("PATCH /channels/"), 1);
    assert_eq!(fake.count("POST /channels/"), 3, "the post, then two more");
    std::fs::write(dir.path().join(EVENT), small_event("- one topic")).unwrap();
    let out = tick(&fake, &dir, jst(17, 14, 10));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fake.bot_messages(SIGNUP).len(), 1);
    assert_eq!(fake.count("DELETE /channels/"), 2);
    assert!(fake.bot_messages(SIGNUP)[0].contains("one topic"));
    let before = writes(&fake);
    tick(&fake, &dir, jst(17, 14, 11));
    assert_eq!(writes(&fake), before);
}

#[test]
fn a_forum_posts_title_change_renames_its_thread() {
    let forum = 800_000_000_000_000_500;
    let fake = builder()
        .role(ROLE, "2026-02-17", 2, 0)
        .channel(forum, 15, "events")
        .start();
    let dir = Dir::new()
        .series(
            Series::for_fake()
                .discord(GUILD, forum, SHARE)
                .policy("announce_before_start = \"1h\""),
        )
        .event("2026-02-17", &small_event("- one topic"));
    let out = tick(&fake, &dir, jst(17, 14, 0));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let thread = fake.state(|s| {
        s.channels
            .values()
            .find(|c| c.parent_id == Some(forum))
            .unwrap()
            .id
    });
    edit(
        &dir,
        EVENT,
        "date = \"2026-02-17\"",
        "date = \"2026-02-17\"\ntitle = \"特別回\"",
    );
    let out = tick(&fake, &dir, jst(17, 14, 5));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        fake.count(&format!("PATCH /channels/{thread}/messages/{thread}")),
        1
    );
    assert_eq!(
        fake.count(&format!("PATCH /channels/{thread}")),
        2,
        "the message and the name"
    );
    let name = fake.state(|s| s.channels[&thread].name.clone());
    assert!(name.contains("特別回"), "{name}");
    let before = writes(&fake);
    tick(&fake, &dir, jst(17, 14, 6));
    assert_eq!(writes(&fake), before);
}

#[test]
fn a_post_deleted_by_a_moderator_is_reported_once_and_reposted_only_when_asked() {
    let (fake, dir) = announced("");
    fake.state(|s| s.messages.retain(|_, m| m.channel_id != SIGNUP));
    edit(&dir, EVENT, "shiguredo/srt-rs", "shiguredo/srt-rs (SRT 1.5)");
    let out = tick(&fake, &dir, jst(17, 14, 5));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("10008") && out.stdout.contains("post 2026-02-17 --repost"),
        "{}",
        out.stdout
    );
    let before = fake.log().len();
    let again = tick(&fake, &dir, jst(17, 14, 6));
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "{}", again.stderr);
    assert_eq!(fake.log().len(), before, "not retried");
    assert!(
        fake.bot_messages(SIGNUP).is_empty(),
        "no new post without --repost"
    );
    let out = run(&fake, &dir, jst(17, 14, 7), &["post", "2026-02-17"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("--repost"), "{}", out.stdout);
    assert!(
        fake.bot_messages(SIGNUP).is_empty(),
        "no new post without --repost"
    );
    let out = run(&fake, &dir, jst(17, 14, 7), &["post", "2026-02-17", "--repost"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fake.bot_messages(SIGNUP).len(), 2);
}

#[test]
fn post_run_again_edits_and_its_dry_run_shows_a_diff() {
    let (fake, dir) = announced("");
    edit(&dir, EVENT, "shiguredo/srt-rs", "shiguredo/srt-rs (SRT 1.5)");
    let before = writes(&fake);
    let dry = run(&fake, &dir, jst(17, 14, 5), &["post", "2026-02-17", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("+  - shiguredo/srt-rs (SRT 1.5)"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("-  - shiguredo/srt-rs\n"), "{}", dry.stdout);
    assert_eq!(writes(&fake), before, "a dry run sends nothing");
    let out = run(&fake, &dir, jst(17, 14, 5), &["post", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fake.count("PATCH /channels/"), 1);
    assert!(!out.stdout.contains(URL) && !dry.stdout.contains(URL));
}

#[test]
fn nothing_is_edited_after_the_event_ends() {
    let (fake, dir) = announced("");
    edit(&dir, EVENT, "shiguredo/srt-rs", "shiguredo/srt-rs (SRT 1.5)");
    tick(&fake, &dir, jst(17, 17, 1));
    assert_eq!(fake.count("PATCH /channels/"), 0);
}

#[test]
fn a_cancelled_event_by_hand_is_edited_announced_and_not_shared_then_back_on() {
    let (fake, dir) = announced("");
    edit(
        &dir,
        EVENT,
        "date = \"2026-02-17\"",
        "date = \"2026-02-17\"\nstatus = \"cancelled\"",
    );
    let out = tick(&fake, &dir, jst(17, 14, 5));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(fake.bot_messages(SIGNUP)[0].contains("中止"));
    assert_eq!(notices(&fake).len(), 1);
    assert!(notices(&fake)[0]["content"].as_str().unwrap().contains("中止"));
    let out = tick(&fake, &dir, jst(17, 14, 45));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        fake.bot_messages(SHARE).is_empty(),
        "no share for a cancelled event"
    );
    // Back on before the share.
    let dir_text = dir.read(EVENT).replace("status = \"cancelled\"\n", "");
    std::fs::write(dir.path().join(EVENT), dir_text).unwrap();
    let out = tick(&fake, &dir, jst(17, 14, 46));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!fake.bot_messages(SIGNUP)[0].contains("中止"));
    assert_eq!(notices(&fake).len(), 2, "the back-on notice");
    assert!(
        fake.bot_messages(SHARE).iter().any(|m| m.contains(URL)),
        "shared again once back on"
    );
}

#[test]
fn cancel_edits_the_post_sends_one_notice_and_no_share_then_undo_brings_it_back() {
    let (fake, dir) = announced("");
    let out = run(
        &fake,
        &dir,
        jst(17, 14, 5),
        &["cancel", "2026-02-17", "--reason", "機材トラブル"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        dir.read(EVENT)
            .contains("status = \"cancelled\"\nreason = \"機材トラブル\"")
    );
    assert!(
        dir.read(EVENT).contains("# 2026 年 2 月 17 日"),
        "the rest of the file is kept"
    );
    let post = &fake.bot_messages(SIGNUP)[0];
    assert!(post.contains("中止") && post.contains("機材トラブル"), "{post}");
    assert_eq!(notices(&fake).len(), 1);
    assert!(
        notices(&fake)[0]["content"]
            .as_str()
            .unwrap()
            .contains("機材トラブル")
    );
    let before = writes(&fake);
    let out = tick(&fake, &dir, jst(17, 14, 45));
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    assert_eq!(writes(&fake), before, "no share, no second notice");
    assert!(
        dir.read(".state/2026-02-17.toml")
            .contains("not needed: the event is cancelled")
    );
    let out = run(&fake, &dir, jst(17, 14, 46), &["cancel", "2026-02-17", "--undo"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(dir.read(EVENT).contains("status = \"scheduled\"") && !dir.read(EVENT).contains("reason"));
    assert!(!fake.bot_messages(SIGNUP)[0].contains("中止"));
    assert_eq!(notices(&fake).len(), 2);
    let out = tick(&fake, &dir, jst(17, 14, 47));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        fake.bot_messages(SHARE).iter().any(|m| m.contains(URL)),
        "shared once back on"
    );
}

#[test]
fn move_renames_the_file_ledger_and_role_edits_the_post_and_shares_at_the_new_time() {
    let (fake, dir) = announced("");
    let out = run(
        &fake,
        &dir,
        jst(17, 14, 5),
        &["move", "2026-02-17", "2026-02-24", "--start", "16:00"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!dir.path().join(EVENT).exists());
    let moved = dir.read("2026-02-24.toml");
    assert!(
        moved.contains("date = \"2026-02-24\"\nstart = \"16:00\""),
        "{moved}"
    );
    assert!(moved.contains("shiguredo/srt-rs"), "the rest is kept");
    assert!(!dir.path().join(".state/2026-02-17.toml").exists());
    assert!(dir.read(".state/2026-02-24.toml").contains("outcome = \"done\""));
    let role = fake.state(|s| s.roles.iter().find(|r| r.id == ROLE).unwrap().name.clone());
    assert_eq!(role, "2026-02-24", "the same role, renamed");
    assert_eq!(fake.state(|s| s.members[&7].roles.clone()), vec![ROLE]);
    assert!(fake.bot_messages(SIGNUP)[0].contains("2026 年 2 月 24 日"));
    let notices = notices(&fake);
    assert_eq!(notices.len(), 1);
    let new_start = jst(24, 16, 0).timestamp();
    assert!(
        notices[0]["content"]
            .as_str()
            .unwrap()
            .contains(&format!("<t:{new_start}:F>"))
    );
    // The old T−15 passes with nothing shared; the new one shares.
    let out = tick(&fake, &dir, jst(17, 14, 45));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(fake.bot_messages(SHARE).is_empty(), "not at the old time");
    let out = tick(&fake, &dir, jst(24, 15, 45));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        fake.bot_messages(SHARE).iter().any(|m| m.contains(URL)),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(URL));
}

#[test]
fn a_file_renamed_by_hand_is_reported_by_check_and_never_posted_twice() {
    let (fake, dir) = announced("");
    let text = dir
        .read(EVENT)
        .replace("date = \"2026-02-17\"", "date = \"2026-02-24\"");
    std::fs::write(dir.path().join("2026-02-24.toml"), text).unwrap();
    std::fs::remove_file(dir.path().join(EVENT)).unwrap();
    let check = run(&fake, &dir, jst(17, 14, 5), &["check"]);
    assert_ne!(check.code, 0);
    assert!(
        check.stderr.contains("tsudoi move 2026-02-17"),
        "{}",
        check.stderr
    );
    let before = writes(&fake);
    let out = tick(&fake, &dir, jst(24, 14, 0));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("tsudoi move 2026-02-17"), "{}", out.stdout);
    assert_eq!(writes(&fake), before, "not posted a second time");
    let out = run(&fake, &dir, jst(24, 14, 0), &["move", "2026-02-17", "2026-02-24"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        fake.state(|s| s.roles.iter().find(|r| r.id == ROLE).unwrap().name.clone()),
        "2026-02-24"
    );
    assert!(fake.bot_messages(SIGNUP)[0].contains("2026 年 2 月 24 日"));
    assert_eq!(
        fake.bot_messages(SIGNUP).len(),
        3,
        "the post (two messages) and one notice"
    );
    let out = run(&fake, &dir, jst(24, 14, 1), &["check"]);
    assert!(!out.stderr.contains("tsudoi move"), "{}", out.stderr);
}

const NEW_URL: &str = "https://viewer.example/room/n3w-s3cr3t-77";

fn run_with_url(fake: &FakeDiscord, dir: &Dir, url: &str, at: DateTime<Utc>) -> Output {
    dir.tsudoi(["tick"])
        .now(&at.to_rfc3339())
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .env("SHIGURADIO_VIEWER_URL", url)
        .run()
}

#[test]
fn a_url_rotated_after_the_share_edits_the_share_message_in_place() {
    let (fake, dir) = announced("onair_notice = false");
    assert_eq!(tick(&fake, &dir, jst(17, 14, 45)).code, 0);
    assert_eq!(fake.bot_messages(SHARE).len(), 1);
    let out = run_with_url(&fake, &dir, NEW_URL, jst(17, 15, 10));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("URL share  updated  "), "{}", out.stdout);
    let shared = fake.bot_messages(SHARE);
    assert_eq!(shared.len(), 1, "edited, not a second message");
    assert!(shared[0].contains(NEW_URL) && !shared[0].contains(URL));
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(!ledger.contains(URL) && !ledger.contains(NEW_URL));
    assert!(!out.stdout.contains(NEW_URL) && !out.stderr.contains(NEW_URL));
    let before = writes(&fake);
    run_with_url(&fake, &dir, NEW_URL, jst(17, 15, 11));
    assert_eq!(writes(&fake), before);
}

#[test]
fn redact_after_the_end_drops_the_url_from_the_share_message_once() {
    let (fake, dir) = announced("viewer_url_after_end = \"redact\"\nonair_notice = false");
    assert_eq!(tick(&fake, &dir, jst(17, 14, 45)).code, 0);
    assert!(fake.bot_messages(SHARE)[0].contains(URL));
    assert_eq!(tick(&fake, &dir, jst(17, 16, 59)).code, 0);
    assert!(fake.bot_messages(SHARE)[0].contains(URL), "kept until the end");
    let out = tick(&fake, &dir, jst(17, 17, 1));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("removed the viewer URL"), "{}", out.stdout);
    let shared = fake.bot_messages(SHARE);
    assert_eq!(shared.len(), 1);
    assert!(!shared[0].contains("viewer.example"), "{}", shared[0]);
    let before = writes(&fake);
    tick(&fake, &dir, jst(17, 17, 2));
    assert_eq!(writes(&fake), before);
}

#[test]
fn delete_after_the_end_removes_the_share_message_and_keep_leaves_it() {
    let (fake, dir) = announced("viewer_url_after_end = \"delete\"\nonair_notice = false");
    tick(&fake, &dir, jst(17, 14, 45));
    tick(&fake, &dir, jst(17, 17, 1));
    assert!(fake.bot_messages(SHARE).is_empty());
    let (fake, dir) = announced("onair_notice = false");
    tick(&fake, &dir, jst(17, 14, 45));
    let before = writes(&fake);
    tick(&fake, &dir, jst(17, 17, 1));
    assert_eq!(writes(&fake), before, "keep is the default");
    assert!(fake.bot_messages(SHARE)[0].contains(URL));
}

#[test]
fn plan_and_show_list_the_pending_edits_and_notice_and_json_carries_them() {
    let (fake, dir) = announced("");
    edit(&dir, EVENT, "start = \"15:00\"", "start = \"16:00\"");
    let at = jst(17, 14, 5).to_rfc3339();
    let plan = dir.tsudoi(["plan"]).now(&at).run();
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(
        plan.stdout
            .contains("due: edit 1 message(s) in place, reply with a notice"),
        "{}",
        plan.stdout
    );
    let json = dir.tsudoi(["plan", "--json"]).now(&at).run().json();
    let row = json["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.get("changes").is_some())
        .unwrap()
        .clone();
    assert_eq!(row["changes"]["edits"], serde_json::json!([0]));
    assert!(row["changes"]["notice"].is_array());
    let show = dir.tsudoi(["show", "2026-02-17"]).now(&at).run();
    assert!(show.stdout.contains("pending edits"), "{}", show.stdout);
    let json = dir.tsudoi(["show", "2026-02-17", "--json"]).now(&at).run().json();
    assert!(json["pending"]["summary"].as_str().unwrap().contains("notice"));
    assert_eq!(fake.count("PATCH"), 0, "plan and show send nothing");
    tick(&fake, &dir, jst(17, 14, 6));
    let plan = dir
        .tsudoi(["plan", "--json"])
        .now(&jst(17, 14, 7).to_rfc3339())
        .run()
        .json();
    assert!(
        plan["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("changes").is_none())
    );
}

#[test]
fn the_page_shows_a_cancelled_past_event_as_cancelled_with_its_reason() {
    let dir = configured("")
        .event(
            "2026-02-03",
            "date = \"2026-02-03\"\nstatus = \"cancelled\"\nreason = \"機材トラブル\"\nnotes = \"n3\"\n",
        )
        .event("2026-02-10", "date = \"2026-02-10\"\nnotes = \"held\"\n");
    let out = dir
        .tsudoi(["announce", "2026-02-17"])
        .now("2026-02-16T00:00:00Z")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("2026 年 2 月 3 日 15:00-17:00 (中止)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("機材トラブル") && !out.stdout.contains("n3"));
    assert!(out.stdout.contains("held"));
}

#[test]
fn two_machines_seeing_the_same_change_send_one_notice() {
    let (fake, host) = announced("");
    let ci = configured("announce_before_start = \"1h\"");
    assert_eq!(tick(&fake, &ci, jst(17, 14, 1)).code, 0);
    assert_eq!(
        fake.bot_messages(SIGNUP).len(),
        2,
        "the second machine adopts the post"
    );
    for dir in [&host, &ci] {
        edit(dir, EVENT, "start = \"15:00\"", "start = \"16:00\"");
    }
    assert_eq!(tick(&fake, &host, jst(17, 14, 5)).code, 0);
    let out = tick(&fake, &ci, jst(17, 14, 5));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(notices(&fake).len(), 1, "the second machine finds the notice");
    assert_eq!(fake.bot_messages(SIGNUP).len(), 3);
}
