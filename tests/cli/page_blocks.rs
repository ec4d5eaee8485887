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
    assert!(
        out.stderr.contains("not valid tsudoi markup") && out.stderr.contains("indented by 3 spaces"),
        "{}",
        out.stderr
    );
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
    let list = dir.tsudoi(["list"]).now("2026-03-01T00:00:00Z").run();
    assert!(list.stdout.contains("┆ 20:00~      ┆"), "{}", list.stdout);
    let show = dir
        .tsudoi(["show", "2026-03-03"])
        .now("2026-03-01T00:00:00Z")
        .run();
    assert!(
        show.stdout.contains("20:00~ Asia/Tokyo (open end)"),
        "{}",
        show.stdout
    );
    valid(&rst);
}

#[test]
fn a_tentative_event_shows_its_words_and_is_never_posted() {
    let event = "date = \"2026-04-28\"\nstatus = \"tentative\"\ntentative = \"4 月末の予定\"\n";
    let dir = Dir::new().series(Series::for_fake()).event("2026-04-28", event);
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(rst.contains("開催\n====\n\n4 月末の予定\n"), "{rst}");
    assert!(!rst.contains("参加申込方法"), "{rst}");
    let list = dir.tsudoi(["list"]).now("2026-03-01T00:00:00Z").run();
    assert!(list.stdout.contains("┆ tentative ┆"), "{}", list.stdout);
    let out = dir
        .tsudoi(["post", "2026-04-28", "--dry-run"])
        .now("2026-03-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("`2026-04-28` is tentative (its date is not fixed); nothing was sent"),
        "{}",
        out.stderr
    );
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

const ARCHIVE: &str = "# 過去のイベント (2024 年以前)\n{% for past in past %}\n\n## {{ past.date_long }} {{ past.time }}\n\n{{ past.notes }}\n\n{{ past.agenda }}\n{% endfor %}\n";

fn with_archive() -> Dir {
    let pages = "[[pages]]\nname = \"main\"\ntemplate = \"page.j2\"\noutput = \"index.rst\"\nheld_since = \"2024-01-01\"\n\n[[pages]]\nname = \"archive\"\ntemplate = \"archive.j2\"\noutput = \"old/archive.rst\"\nheld_before = \"2024-01-01\"\n";
    let series = format!("{}\n{pages}", Series::shipped().text());
    Dir::new()
        .file("tsudoi.toml", &series)
        .file("templates/archive.j2", ARCHIVE)
        .shipped_event("2022-12-06")
        .shipped_event("2023-04-18")
        .shipped_event("2024-07-09")
        .shipped_event("2026-02-17")
}

#[test]
fn a_page_holds_the_events_its_entry_chooses() {
    let dir = with_archive();
    let archive = page(&dir, "2026-02-01T00:00:00Z", &["--page", "archive"]);
    assert!(archive.contains("2023 年 4 月 18 日 19:00-20:30"), "{archive}");
    assert!(archive.contains("2022 年 12 月 6 日 19:00-20:30"), "{archive}");
    assert!(!archive.contains("2024 年 7 月 9 日"), "{archive}");
    valid(&archive);
    let main = page(&dir, "2026-02-01T00:00:00Z", &["--page", "main"]);
    assert!(main.contains("2024 年 7 月 9 日 15:00-17:00"), "{main}");
    assert!(!main.contains("2023 年 4 月 18 日"), "{main}");
    let out = dir
        .tsudoi(["announce", "--page", "nope"])
        .now("2026-02-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("no page named `nope`"), "{}", out.stderr);
    assert!(out.stderr.contains("main, archive"), "{}", out.stderr);
}

#[test]
fn all_pages_are_written_into_the_folder() {
    let dir = with_archive();
    let out_dir = dir.path().join("site");
    let out = dir
        .tsudoi(["announce", "--all-pages", "-o", out_dir.to_str().unwrap()])
        .now("2026-02-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let index = std::fs::read_to_string(out_dir.join("index.rst")).unwrap();
    let archive = std::fs::read_to_string(out_dir.join("old/archive.rst")).unwrap();
    assert!(
        index.contains("2026 年 2 月 17 日 (火) のイベントへの参加申込方法"),
        "{index}"
    );
    assert!(archive.starts_with("###"), "{archive}");
    assert!(archive.contains("2022 年 12 月 6 日"), "{archive}");
}

#[test]
fn a_page_whose_template_is_missing_names_the_file_to_write() {
    let series = format!(
        "{}\n[[pages]]\nname = \"archive\"\ntemplate = \"archive.j2\"\noutput = \"a.rst\"\n",
        Series::shipped().text()
    );
    let dir = Dir::new()
        .file("tsudoi.toml", &series)
        .shipped_event("2026-02-17");
    let out = dir
        .tsudoi(["announce", "--page", "archive"])
        .now("2026-02-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("templates/archive.j2"), "{}", out.stderr);
}

#[test]
fn an_absolute_deadline_the_day_before_drives_the_page_and_the_times() {
    let series = Series::for_fake().text().replace(
        "signup_closes_after_start = \"30m\"",
        "signup_closes = \"-1d@23:59\"",
    );
    let dir = Dir::new()
        .file("tsudoi.toml", &series)
        .event("2026-03-03", "date = \"2026-03-03\"\n");
    let rst = page(&dir, "2026-03-01T00:00:00Z", &[]);
    assert!(rst.contains("- 申込は前日 23:59 までとします\n"), "{rst}");
    let out = dir
        .tsudoi(["show", "2026-03-03"])
        .now("2026-03-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("until 23:59 the day before the event"),
        "{}",
        out.stdout
    );
    let out = dir
        .tsudoi(["--json", "show", "2026-03-03"])
        .now("2026-03-01T00:00:00Z")
        .run();
    assert!(
        out.stdout.contains("\"local\": \"2026-03-02 23:59 JST\""),
        "{}",
        out.stdout
    );
    let both = Dir::new()
        .series(
            Series::shipped().policy("signup_closes = \"-1d@23:59\"\nsignup_closes_after_start = \"10m\""),
        )
        .event("2026-03-03", "date = \"2026-03-03\"\n");
    let out = both.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("both `signup_closes` and"), "{}", out.stderr);
}

#[test]
fn check_reports_markup_that_does_not_close_in_a_body() {
    let event = "date = \"2026-03-03\"\nbody = \"\"\"\nまず ``docker run `` を実行します。\n\"\"\"\n";
    let dir = Dir::with_series().event("2026-03-03", event);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let stderr = crate::util::scrub(&out.stderr, &dir);
    assert!(
        stderr.contains("DIR/2026-03-03.toml:3:4: error: body: ``docker run `` does not close"),
        "{stderr}"
    );
}
