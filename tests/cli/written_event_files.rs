//! Event files tsudoi writes (`create`, `init`) load back as what was asked for, whatever the
//! text holds.

use crate::util::Dir;

#[test]
fn create_copies_an_agenda_with_control_characters() {
    // `check` accepts these escapes in the source file; the copy must be valid TOML too.
    let source = "date = \"2026-05-01\"\nstatus = \"scheduled\"\nagenda = \"- bell \\u0007 and delete \\u007f\\n- a \\r carriage return \\\"quoted\\\"\\n  - 日本語 <https://example.com/>\\n\"\n";
    let dir = Dir::with_series().file("2026-05-01.toml", source);
    assert_eq!(
        dir.tsudoi(["check"]).run().code,
        0,
        "{}",
        dir.tsudoi(["check"]).run().stderr
    );
    let out = dir
        .tsudoi([
            "create",
            "--date",
            "2026-05-08",
            "--from",
            "2026-05-01",
            "--full-agenda",
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let copy = dir.tsudoi(["show", "2026-05-08", "--json"]).run().json();
    let original = dir.tsudoi(["show", "2026-05-01", "--json"]).run().json();
    assert_eq!(copy["agenda"], original["agenda"]);
    assert_eq!(dir.tsudoi(["check"]).run().code, 0);
}

#[test]
fn create_writes_a_title_with_quotes_and_backslashes_as_given() {
    let dir = Dir::with_series();
    let title = "特別回 \"\"\" \\n '''";
    let out = dir
        .tsudoi(["create", "--date", "2026-05-22", "--title", title])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        dir.tsudoi(["show", "2026-05-22", "--json"]).run().json()["title"],
        title
    );
}

#[test]
fn init_writes_an_example_event_in_the_create_layout() {
    let dir = Dir::new();
    let out = dir
        .tsudoi(["--now", "2026-11-25T12:00:00Z", "init", "--language", "en"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        dir.read("2026-12-09.toml"),
        r#"# An example event, 2026-12-09 (Wed). Copy it, or run `tsudoi create --date YYYY-MM-DD`.

date = "2026-12-09"
# start = "15:00"  (the series default)
# end = "17:00"  (the series default)
# draft: nothing is announced or posted. Set "scheduled" when ready; "cancelled" calls it off.
status = "draft"

notes = """
Our first session. Questions go in the chat.
"""

# One `- ` item per line, nested by two spaces; `title <https://...>` is a link.
agenda = """
- News
- Topics
  - A reference link <https://example.com/>
- Questions
"""
"#
    );
}
