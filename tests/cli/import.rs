//! `tsudoi import`: an existing page of this family becomes event files, a series file and a
//! template; `announce` then reproduces the page; nothing is overwritten; `--dry-run` writes
//! nothing; lines it cannot map are reported with their line numbers.

use std::path::{Path, PathBuf};

use tsudoi::rst_check;

use crate::util::{Dir, tsudoi};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn normalized(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let first = l.chars().next().unwrap();
            let rule =
                first.is_ascii_punctuation() && l.chars().count() >= 2 && l.chars().all(|c| c == first);
            if rule { first.to_string() } else { l.to_string() }
        })
        .collect()
}

/// Share of the original's normalized lines that the rendered page holds in order.
fn equal_share(original: &str, rendered: &str) -> f64 {
    let (a, b) = (normalized(original), normalized(rendered));
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    table[0][0] as f64 / a.len().max(b.len()) as f64
}

/// Import `page` into a fresh directory, then announce it; the rendered page.
fn round_trip(page: &Path, now: &str) -> (Dir, String, String) {
    let dir = Dir::new();
    let into = dir.path().join("events");
    let out = tsudoi(["import", page.to_str().unwrap(), "--into", into.to_str().unwrap()])
        .now(now)
        .cwd(dir.path())
        .run();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let check = tsudoi(["--dir", into.to_str().unwrap(), "check"]).now(now).run();
    assert_eq!(check.code, 0, "{}", check.stderr);
    let page = tsudoi(["--dir", into.to_str().unwrap(), "announce"])
        .now(now)
        .run();
    assert_eq!(page.code, 0, "{}", page.stderr);
    (dir, out.stdout, page.stdout)
}

fn no_rst_problems(rst: &str) {
    let problems: Vec<_> = rst_check::check(rst)
        .into_iter()
        .filter(|p| !matches!(&p.kind, rst_check::Kind::Directive { name, .. } if name == "image"))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{rst}");
}

#[test]
fn the_reference_page_comes_back_from_its_import() {
    let page = fixture("shiguradio-page.rst");
    let (dir, report, rendered) = round_trip(&page, "2026-02-01T00:00:00Z");
    let original = std::fs::read_to_string(&page).unwrap();
    let share = equal_share(&original, &rendered);
    assert!(share >= 0.98, "{share}\n{report}");
    assert!(
        report.contains("round trip: 569 of 569 normalized lines equal (100.0 %)"),
        "{report}"
    );
    assert!(
        report.contains("sign-up deadline: 30 minutes → signup_closes_after_start"),
        "{report}"
    );
    no_rst_problems(&rendered);
    let series = dir.read("events/tsudoi.toml");
    assert!(
        series.contains("title = \"時雨堂 不定期オンライン雑談配信 (SHIGURADIO)\""),
        "{series}"
    );
    assert!(series.contains("viewer_url_before_start = \"15m\""), "{series}");
    assert!(series.contains("boosters_join_without_signup = true"), "{series}");
    let template = dir.read("events/templates/page.j2");
    assert!(
        template.contains("開始後 {{ policy.signup_closes_after_start.minutes }} 分"),
        "{template}"
    );
    assert!(template.contains("``{{ event.role }}``"), "{template}");
    assert!(!template.contains("2026-02-17"), "{template}");
    let held = dir.read("events/2023-04-18.toml");
    assert!(held.contains("start = \"19:00\"\nend = \"20:30\""), "{held}");
}

#[test]
fn variations_of_the_family_come_back_too() {
    for (name, now) in [
        ("import/variation.rst", "2026-03-01T00:00:00Z"),
        ("import/archive.rst", "2026-03-01T00:00:00Z"),
    ] {
        let page = fixture(name);
        let (dir, report, rendered) = round_trip(&page, now);
        let original = std::fs::read_to_string(&page).unwrap();
        let share = equal_share(&original, &rendered);
        assert!(share >= 0.98, "{name}: {share}\n{report}\n{rendered}");
        no_rst_problems(&rendered);
        if name.ends_with("variation.rst") {
            let next = dir.read("events/2026-03-10.toml");
            assert!(next.contains("end = \"\""), "{next}");
            assert!(next.contains("heading_weekday = true"), "{next}");
            assert!(
                next.contains("  - 解説\n- 画像\n\n  .. image:: https://i.example/yoru.png\n"),
                "{next}"
            );
            let body = dir.read("events/2026-01-13.toml");
            assert!(body.contains("body = \"\"\"\n今回は 90 分です。"), "{body}");
            let series = dir.read("events/tsudoi.toml");
            assert!(
                series.contains("signup_closes_after_start = \"-30m\""),
                "{series}"
            );
            assert!(
                series.contains("boosters_join_without_signup = false"),
                "{series}"
            );
        }
    }
}

#[test]
fn import_never_overwrites_and_a_dry_run_writes_nothing() {
    let page = fixture("import/archive.rst");
    let dir = Dir::new().file("events/2024-10-08.toml", "mine\n");
    let into = dir.path().join("events");
    let out = tsudoi(["import", page.to_str().unwrap(), "--into", into.to_str().unwrap()])
        .now("2026-03-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("import would overwrite"), "{}", out.stderr);
    assert!(out.stderr.contains("2024-10-08.toml"), "{}", out.stderr);
    assert_eq!(dir.read("events/2024-10-08.toml"), "mine\n");
    assert!(!into.join("tsudoi.toml").exists());

    let fresh = dir.path().join("fresh");
    let out = tsudoi([
        "import",
        page.to_str().unwrap(),
        "--into",
        fresh.to_str().unwrap(),
        "--dry-run",
    ])
    .now("2026-03-01T00:00:00Z")
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("would write"), "{}", out.stdout);
    assert!(!fresh.exists());
}

#[test]
fn lines_it_cannot_map_are_reported_with_their_numbers() {
    let page = "#####\nT\n#####\n\n{{ not a variable }}\n\n過去\n====\n\n2024 年 10 月 8 日 19:00-20:30 (中止)\n-------------------------------------\n\n- a\n";
    let dir = Dir::new().file("page.rst", page);
    let into = dir.path().join("events");
    let out = tsudoi([
        "import",
        dir.path().join("page.rst").to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
        "--dry-run",
    ])
    .now("2026-03-01T00:00:00Z")
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("line 5: {{ not a variable }} — template delimiters"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("line 10: 2024-10-08 — a cancelled event"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_page_without_events_is_an_error_that_says_what_import_reads() {
    let dir = Dir::new().file("page.rst", "T\n===\n\ntext\n");
    let out = tsudoi([
        "import",
        dir.path().join("page.rst").to_str().unwrap(),
        "--dry-run",
    ])
    .now("2026-03-01T00:00:00Z")
    .cwd(dir.path())
    .run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("holds no event heading"), "{}", out.stderr);
}

#[test]
fn a_deadline_the_day_before_is_read_back_as_signup_closes() {
    let page = "#####\nT\n#####\n\n注意\n====\n\n- 申込は前日 23:59 までとします\n\n開催\n====\n\n2026 年 3 月 10 日 19:00-20:30\n------------------------------\n\n- a\n";
    let dir = Dir::new().file("page.rst", page);
    let into = dir.path().join("events");
    let out = tsudoi([
        "import",
        dir.path().join("page.rst").to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ])
    .now("2026-03-01T00:00:00Z")
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("(100.0 %)"), "{}", out.stdout);
    let series = dir.read("events/tsudoi.toml");
    assert!(series.contains("signup_closes = \"-1d@23:59\""), "{series}");
    let template = dir.read("events/templates/page.j2");
    assert!(
        template.contains("- 申込は{{ policy.signup_closes }} までとします"),
        "{template}"
    );
}
