//! list and show: the shipped events and directories built for the test, as tables and JSON,
//! in the series' zone whatever the machine's.

use crate::util::{Dir, shipped_events, tsudoi};

const BEFORE_FEB_17: &str = "2026-02-10T00:00:00Z";

fn events_dir() -> String {
    shipped_events().to_str().unwrap().to_string()
}

#[test]
fn shipped_events_list_json_has_the_six_tuesdays() {
    let out = tsudoi(["--dir", &events_dir(), "--now", BEFORE_FEB_17, "list", "--json"]).run();
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
    let out = tsudoi([
        "--dir",
        &events_dir(),
        "--now",
        "2026-02-17T15:20:00+09:00",
        "list",
        "--upcoming",
    ])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "\
╭─────────────────┬─────────────┬────────┬──────────────────────╮
│ EVENT           ┆ TIME        ┆ STATUS ┆ NEXT                 │
╞═════════════════╪═════════════╪════════╪══════════════════════╡
│ 2026-02-17 (火) ┆ 15:00-17:00 ┆ live   ┆ sign-up close in 10m │
╰─────────────────┴─────────────┴────────┴──────────────────────╯
"
    );
}

#[test]
fn past_filter() {
    let out = tsudoi([
        "--dir",
        &events_dir(),
        "--now",
        BEFORE_FEB_17,
        "list",
        "--past",
        "--json",
    ])
    .run();
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
        let utc = tsudoi(&all).zone("UTC").run();
        let la = tsudoi(&all).zone("America/Los_Angeles").run();
        let tokyo = tsudoi(&all).zone("Asia/Tokyo").run();
        assert_eq!(utc.code, 0, "{args:?}: {}", utc.stderr);
        assert_eq!(utc.stdout, la.stdout, "{args:?}");
        assert_eq!(utc.stdout, tokyo.stdout, "{args:?}");
    }
}

#[test]
fn show_gives_instants_in_the_zone_and_utc() {
    let out = tsudoi([
        "--dir",
        &events_dir(),
        "--now",
        BEFORE_FEB_17,
        "show",
        "2026-02-17",
        "--json",
    ])
    .run();
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
    let out = tsudoi(["--now", BEFORE_FEB_17, "show", "2024-01-16"])
        .cwd(dir.path())
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn show_unknown_id_suggests() {
    let out = tsudoi(["--dir", &events_dir(), "show", "2026-02-18"]).run();
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

#[test]
fn dst_series_computes_instants_through_the_zone() {
    let dir = Dir::new()
        .file("tsudoi.toml", "[series]\ntitle = \"NY\"\ntimezone = \"America/New_York\"\nlanguage = \"en\"\n[defaults]\nstart = \"15:00\"\nend = \"17:00\"\n")
        .file("2026-03-07.toml", "date = \"2026-03-07\"\n")
        .file("2026-03-08.toml", "date = \"2026-03-08\"\n");
    let start = |id: &str| {
        dir.tsudoi(["show", id, "--json"]).run().json()["times"][2]["utc"]
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
    let out = skipped.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains(":2:9: error: 2026-03-08 02:30:00 does not exist in America/New_York"),
        "{}",
        out.stderr
    );
}
