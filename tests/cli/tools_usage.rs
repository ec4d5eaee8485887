//! Usage errors exit 2, whatever the command; `--now` also takes a wall-clock time in the
//! series' zone.

use crate::tools_util::{RunIn, run};
use crate::util::Dir;

#[test]
fn malformed_arguments_are_usage_errors() {
    let dir = Dir::with_series().with_shipped_events();
    for args in [
        &["create", "--date", "2026-03-03", "--id", "b"][..],
        &["create", "--date", "2026-03-03", "--id", "2026-3-3"],
        &["create", "--date", "2026-02-30"],
        &["create", "--date", "2026-03-03", "--start", "3pm"],
        &["create", "--date", "2026-03-03", "--end", "25:00"],
        &["create", "--date", "2026-03-03", "--from", "last"],
        &["show", "next"],
        &["roles", "2026-02-17x"],
        &["post", "17-02-2026", "--dry-run"],
        &["share", "tomorrow", "--dry-run"],
        &["announce", "2026-13-01"],
        &["init", "--timezone", "Tokyo"],
        &["--now", "soon", "list"],
        &["--max-wait", "forever", "doctor"],
        &["list", "--upcoming", "--past"],
    ] {
        let out = dir.run(args);
        assert_eq!(out.code, 2, "{args:?} should be a usage error:\n{}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
}

#[test]
fn a_malformed_create_id_says_what_an_id_is() {
    let dir = Dir::with_series();
    let out = dir.run(&["create", "--date", "2026-03-03", "--id", "b"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`b` is not an event id") && out.stderr.contains("2026-02-17-b"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("b.toml").exists());
}

#[test]
fn a_well_formed_id_that_names_no_event_is_a_failure_not_a_usage_error() {
    let dir = Dir::with_series().with_shipped_events();
    let out = dir.run(&["show", "2026-02-18"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[test]
fn now_takes_a_wall_clock_time_in_the_series_zone() {
    let events = crate::util::shipped_events();
    let events = events.to_str().unwrap();
    let reference = run(&[
        "--dir",
        events,
        "--now",
        "2026-02-17T14:45:00+09:00",
        "--json",
        "show",
        "2026-02-17",
    ]);
    assert_eq!(reference.code, 0, "{}", reference.stderr);
    for now in ["2026-02-17 14:45", "2026-02-17T14:45"] {
        let out = run(&["--dir", events, "--now", now, "--json", "show", "2026-02-17"]);
        assert_eq!(out.code, 0, "{now}: {}", out.stderr);
        assert_eq!(out.stdout, reference.stdout, "{now}");
    }
}

#[test]
fn now_without_an_offset_needs_a_series_zone() {
    let dir = Dir::new();
    let out = dir.run(&["--now", "2026-02-17 14:45", "init"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("has no offset"), "{}", out.stderr);
    assert!(out.stderr.contains("hint: give the offset"), "{}", out.stderr);
}
