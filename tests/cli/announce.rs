//! announce: the reference page reproduced, valid rst, Discord messages, Markdown and text.

use crate::util::{Dir, Series, shipped_events, tsudoi};

fn events_dir() -> String {
    shipped_events().to_str().unwrap().to_string()
}

/// The shipped directory copied, so a test may change it.
fn copy_of_events() -> Dir {
    let mut dir = Dir::new();
    for entry in walk(&shipped_events()) {
        let relative = entry
            .strip_prefix(shipped_events())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        dir = dir.file(&relative, &std::fs::read_to_string(&entry).unwrap());
    }
    dir
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_str().unwrap().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            files.extend(walk(&path))
        } else {
            files.push(path)
        }
    }
    files
}

/// The comparison the issue defines: trailing whitespace and blank lines stripped, title
/// under/overlines of one character equal whatever their length.
fn normalized(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let first = line.chars().next().unwrap();
            if "#=-~".contains(first) && line.chars().all(|c| c == first) {
                first.to_string().repeat(3)
            } else {
                line.to_string()
            }
        })
        .collect()
}

fn page(args: &[&str]) -> String {
    let dir = events_dir();
    let mut all = vec!["--dir", dir.as_str(), "--now", "2026-02-10T00:00:00Z", "announce"];
    all.extend_from_slice(args);
    let out = tsudoi(&all).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn the_shipped_events_reproduce_the_reference_page() {
    let reference = include_str!("../fixtures/shiguradio-page.rst");
    let rendered = page(&["2026-02-17", "--format", "rst"]);
    let (want, got) = (normalized(reference), normalized(&rendered));
    for (i, (w, g)) in want.iter().zip(&got).enumerate() {
        assert_eq!(w, g, "first difference at normalized line {i}");
    }
    assert_eq!(want.len(), got.len());
    for (i, line) in rendered.lines().enumerate() {
        assert_eq!(line, line.trim_end(), "trailing whitespace on line {}", i + 1);
    }
    // The default event is the next one, and rst the default format.
    assert_eq!(page(&[]), rendered);
}

#[test]
fn policy_and_date_changes_reach_every_place_on_the_page() {
    let dir = copy_of_events();
    let series = Series::shipped().policy("signup_closes_after_start = \"45m\"");
    let event = dir
        .read("2026-02-17.toml")
        .replace("date = \"2026-02-17\"", "date = \"2026-02-18\"");
    std::fs::remove_file(dir.path().join("2026-02-17.toml")).unwrap();
    let dir = dir.series(series).file("2026-02-18.toml", &event);
    let out = dir
        .tsudoi(["--now", "2026-02-10T00:00:00Z", "announce", "2026-02-18"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    assert!(text.contains("- 申込は開始後 45 分までとします"));
    assert!(!text.contains("30 分"));
    assert!(text.contains("2026 年 2 月 18 日 (水) のイベントへの参加申込方法"));
    assert!(text.contains("今回は ``2026-02-18`` というロールが付与されます。"));
    assert!(text.contains("\n2026 年 2 月 18 日 15:00-17:00\n"));
    assert!(!text.contains("2026-02-17") && !text.contains("2 月 17 日"));
    let post = dir
        .tsudoi([
            "--now",
            "2026-02-10T00:00:00Z",
            "announce",
            "2026-02-18",
            "-f",
            "discord",
        ])
        .run()
        .stdout;
    assert!(post.contains("(開始 45 分後)"), "{post}");
    assert!(post.contains("`2026-02-18`"));
}

#[test]
fn every_held_event_stays_under_past_newest_first() {
    let text = page(&["2026-02-17"]);
    let past = &text[text.find("\n過去\n").unwrap()..];
    let headings: Vec<&str> = past
        .lines()
        .filter(|l| l.contains(" 年 ") && l.contains(":"))
        .collect();
    assert_eq!(
        headings,
        [
            "2025 年 7 月 8 日 15:00-17:00",
            "2024 年 7 月 9 日 15:00-17:00",
            "2024 年 1 月 16 日 15:00-16:30",
            "2023 年 4 月 18 日 19:00-20:30",
            "2022 年 12 月 6 日 19:00-20:30",
        ]
    );
    // An older event's page lists only what came before it.
    let older = page(&["2024-01-16"]);
    let past = &older[older.find("\n過去\n").unwrap()..];
    assert_eq!(past.matches(" 年 ").count(), 2);
}

#[test]
fn a_broken_file_stops_the_page_rather_than_drop_an_event() {
    let dir = copy_of_events().file("2024-07-09.toml", "date = \"2024-07-09\"\nstrat = \"x\"\n");
    let out = dir.tsudoi(["announce", "2026-02-17"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("unknown key `strat`"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("tsudoi: error: the event directory has errors; nothing was done")
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn discord_post_is_messages_of_at_most_2000_characters() {
    let dir = events_dir();
    let out = tsudoi([
        "--dir",
        &dir,
        "--now",
        "2026-02-10T00:00:00Z",
        "--json",
        "announce",
        "-f",
        "discord",
    ])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let messages: Vec<String> = serde_json::from_value(out.json()["messages"].clone()).unwrap();
    assert!(messages.iter().all(|m| m.chars().count() <= 2000));
    let all = messages.join("\n");
    for needle in [
        "`2026-02-17`",
        "<t:1771308000:F>",
        "<t:1771308000:R>",
        "締め切り: <t:1771309800:F>",
        "参加します",
    ] {
        assert!(all.contains(needle), "missing {needle}");
    }
}

#[test]
fn a_long_agenda_splits_into_three_messages_losing_nothing() {
    let items: String = (0..40)
        .map(|i| format!("- Topic {i} with a link <https://example.com/{i}>\n  - detail {i} **bold** https://example.org/{i}\n"))
        .collect();
    let dir = Dir::with_series().file(
        "2026-03-03.toml",
        &format!("date = \"2026-03-03\"\nagenda = \"\"\"\n{items}\"\"\"\n"),
    );
    let out = dir
        .tsudoi([
            "--now",
            "2026-03-01T00:00:00Z",
            "--json",
            "announce",
            "-f",
            "discord",
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let messages: Vec<String> = serde_json::from_value(out.json()["messages"].clone()).unwrap();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(messages.iter().all(|m| m.chars().count() <= 2000));
    let lines: Vec<&str> = messages
        .iter()
        .flat_map(|m| m.lines())
        .filter(|l| !l.is_empty())
        .collect();
    for i in 0..40 {
        let topic =
            format!("- Topic {i} with a link](<https://example.com/{i}>)").replace("- Topic", "- [Topic");
        assert_eq!(lines.iter().filter(|l| **l == topic).count(), 1, "{topic}");
        let detail = format!("  - detail {i} **bold** <https://example.org/{i}>");
        assert_eq!(lines.iter().filter(|l| **l == detail).count(), 1, "{detail}");
    }
    for message in &messages[1..] {
        assert!(
            message.starts_with("- [Topic"),
            "a message starts at a top-level item: {message:.40}"
        );
    }
}

#[test]
fn markdown_and_text_snapshots() {
    for id in ["2026-02-17", "2024-07-09"] {
        insta::assert_snapshot!(format!("{id}.md"), page(&[id, "--format", "markdown"]));
        insta::assert_snapshot!(format!("{id}.txt"), page(&[id, "--format", "text"]));
        insta::assert_snapshot!(format!("{id}.discord"), page(&[id, "--format", "discord"]));
    }
}

#[test]
fn output_file_is_written_whole() {
    let dir = Dir::new();
    let path = dir.path().join("page.rst");
    let out = tsudoi([
        "--dir",
        &events_dir(),
        "--now",
        "2026-02-10T00:00:00Z",
        "announce",
        "-o",
        path.to_str().unwrap(),
    ])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), page(&[]));
    let missing = tsudoi([
        "--dir",
        &events_dir(),
        "announce",
        "-o",
        "/nonexistent/dir/page.rst",
    ])
    .run();
    assert_eq!(missing.code, 1);
    assert!(
        missing
            .stderr
            .contains("cannot write `/nonexistent/dir/page.rst`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn template_overrides_and_their_errors() {
    let dir = Dir::with_series()
        .file("2026-03-03.toml", "date = \"2026-03-03\"\n")
        .file(
            "templates/post.j2",
            "## {{ event.title }}\n\nrole {{ event.role }}, see {{ event.nonexistent }}\n",
        );
    let out = dir.tsudoi(["--now", "2026-03-01T00:00:00Z", "check"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("templates/post.j2:3:"), "{}", out.stderr);
    assert!(out.stderr.contains("undefined"), "{}", out.stderr);
    let dir = dir.file("templates/post.j2", "## {{ event.title }\n");
    let out = dir
        .tsudoi(["--now", "2026-03-01T00:00:00Z", "announce", "-f", "discord"])
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("templates/post.j2:1:"), "{}", out.stderr);
    let dir = dir.file(
        "templates/post.j2",
        "## {{ event.title }}\n\nrole {{ event.role }}\n",
    );
    let out = dir
        .tsudoi(["--now", "2026-03-01T00:00:00Z", "announce", "-f", "discord"])
        .run();
    assert_eq!(
        out.stdout,
        "## 時雨堂 不定期オンライン雑談配信 (SHIGURADIO)\n\nrole 2026-03-03\n"
    );
}

#[test]
fn english_defaults() {
    let dir = Dir::new();
    let target = dir.path().join("s");
    let target = target.to_str().unwrap();
    assert_eq!(
        tsudoi([
            "--now",
            "2026-11-25T00:00:00Z",
            "init",
            target,
            "--language",
            "en"
        ])
        .run()
        .code,
        0
    );
    let example = std::fs::read_to_string(dir.path().join("s/2026-12-09.toml")).unwrap();
    std::fs::write(
        dir.path().join("s/2026-12-09.toml"),
        example.replace("status = \"draft\"", "status = \"scheduled\""),
    )
    .unwrap();
    let out = tsudoi([
        "--dir",
        target,
        "--now",
        "2026-11-25T00:00:00Z",
        "announce",
        "-f",
        "markdown",
    ])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}
