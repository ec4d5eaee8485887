//! `check` names every type error of a file in one run, and takes dates and times written bare
//! (TOML dates and times) as the text they spell.

use crate::tools_util::RunIn;
use crate::util::Dir;

#[test]
fn every_type_error_of_a_file_in_one_run() {
    let dir = Dir::with_series().file(
        "2026-03-03.toml",
        "date = \"2026-03-03\"\nstart = 15\ntitle = 3\nstrat = \"16:00\"\n[policy]\nrequire_avatar = \"yes\"\n",
    );
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1);
    for expected in [
        "2026-03-03.toml:2:9: error: `start` must be a time, not a number",
        "= help: write it as `start = \"15:00\"`",
        "2026-03-03.toml:3:9: error: `title` must be a string, not a number",
        "2026-03-03.toml:4:1: error: unknown key `strat`",
        "= help: did you mean `start`?",
        "2026-03-03.toml:6:18: error: `require_avatar` must be true or false, not a string",
        "1 event file(s): 4 error(s)",
    ] {
        assert!(
            out.stderr.contains(expected),
            "missing {expected}:\n{}",
            out.stderr
        );
    }
    let json = dir.run(&["--json", "check"]).json();
    assert_eq!(json["errors"], 4, "{json:#}");
}

#[test]
fn every_type_error_of_the_series_file_in_one_run() {
    let series = crate::util::shipped_series()
        .replace("require_avatar = true", "require_avatar = 1")
        .replace("role_name = \"{date}\"", "role_name = [\"{date}\"]");
    let dir = Dir::new().file("tsudoi.toml", &series);
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error: `require_avatar` must be true or false, not a number"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("error: `role_name` must be a string, not a list"),
        "{}",
        out.stderr
    );
}

#[test]
fn bare_toml_dates_and_times_are_taken_as_written() {
    let dir = Dir::with_series().file(
        "2026-03-03.toml",
        "date = 2026-03-03\nstart = 19:00\nend = 20:30:00\n",
    );
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let shown = dir.run(&["--json", "show", "2026-03-03"]).json();
    assert_eq!(shown["date"], "2026-03-03");
    assert_eq!(shown["start"], "19:00");
    assert_eq!(shown["end"], "20:30");
}

#[test]
fn a_bare_date_with_a_time_is_explained_plainly() {
    let dir = Dir::with_series().file(
        "2026-03-03.toml",
        "date = 2026-03-03T19:00:00\nstart = 19:00:30\n",
    );
    let out = dir.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("`2026-03-03T19:00:00` is not a date"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`19:00:30` is not a time of day"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("wrong type: map"), "{}", out.stderr);
}
