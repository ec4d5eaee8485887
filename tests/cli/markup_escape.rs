//! Markup from event files stays in its place: titles are one line, directives that read files
//! or pass raw output are refused unless the series allows them, Markdown passes no raw HTML,
//! and a Discord masked link keeps its real destination.

use crate::util::{Dir, Series, scrub, shipped_series};

const NOW: &str = "2026-03-01T00:00:00Z";

fn series_with(extra: &str) -> String {
    Series::shipped().series(extra).text()
}

fn directory(series: &str, event: &str) -> Dir {
    Dir::new()
        .file("tsudoi.toml", series)
        .file("2026-03-03.toml", &format!("date = \"2026-03-03\"\n{event}"))
}

fn announce(dir: &Dir, format: &str) -> crate::util::Output {
    dir.tsudoi(["--now", NOW, "announce", "2026-03-03", "--format", format])
        .run()
}

#[test]
fn a_title_with_a_line_break_is_a_located_error_and_nothing_renders() {
    // Edited as text, not with `Series`: the diagnostic's line and column are the shipped file's.
    let series = shipped_series().replace(
        "title = \"時雨堂 不定期オンライン雑談配信 (SHIGURADIO)\"",
        "title = \"SHIGURADIO\\n\\n.. include:: /etc/passwd\"",
    );
    let dir = directory(&series, "");
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(
        scrub(&out.stderr, &dir).contains("DIR/tsudoi.toml:5:9: error: the title spans several lines"),
        "{}",
        out.stderr
    );
    let page = announce(&dir, "rst");
    assert_eq!((page.code, page.stdout.as_str()), (1, ""));

    let dir = directory(&shipped_series(), "title = \"\"\"\nA\n# Injected\"\"\"\n");
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(
        scrub(&out.stderr, &dir).contains("DIR/2026-03-03.toml:2:9: error: the title spans several lines"),
        "{}",
        out.stderr
    );
    let post = announce(&dir, "discord");
    assert_eq!((post.code, post.stdout.as_str()), (1, ""));
}

#[test]
fn an_include_in_the_notes_is_refused_before_it_reaches_the_page() {
    let notes = "notes = \"\"\"\n前置き\n\n.. include:: /etc/passwd\n\"\"\"\n";
    let dir = directory(&shipped_series(), notes);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    let stderr = scrub(&out.stderr, &dir);
    assert!(
        stderr
            .contains("DIR/2026-03-03.toml:5:1: error: notes: the `include` directive reads a file or a URL"),
        "{stderr}"
    );
    assert!(
        stderr.contains("allow_rst_directives = [\"include\"]"),
        "{stderr}"
    );
    for format in ["rst", "markdown", "discord", "text"] {
        let page = announce(&dir, format);
        assert_eq!(page.code, 1, "{format}");
        assert!(!page.stdout.contains("/etc/passwd"), "{format}: {}", page.stdout);
    }
}

#[test]
fn raw_and_file_options_are_refused_unless_the_series_allows_them() {
    let notes =
        "notes = \"\"\"\n.. raw:: html\n\n.. csv-table:: t\n   :url: https://evil.example/x.csv\n\"\"\"\n";
    let dir = directory(&shipped_series(), notes);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("the `raw` directive passes raw output"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("the `csv-table` directive reads"),
        "{}",
        out.stderr
    );

    let allowed = directory(
        &series_with("allow_rst_directives = [\"raw\", \"csv-table\"]\n"),
        notes,
    );
    let out = allowed.tsudoi(["check"]).run();
    assert!(!out.stderr.contains("directive passes"), "{}", out.stderr);
    assert!(!out.stderr.contains("directive reads"), "{}", out.stderr);

    let typo = directory(&series_with("allow_rst_directive = [\"raw\"]\n"), "");
    let out = typo.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("allow_rst_directives"), "{}", out.stderr);
}

#[test]
fn markdown_escapes_raw_html_from_event_text() {
    let notes = "notes = \"\"\"\n<script>alert(1)</script> & <b>bold</b>\n\"\"\"\n";
    let dir = directory(&shipped_series(), notes);
    let page = announce(&dir, "markdown");
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(
        page.stdout
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"),
        "{}",
        page.stdout
    );
    assert!(!page.stdout.contains("<script>"));
}

#[test]
fn a_masked_link_in_discord_text_keeps_its_destination() {
    let notes = "notes = \"\"\"\n[x](https://evil.example) と (詳細 https://a.example/p)\n\"\"\"\n";
    let dir = directory(&shipped_series(), notes);
    let post = announce(&dir, "discord");
    assert_eq!(post.code, 0, "{}", post.stderr);
    assert!(
        post.stdout
            .contains("\\[x\\](<https://evil.example>) と (詳細 <https://a.example/p>)"),
        "{}",
        post.stdout
    );
    assert!(!post.stdout.contains(".example)>"), "{}", post.stdout);
}

#[test]
fn link_text_that_names_another_url_is_a_warning() {
    let agenda = "agenda = \"\"\"\n- https://good.example/login <https://evil.example/login>\n- good.example <https://good.example/>\n\"\"\"\n";
    let dir = directory(&shipped_series(), agenda);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stderr = scrub(&out.stderr, &dir);
    assert!(
        stderr.contains(
            "DIR/2026-03-03.toml:3:3: warning: agenda: the link text `https://good.example/login` looks like a URL but the link goes to https://evil.example/login"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning: agenda").count(), 1, "{stderr}");
}

#[test]
fn an_include_in_an_agenda_item_is_refused_too() {
    let agenda = "agenda = \"\"\"\n- 資料\n  - .. include:: /etc/passwd\n\"\"\"\n";
    let dir = directory(&shipped_series(), agenda);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(
        scrub(&out.stderr, &dir).contains(
            "DIR/2026-03-03.toml:4:5: error: agenda: the `include` directive reads a file or a URL"
        ),
        "{}",
        out.stderr
    );
    let page = announce(&dir, "rst");
    assert_eq!((page.code, page.stdout.as_str()), (1, ""));
}
