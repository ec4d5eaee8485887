//! What tsudoi says is true: a lost ledger is rebuilt from Discord before anything depends on
//! it, `plan`/`show`/`list` report only what the ledger records, a pointless skip turns cron
//! red once, problems near an event warn early, and every pair of overlapping events is named.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::fake::FakeDiscord;
use crate::fake::state::{BOT, BOT_ROLE, GUILD, SHARE, SIGNUP, TOKEN};
use crate::util::{Dir, Output, scrub, shipped_events};

const URL: &str = "https://viewer.example/room/s3cr3t-42";
const ROLE: u64 = 600;

/// The shipped series with the fake's ids and the given extra policy, and the 2026-02-17 event.
fn configured(policy: &str) -> Dir {
    let ids =
        format!("guild_id = \"{GUILD}\"\nsignup_channel_id = \"{SIGNUP}\"\nshare_channel_id = \"{SHARE}\"");
    let series = crate::util::shipped_series()
        .replace(
            "# guild_id = \"...\"\n# signup_channel_id = \"...\"   # #event\n# share_channel_id = \"...\"    # where role holders read the viewer URL",
            &ids,
        )
        .replace("deny_users = []", &format!("deny_users = []\n{policy}"));
    let event = std::fs::read_to_string(shipped_events().join("2026-02-17.toml")).unwrap();
    Dir::new()
        .file("tsudoi.toml", &series)
        .file("2026-02-17.toml", &event)
}

/// A healthy server where the event role exists below the bot's role, held by one member.
fn fake() -> FakeDiscord {
    FakeDiscord::builder()
        .state(|s| s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap().position = 5)
        .role(ROLE, "2026-02-17", 2, 0)
        .member(7, &[ROLE])
        .start()
}

fn run_with(fake: &FakeDiscord, dir: &Dir, now: DateTime<Utc>, url: bool, args: &[&str]) -> Output {
    let base = fake.base();
    let now = now.to_rfc3339();
    let mut all = vec!["--now", now.as_str()];
    all.extend_from_slice(args);
    let mut env = vec![("DISCORD_API_BASE", base.as_str()), ("DISCORD_TOKEN", TOKEN)];
    if url {
        env.push(("SHIGURADIO_VIEWER_URL", URL));
    }
    dir.run_env(&env, &all)
}

fn run(fake: &FakeDiscord, dir: &Dir, now: DateTime<Utc>, args: &[&str]) -> Output {
    run_with(fake, dir, now, true, args)
}

fn tick(fake: &FakeDiscord, dir: &Dir, now: DateTime<Utc>) -> Output {
    run(fake, dir, now, &["tick"])
}

fn jst(h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(2026, 2, 17, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
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
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let headlines: Vec<String> = out
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(|l| scrub(l, &dir))
        .collect();
    assert_eq!(
        headlines,
        [
            "DIR/2026-03-05-b.toml:1:8: error: `2026-03-05-b` overlaps `2026-03-05` (10:00-20:00)",
            "DIR/2026-03-05.toml:1:8: error: `2026-03-05` overlaps `2026-03-05-b` (12:00-13:00)",
            "DIR/2026-03-05-c.toml:1:8: error: `2026-03-05-c` overlaps `2026-03-05` (10:00-20:00)",
            "DIR/2026-03-05.toml:1:8: error: `2026-03-05` overlaps `2026-03-05-c` (14:00-15:00)",
        ]
    );
    let create = dir.run(&[
        "create",
        "--date",
        "2026-03-05",
        "--id",
        "2026-03-05-d",
        "--start",
        "18:00",
        "--end",
        "19:00",
    ]);
    assert_eq!(create.code, 1);
    assert!(
        create
            .stderr
            .starts_with("tsudoi: error: the new event would overlap `2026-03-05` (10:00-20:00)"),
        "{}",
        create.stderr
    );
}
