//! The one writer of event files: an event's values as the TOML text a person edits next.
//! `create` and `init` write through it (and `import` and a reschedule will), so every event
//! file tsudoi writes has one layout and loads back as the values it was given.

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveTime};

use super::{Status, ViewerUrlSource};
use crate::discord::Snowflake;

/// The values of one event file, as written: the event's own keys, not the series defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    pub date: NaiveDate,
    /// `None`: the key is left out and the series default applies.
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub title: Option<String>,
    pub status: Status,
    /// A file path is written as given: relative paths are read from the event file's folder.
    pub viewer_url: Option<ViewerUrlSource>,
    pub notes: String,
    /// The agenda outline as source (`- ` items nested by two spaces).
    pub agenda: String,
    /// Blocks in tsudoi markup; when set, `notes` and `agenda` are written only if not empty.
    pub body: String,
    /// `end = ""`: no end time (`20:00~`).
    pub open_end: bool,
    pub heading_weekday: bool,
    /// The page's words for a date not fixed yet (with `Status::Tentative`).
    pub tentative: Option<String>,
    pub post_id: Option<Snowflake>,
}

impl EventFields {
    /// A draft on `date` with every other key left out or empty.
    pub fn draft(date: NaiveDate) -> Self {
        Self {
            date,
            start: None,
            end: None,
            title: None,
            status: Status::Draft,
            viewer_url: None,
            notes: String::new(),
            agenda: String::new(),
            body: String::new(),
            open_end: false,
            heading_weekday: false,
            tentative: None,
            post_id: None,
        }
    }
}

/// What the file says around the values, for the person who edits it next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Lines that open the file, each written after `# `.
    pub header: Vec<String>,
    /// The series' default times, shown commented out where the event leaves its own out.
    pub default_start: Option<NaiveTime>,
    pub default_end: Option<NaiveTime>,
}

/// The comment above `key`: its description in the key table the schemas use too.
fn help(out: &mut String, key: &str) {
    comment(
        out,
        crate::schema::keys::doc(crate::schema::keys::Table::Event, key),
    );
}

/// The event file's text.
pub fn to_toml(event: &EventFields, comments: &Comments) -> String {
    let mut out = String::new();
    for line in &comments.header {
        comment(&mut out, line);
    }
    if !comments.header.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "date = \"{}\"", event.date);
    time_key(&mut out, "start", event.start, comments.default_start);
    if event.open_end {
        out.push_str("end = \"\"  # no end: the page shows `start~`\n");
    } else {
        time_key(&mut out, "end", event.end, comments.default_end);
    }
    if event.heading_weekday {
        out.push_str("heading_weekday = true\n");
    }
    if let Some(title) = &event.title {
        key(&mut out, "title", title);
    }
    match &event.viewer_url {
        Some(ViewerUrlSource::Env(name)) => key(&mut out, "viewer_url_env", name),
        // tsudoi reads paths from TOML text, so the ones it holds are UTF-8.
        Some(ViewerUrlSource::File(path)) => key(&mut out, "viewer_url_file", &path.to_string_lossy()),
        None => {}
    }
    help(&mut out, "status");
    let _ = writeln!(out, "status = \"{}\"", status_name(event.status));
    if let Some(tentative) = &event.tentative {
        key(&mut out, "tentative", tentative);
    }
    out.push('\n');
    if event.body.is_empty() || !event.notes.is_empty() {
        let _ = writeln!(out, "notes = {}\n", multi_line(&event.notes));
    }
    if event.body.is_empty() || !event.agenda.is_empty() {
        help(&mut out, "agenda");
        let _ = writeln!(out, "agenda = {}", multi_line(&event.agenda));
    }
    if !event.body.is_empty() {
        help(&mut out, "body");
        let _ = writeln!(out, "body = {}", multi_line(&event.body));
    }
    if let Some(post_id) = &event.post_id {
        out.push_str("\n[discord]\n");
        key(&mut out, "post_id", &post_id.to_string());
    }
    out
}

/// `line` as comment lines: a line break in it starts another comment line, and control
/// characters, which TOML refuses in comments, show as U+FFFD.
fn comment(out: &mut String, line: &str) {
    for part in line.split(['\n', '\r']) {
        let part: String = part
            .chars()
            .map(|c| if refused_raw(c) { '\u{fffd}' } else { c })
            .collect();
        let _ = writeln!(out, "# {part}");
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Tentative => "tentative",
        Status::Scheduled => "scheduled",
        Status::Cancelled => "cancelled",
    }
}

/// `start = "19:00"`, or the series default commented out, or nothing.
fn time_key(out: &mut String, key: &str, own: Option<NaiveTime>, default: Option<NaiveTime>) {
    match (own, default) {
        (Some(t), _) => {
            let _ = writeln!(out, "{key} = \"{}\"", t.format("%H:%M"));
        }
        (None, Some(t)) => {
            let _ = writeln!(out, "# {key} = \"{}\"  (the series default)", t.format("%H:%M"));
        }
        (None, None) => {}
    }
}

fn key(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {}", one_line(value));
}

/// A TOML basic string on one line: quotes, backslashes and control characters escaped.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            _ => escape_common(c, &mut out),
        }
    }
    out.push('"');
    out
}

/// A TOML multi-line basic string that reads like the text: lines stay lines; a backslash,
/// a control character other than tab and line feed, and every third quote in a row are
/// escaped, so neither `"""` nor a line-ending backslash can end or fold the text.
fn multi_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str("\"\"\"\n");
    let mut quotes = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A quote just before the closing `"""` would read as part of it, too.
            '"' if quotes == 2 || chars.peek().is_none() => {
                out.push_str("\\\"");
                quotes = 0;
                continue;
            }
            '"' => out.push('"'),
            '\n' => out.push('\n'),
            _ => escape_common(c, &mut out),
        }
        quotes = if c == '"' { quotes + 1 } else { 0 };
    }
    out.push_str("\"\"\"");
    out
}

/// Control characters TOML refuses unescaped in strings and comments: all but tab.
fn refused_raw(c: char) -> bool {
    (c < ' ' && c != '\t') || c == '\u{7f}'
}

/// What both kinds of basic string escape: the backslash and control characters. Tab stays.
fn escape_common(c: char, out: &mut String) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\r' => out.push_str("\\r"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c if refused_raw(c) => {
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::event::Series;
    use crate::event::file::EventFile;
    use crate::event::load::resolve_text;
    use crate::event::outline::MAX_DEPTH;
    use crate::event::resolve::{self, Problems};
    use crate::event::source::Source;

    const TRICKY: &[&str] = &[
        "",
        "plain",
        "no newline at the end",
        "two lines\nand a newline\n",
        "\nstarts with a newline",
        "\n\n",
        "say \"hi\"",
        "\"quoted at both ends\"",
        "ends with two quotes \"\"",
        "three \"\"\" in a row",
        "\"\"\"",
        "\"\"\"\"\"\"\"",
        "a\"\"\n\"b",
        "back\\slash \\n not a newline",
        "a backslash at the end of a line \\\nnext",
        "ends with a backslash \\",
        "trailing spaces   \n  and tabs\t\n",
        "windows\r\nline ends\r\n",
        "a lone \r carriage return",
        "bell \u{7} nul \u{0} escape \u{1b} delete \u{7f} next-line \u{85}",
        "form \u{c} feed and back \u{8} space",
        "日本語の「引用」と　全角スペース　",
        "emoji 🎉 and a zero-width joiner 👩\u{200d}💻",
        "'''single''' quotes",
        "# not a comment\nkey = \"not a key\"",
    ];

    fn fields() -> EventFields {
        EventFields::draft(NaiveDate::from_ymd_opt(2026, 2, 17).unwrap())
    }

    fn parse(text: &str) -> EventFile {
        toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn series() -> Series {
        let text = "[series]\ntitle = \"T\"\ntimezone = \"Asia/Tokyo\"\n[defaults]\nstart = \"15:00\"\nend = \"17:00\"\n";
        let source = Source { text: text.into() };
        let path = Path::new("events/tsudoi.toml");
        let mut problems = Problems::new(path, &source);
        resolve::series(path, &source, source.parse(path).unwrap(), &mut problems).unwrap()
    }

    #[test]
    fn tricky_text_loads_back_exactly() {
        for text in TRICKY {
            let event = EventFields {
                title: Some((*text).to_string()),
                viewer_url: Some(ViewerUrlSource::File(PathBuf::from(*text))),
                notes: (*text).to_string(),
                agenda: (*text).to_string(),
                ..fields()
            };
            let written = to_toml(&event, &Comments::default());
            let file = parse(&written);
            let got = |value: Option<crate::event::file::Text>| value.map(|v| v.into_inner());
            assert_eq!(got(file.notes).as_deref(), Some(*text), "notes:\n{written}");
            assert_eq!(got(file.agenda).as_deref(), Some(*text), "agenda:\n{written}");
            assert_eq!(got(file.title).as_deref(), Some(*text), "title:\n{written}");
            assert_eq!(got(file.viewer_url_file).as_deref(), Some(*text), "{written}");
        }
    }

    #[test]
    fn a_header_stays_a_comment_whatever_it_holds() {
        let comments = Comments {
            header: vec!["line\ndate = \"2000-01-01\"\r\u{1}\u{7f}\tend".into()],
            ..Comments::default()
        };
        let written = to_toml(&fields(), &comments);
        let expected = "# line\n# date = \"2000-01-01\"\n# \u{fffd}\u{fffd}\tend\n\ndate = \"2026-02-17\"\n";
        assert!(written.starts_with(expected), "{written}");
        assert_eq!(parse(&written).date.into_inner(), "2026-02-17");
    }

    #[test]
    fn notes_and_agenda_stay_readable_blocks() {
        let event = EventFields {
            notes: "「引用」 say \"hi\"   \n".into(),
            agenda: "- a \\ b\n  - \"\"\" <https://example.com/>\n".into(),
            ..fields()
        };
        let written = to_toml(&event, &Comments::default());
        assert!(
            written.contains("notes = \"\"\"\n「引用」 say \"hi\"   \n\"\"\"\n"),
            "{written}"
        );
        assert!(
            written.contains("agenda = \"\"\"\n- a \\\\ b\n  - \"\"\\\" <https://example.com/>\n\"\"\"\n"),
            "{written}"
        );
    }

    #[test]
    fn every_key_in_its_place() {
        let event = EventFields {
            start: Some(NaiveTime::from_hms_opt(19, 0, 0).unwrap()),
            title: Some("特別回".into()),
            status: Status::Scheduled,
            viewer_url: Some(ViewerUrlSource::Env("VIEWER_URL".into())),
            notes: "Notes.\n".into(),
            agenda: "- Item\n".into(),
            post_id: Some("123456789012345678".parse().unwrap()),
            ..fields()
        };
        let comments = Comments {
            header: vec!["An event.".into(), "Second line.".into()],
            default_start: NaiveTime::from_hms_opt(15, 0, 0),
            default_end: NaiveTime::from_hms_opt(17, 0, 0),
        };
        assert_eq!(
            to_toml(&event, &comments),
            r#"# An event.
# Second line.

date = "2026-02-17"
start = "19:00"
# end = "17:00"  (the series default)
title = "特別回"
viewer_url_env = "VIEWER_URL"
# draft: nothing is announced or posted. Set "scheduled" when ready; "cancelled" calls it off.
status = "scheduled"

notes = """
Notes.
"""

# One `- ` item per line, nested by two spaces; `title <https://...>` is a link.
agenda = """
- Item
"""

[discord]
post_id = "123456789012345678"
"#
        );
    }

    #[test]
    fn writing_then_loading_gives_the_same_event() {
        let series = series();
        let path = Path::new("events/2026-02-17.toml");
        let agenda = "- 近況 \"quoted\" and \\ a backslash\n  - three \"\"\" quotes <https://example.com/a?b=\"c\">\n    - 日本語\n- Questions\n";
        for status in [Status::Draft, Status::Scheduled, Status::Cancelled] {
            let event = EventFields {
                start: NaiveTime::from_hms_opt(19, 30, 0),
                end: NaiveTime::from_hms_opt(21, 0, 0),
                title: Some("特別回 \"\\ 2\" '''".into()),
                status,
                viewer_url: Some(ViewerUrlSource::File("secret/url.txt".into())),
                notes: "trailing spaces   \n\"\"\"quotes\"\"\" and \\backslashes\\\n全角　スペース".into(),
                agenda: agenda.into(),
                post_id: Some("123456789012345678".parse().unwrap()),
                ..fields()
            };
            let text = to_toml(&event, &Comments::default());
            let loaded = resolve_text("2026-02-17", path, text.clone(), &series)
                .unwrap_or_else(|problems| panic!("{problems:?}\n{text}"));
            assert_eq!(loaded.date, event.date);
            assert_eq!(Some(loaded.start), event.start);
            assert_eq!(Some(loaded.end), event.end);
            assert_eq!(loaded.title, event.title);
            assert_eq!(loaded.status, status);
            assert_eq!(loaded.notes, event.notes);
            assert_eq!(loaded.agenda.to_source(MAX_DEPTH), agenda);
            assert_eq!(
                loaded.viewer_url,
                Some(ViewerUrlSource::File("events/secret/url.txt".into()))
            );
            assert_eq!(loaded.post_id, event.post_id);
        }
    }

    #[test]
    fn left_out_times_take_the_series_defaults() {
        let series = series();
        let text = to_toml(&fields(), &Comments::default());
        let loaded = resolve_text("2026-02-17", Path::new("2026-02-17.toml"), text, &series).unwrap();
        assert_eq!((Some(loaded.start), Some(loaded.end)), (series.start, series.end));
        assert_eq!(loaded.viewer_url, None);
        assert_eq!(loaded.post_id, None);
    }
}
