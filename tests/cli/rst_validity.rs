//! Every page tsudoi renders is valid reStructuredText, checked in Rust (docutils runs in
//! `.ci/run`), and markup in event text that would break it is a located `check` error.

use tsudoi::rst_check::{self, Kind};

use crate::util::{Dir, shipped_events, shipped_series, tsudoi};

fn event_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(shipped_events())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|name| name.strip_suffix(".toml").map(str::to_string))
        .filter(|name| name != "tsudoi")
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_page_of_the_shipped_events_is_valid_rst() {
    let events = shipped_events();
    let ids = event_ids();
    assert!(ids.len() >= 6, "{ids:?}");
    for id in ids {
        let out = tsudoi([
            "--dir",
            events.to_str().unwrap(),
            "--now",
            "2022-01-01T00:00:00Z",
            "announce",
            &id,
        ])
        .run();
        assert_eq!(out.code, 0, "{id}: {}", out.stderr);
        let problems: Vec<_> = rst_check::check(&out.stdout)
            .into_iter()
            .filter(|p| !matches!(&p.kind, Kind::Directive { name, .. } if name == "image"))
            .collect();
        assert!(problems.is_empty(), "{id}: {problems:#?}\n{}", out.stdout);
    }
}

fn event_with(notes: &str, agenda: &str) -> Dir {
    let file =
        format!("date = \"2026-03-03\"\nnotes = \"\"\"\n{notes}\"\"\"\nagenda = \"\"\"\n{agenda}\"\"\"\n");
    Dir::new()
        .file("tsudoi.toml", &shipped_series())
        .file("2026-03-03.toml", &file)
}

#[test]
fn a_literal_that_does_not_close_in_rst_is_a_located_check_error() {
    let dir = event_with("まず ``docker run `` を実行します。\n", "- a\n  - **太字 **\n");
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let stderr = crate::util::scrub(&out.stderr, &dir);
    assert!(
        stderr.contains("DIR/2026-03-03.toml:3:4: error: notes: ``docker run `` does not close"),
        "{stderr}"
    );
    assert!(
        stderr.contains("DIR/2026-03-03.toml:7:5: error: agenda:"),
        "{stderr}"
    );
    let page = dir
        .tsudoi(["--now", "2026-03-01T00:00:00Z", "announce", "2026-03-03"])
        .run();
    assert_eq!(page.code, 1, "announce refuses the event: {}", page.stdout);
    assert_eq!(page.stdout, "");
}

/// Behind `check`: a page that would still come out as invalid reStructuredText (here from the
/// organizer's own template) is refused, not written.
#[test]
fn a_page_that_would_be_invalid_rst_is_refused() {
    let dir = Dir::new()
        .file("tsudoi.toml", &shipped_series())
        .file("2026-03-03.toml", "date = \"2026-03-03\"\n")
        .file(
            "templates/page.j2",
            "# {{ series.title }}\n\nまず ``docker run `` を実行します。\n",
        );
    let out = dir.tsudoi(["--now", "2026-03-01T00:00:00Z", "announce"]).run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("the page would not be valid reStructuredText: line 5:"),
        "{}",
        out.stderr
    );
}
