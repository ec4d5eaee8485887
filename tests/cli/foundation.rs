//! init, create, list, show, check: the everyday commands on real and broken directories.

use crate::util::{Dir, run, run_at, run_in_zone, scrub, shipped_events};

const BEFORE_FEB_17: &str = "2026-02-10T00:00:00Z";

fn events_dir() -> String {
    shipped_events().to_str().unwrap().to_string()
}

#[test]
fn shipped_events_check_clean() {
    let out = run(&["--dir", &events_dir(), "check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "checked tsudoi.toml and 6 event file(s): 0 error(s), 0 warning(s)\n"
    );
}

#[test]
fn shipped_events_list_json_has_the_six_tuesdays() {
    let out = run(&["--dir", &events_dir(), "--now", BEFORE_FEB_17, "list", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = out.json()["events"].clone();
    let rows = rows.as_array().unwrap();
    let got: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("id"), s("weekday"), s("time"), s("status"))
        })
        .collect();
    let want = [
        ("2022-12-06", "火", "19:00-20:30", "held"),
        ("2023-04-18", "火", "19:00-20:30", "held"),
        ("2024-01-16", "火", "15:00-16:30", "held"),
        ("2024-07-09", "火", "15:00-17:00", "held"),
        ("2025-07-08", "火", "15:00-17:00", "held"),
        ("2026-02-17", "火", "15:00-17:00", "scheduled"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
    let next = &rows[5]["next"];
    assert_eq!(next["action"], "URL share");
    assert_eq!(next["at"], "2026-02-17T05:45:00Z");
    assert_eq!(next["relative"], "in 7d 5h");
    assert_eq!(rows[5]["role"], "2026-02-17");
}

#[test]
fn list_table_is_exact() {
    let out = run(&[
        "--dir",
        &events_dir(),
        "--now",
        "2026-02-17T15:20:00+09:00",
        "list",
        "--upcoming",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "\
╭────────────┬─────────────────┬─────────────┬────────┬────────────┬──────────────────────╮
│ ID         ┆ DATE            ┆ TIME        ┆ STATUS ┆ ROLE       ┆ NEXT                 │
╞════════════╪═════════════════╪═════════════╪════════╪════════════╪══════════════════════╡
│ 2026-02-17 ┆ 2026-02-17 (火) ┆ 15:00-17:00 ┆ live   ┆ 2026-02-17 ┆ sign-up close in 10m │
╰────────────┴─────────────────┴─────────────┴────────┴────────────┴──────────────────────╯
"
    );
}

#[test]
fn past_filter() {
    let out = run(&[
        "--dir",
        &events_dir(),
        "--now",
        BEFORE_FEB_17,
        "list",
        "--past",
        "--json",
    ]);
    assert_eq!(out.json()["events"].as_array().unwrap().len(), 5);
}

#[test]
fn machine_time_zone_changes_nothing() {
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "2026-02-17"],
        vec!["show", "2026-02-17", "--json"],
    ] {
        let dir = events_dir();
        let mut all = vec!["--dir", dir.as_str(), "--now", BEFORE_FEB_17];
        all.extend(args.iter().copied());
        let utc = run_in_zone("UTC", &all);
        let la = run_in_zone("America/Los_Angeles", &all);
        let tokyo = run_in_zone("Asia/Tokyo", &all);
        assert_eq!(utc.code, 0, "{args:?}: {}", utc.stderr);
        assert_eq!(utc.stdout, la.stdout, "{args:?}");
        assert_eq!(utc.stdout, tokyo.stdout, "{args:?}");
    }
}

#[test]
fn show_gives_instants_in_the_zone_and_utc() {
    let out = run(&[
        "--dir",
        &events_dir(),
        "--now",
        BEFORE_FEB_17,
        "show",
        "2026-02-17",
        "--json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let view = out.json();
    assert_eq!(view["weekday"], "火");
    assert_eq!(view["timezone"], "Asia/Tokyo");
    assert_eq!(view["viewer_url_from"]["env"], "SHIGURADIO_VIEWER_URL");
    let times: Vec<(String, String, String)> = view["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap().to_string();
            (s("milestone"), s("local"), s("utc"))
        })
        .collect();
    let want = [
        ("viewer_url", "2026-02-17 14:45 JST", "2026-02-17T05:45:00Z"),
        ("stream_opens", "2026-02-17 14:55 JST", "2026-02-17T05:55:00Z"),
        ("start", "2026-02-17 15:00 JST", "2026-02-17T06:00:00Z"),
        ("signup_close", "2026-02-17 15:30 JST", "2026-02-17T06:30:00Z"),
        ("end", "2026-02-17 17:00 JST", "2026-02-17T08:00:00Z"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(times, want);
    assert_eq!(view["agenda"]["items"][0]["text"][0]["text"], "Rust");
}

#[test]
fn show_human_output() {
    let dir = Dir::new().with_shipped_events();
    let out = run_at(dir.path(), &["--now", BEFORE_FEB_17, "show", "2024-01-16"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn show_unknown_id_suggests() {
    let out = run(&["--dir", &events_dir(), "show", "2026-02-18"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("tsudoi: error: no event `2026-02-18` in"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("  hint: did you mean `2026-02-17`?"),
        "{}",
        out.stderr
    );
}

const TYPO: &str = "date = \"2026-03-01\"\nstrat = \"15:00\"\n";
const IMPOSSIBLE: &str = "date = \"2026-02-30\"\n";
const BROKEN: &str = "date = \"2026-03-02\nagenda = 1\n";

#[test]
fn three_broken_files_give_three_located_diagnostics() {
    let dir = Dir::with_series()
        .file("2026-03-01.toml", TYPO)
        .file("2026-02-30.toml", IMPOSSIBLE)
        .file("2026-03-02.toml", BROKEN);
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        scrub(&out.stderr, &dir),
        "\
DIR/2026-02-30.toml:1:8: error: 2026-02-30 is not a day of the calendar
  |
1 | date = \"2026-02-30\"
  |        ^^^^^^^^^^^^
DIR/2026-03-01.toml:2:1: error: unknown key `strat`
  |
2 | strat = \"15:00\"
  | ^^^^^
  = help: did you mean `start`?
DIR/2026-03-02.toml:1:19: error: this is not valid TOML: invalid basic string, expected `\"`
  |
1 | date = \"2026-03-02
  |                   ^
checked tsudoi.toml and 3 event file(s): 3 error(s), 0 warning(s)
"
    );
    let json = dir.run(&["check", "--json"]).json();
    assert_eq!(json["ok"], false);
    let located: Vec<(u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(located, [(1, 8), (2, 1), (1, 19)]);
}

#[test]
fn a_broken_event_is_flagged_not_hidden() {
    let dir = Dir::with_series()
        .file("2026-03-01.toml", TYPO)
        .file("2026-03-05.toml", "date = \"2026-03-05\"\n");
    let out = dir.run(&["--now", "2026-03-01T00:00:00Z", "list", "--json"]);
    assert_eq!(out.code, 1);
    let rows = out.json()["events"].clone();
    assert_eq!(rows[0]["id"], "2026-03-01");
    assert_eq!(rows[0]["status"], "broken");
    assert_eq!(rows[0]["problem"], "unknown key `strat`");
    assert_eq!(rows[1]["id"], "2026-03-05");
    assert_eq!(rows[1]["status"], "scheduled");
    assert!(
        out.stderr
            .contains("1 event file(s) have errors; run `tsudoi check`"),
        "{}",
        out.stderr
    );
    // A command that needs the broken event stops before doing anything.
    let show = dir.run(&["show", "2026-03-01"]);
    assert_eq!(show.code, 1);
    assert!(
        show.stderr
            .contains("the event `2026-03-01` has errors; nothing was done"),
        "{}",
        show.stderr
    );
}

#[test]
fn semantic_problems_are_all_reported() {
    let dir = Dir::with_series().file(
        "2026-03-03.toml",
        "date = \"2026-03-03\"\nend = \"14:00\"\nstatus = \"sheduled\"\nagenda = \"\"\"\n- a\n   - b\n- Title <https://x\n\"\"\"\n[policy]\nsignup_closes_after_start = \"30\"\n",
    );
    let out = dir.run(&["check", "--json"]);
    assert_eq!(out.code, 1);
    let messages: Vec<String> = out.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}:{} {}", d["line"], d["column"], d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        messages,
        [
            "3:10 unknown status `sheduled`",
            "6:1 agenda: indented by 3 spaces; nested items are indented by 2 spaces per level",
            "7:9 agenda: unclosed link: `<URL` needs its closing `>`",
            "10:29 `30` is not a duration",
            "2:7 the event ends at 14:00, not after it starts at 15:00",
        ]
    );
}

#[test]
fn directory_level_problems() {
    let dir = Dir::with_series()
        .file("2026-03-05.toml", "date = \"2026-03-05\"\n")
        .file(
            "2026-03-05-b.toml",
            "date = \"2026-03-05\"\nstart = \"16:00\"\nend = \"18:00\"\n",
        )
        .file(
            "2026/2026-03-05.toml",
            "date = \"2026-03-05\"\nstatus = \"cancelled\"\n",
        )
        .file("2026-03-06.toml", "date = \"2026-03-07\"\n")
        .file("notes.toml", "date = \"2026-03-08\"\n");
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1);
    let headlines: Vec<&str> = out.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    let headlines: Vec<String> = headlines.iter().map(|l| scrub(l, &dir)).collect();
    assert_eq!(
        headlines,
        [
            "DIR/2026-03-06.toml:1:8: error: the date 2026-03-07 does not match the file name `2026-03-06.toml`",
            "DIR/notes.toml: error: `notes` is not an event id",
            "DIR/2026/2026-03-05.toml: error: the id `2026-03-05` is also used by DIR/2026-03-05.toml",
            "DIR/2026-03-05-b.toml:1:8: error: `2026-03-05-b` overlaps `2026-03-05` (15:00-17:00)",
            "DIR/2026-03-05.toml:1:8: error: `2026-03-05` overlaps `2026-03-05-b` (16:00-18:00)",
        ]
    );
}

#[test]
fn unreadable_inputs_are_named() {
    let big = "#".repeat(10 * 1024 * 1024);
    let dir = Dir::with_series()
        .file("2026-03-01.toml", "")
        .file("2026-03-02.toml", &big)
        .file(
            "2026-03-04.toml",
            "date = \"2026-03-04\"\nnotes = \"caf\u{e9}\"\n",
        );
    std::fs::write(
        dir.path().join("2026-03-03.toml"),
        b"date = \"2026-03-03\"\nnotes = \"caf\xe9\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("/nonexistent/tsudoi", dir.path().join("2026-03-05.toml")).unwrap();
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1);
    let stderr = scrub(&out.stderr, &dir);
    for expected in [
        "DIR/2026-03-01.toml: error: the file is empty",
        "DIR/2026-03-02.toml: error: the file is 10.0 MiB; event files are at most 1 MiB",
        "DIR/2026-03-03.toml:2:13: error: the file is not UTF-8 text",
        "  = help: save the file as UTF-8 (tsudoi reads no other encoding)",
        "DIR/2026-03-05.toml: error: cannot read the file: No such file or directory (os error 2)",
        "checked tsudoi.toml and 5 event file(s): 4 error(s), 0 warning(s)",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}

#[test]
fn missing_directory_and_series() {
    let out = run(&["--dir", "/nonexistent/events", "list"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "tsudoi: error: the event directory `/nonexistent/events` does not exist\n  hint: run `tsudoi init /nonexistent/events` to create one, or point --dir (or TSUDOI_DIR) at your event directory\n"
    );
    let empty = Dir::new();
    let out = empty.run(&["list"]);
    assert_eq!(out.code, 1);
    assert!(
        scrub(&out.stderr, &empty)
            .starts_with("DIR/tsudoi.toml: error: `DIR` has no tsudoi.toml\n  = help: run `tsudoi init DIR`"),
        "{}",
        out.stderr
    );
}

#[test]
fn broken_series_stops_list_but_check_still_reads_events() {
    let dir = Dir::new()
        .file(
            "tsudoi.toml",
            "[series]\ntitle = \"x\"\ntimezone = \"Asia/Tokio\"\n",
        )
        .file("2026-03-01.toml", TYPO);
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1);
    let stderr = scrub(&out.stderr, &dir);
    assert!(
        stderr.contains("DIR/tsudoi.toml:3:12: error: unknown time zone `Asia/Tokio`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  = help: did you mean `Asia/Tokyo`? zones are IANA names"),
        "{stderr}"
    );
    assert!(
        stderr.contains("DIR/2026-03-01.toml:2:1: error: unknown key `strat`"),
        "{stderr}"
    );
    let list = dir.run(&["list"]);
    assert_eq!(list.code, 1);
    assert!(
        scrub(&list.stderr, &dir).contains("tsudoi: error: `DIR/tsudoi.toml` has errors; nothing was done")
    );
}

#[test]
fn create_writes_a_file_that_check_accepts() {
    let dir = Dir::with_series();
    let out = dir.run(&["create", "--date", "2026-05-22"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(scrub(&out.stdout, &dir), "DIR/2026-05-22.toml\n");
    assert_eq!(dir.run(&["check"]).code, 0);
    let rows = dir
        .run(&["--now", "2026-05-01T00:00:00Z", "list", "--json"])
        .json()["events"]
        .clone();
    assert_eq!(rows[0]["date"], "2026-05-22");
    assert_eq!(rows[0]["weekday"], "金");
    assert_eq!(rows[0]["status"], "draft");
    let table = dir.run(&["--now", "2026-05-01T00:00:00Z", "list"]);
    assert!(table.stdout.contains("2026-05-22 (金)"), "{}", table.stdout);
    insta::assert_snapshot!(dir.read("2026-05-22.toml"));
}

#[test]
fn create_copies_the_agenda_skeleton_or_all_of_it() {
    let dir = Dir::with_series().file(
        "2025-07-08.toml",
        &std::fs::read_to_string(shipped_events().join("2025-07-08.toml")).unwrap(),
    );
    assert_eq!(
        dir.run(&["create", "--date", "2026-06-02", "--from", "2025-07-08"])
            .code,
        0
    );
    let skeleton = dir.run(&["show", "2026-06-02", "--json"]).json();
    let top: Vec<&str> = skeleton["agenda"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"][0]["text"].as_str().unwrap())
        .collect();
    assert_eq!(top[..3], ["雑談", "WebRTC SFU Sora", "Sora Cloud"]);
    assert!(skeleton["agenda"]["items"][0].get("children").is_none());
    let out = dir.run(&[
        "create",
        "--date",
        "2026-06-09",
        "--from",
        "2025-07-08",
        "--full-agenda",
        "--title",
        "特別回 \"\\ 2\"",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let full = dir.run(&["show", "2026-06-09", "--json"]).json();
    let original = dir.run(&["show", "2025-07-08", "--json"]).json();
    assert_eq!(full["agenda"], original["agenda"]);
    assert_eq!(full["title"], "特別回 \"\\ 2\"");
}

#[test]
fn create_refuses_bad_requests_and_writes_nothing() {
    let dir = Dir::with_series().file("2026-05-22.toml", "date = \"2026-05-22\"\n");
    let cases: [(&[&str], &str); 7] = [
        (
            &["--date", "2026-02-30"],
            "error: invalid value '2026-02-30' for '--date <YYYY-MM-DD>': 2026-02-30 is not a day of the calendar",
        ),
        (
            &["--date", "2026/05/23"],
            "error: invalid value '2026/05/23' for '--date <YYYY-MM-DD>': `2026/05/23` is not a date",
        ),
        (
            &["--date", "2026-05-23", "--start", "18:00", "--end", "17:00"],
            "tsudoi: error: the end 17:00 is not after the start 18:00",
        ),
        (
            &["--date", "2026-05-23", "--start", "25:00"],
            "error: invalid value '25:00' for '--start <HH:MM>': `25:00` is not a time of day",
        ),
        (
            &["--date", "2026-05-22"],
            "tsudoi: error: `DIR/2026-05-22.toml` already exists; tsudoi never overwrites it\n  hint: pass `--id 2026-05-22-b` for a second event that day",
        ),
        (
            &["--date", "2026-05-22", "--id", "2026-05-22-b"],
            "tsudoi: error: the new event would overlap `2026-05-22` (15:00-17:00)",
        ),
        (
            &["--date", "2026-05-23", "--from", "2026-01-01"],
            "tsudoi: error: no event `2026-01-01`",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["create"];
        all.extend_from_slice(args);
        let out = dir.run(&all);
        // A malformed argument is a usage error (clap's message); a refused request a failure.
        let usage = expected.starts_with("error: invalid value");
        assert_eq!(out.code, if usage { 2 } else { 1 }, "{args:?}");
        assert!(
            scrub(&out.stderr, &dir).starts_with(expected),
            "{args:?}:\n{}",
            out.stderr
        );
    }
    let files = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(files, 2, "nothing was written");
    let second = dir.run(&[
        "create",
        "--date",
        "2026-05-22",
        "--id",
        "2026-05-22-b",
        "--start",
        "19:00",
        "--end",
        "20:00",
    ]);
    assert_eq!(second.code, 0, "{}", second.stderr);
}

#[test]
fn init_scaffolds_a_valid_directory_once() {
    let dir = Dir::new();
    let target = dir.path().join("series");
    let target = target.to_str().unwrap();
    let out = run(&[
        "--now",
        "2026-11-25T12:00:00Z",
        "init",
        target,
        "--language",
        "en",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        scrub(&out.stdout, &dir),
        "DIR/series/tsudoi.toml\nDIR/series/2026-12-09.toml\nDIR/series/.schema/series.json\nDIR/series/.schema/event.json\n"
    );
    let check = run(&["--dir", target, "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let list =
        run(&["--dir", target, "--now", "2026-11-25T12:00:00Z", "list", "--json"]).json()["events"].clone();
    assert_eq!(list[0]["weekday"], "Wed");
    let again = run(&["init", target]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("already exists; tsudoi never overwrites it")
    );
    insta::assert_snapshot!(std::fs::read_to_string(dir.path().join("series/tsudoi.toml")).unwrap());
}

#[test]
fn dst_series_computes_instants_through_the_zone() {
    let dir = Dir::new()
        .file("tsudoi.toml", "[series]\ntitle = \"NY\"\ntimezone = \"America/New_York\"\nlanguage = \"en\"\n[defaults]\nstart = \"15:00\"\nend = \"17:00\"\n")
        .file("2026-03-07.toml", "date = \"2026-03-07\"\n")
        .file("2026-03-08.toml", "date = \"2026-03-08\"\n");
    let start = |id: &str| {
        dir.run(&["show", id, "--json"]).json()["times"][2]["utc"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(start("2026-03-07"), "2026-03-07T20:00:00Z");
    assert_eq!(start("2026-03-08"), "2026-03-08T19:00:00Z");
    let skipped = Dir::new()
        .file(
            "tsudoi.toml",
            "[series]\ntitle = \"NY\"\ntimezone = \"America/New_York\"\n",
        )
        .file(
            "2026-03-08.toml",
            "date = \"2026-03-08\"\nstart = \"02:30\"\nend = \"04:00\"\n",
        );
    let out = skipped.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains(":2:9: error: 2026-03-08 02:30:00 does not exist in America/New_York"),
        "{}",
        out.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["--dir", &events_dir(), "--now", "yesterday", "list"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--now (or TSUDOI_NOW) `yesterday` is not a time"),
        "{}",
        out.stderr
    );
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["list", "--upcoming", "--past"]).code, 2);
}

#[test]
fn policy_choices_are_checked() {
    let series = crate::util::shipped_series().replace(
        "deny_users = []",
        "deny_users = []\napproval = \"manual\"\naccept_emoji = \"two words\"\nroles_every = \"often\"\nshare_mode = \"dm\"",
    );
    let dir = Dir::new().file("tsudoi.toml", &series);
    let out = dir.run(&["check", "--json"]);
    assert_eq!(out.code, 1);
    let found: Vec<(String, String)> = out.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["message"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "unknown value `manual`".to_string(),
                "use one of: auto, admin-reaction".to_string()
            ),
            (
                "`two words` is not an emoji".to_string(),
                "write one Unicode emoji such as `✅`, or a custom one as `name:id`".to_string()
            ),
            (
                "`often` is not a duration".to_string(),
                "`o` is not a unit; use d (days), h (hours), m (minutes) or s (seconds)".to_string()
            ),
        ]
    );
}
