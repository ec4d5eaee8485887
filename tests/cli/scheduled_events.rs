//! `[discord] scheduled_event = true`: one Discord scheduled event per episode, made by `post`
//! (and `tick`), exactly once, adopted after a lost ledger, kept in step with the file and
//! cancelled with it; `signup_mode = "interested"` reads its "Interested" list, never a message.

use crate::fake::FakeDiscord;
use crate::fake::scheduled_events::{CANCELED, COMPLETED, CREATE_EVENTS, MANAGE_EVENTS};
use crate::fake::state::{BOT, BOT_ROLE, GUILD, MANAGE_ROLES, SIGNUP, TOKEN};
use crate::util::{Dir, Output, Series};

const ROLE: u64 = 600;
/// 2026-02-17 15:00 JST is 06:00 UTC; the post goes out the day before.
const DAY_BEFORE: &str = "2026-02-16T06:00:00Z";
const NAME: &str = "2026 年 2 月 17 日 (火) 時雨堂 不定期オンライン雑談配信 (SHIGURADIO)";

fn series(extra_discord: &str, policy: &str) -> Series {
    Series::for_fake()
        .set("discord", &format!("scheduled_event = true\n{extra_discord}"))
        .policy(policy)
}

fn dir(series: Series) -> Dir {
    Dir::new().series(series).shipped_event("2026-02-17")
}

/// The bot's role may create events and grant roles, above the event role.
fn fake_with(permissions: u64) -> FakeDiscord {
    FakeDiscord::builder()
        .state(move |s| {
            let bot = s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap();
            bot.position = 5;
            bot.permissions = permissions;
        })
        .role(ROLE, "2026-02-17", 2, 0)
        .start()
}

fn fake() -> FakeDiscord {
    fake_with(MANAGE_ROLES | CREATE_EVENTS)
}

fn run(fake: &FakeDiscord, dir: &Dir, now: &str, args: &[&str]) -> Output {
    dir.tsudoi(args)
        .now(now)
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .env("SHIGURADIO_VIEWER_URL", "https://viewer.example/room/s3cr3t-42")
        .run()
}

/// Requests that change something on Discord.
fn writes(fake: &FakeDiscord) -> usize {
    fake.writes().len()
}

/// Requests that change a scheduled event (a tick's role grants write too).
fn event_writes(fake: &FakeDiscord) -> usize {
    fake.log()
        .iter()
        .filter(|l| l.method != "GET" && l.path.contains("/scheduled-events"))
        .count()
}

fn events(fake: &FakeDiscord) -> Vec<crate::fake::scheduled_events::ScheduledEvent> {
    fake.state(|s| s.scheduled_events.values().cloned().collect())
}

fn post_message(fake: &FakeDiscord) -> u64 {
    fake.state(|s| s.messages.values().find(|m| m.author == BOT).unwrap().id)
}

#[test]
fn post_makes_one_external_event_with_the_files_fields_and_a_second_run_writes_nothing() {
    let fake = fake();
    let dir = dir(series("", ""));
    let out = run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let made = events(&fake);
    assert_eq!(made.len(), 1, "{made:?}");
    let event = &made[0];
    assert_eq!(event.name, NAME);
    assert_eq!(event.start, "2026-02-17T06:00:00Z");
    assert_eq!(event.end.as_deref(), Some("2026-02-17T08:00:00Z"));
    assert_eq!(event.location, "Discord #event");
    let description = event.description.clone().unwrap();
    let link = format!(
        "https://discord.com/channels/{GUILD}/{SIGNUP}/{}",
        post_message(&fake)
    );
    assert!(description.contains(&link), "{description}");
    assert!(
        description.contains("「参加します」と返信 (締切 15:30)"),
        "{description}"
    );
    assert!(!description.contains("s3cr3t"), "{description}");
    let create = fake
        .log()
        .into_iter()
        .find(|l| l.method == "POST" && l.path.ends_with("/scheduled-events"))
        .unwrap();
    let body = create.body.unwrap();
    assert_eq!(body["entity_type"], 3);
    assert_eq!(body["privacy_level"], 2);
    assert!(
        out.stdout
            .contains(&format!("created the scheduled event “{NAME}” ({})", event.id)),
        "{}",
        out.stdout
    );

    let before = writes(&fake);
    let again = run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(writes(&fake), before, "{}", again.stdout);
    let before = event_writes(&fake);
    let ticked = run(&fake, &dir, "2026-02-16T06:05:00Z", &["tick"]);
    assert_eq!(ticked.code, 0, "{}", ticked.stderr);
    assert_eq!(event_writes(&fake), before, "{}", ticked.stdout);
    assert!(!ticked.stdout.contains("scheduled event"), "{}", ticked.stdout);
    assert_eq!(events(&fake).len(), 1);
}

#[test]
fn tick_makes_it_once_the_post_is_up_with_the_series_location() {
    let fake = fake();
    let dir = dir(series(
        "scheduled_event_location = \"YouTube Live\"",
        "announce_before_start = \"1d\"",
    ));
    let out = run(&fake, &dir, DAY_BEFORE, &["tick"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let made = events(&fake);
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].location, "YouTube Live");
    let before = event_writes(&fake);
    let out = run(&fake, &dir, "2026-02-16T06:01:00Z", &["tick"]);
    assert_eq!((out.code, event_writes(&fake)), (0, before), "{}", out.stdout);
}

#[test]
fn a_lost_ledger_adopts_our_event_instead_of_making_a_second() {
    let fake = fake();
    let dir = dir(series("", ""));
    assert_eq!(run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]).code, 0);
    // Someone else's event of the same name is not ours.
    fake.state(|s| {
        s.scheduled_event(1, NAME, "2026-02-17T06:00:00Z", "2026-02-17T08:00:00Z");
    });
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    let out = run(&fake, &dir, "2026-02-16T07:00:00Z", &["post", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ours: Vec<_> = events(&fake).into_iter().filter(|e| e.creator == BOT).collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(fake.count("POST /guilds/800000000000000100/scheduled-events"), 1);
    assert!(
        out.stdout.contains("already says this; nothing to change"),
        "{}",
        out.stdout
    );
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(
        ledger.contains(&format!("guild_event_id = \"{}\"", ours[0].id)),
        "{ledger}"
    );
}

#[test]
fn edited_times_send_one_patch_and_a_cancelled_event_cancels_it() {
    let fake = fake();
    let dir = dir(series("", ""));
    assert_eq!(run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]).code, 0);
    let event_file = dir.path().join("2026-02-17.toml");
    let text = std::fs::read_to_string(&event_file).unwrap();
    std::fs::write(
        &event_file,
        text.replace("start = \"15:00\"", "start = \"14:00\""),
    )
    .unwrap();
    let before = event_writes(&fake);
    let out = run(&fake, &dir, "2026-02-16T07:00:00Z", &["tick"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(event_writes(&fake), before + 1, "{}", out.stdout);
    assert_eq!(
        fake.count("PATCH /guilds/800000000000000100/scheduled-events/"),
        1
    );
    let event = events(&fake).remove(0);
    assert_eq!(event.start, "2026-02-17T05:00:00Z");
    assert!(
        out.stdout
            .contains(&format!("updated the scheduled event {}", event.id)),
        "{}",
        out.stdout
    );
    let out = run(&fake, &dir, "2026-02-16T07:01:00Z", &["tick"]);
    assert_eq!(event_writes(&fake), before + 1, "{}", out.stdout);

    let text = std::fs::read_to_string(&event_file).unwrap();
    std::fs::write(&event_file, format!("status = \"cancelled\"\n{text}")).unwrap();
    let out = run(&fake, &dir, "2026-02-16T08:00:00Z", &["tick"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let event = events(&fake).remove(0);
    assert_eq!(event.status, CANCELED);
    assert!(
        out.stdout
            .contains(&format!("cancelled the scheduled event {}", event.id)),
        "{}",
        out.stdout
    );
    let patch = fake.log().into_iter().rfind(|l| l.method == "PATCH").unwrap();
    assert_eq!(patch.body.unwrap()["status"], 4);
    let before = event_writes(&fake);
    let out = run(&fake, &dir, "2026-02-16T08:01:00Z", &["tick"]);
    assert_eq!((out.code, event_writes(&fake)), (0, before), "{}", out.stdout);
    assert_eq!(out.stdout, "");
}

#[test]
fn a_finished_event_is_left_alone_and_reported_once() {
    let fake = fake();
    let dir = dir(series("", ""));
    assert_eq!(run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]).code, 0);
    fake.state(|s| s.scheduled_events.values_mut().for_each(|e| e.status = COMPLETED));
    let event_file = dir.path().join("2026-02-17.toml");
    let text = std::fs::read_to_string(&event_file).unwrap();
    std::fs::write(&event_file, text.replace("end = \"17:00\"", "end = \"18:00\"")).unwrap();
    let before = event_writes(&fake);
    let out = run(&fake, &dir, "2026-02-16T07:00:00Z", &["tick"]);
    assert_eq!(out.code, 1, "a skip is news: {}", out.stdout);
    assert!(out.stdout.contains("has finished on Discord"), "{}", out.stdout);
    assert_eq!(event_writes(&fake), before);
    let out = run(&fake, &dir, "2026-02-16T07:01:00Z", &["tick"]);
    assert_eq!((out.code, event_writes(&fake)), (0, before), "{}", out.stdout);
    assert!(!out.stdout.contains("scheduled event"), "{}", out.stdout);
}

#[test]
fn a_patch_refused_as_finished_is_reported_once_and_not_retried() {
    let fake = fake();
    let dir = dir(series("", ""));
    assert_eq!(run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]).code, 0);
    let event_file = dir.path().join("2026-02-17.toml");
    let text = std::fs::read_to_string(&event_file).unwrap();
    std::fs::write(&event_file, text.replace("end = \"17:00\"", "end = \"18:00\"")).unwrap();
    // Discord completes it between tsudoi's look and its PATCH.
    fake.before("PATCH /guilds", |s| {
        s.scheduled_events.values_mut().for_each(|e| e.status = COMPLETED)
    });
    let out = run(&fake, &dir, "2026-02-16T07:00:00Z", &["tick"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("180000"), "{}", out.stdout);
    assert!(
        out.stdout.contains("tsudoi leaves a finished event alone"),
        "{}",
        out.stdout
    );
    let patches = fake.count("PATCH /guilds");
    let out = run(&fake, &dir, "2026-02-16T07:01:00Z", &["tick"]);
    assert_eq!(
        (out.code, fake.count("PATCH /guilds")),
        (0, patches),
        "{}",
        out.stdout
    );
}

#[test]
fn without_the_key_nothing_touches_scheduled_events() {
    let fake = fake();
    let dir = Dir::new().series(Series::for_fake()).shipped_event("2026-02-17");
    assert_eq!(run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]).code, 0);
    assert_eq!(fake.count("scheduled-events"), 0);
}

#[test]
fn a_bot_with_manage_events_alone_cannot_create_and_post_says_so() {
    let fake = fake_with(MANAGE_ROLES | MANAGE_EVENTS);
    let dir = dir(series("", ""));
    let out = run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("50013"), "{}", out.stdout);
    assert!(events(&fake).is_empty());
}

fn user(n: u64) -> u64 {
    700_000_000_000_000_000 + n
}

#[test]
fn interested_mode_grants_by_the_rules_from_the_events_list_without_reading_a_message() {
    let fake = fake();
    let dir = dir(series(
        "",
        &format!(
            "signup_mode = \"interested\"\nrequire_avatar = true\ndeny_users = [\"{}\"]",
            user(4)
        ),
    ));
    assert_eq!(run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]).code, 0);
    let description = events(&fake)[0].description.clone().unwrap();
    assert!(
        description.contains("「興味あり」を押す (締切 15:30)"),
        "{description}"
    );
    let id = events(&fake)[0].id;
    // 150 interested members: two pages of the "Interested" list.
    fake.state(|s| {
        let mut interested = Vec::new();
        for n in 1..=150 {
            s.member(user(n), &[]);
            interested.push(user(n));
        }
        s.users.get_mut(&user(2)).unwrap().avatar = None; // no avatar
        s.members.get_mut(&user(3)).unwrap().pending = true; // screening
        s.members.remove(&user(5)); // left the server
        interested.push(BOT);
        s.scheduled_events.get_mut(&id).unwrap().interested = interested;
    });
    let roles = |now: &str| {
        dir.tsudoi(["--now", now, "--json", "roles", "2026-02-17"])
            .env("DISCORD_API_BASE", &fake.base())
            .env("DISCORD_TOKEN", TOKEN)
            .run()
    };
    let reads_before = fake.count("/messages");
    let out = roles("2026-02-17T06:10:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let json = out.json();
    let decision = |n: u64| {
        let row = json["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["user_id"].as_str() == Some(user(n).to_string().as_str()))
            .unwrap_or_else(|| panic!("no row for user {n}: {json}"));
        (
            row["decision"].as_str().unwrap().to_string(),
            row["reason"].as_str().unwrap().to_string(),
        )
    };
    let d = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(decision(1), d("granted", "declared in time"));
    assert_eq!(decision(2), d("rejected", "no avatar"));
    assert_eq!(decision(3), d("rejected", "pending screening"));
    assert_eq!(decision(4), d("rejected", "on deny list"));
    assert_eq!(decision(5), d("rejected", "left the server"));
    assert_eq!(decision(150), d("granted", "declared in time"));
    let granted = fake.state(|s| s.members.values().filter(|m| m.roles.contains(&ROLE)).count());
    assert_eq!(granted, 146);
    let pages: Vec<_> = fake
        .log()
        .into_iter()
        .filter(|l| l.path.ends_with("/users"))
        .collect();
    assert_eq!(pages.len(), 2, "100, then 50");
    assert!(pages[0].query.contains(&("with_member".into(), "true".into())));
    // The bot (id 900) sorts first: the first page ends with user 99.
    assert!(pages[1].query.contains(&("after".into(), user(99).to_string())));

    // A member first seen after the deadline is late; the rest is unchanged: no write.
    fake.state(|s| {
        s.member(user(151), &[]);
        s.scheduled_events
            .get_mut(&id)
            .unwrap()
            .interested
            .push(user(151));
    });
    let before = writes(&fake);
    let late = roles("2026-02-17T06:42:03Z");
    assert_eq!(late.code, 0, "{}", late.stderr);
    let json = late.json();
    let row = json["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user_id"].as_str() == Some(user(151).to_string().as_str()))
        .unwrap()
        .clone();
    assert_eq!(
        (row["decision"].as_str(), row["reason"].as_str()),
        (Some("rejected"), Some("late by 12m 3s"))
    );
    assert_eq!(writes(&fake), before, "a second run writes nothing");
    assert_eq!(
        fake.count("/messages"),
        reads_before,
        "no message is read in interested mode"
    );
}

#[test]
fn interested_mode_before_the_event_exists_says_how_to_make_it() {
    let fake = fake();
    let dir = dir(series("", "signup_mode = \"interested\""));
    let message = fake.state(|s| s.post(SIGNUP, BOT, "イベントのお知らせ"));
    let ledger = format!(
        "[actions.post]\noutcome = \"done\"\nat = \"2026-02-16T00:00:00Z\"\nchannel_id = \"{SIGNUP}\"\nmessage_ids = [\"{message}\"]\n"
    );
    let dir = dir.file(".state/2026-02-17.toml", &ledger);
    let out = dir
        .tsudoi(["--now", "2026-02-17T06:10:00Z", "roles", "2026-02-17"])
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("no Discord scheduled event yet for `2026-02-17`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("tsudoi post 2026-02-17"), "{}", out.stderr);
}

fn doctor(fake: &FakeDiscord, dir: &Dir) -> Output {
    dir.tsudoi(["--now", "2026-02-10T00:00:00Z", "--json", "doctor"])
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .env("SHIGURADIO_VIEWER_URL", "https://viewer.example/room/s3cr3t-42")
        .run()
}

/// (status, detail, fix) of one doctor row.
fn check(out: &Output, name: &str) -> (String, String, String) {
    let json = out.json();
    let row = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no `{name}` row: {json}"))
        .clone();
    let s = |k: &str| row[k].as_str().unwrap_or_default().to_string();
    (s("status"), s("detail"), s("fix"))
}

#[test]
fn doctor_fails_a_bot_with_manage_events_but_not_create_events_and_says_how_to_fix_it() {
    let fake = fake_with(MANAGE_ROLES | MANAGE_EVENTS);
    let out = doctor(&fake, &dir(series("", "")));
    assert_eq!(out.code, 1, "{}", out.stdout);
    let (status, detail, fix) = check(&out, "create events");
    assert_eq!(status, "fail");
    assert!(detail.contains("Manage Events but not Create Events"), "{detail}");
    assert_eq!(
        fix,
        "give `tsudoi` the Create Events permission in Server Settings → Roles (or set `scheduled_event = false`)"
    );
    assert_eq!(check(&out, "events cap").0, "ok");
}

#[test]
fn doctor_warns_near_the_open_events_cap_and_fails_at_it() {
    let fake = fake();
    let dir = dir(series("", ""));
    let out = doctor(&fake, &dir);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(check(&out, "create events").0, "ok");
    let open = |n: usize| {
        fake.state(|s| {
            s.scheduled_events.clear();
            for _ in 0..n {
                s.scheduled_event(1, "other", "2026-03-01T00:00:00Z", "2026-03-01T01:00:00Z");
            }
            // A finished event does not count.
            let done = s.scheduled_event(1, "old", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z");
            s.scheduled_events.get_mut(&done).unwrap().status = COMPLETED;
        })
    };
    open(97);
    let (status, detail, _) = check(&doctor(&fake, &dir), "events cap");
    assert_eq!(
        (status.as_str(), detail.as_str()),
        ("warn", "97 of 100 open scheduled events; room for 3 more")
    );
    open(100);
    let out = doctor(&fake, &dir);
    assert_eq!(out.code, 1);
    let (status, detail, _) = check(&out, "events cap");
    assert_eq!(status, "fail");
    assert!(
        detail.ends_with("Discord refuses the next one (30038)"),
        "{detail}"
    );
    // And so it does.
    let out = run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("30038"), "{}", out.stdout);
    assert!(
        out.stdout.contains("hint: cancel or delete events"),
        "{}",
        out.stdout
    );
}

#[test]
fn doctor_without_the_key_shows_no_event_rows() {
    let fake = fake();
    let dir = Dir::new().series(Series::for_fake()).shipped_event("2026-02-17");
    let out = doctor(&fake, &dir);
    assert!(!out.stdout.contains("create events"), "{}", out.stdout);
    assert_eq!(fake.count("scheduled-events"), 0);
}

#[test]
fn check_refuses_interested_sign_ups_without_the_event_and_a_location_without_the_key() {
    let interested = Dir::new()
        .series(Series::for_fake().policy("signup_mode = \"interested\""))
        .shipped_event("2026-02-17");
    let out = interested.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`interested` sign-ups need the episode's Discord scheduled event"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("set `scheduled_event = true` under `[discord]`"),
        "{}",
        out.stderr
    );
    let location = Dir::new()
        .series(Series::for_fake().set("discord", "scheduled_event_location = \"Discord #event\""))
        .shipped_event("2026-02-17");
    let out = location.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`scheduled_event_location` without `scheduled_event = true`"),
        "{}",
        out.stderr
    );
    let fine = dir(series(
        "scheduled_event_location = \"Discord #event\"",
        "signup_mode = \"interested\"",
    ));
    let out = fine.tsudoi(["check"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_dry_run_prints_the_create_and_sends_no_write() {
    let fake = fake();
    let dir = dir(series("", ""));
    let out = run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(writes(&fake), 0);
    assert!(
        out.stdout
            .contains("POST /guilds/800000000000000100/scheduled-events"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("would create the scheduled event"),
        "{}",
        out.stdout
    );
    assert!(!dir.path().join(".state/2026-02-17.toml").exists());
}

#[test]
fn doctor_does_not_ask_interested_sign_ups_for_the_message_content_intent() {
    let fake = FakeDiscord::builder()
        .app_flags(crate::fake::state::GUILD_MEMBERS_INTENT)
        .state(|s| s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap().permissions |= CREATE_EVENTS)
        .start();
    let out = doctor(&fake, &dir(series("", "signup_mode = \"interested\"")));
    let (status, detail, _) = check(&out, "message content intent");
    assert_eq!(
        (status.as_str(), detail.as_str()),
        ("ok", "off: not needed, sign-ups are not read from message text")
    );
    let out = doctor(&fake, &dir(series("", "")));
    assert_eq!(
        check(&out, "message content intent").0,
        "fail",
        "replies are read as text"
    );
}

#[test]
fn a_viewer_url_set_as_the_location_is_never_sent() {
    let fake = fake();
    let dir = dir(series(
        "scheduled_event_location = \"https://viewer.example/room/s3cr3t-42\"",
        "",
    ));
    let out = run(&fake, &dir, DAY_BEFORE, &["post", "2026-02-17"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("holds a viewer URL"), "{}", out.stdout);
    assert!(!out.stdout.contains("s3cr3t") && !out.stderr.contains("s3cr3t"));
    assert_eq!(fake.count("scheduled-events"), 0);
    assert!(
        fake.log()
            .iter()
            .all(|l| !format!("{:?}", l.body).contains("s3cr3t"))
    );
}
