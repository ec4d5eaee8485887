//! Pages that hold years of real events: literal blocks, bodies of blocks, links in a sentence,
//! open-ended and tentative times, the "nothing scheduled yet" page, per-event heading style.

use tsudoi::rst_check;

use crate::util::{Dir, Series};

fn page(dir: &Dir, now: &str, args: &[&str]) -> String {
    let mut all = vec!["announce"];
    all.extend_from_slice(args);
    let out = dir.tsudoi(all).now(now).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn valid(rst: &str) {
    let problems: Vec<_> = rst_check::check(rst)
        .into_iter()
        .filter(|p| !matches!(&p.kind, rst_check::Kind::Directive { name, .. } if name == "image"))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{rst}");
}

const LITERALS: &str = r#"date = "2026-03-03"
notes = """
参加メッセージの例::

    参加します
      (アイコン必須)

詳しくは `サーバーブースト <https://support.example/boost>`_ を見てください。
"""
agenda = """
- ツリー::

    sora/
      src/

  - 子
- 次
"""
"#;

#[test]
fn literal_blocks_in_notes_and_items_render_as_rst_literal_blocks() {
    let dir = Dir::with_series().event("2026-03-03", LITERALS);
    let check = dir.tsudoi(["check"]).run();
    assert_eq!(check.code, 0, "{}", check.stderr);
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(
        rst.contains("参加メッセージの例::\n\n    参加します\n      (アイコン必須)\n\n詳しくは"),
        "{rst}"
    );
    assert!(
        rst.contains("- ツリー::\n\n    sora/\n      src/\n\n  - 子\n\n- 次\n"),
        "{rst}"
    );
    valid(&rst);
}

#[test]
fn a_named_link_in_a_sentence_stays_a_link_in_every_format() {
    let dir = Dir::with_series().event("2026-03-03", LITERALS);
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(
        rst.contains("詳しくは `サーバーブースト <https://support.example/boost>`_ を見てください。"),
        "{rst}"
    );
    let md = page(&dir, "2026-03-01T00:00:00Z", &["--format", "markdown"]);
    assert!(
        md.contains("詳しくは [サーバーブースト](https://support.example/boost) を見てください。"),
        "{md}"
    );
    assert!(md.contains("参加メッセージの例:\n\n```\n参加します\n"), "{md}");
}

#[test]
fn a_body_of_blocks_puts_text_after_the_list() {
    let event = r#"date = "2026-03-03"
body = """
最初の段落。

- a
  - b

引用::

    参加します

質問については Discord へどうぞ。
"""
"#;
    let dir = Dir::with_series().event("2026-03-03", event);
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(
        rst.contains(
            "最初の段落。\n\n- a\n\n  - b\n\n引用::\n\n    参加します\n\n質問については Discord へどうぞ。\n"
        ),
        "{rst}"
    );
    valid(&rst);
}

#[test]
fn a_body_that_is_not_markup_is_a_check_error() {
    let event = "date = \"2026-03-03\"\nbody = \"\"\"\n- a\n   - b\n\"\"\"\n";
    let dir = Dir::with_series().event("2026-03-03", event);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("body: line 2"), "{}", out.stderr);
}

#[test]
fn an_open_end_prints_start_and_tilde() {
    let dir = Dir::new()
        .series(Series::shipped().set("defaults", "start = \"20:00\"\nend = \"\""))
        .event("2026-03-03", "date = \"2026-03-03\"\n")
        .event("2026-03-10", "date = \"2026-03-10\"\nend = \"21:30\"\n");
    let rst = page(&dir, "2026-03-01T00:00:00Z", &["2026-03-03"]);
    assert!(rst.contains("\n2026 年 3 月 3 日 20:00~\n"), "{rst}");
    let rst = page(&dir, "2026-03-01T00:00:00Z", &["2026-03-10"]);
    assert!(rst.contains("\n2026 年 3 月 10 日 20:00-21:30\n"), "{rst}");
    valid(&rst);
}

#[test]
fn a_tentative_event_shows_its_words_and_is_never_posted() {
    let event = "date = \"2026-04-28\"\nstatus = \"tentative\"\ntentative = \"4 月末の予定\"\n";
    let dir = Dir::new().series(Series::for_fake()).event("2026-04-28", event);
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(rst.contains("開催\n====\n\n4 月末の予定\n"), "{rst}");
    assert!(!rst.contains("参加申込方法"), "{rst}");
    let out = dir
        .tsudoi(["post", "2026-04-28", "--dry-run"])
        .now("2026-03-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    let out = dir
        .tsudoi(["tick", "--dry-run"])
        .now("2026-04-28T05:50:00Z")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("POST"), "{}", out.stdout);
}

#[test]
fn a_tentative_event_needs_its_words() {
    let dir = Dir::with_series().event("2026-04-28", "date = \"2026-04-28\"\nstatus = \"tentative\"\n");
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("tentative = "), "{}", out.stderr);
}

#[test]
fn with_nothing_upcoming_the_page_says_so_instead_of_announcing_the_last_event() {
    let dir = Dir::with_series()
        .shipped_event("2025-07-08")
        .shipped_event("2026-02-17");
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(!rst.contains("参加申込方法"), "{rst}");
    assert!(rst.contains("開催\n====\n\n次回の開催は未定です。\n"), "{rst}");
    let held = rst.split("過去\n").nth(1).unwrap();
    assert!(held.contains("2026 年 2 月 17 日 15:00-17:00"), "{rst}");
    assert!(held.contains("2025 年 7 月 8 日 15:00-17:00"), "{rst}");
    assert_eq!(rst.matches("2026 年 2 月 17 日 15:00-17:00").count(), 1, "{rst}");
    valid(&rst);
}

#[test]
fn the_heading_names_the_weekday_when_the_event_asks() {
    let dir = Dir::with_series()
        .event("2026-03-03", "date = \"2026-03-03\"\nheading_weekday = true\n")
        .event("2026-02-24", "date = \"2026-02-24\"\n");
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(rst.contains("\n2026 年 3 月 3 日 (火) 15:00-17:00\n"), "{rst}");
    assert!(rst.contains("\n2026 年 2 月 24 日 15:00-17:00\n"), "{rst}");
}

#[test]
fn a_deadline_before_the_start_drives_the_page_and_the_plan() {
    let dir = Dir::new()
        .series(Series::for_fake().policy("signup_closes_after_start = \"-30m\""))
        .event("2026-03-03", "date = \"2026-03-03\"\n");
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(rst.contains("- 申込は開始 30 分前までとします\n"), "{rst}");
    let post = page(&dir, "2026-03-01T00:00:00Z", &["--format", "discord"]);
    assert!(post.contains("(開始 30 分前)"), "{post}");
    let out = dir
        .tsudoi(["--json", "show", "2026-03-03"])
        .now("2026-03-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("\"milestone\": \"signup_close\",\n      \"label\": \"sign-up close\",\n      \"local\": \"2026-03-03 14:30 JST\""),
        "{}",
        out.stdout
    );
}

#[test]
fn images_under_list_items_stay_under_them() {
    let event = "date = \"2026-03-03\"\nagenda = \"\"\"\n- 絵\n  .. image:: https://i.example/a.png\n  - 子\n- 次\n\"\"\"\n";
    let dir = Dir::with_series().event("2026-03-03", event);
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(
        rst.contains("- 絵\n\n  .. image:: https://i.example/a.png\n\n  - 子\n\n- 次\n"),
        "{rst}"
    );
    let md = page(&dir, "2026-03-01T00:00:00Z", &["--format", "markdown"]);
    assert!(
        md.contains("- 絵\n  ![](https://i.example/a.png)\n  - 子\n"),
        "{md}"
    );
}

#[test]
fn heading_adornments_follow_the_series() {
    let dir = Dir::new()
        .series(Series::shipped().series("rst_adornments = \"=-~^\""))
        .event("2026-03-03", "date = \"2026-03-03\"\n");
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(rst.starts_with("==="), "{rst}");
    assert!(rst.contains("\n概要\n----\n"), "{rst}");
    assert!(rst.contains("\n注意\n~~~~\n"), "{rst}");
    let bad = Dir::new()
        .series(Series::shipped().series("rst_adornments = \"==-~\""))
        .event("2026-03-03", "date = \"2026-03-03\"\n");
    let out = bad.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("four heading adornments"), "{}", out.stderr);
}
