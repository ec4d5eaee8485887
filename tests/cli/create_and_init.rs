//! create and init: the files they write are ones check accepts, and they never overwrite.

use crate::util::{Dir, scrub, shipped_events, tsudoi};

#[test]
fn create_writes_a_file_that_check_accepts() {
    let dir = Dir::with_series();
    let out = dir.tsudoi(["create", "--date", "2026-05-22"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(scrub(&out.stdout, &dir), "DIR/2026-05-22.toml\n");
    assert_eq!(dir.tsudoi(["check"]).run().code, 0);
    let rows = dir
        .tsudoi(["--now", "2026-05-01T00:00:00Z", "list", "--json"])
        .run()
        .json()["events"]
        .clone();
    assert_eq!(rows[0]["date"], "2026-05-22");
    assert_eq!(rows[0]["weekday"], "金");
    assert_eq!(rows[0]["status"], "draft");
    let table = dir.tsudoi(["--now", "2026-05-01T00:00:00Z", "list"]).run();
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
        dir.tsudoi(["create", "--date", "2026-06-02", "--from", "2025-07-08"])
            .run()
            .code,
        0
    );
    let skeleton = dir.tsudoi(["show", "2026-06-02", "--json"]).run().json();
    let top: Vec<&str> = skeleton["agenda"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"][0]["text"].as_str().unwrap())
        .collect();
    assert_eq!(top[..3], ["雑談", "WebRTC SFU Sora", "Sora Cloud"]);
    assert!(skeleton["agenda"]["items"][0].get("children").is_none());
    let out = dir
        .tsudoi([
            "create",
            "--date",
            "2026-06-09",
            "--from",
            "2025-07-08",
            "--full-agenda",
            "--title",
            "特別回 \"\\ 2\"",
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let full = dir.tsudoi(["show", "2026-06-09", "--json"]).run().json();
    let original = dir.tsudoi(["show", "2025-07-08", "--json"]).run().json();
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
        let out = dir.tsudoi(&all).run();
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
    let second = dir
        .tsudoi([
            "create",
            "--date",
            "2026-05-22",
            "--id",
            "2026-05-22-b",
            "--start",
            "19:00",
            "--end",
            "20:00",
        ])
        .run();
    assert_eq!(second.code, 0, "{}", second.stderr);
}

#[test]
fn init_scaffolds_a_valid_directory_once() {
    let dir = Dir::new();
    let target = dir.path().join("series");
    let target = target.to_str().unwrap();
    let out = tsudoi([
        "--now",
        "2026-11-25T12:00:00Z",
        "init",
        target,
        "--language",
        "en",
    ])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        scrub(&out.stdout, &dir),
        "DIR/series/tsudoi.toml\nDIR/series/2026-12-09.toml\nDIR/series/.schema/series.json\nDIR/series/.schema/event.json\n"
    );
    let check = tsudoi(["--dir", target, "check"]).run();
    assert_eq!(check.code, 0, "{}", check.stderr);
    let list = tsudoi(["--dir", target, "--now", "2026-11-25T12:00:00Z", "list", "--json"])
        .run()
        .json()["events"]
        .clone();
    assert_eq!(list[0]["weekday"], "Wed");
    let again = tsudoi(["init", target]).run();
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("already exists; tsudoi never overwrites it")
    );
    insta::assert_snapshot!(std::fs::read_to_string(dir.path().join("series/tsudoi.toml")).unwrap());
}
