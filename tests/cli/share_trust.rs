//! The viewer URL reaches the role's holders and no one else: `share` and `tick` refuse a
//! channel anyone else can read (by its overwrites, a synced category's, or a thread's parent's),
//! a changed URL replaces the one shared, and a DM is never sent twice after a crash or a lost
//! ledger. No output shows a URL, current or former, at any verbosity.

use chrono::{DateTime, Utc};

use crate::fake::state::{BOT, GUILD, SHARE, SIGNUP, TOKEN, VIEW_CHANNEL};
use crate::fake::{FakeDiscord, Fault};
use crate::scenario::{ROLE, URL, bot_on_top, jst};
use crate::util::{Dir, Output, Series};

const NEW_URL: &str = "https://viewer.example/room/r0tat3d-77";
const MODS: u64 = 300;
const CATEGORY: u64 = 800_000_000_000_000_500;
const LOBBY: u64 = 800_000_000_000_000_600;
const THREAD: u64 = 800_000_000_000_000_700;

fn configured(policy: &str, share_channel: u64) -> Dir {
    let series = Series::shipped()
        .discord(GUILD, SIGNUP, share_channel)
        .policy(policy);
    Dir::new().series(series).shipped_event("2026-02-17")
}

/// A healthy server (the share channel hidden from @everyone, let in for the bot's own role)
/// where the event role exists, held by members 7 and 8.
fn fake(change: impl FnOnce(&mut crate::fake::State)) -> FakeDiscord {
    bot_on_top()
        .role(ROLE, "2026-02-17", 2, 0)
        .member(7, &[ROLE])
        .member(8, &[ROLE])
        .state(|s| s.overwrite(SHARE, ROLE, 0, VIEW_CHANNEL, 0))
        .state(change)
        .start()
}

/// Run at -vvv with `url` as the viewer URL; no output may show either URL.
fn run(fake: &FakeDiscord, dir: &Dir, url: &str, at: DateTime<Utc>, args: &[&str]) -> Output {
    let base = fake.base();
    let now = at.to_rfc3339();
    let mut all = vec!["-vvv", "--now", now.as_str()];
    all.extend_from_slice(args);
    let env = [
        ("DISCORD_API_BASE", base.as_str()),
        ("DISCORD_TOKEN", TOKEN),
        ("SHIGURADIO_VIEWER_URL", url),
    ];
    let out = dir.tsudoi(&all).envs(&env).run();
    for secret in [URL, NEW_URL, TOKEN] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "a secret in the output of {args:?}:\n{}\n{}",
            out.stdout,
            out.stderr
        );
    }
    out
}

fn share(fake: &FakeDiscord, dir: &Dir, url: &str, args: &[&str]) -> Output {
    let mut all = vec!["share", "2026-02-17"];
    all.extend_from_slice(args);
    run(fake, dir, url, jst(14, 45), &all)
}

/// Refused with exit 1, the reason and the fix on stderr, and nothing written to Discord nor
/// the share channel's history even read.
fn assert_refused(fake: &FakeDiscord, out: &Output, why: &str, fix: &str) {
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains(&format!("tsudoi: error: {why}")) && out.stderr.contains("nothing was sent"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&format!("hint: {fix}")), "{}", out.stderr);
    assert_eq!(fake.writes().len(), 0, "{:?}", fake.writes());
    assert_eq!(fake.count("/messages"), 0, "the share channel is not even read");
}

#[test]
fn a_share_channel_everyone_can_read_is_refused_by_share_and_tick() {
    let fake = fake(|s| {
        s.channels
            .get_mut(&SHARE)
            .unwrap()
            .overwrites
            .retain(|o| o.id != GUILD)
    });
    let dir = configured("", SHARE);
    let out = share(&fake, &dir, URL, &[]);
    assert_refused(
        &fake,
        &out,
        "@everyone can view #viewers: the viewer URL would leak to the whole server",
        "in #viewers → Edit Channel → Permissions → @everyone, deny View Channel",
    );
    let ticked = run(&fake, &dir, URL, jst(14, 45), &["tick"]);
    assert_eq!(ticked.code, 1, "{}{}", ticked.stdout, ticked.stderr);
    assert!(
        ticked
            .stdout
            .starts_with("2026-02-17  URL share  FAILED  @everyone can view #viewers")
            && ticked
                .stdout
                .contains("(hint: in #viewers → Edit Channel → Permissions"),
        "{}",
        ticked.stdout
    );
    assert_eq!(fake.writes().len(), 0);
    assert!(fake.bot_messages(SHARE).is_empty());
}

#[test]
fn a_private_channel_that_another_role_can_read_is_refused() {
    let fake = fake(|s| {
        s.role(MODS, "mods", 3, 0);
        s.member(9, &[MODS]);
        s.overwrite(SHARE, MODS, 0, VIEW_CHANNEL, 0);
        // A member let in by name is a reader too.
        s.overwrite(SHARE, 9, 1, VIEW_CHANNEL, 0);
    });
    let dir = configured("", SHARE);
    let out = share(&fake, &dir, URL, &[]);
    assert_refused(
        &fake,
        &out,
        "the role `mods` can view #viewers: the viewer URL would leak to its holders; the member 9 can view \
         #viewers by a member overwrite",
        "in #viewers → Edit Channel → Permissions → `mods`, deny View Channel; in #viewers → Edit Channel → \
         Permissions, remove the overwrite of the member 9",
    );
}

#[test]
fn a_channel_synced_with_a_public_category_is_refused() {
    let fake = fake(|s| {
        s.channel(CATEGORY, 4, "streams");
        s.sync_with(SHARE, CATEGORY);
    });
    let dir = configured("", SHARE);
    let out = share(&fake, &dir, URL, &[]);
    assert_refused(
        &fake,
        &out,
        "@everyone can view #viewers",
        "in #viewers → Edit Channel → Permissions → @everyone, deny View Channel",
    );
}

#[test]
fn a_thread_is_as_private_as_its_parent() {
    let thread_in = |parent: u64| {
        move |s: &mut crate::fake::State| {
            s.channel(LOBBY, 0, "lobby");
            s.channel(THREAD, 11, "tonight").parent_id = Some(parent);
        }
    };
    let public = fake(thread_in(LOBBY));
    let dir = configured("", THREAD);
    let out = share(&public, &dir, URL, &[]);
    assert_refused(
        &public,
        &out,
        "@everyone can view #lobby (the parent of the thread #tonight)",
        "in #lobby (the parent of the thread #tonight) → Edit Channel → Permissions → @everyone, deny View Channel",
    );
    let private = fake(thread_in(SHARE));
    let out = share(&private, &dir, URL, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(private.bot_messages(THREAD).len(), 1);
}

#[test]
fn a_private_channel_gets_the_url_and_the_ledger_keeps_no_url() {
    let fake = fake(|_| {});
    let dir = configured("", SHARE);
    let out = share(&fake, &dir, URL, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "shared the viewer URL in channel {SHARE}, pinging `2026-02-17`"
        )),
        "{}",
        out.stdout
    );
    let messages = fake.bot_messages(SHARE);
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains(URL));
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(
        ledger.contains("fingerprint = ") && !ledger.contains("viewer.example"),
        "{ledger}"
    );
}

#[test]
fn share_force_with_a_changed_url_edits_the_share_in_place() {
    let fake = fake(|_| {});
    let dir = configured("", SHARE);
    assert_eq!(share(&fake, &dir, URL, &[]).code, 0);
    let out = share(&fake, &dir, NEW_URL, &["--force"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "URL share  updated  edited the earlier share message in channel {SHARE} in place"
        )),
        "{}",
        out.stdout
    );
    let messages = fake.bot_messages(SHARE);
    assert_eq!(messages.len(), 1, "edited, not posted again");
    assert!(messages[0].contains(NEW_URL) && !messages[0].contains(URL));
    assert_eq!(fake.count("POST /channels/"), 1);
    let edit = fake.log().into_iter().find(|l| l.method == "PATCH").unwrap();
    let body = edit.body.unwrap();
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_eq!(
        body["allowed_mentions"]["roles"],
        serde_json::json!([ROLE.to_string()])
    );
    // Without --force, a share of this URL is done.
    let again = share(&fake, &dir, NEW_URL, &[]);
    assert!(again.stdout.contains("already shared at"), "{}", again.stdout);
    assert_eq!(fake.writes().len(), 2);
}

#[test]
fn a_changed_url_whose_share_was_deleted_is_posted_anew_with_another_nonce() {
    let fake = fake(|_| {});
    let dir = configured("", SHARE);
    assert_eq!(share(&fake, &dir, URL, &[]).code, 0);
    fake.state(|s| s.messages.retain(|_, m| m.channel_id != SHARE));
    let out = share(&fake, &dir, NEW_URL, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "URL share  updated  shared the viewer URL in channel {SHARE}"
        )),
        "{}",
        out.stdout
    );
    let messages = fake.bot_messages(SHARE);
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains(NEW_URL),
        "Discord did not hand back the first share"
    );
    let nonces: Vec<String> = fake
        .log()
        .iter()
        .filter(|l| l.method == "POST")
        .map(|l| l.body.as_ref().unwrap()["nonce"].to_string())
        .collect();
    assert!(nonces.len() == 2 && nonces[0] != nonces[1], "{nonces:?}");
}

#[test]
fn share_force_with_the_same_url_adopts_the_message() {
    let fake = fake(|_| {});
    let dir = configured("", SHARE);
    assert_eq!(share(&fake, &dir, URL, &[]).code, 0);
    let out = share(&fake, &dir, URL, &["--force"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "URL share  done  the URL message is already in channel {SHARE}; adopted it"
        )),
        "{}",
        out.stdout
    );
    assert_eq!(fake.writes().len(), 1, "only the first share's POST");
}

#[test]
fn tick_edits_the_share_when_the_url_changes_before_the_end() {
    let fake = fake(|_| {});
    let dir = configured("onair_notice = false", SHARE);
    let first = run(&fake, &dir, URL, jst(14, 45), &["tick"]);
    assert!(
        first.stdout.contains("URL share  done  shared"),
        "{}",
        first.stdout
    );
    let same = run(&fake, &dir, URL, jst(14, 46), &["tick"]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""));
    let rotated = run(&fake, &dir, NEW_URL, jst(15, 10), &["tick"]);
    assert_eq!(rotated.code, 0, "{}{}", rotated.stdout, rotated.stderr);
    assert!(
        rotated
            .stdout
            .starts_with("2026-02-17  URL share  updated  edited the earlier share message"),
        "{}",
        rotated.stdout
    );
    assert!(fake.bot_messages(SHARE)[0].contains(NEW_URL));
    let quiet = run(&fake, &dir, NEW_URL, jst(15, 11), &["tick"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
    // After the end, a URL change is left alone.
    let edits = fake.count("PATCH ");
    let after = run(&fake, &dir, URL, jst(17, 1), &["tick"]);
    assert!(!after.stdout.contains("URL share"), "{}", after.stdout);
    assert_eq!(fake.count("PATCH "), edits);
    assert!(fake.bot_messages(SHARE)[0].contains(NEW_URL));
}

/// The bot's DMs to each user, by recipient.
fn dms(fake: &FakeDiscord) -> Vec<(u64, usize)> {
    fake.state(|s| {
        let mut counts: Vec<(u64, usize)> = s
            .channels
            .values()
            .filter(|c| c.kind == 1)
            .map(|c| {
                let sent = s
                    .messages
                    .values()
                    .filter(|m| m.channel_id == c.id && m.author == BOT)
                    .count();
                (c.recipient.unwrap(), sent)
            })
            .collect();
        counts.sort();
        counts
    })
}

#[test]
fn a_lost_ledger_never_sends_a_dm_twice() {
    let fake = fake(|_| {});
    let dir = configured("share_mode = \"dm\"", SHARE);
    let first = share(&fake, &dir, URL, &[]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert_eq!(dms(&fake), [(7, 1), (8, 1)]);
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    // Past Discord's nonce window: only the DM channels' history can tell.
    fake.state(|s| s.nonces.clear());
    let again = share(&fake, &dir, URL, &[]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stdout.contains(
            "sent the viewer URL by DM to 0 of 2 holder(s) of `2026-02-17`; 2 already had it in their DMs"
        ),
        "{}",
        again.stdout
    );
    assert_eq!(dms(&fake), [(7, 1), (8, 1)]);
}

#[test]
fn a_dm_in_flight_at_a_crash_is_not_sent_again() {
    let fake = fake(|_| {});
    let dir = configured("share_mode = \"dm\"", SHARE);
    assert_eq!(share(&fake, &dir, URL, &[]).code, 0);
    // As if killed after the DM to 7 went out, before the ledger said so and before 8's.
    fake.state(|s| {
        let to_8 = s.channels.values().find(|c| c.recipient == Some(8)).unwrap().id;
        s.messages.retain(|_, m| m.channel_id != to_8);
        s.nonces.clear();
    });
    let started = "[actions.share]\noutcome = \"started\"\nat = \"2026-02-17T05:45:00Z\"\n";
    std::fs::write(dir.path().join(".state/2026-02-17.toml"), started).unwrap();
    let out = share(&fake, &dir, URL, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("by DM to 1 of 2 holder(s) of `2026-02-17`; 1 already had it in their DMs"),
        "{}",
        out.stdout
    );
    assert_eq!(dms(&fake), [(7, 1), (8, 1)]);
}

#[test]
fn a_message_discord_hands_back_for_a_nonce_is_checked_before_claiming_a_share() {
    let fake = fake(|_| {});
    let dir = configured("", SHARE);
    assert_eq!(share(&fake, &dir, URL, &[]).code, 0);
    // The ledger is lost and the text changed, within Discord's nonce window: the create
    // returns the first message, which does not read as it should.
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    let dir = dir.file(
        "templates/share.j2",
        "{{ share.role_mention }} 今夜の視聴用 URL: {{ share.url }}\n",
    );
    let out = share(&fake, &dir, URL, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "URL share  done  edited the earlier share message in channel {SHARE} in place"
        )),
        "{}",
        out.stdout
    );
    let messages = fake.bot_messages(SHARE);
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("今夜の視聴用 URL") && messages[0].contains(URL));
}

#[test]
fn doctor_judges_the_share_channel_as_share_does() {
    let fake = fake(|s| {
        s.role(MODS, "mods", 3, 0);
        s.overwrite(SHARE, MODS, 0, VIEW_CHANNEL, 0);
    });
    let dir = configured("", SHARE);
    let out = run(&fake, &dir, URL, jst(10, 0), &["--json", "doctor"]);
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
    assert_eq!(
        row["detail"],
        "the role `mods` can view #viewers: the viewer URL would leak to its holders"
    );
    assert_eq!(
        row["fix"],
        "in #viewers → Edit Channel → Permissions → `mods`, deny View Channel"
    );
}

#[test]
fn an_update_cut_short_by_a_5xx_edits_on_the_next_tick_without_posting_again() {
    let fake = fake(|_| {});
    let dir = configured("onair_notice = false", SHARE);
    assert_eq!(run(&fake, &dir, URL, jst(14, 45), &["tick"]).code, 0);
    fake.fail("PATCH /channels/", Fault::Status(500), 1);
    let failed = run(&fake, &dir, NEW_URL, jst(15, 10), &["tick"]);
    assert_eq!(failed.code, 1, "{}{}", failed.stdout, failed.stderr);
    assert!(failed.stdout.contains("URL share  FAILED"), "{}", failed.stdout);
    let retried = run(&fake, &dir, NEW_URL, jst(15, 11), &["tick"]);
    assert_eq!(retried.code, 0, "{}{}", retried.stdout, retried.stderr);
    assert!(
        retried
            .stdout
            .contains("URL share  updated  edited the earlier share message"),
        "{}",
        retried.stdout
    );
    let messages = fake.bot_messages(SHARE);
    assert_eq!(messages.len(), 1, "edited, never posted twice");
    assert!(messages[0].contains(NEW_URL));
    assert_eq!(
        fake.count(&format!("GET /channels/{SHARE}/messages")),
        1,
        "only the first share reads back"
    );
}
