//! `list` fits 80 columns: the id is the date, so one EVENT column says both, and ROLE shows
//! only when a role is not named after its event. Piped, no row is wrapped; on a terminal,
//! comfy-table fits the table to its width.

use unicode_width::UnicodeWidthStr;

use crate::tools_util::RunIn;
use crate::util::{Dir, Series};

#[test]
fn the_list_of_the_shipped_events_fits_80_columns_one_line_per_event() {
    let dir = Dir::new().with_shipped_events();
    let out = crate::util::tsudoi(["--now", "2026-02-10T00:00:00Z", "list"])
        .cwd(dir.path())
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        3 + 6 + 1,
        "a header, six events, the frame:\n{}",
        out.stdout
    );
    for line in &lines {
        assert!(line.width() <= 80, "{} columns: {line}", line.width());
    }
    assert!(
        lines[1].contains("EVENT") && !lines[1].contains("ROLE"),
        "{}",
        lines[1]
    );
    assert!(
        out.stdout
            .contains("│ 2026-02-17 (火) ┆ 15:00-17:00 ┆ scheduled ┆ URL share in 7d 5h │"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_role_not_named_after_the_event_gets_its_column() {
    let dir = Dir::new()
        .series(Series::shipped().policy("role_name = \"SHIGURADIO {date}\""))
        .file("2026-03-03.toml", "date = \"2026-03-03\"\n");
    let out = dir.run(&["--now", "2026-03-01T00:00:00Z", "list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("ROLE"), "{}", out.stdout);
    assert!(out.stdout.contains("SHIGURADIO 2026-03-03"), "{}", out.stdout);
    // Piped, a wide row stays on one line: one event, one row.
    assert_eq!(out.stdout.lines().count(), 5, "{}", out.stdout);
}
