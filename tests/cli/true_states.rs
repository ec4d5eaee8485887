//! What tsudoi says is true: a lost ledger is rebuilt from Discord before anything depends on
//! it, `plan`/`show`/`list` report only what the ledger records, a pointless skip turns cron
//! red once, problems near an event warn early, and every pair of overlapping events is named.

use chrono::{DateTime, Duration, Utc};

use crate::fake::FakeDiscord;
use crate::fake::state::{BOT, BOT_ROLE, SIGNUP, TOKEN};
use crate::scenario::{ROLE, URL, configured, fake, jst};
use crate::util::{Dir, Output, error_headlines, scrub};

fn run_with(fake: &FakeDiscord, dir: &Dir, now: DateTime<Utc>, url: bool, args: &[&str]) -> Output {
    let run = dir
        .tsudoi(args)
        .now(&now.to_rfc3339())
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN);
    let run = if url {
        run.env("SHIGURADIO_VIEWER_URL", URL)
    } else {
        run
    };
    run.run()
}

fn run(fake: &FakeDiscord, dir: &Dir, now: DateTime<Utc>, args: &[&str]) -> Output {
    run_with(fake, dir, now, true, args)
}

fn tick(fake: &FakeDiscord, dir: &Dir, now: DateTime<Utc>) -> Output {
    run(fake, dir, now, &["tick"])
}

/// The action column of each line `tick` printed.
fn actions(out: &Output) -> Vec<String> {
    out.stdout
        .lines()
        .map(|l| l.split("  ").take(3).collect::<Vec<_>>().join("  "))
        .collect()
}

#[test]
fn a_long_event_overlapping_a_later_non_adjacent_one_is_an_error_in_both_files() {
    let dir = Dir::with_series()
        .file(
            "2026-03-05.toml",
            "date = \"2026-03-05\"\nstart = \"10:00\"\nend = \"20:00\"\n",
        )
        .file(
            "2026-03-05-b.toml",
            "date = \"2026-03-05\"\nstart = \"12:00\"\nend = \"13:00\"\n",
        )
        .file(
            "2026-03-05-c.toml",
            "date = \"2026-03-05\"\nstart = \"14:00\"\nend = \"15:00\"\n",
        );
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let headlines = error_headlines(&out, &dir);
    assert_eq!(
        headlines,
        [
            "DIR/2026-03-05-b.toml:1:8: error: `2026-03-05-b` overlaps `2026-03-05` (10:00-20:00)",
            "DIR/2026-03-05.toml:1:8: error: `2026-03-05` overlaps `2026-03-05-b` (12:00-13:00)",
            "DIR/2026-03-05-c.toml:1:8: error: `2026-03-05-c` overlaps `2026-03-05` (10:00-20:00)",
            "DIR/2026-03-05.toml:1:8: error: `2026-03-05` overlaps `2026-03-05-c` (14:00-15:00)",
        ]
    );
    let create = dir
        .tsudoi([
            "create",
            "--date",
            "2026-03-05",
            "--id",
            "2026-03-05-d",
            "--start",
            "18:00",
            "--end",
            "19:00",
        ])
        .run();
    assert_eq!(create.code, 1);
    assert!(
        create
            .stderr
            .starts_with("tsudoi: error: the new event would overlap `2026-03-05` (10:00-20:00)"),
        "{}",
        create.stderr
    );
}

/// The event post's first message in the sign-up channel.
fn first_post(fake: &FakeDiscord) -> u64 {
    fake.state(|s| {
        s.messages
            .values()
            .filter(|m| m.channel_id == SIGNUP && m.author == BOT)
            .map(|m| m.id)
            .min()
            .unwrap()
    })
}

#[test]
fn a_lost_state_after_the_post_still_runs_the_final_grants_and_replies_to_the_post() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"\nclose_notice = true");
    fake.state(|s| s.clock_ms = Some(jst(14, 0).timestamp_millis() as u64));
    let posted = tick(&fake, &dir, jst(14, 0));
    assert_eq!(
        actions(&posted),
        ["2026-02-17  event post  done"],
        "{}",
        posted.stdout
    );
    let post = first_post(&fake);
    // Hundreds of sign-ups under the post: it is far from the newest message.
    fake.state(|s| {
        s.member(21, &[]);
        let from = jst(14, 10).timestamp_millis() as u64;
        for n in 0..300 {
            s.post_at(SIGNUP, 21, "参加します", from + n * 1000, Some(post));
        }
        s.clock_ms = Some(jst(15, 30).timestamp_millis() as u64);
    });
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    let out = tick(&fake, &dir, jst(15, 30));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        actions(&out),
        [
            "2026-02-17  event post  done",
            "2026-02-17  URL share  done",
            "2026-02-17  on-air notice  done",
            "2026-02-17  final role grants  done",
            "2026-02-17  sign-ups closed notice  done",
        ],
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "found on Discord (message {post}), missing from the ledger; adopted it"
        )),
        "{}",
        out.stdout
    );
    let close = fake.state(|s| {
        s.messages
            .values()
            .find(|m| m.content.contains("締め切りました"))
            .unwrap()
            .reference
    });
    assert_eq!(close, Some(post), "the close notice replies to the event post");
    let ledger = dir.read(".state/2026-02-17.toml");
    assert!(ledger.contains("adopted: found on Discord"), "{ledger}");
    assert!(
        ledger.contains("at = \"2026-02-17T05:00:00Z\""),
        "the post's own time: {ledger}"
    );
    let later = tick(&fake, &dir, jst(15, 31));
    assert_eq!((later.code, later.stdout.as_str()), (0, ""), "adopted once");
}

#[test]
fn a_lost_forum_post_is_found_among_the_active_threads() {
    let fake = FakeDiscord::builder()
        .state(|s| s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap().position = 5)
        .role(ROLE, "2026-02-17", 2, 0)
        .channel(SIGNUP, 15, "event")
        .start();
    let dir = configured("");
    let out = run(&fake, &dir, jst(10, 0), &["post", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    let out = tick(&fake, &dir, jst(15, 30));
    assert!(
        actions(&out).contains(&"2026-02-17  event post  done".to_string())
            && actions(&out).contains(&"2026-02-17  final role grants  done".to_string()),
        "{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn plan_shows_no_due_before_the_window_and_no_done_without_a_record() {
    let fake = fake();
    let dir = configured("");
    let week_before = run(&fake, &dir, jst(9, 0) - Duration::days(7), &["plan"]);
    assert_eq!(week_before.code, 0, "{}", week_before.stderr);
    assert_eq!(
        week_before.stdout,
        "\
╭──────────────────────┬────────────┬───────────────────┬─────────────────────────────────────────────────────────╮
│ WHEN                 ┆ EVENT      ┆ ACTION            ┆ STATE                                                   │
╞══════════════════════╪════════════╪═══════════════════╪═════════════════════════════════════════════════════════╡
│ 2026-02-17 14:45 JST ┆ 2026-02-17 ┆ URL share         ┆ waiting                                                 │
│ 2026-02-17 14:55 JST ┆ 2026-02-17 ┆ on-air notice     ┆ waiting                                                 │
│ after the event post ┆ 2026-02-17 ┆ role grants       ┆ waiting for the event post (until 2026-02-17 15:30 JST) │
│ 2026-02-17 15:30 JST ┆ 2026-02-17 ┆ final role grants ┆ waiting                                                 │
╰──────────────────────┴────────────┴───────────────────┴─────────────────────────────────────────────────────────╯
"
    );
    let after_deadline = run(&fake, &dir, jst(15, 31), &["plan"]);
    assert_eq!(
        after_deadline.stdout,
        "\
╭──────────────────────┬────────────┬───────────────────┬────────────────────────────────────────────────────────────────╮
│ WHEN                 ┆ EVENT      ┆ ACTION            ┆ STATE                                                          │
╞══════════════════════╪════════════╪═══════════════════╪════════════════════════════════════════════════════════════════╡
│ 2026-02-17 14:45 JST ┆ 2026-02-17 ┆ URL share         ┆ due                                                            │
│ 2026-02-17 14:55 JST ┆ 2026-02-17 ┆ on-air notice     ┆ due                                                            │
│ after the event post ┆ 2026-02-17 ┆ role grants       ┆ window closed, no run recorded; the final role grants cover it │
│ 2026-02-17 15:30 JST ┆ 2026-02-17 ┆ final role grants ┆ due                                                            │
╰──────────────────────┴────────────┴───────────────────┴────────────────────────────────────────────────────────────────╯
"
    );
    let with_post = configured("announce_before_start = \"1h\"");
    let out = run(
        &fake,
        &with_post,
        jst(9, 0) - Duration::days(7),
        &["--json", "plan"],
    );
    let roles = out.json()["timeline"][1].clone();
    assert_eq!(roles["action"], "roles");
    assert_eq!(roles["at"], "2026-02-17T05:00:00Z");
    assert_eq!(roles["until"], "2026-02-17T06:30:00Z");
    assert_eq!(roles["state"], "waiting");
}

#[test]
fn show_after_post_reads_the_ledger() {
    let fake = fake();
    let dir = configured("");
    let out = run(&fake, &dir, jst(10, 0), &["post", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let post = first_post(&fake);
    let show = run(&fake, &dir, jst(10, 5), &["show", "2026-02-17"]);
    assert!(
        show.stdout.contains(&format!(
            "event post ┆ posted at 2026-02-17 10:00 JST (messages {post}, +1)"
        )),
        "{}",
        show.stdout
    );
    let json = run(&fake, &dir, jst(10, 5), &["--json", "show", "2026-02-17"]).json();
    assert_eq!(json["post"]["outcome"], "done");
    assert_eq!(json["post"]["message_ids"][0], post.to_string());
}

#[test]
fn list_past_with_only_future_events_says_there_are_no_past_events() {
    let dir = Dir::with_series().file("2026-02-17.toml", "date = \"2026-02-17\"\n");
    let out = dir
        .tsudoi(["--now", "2026-01-01T00:00:00Z", "list", "--past"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        scrub(&out.stderr, &dir),
        "no past events in `DIR`; `tsudoi list` shows every event\n"
    );
}

#[test]
fn a_tick_where_everything_was_missed_exits_1_once() {
    let fake = fake();
    let dir = configured("announce_before_start = \"1h\"");
    let out = tick(&fake, &dir, jst(17, 5));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .lines()
            .all(|l| l.contains("  skipped  missed: not done by")),
        "{}",
        out.stdout
    );
    let again = tick(&fake, &dir, jst(17, 6));
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "reported once");
}

/// 3 days before the event, with no post recorded and the URL variable unset.
fn three_days_before() -> DateTime<Utc> {
    jst(15, 0) - Duration::days(3)
}

const POST_WARNING: &str = "warning: `2026-02-17` starts in 3d: no event post is recorded";
const URL_WARNING: &str = "warning: `2026-02-17` starts in 3d: the viewer URL is not set: the environment variable `SHIGURADIO_VIEWER_URL` is empty or missing";
const URL_FIX: &str =
    "export SHIGURADIO_VIEWER_URL=https://... in the environment that runs tsudoi (cron, CI secrets)";

#[test]
fn check_plan_and_doctor_warn_days_ahead_with_the_fix() {
    let fake = fake();
    let dir = configured("");
    let check = run_with(&fake, &dir, three_days_before(), false, &["check"]);
    assert_eq!(check.code, 0, "warnings keep exit 0: {}", check.stderr);
    let stderr = scrub(&check.stderr, &dir);
    assert!(
        stderr.contains(&format!("DIR/2026-02-17.toml:2:8: {POST_WARNING}")),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "help: run `tsudoi post 2026-02-17`, or set `post_id` under `[discord]` in DIR/2026-02-17.toml"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("DIR/2026-02-17.toml:2:8: {URL_WARNING}")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("help: {URL_FIX}")), "{stderr}");
    assert!(stderr.ends_with("0 error(s), 2 warning(s)\n"), "{stderr}");

    let plan = run_with(&fake, &dir, three_days_before(), false, &["plan"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(
        plan.stderr
            .contains(&format!("tsudoi: {URL_WARNING}\n  hint: {URL_FIX}\n")),
        "{}",
        plan.stderr
    );
    assert!(
        plan.stderr.contains(&format!("tsudoi: {POST_WARNING}\n")),
        "{}",
        plan.stderr
    );

    let doctor = run_with(&fake, &dir, three_days_before(), false, &["--json", "doctor"]);
    let rows = doctor.json()["checks"].clone();
    let row = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(row("viewer URL")["status"], "warn");
    assert_eq!(row("viewer URL")["fix"], URL_FIX);
    assert_eq!(row("next event")["status"], "warn");

    // A week and a day ahead nothing is near; with the URL set and the post made, all is ready.
    let early = run_with(&fake, &dir, jst(15, 0) - Duration::days(8), false, &["check"]);
    assert!(!early.stderr.contains("warning:"), "{}", early.stderr);
    let posted = run(&fake, &dir, three_days_before(), &["post", "2026-02-17"]);
    assert_eq!(posted.code, 0, "{}", posted.stderr);
    let ready = run(&fake, &dir, three_days_before(), &["check"]);
    assert!(!ready.stderr.contains("warning:"), "{}", ready.stderr);
    let doctor = run(&fake, &dir, three_days_before(), &["--json", "doctor"]);
    assert_eq!(doctor.code, 0, "{}", doctor.stdout);
    assert!(!doctor.stdout.contains(URL), "the URL is never printed");
}

#[test]
fn doctor_fails_a_viewer_url_that_is_not_http() {
    let fake = fake();
    let dir = configured("");
    let base = fake.base();
    let env = [
        ("DISCORD_API_BASE", base.as_str()),
        ("DISCORD_TOKEN", TOKEN),
        ("SHIGURADIO_VIEWER_URL", "ftp://secret-host/room"),
    ];
    let now = three_days_before().to_rfc3339();
    let out = dir.tsudoi(["--now", &now, "doctor"]).envs(&env).run();
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("the viewer URL from $SHIGURADIO_VIEWER_URL is not an http(s) URL"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("secret-host") && !out.stderr.contains("secret-host"));
}

#[test]
fn check_warns_about_a_post_longer_than_five_messages() {
    let notes: String = (0..400)
        .map(|n| format!("この行は告知の本文を長くするための {n} 行目です。\n\n"))
        .collect();
    let event = format!("date = \"2026-02-17\"\nnotes = \"\"\"\n{notes}\"\"\"\n");
    let dir = configured("").file("2026-02-17.toml", &event);
    let out = dir.tsudoi(["--now", "2026-01-01T00:00:00Z", "check"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let warning = out
        .stderr
        .lines()
        .find(|l| l.contains("Discord messages"))
        .unwrap_or_else(|| panic!("no warning: {}", out.stderr));
    assert!(
        warning.contains("warning: the event post of `2026-02-17` takes ")
            && warning.ends_with(" Discord messages (more than 5)"),
        "{warning}"
    );
    assert!(
        out.stderr.contains("help: shorten the notes or the agenda"),
        "{}",
        out.stderr
    );
    let short = configured("");
    let fine = short.tsudoi(["--now", "2026-01-01T00:00:00Z", "check"]).run();
    assert!(!fine.stderr.contains("Discord messages"), "{}", fine.stderr);
}

#[test]
fn roles_after_a_lost_state_finds_the_post_instead_of_asking_for_one() {
    let fake = fake();
    let dir = configured("");
    let out = run(&fake, &dir, jst(10, 0), &["post", "2026-02-17"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::remove_dir_all(dir.path().join(".state")).unwrap();
    let roles = run(&fake, &dir, jst(14, 0), &["roles", "2026-02-17"]);
    assert_eq!(roles.code, 0, "{}{}", roles.stdout, roles.stderr);
    assert!(
        roles.stderr.contains(&format!(
            "tsudoi: event post: found on Discord (message {})",
            first_post(&fake)
        )),
        "{}",
        roles.stderr
    );
    assert!(
        dir.read(".state/2026-02-17.toml")
            .contains("adopted: found on Discord")
    );
    // With no post anywhere, the error still says how to make one.
    let (empty, fresh) = (self::fake(), configured(""));
    let none = run(&empty, &fresh, jst(14, 0), &["roles", "2026-02-17"]);
    assert_eq!(none.code, 1);
    assert!(
        none.stderr.contains("run `tsudoi post 2026-02-17`"),
        "{}",
        none.stderr
    );
}
