//! check and usage errors: every problem in a broken directory reported, located, with a hint;
//! bad command lines exit 2.

use crate::util::{Dir, Series, error_headlines, scrub, shipped_events, tsudoi};

#[test]
fn shipped_events_check_clean() {
    let out = tsudoi(["--dir", shipped_events().to_str().unwrap(), "check"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "checked tsudoi.toml and 6 event file(s): 0 error(s), 0 warning(s)\n"
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
    let out = dir.tsudoi(["check"]).run();
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
    let json = dir.tsudoi(["check", "--json"]).run().json();
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
    let out = dir
        .tsudoi(["--now", "2026-03-01T00:00:00Z", "list", "--json"])
        .run();
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
    let show = dir.tsudoi(["show", "2026-03-01"]).run();
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
    let out = dir.tsudoi(["check", "--json"]).run();
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
    let out = dir.tsudoi(["check"]).run();
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
    let out = dir.tsudoi(["check"]).run();
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
    let out = tsudoi(["--dir", "/nonexistent/events", "list"]).run();
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "tsudoi: error: the event directory `/nonexistent/events` does not exist\n  hint: run `tsudoi init /nonexistent/events` to create one, or point --dir (or TSUDOI_DIR) at your event directory\n"
    );
    let empty = Dir::new();
    let out = empty.tsudoi(["list"]).run();
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
    let out = dir.tsudoi(["check"]).run();
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
    let list = dir.tsudoi(["list"]).run();
    assert_eq!(list.code, 1);
    assert!(
        scrub(&list.stderr, &dir).contains("tsudoi: error: `DIR/tsudoi.toml` has errors; nothing was done")
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = tsudoi([
        "--dir",
        shipped_events().to_str().unwrap(),
        "--now",
        "yesterday",
        "list",
    ])
    .run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--now (or TSUDOI_NOW) `yesterday` is not a time"),
        "{}",
        out.stderr
    );
    assert_eq!(tsudoi(["frobnicate"]).run().code, 2);
    assert_eq!(tsudoi(["list", "--upcoming", "--past"]).run().code, 2);
}

#[test]
fn policy_choices_are_checked() {
    let series = Series::shipped().policy(
        "approval = \"manual\"\naccept_emoji = \"two words\"\nroles_every = \"often\"\nshare_mode = \"dm\"",
    );
    let dir = Dir::new().series(series);
    let out = dir.tsudoi(["check", "--json"]).run();
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

/// A directory big enough to be read on several threads reports its problems exactly as a small
/// one: file by file in path order, the top-level file keeping an id a subfolder repeats.
#[test]
fn a_long_series_read_on_every_core_reports_in_file_order() {
    let mut dir = Dir::with_series();
    // Enough files that they are read on two threads (parallel.rs starts another thread per
    // 256 files): problems at the start, the middle and the end come out in file order.
    const WEEKS: u64 = 600;
    let first = chrono::NaiveDate::from_ymd_opt(2014, 1, 7).unwrap();
    let dates: Vec<String> = (0..WEEKS)
        .map(|week| (first + chrono::Days::new(7 * week)).to_string())
        .collect();
    for (week, date) in dates.iter().enumerate() {
        let text = match week {
            0 => format!("date = \"{date}\"\nstrat = \"15:00\"\n"),
            300 => format!("date = \"{date}\nagenda = 1\n"),
            599 => format!("date = \"{date}\"\nagenda = \"  - indented first\"\n"),
            _ => format!("date = \"{date}\"\n"),
        };
        dir = dir.file(&format!("{date}.toml"), &text);
    }
    dir = dir
        .file(
            &format!("2025/{}.toml", dates[30]),
            &format!("date = \"{}\"\n", dates[30]),
        )
        .file("notes.toml", "date = \"2026-03-08\"\n");
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let headlines = error_headlines(&out, &dir);
    assert_eq!(
        headlines,
        [
            format!("DIR/{}.toml:2:1: error: unknown key `strat`", dates[0]),
            format!(
                "DIR/{}.toml:1:19: error: this is not valid TOML: invalid basic string, expected `\"`",
                dates[300]
            ),
            format!(
                "DIR/{}.toml:2:11: error: agenda: the first agenda item cannot be indented",
                dates[599]
            ),
            "DIR/notes.toml: error: `notes` is not an event id".to_string(),
            format!(
                "DIR/2025/{0}.toml: error: the id `{0}` is also used by DIR/{0}.toml",
                dates[30]
            ),
        ]
    );
    let summary = format!(
        "checked tsudoi.toml and {} event file(s): 5 error(s), 0 warning(s)\n",
        WEEKS + 2
    );
    assert!(out.stderr.ends_with(&summary), "{}", out.stderr);
}
