//! `announce --format ics`: the calendar feed, read back with a real iCalendar parser.

use chrono::{DateTime, TimeZone, Utc};
use icalendar::parser::{Component, read_calendar, unfold};

use crate::util::{Dir, Series};

const VIEWER_URL: &str = "https://viewer.example/live/s3cr3t-token";

/// The shipped `events/`, copied: the feed writes its memory into the directory's ledger.
fn shipped() -> (Dir, String) {
    let dir = Dir::new().with_shipped_events();
    // A developer's own runs may have left a ledger in events/: the copy starts without one.
    let _ = std::fs::remove_dir_all(dir.path().join("events/.state"));
    let events = dir.path().join("events").to_str().unwrap().to_string();
    (dir, events)
}

fn feed(dir: &str, now: &str, args: &[&str]) -> String {
    let mut all = vec!["--dir", dir, "--now", now, "announce", "--format", "ics"];
    all.extend_from_slice(args);
    let out = crate::util::tsudoi(all)
        .env("SHIGURADIO_VIEWER_URL", VIEWER_URL)
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// RFC 5545 §3.1: every line ends in CRLF and is at most 75 octets, each valid UTF-8 alone.
fn assert_content_lines(text: &str) {
    assert!(text.ends_with("\r\n"), "the last line ends in CRLF");
    for line in text.as_bytes().split_inclusive(|b| *b == b'\n') {
        let body = line
            .strip_suffix(b"\r\n")
            .unwrap_or_else(|| panic!("a line without CRLF: {:?}", String::from_utf8_lossy(line)));
        assert!(
            !body.contains(&b'\r') && !body.contains(&b'\n'),
            "a bare CR or LF"
        );
        assert!(
            body.len() <= 75,
            "{} octets: {:?}",
            body.len(),
            String::from_utf8_lossy(body)
        );
        std::str::from_utf8(body).expect("a fold split a UTF-8 sequence");
    }
}

fn events<'a>(components: &'a [Component<'a>]) -> Vec<&'a Component<'a>> {
    components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect()
}

fn prop(component: &Component<'_>, name: &str) -> String {
    component
        .find_prop(name)
        .unwrap_or_else(|| panic!("no {name} in {}", component.name.as_str()))
        .val
        .as_str()
        .to_string()
}

/// A DATE-TIME in UTC form (`…Z`), as the parsed calendar gives it.
fn instant(component: &Component<'_>, name: &str) -> DateTime<Utc> {
    let property = component.find_prop(name).unwrap();
    assert!(
        property.params.is_empty(),
        "{name} carries no TZID: it is a UTC instant"
    );
    let value = property.val.as_str();
    let naive = chrono::NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
        .unwrap_or_else(|e| panic!("{name}:{value}: {e}"));
    Utc.from_utc_datetime(&naive)
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

#[test]
fn the_shipped_feed_parses_and_holds_every_event() {
    let (_dir, events_dir) = shipped();
    let text = feed(&events_dir, "2026-02-10T00:00:00Z", &["--all"]);
    assert_content_lines(&text);
    let unfolded = unfold(&text);
    let calendar = read_calendar(&unfolded).expect("the feed is iCalendar");
    let head = |name: &str| {
        calendar
            .properties
            .iter()
            .find(|p| p.name.as_str() == name)
            .map(|p| p.val.as_str().to_string())
    };
    assert_eq!(head("VERSION").as_deref(), Some("2.0"));
    assert_eq!(head("CALSCALE").as_deref(), Some("GREGORIAN"));
    assert_eq!(head("METHOD").as_deref(), Some("PUBLISH"));
    assert!(head("PRODID").is_some());
    let vevents = events(&calendar.components);
    let uids: Vec<String> = vevents.iter().map(|e| prop(e, "UID")).collect();
    assert_eq!(
        uids,
        [
            "2022-12-06@shiguradio",
            "2023-04-18@shiguradio",
            "2024-01-16@shiguradio",
            "2024-07-09@shiguradio",
            "2025-07-08@shiguradio",
            "2026-02-17@shiguradio"
        ]
    );
    for event in &vevents {
        for name in ["DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "SUMMARY", "DESCRIPTION"] {
            prop(event, name);
        }
        assert_eq!(prop(event, "STATUS"), "CONFIRMED");
        assert_eq!(
            prop(event, "DTSTAMP"),
            "20260210T000000Z",
            "from --now, not the clock"
        );
        let alarm = &event.components[0];
        assert_eq!(alarm.name.as_str(), "VALARM");
        assert_eq!(prop(alarm, "ACTION"), "DISPLAY");
        assert_eq!(
            prop(alarm, "TRIGGER"),
            "-PT15M",
            "the viewer URL is shared 15 minutes before"
        );
    }
    // 15:00-17:00 in Asia/Tokyo (UTC+9, no DST) is 06:00-08:00 UTC.
    let last = vevents.last().unwrap();
    assert_eq!(instant(last, "DTSTART"), utc("2026-02-17T15:00:00+09:00"));
    assert_eq!(instant(last, "DTEND"), utc("2026-02-17T17:00:00+09:00"));
    assert_eq!(instant(vevents[0], "DTSTART"), utc("2022-12-06T19:00:00+09:00"));
    // The sign-up rules, from the policy, unescaped by the parser's reading of TEXT.
    let description = icalendar::parser::ParseString::from(prop(last, "DESCRIPTION"))
        .unescape_text()
        .as_str()
        .to_string();
    assert!(description.contains("「参加します」"), "{description}");
    assert!(
        description.contains("締切: 2026-02-17 15:30 (Asia/Tokyo)"),
        "{description}"
    );
    assert!(description.contains("ロール: 2026-02-17"), "{description}");
}

#[test]
fn the_typed_reader_sees_the_same_instants() {
    use icalendar::{CalendarComponent, CalendarDateTime, Component as _, DatePerhapsTime};
    let (_dir, events_dir) = shipped();
    let text = feed(&events_dir, "2026-02-10T00:00:00Z", &["2026-02-17"]);
    let calendar: icalendar::Calendar = text.parse().expect("the feed parses");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 1, "one event asked for, one VEVENT");
    let event = events[0];
    assert_eq!(event.get_uid(), Some("2026-02-17@shiguradio"));
    assert_eq!(event.get_sequence(), Some(0));
    assert_eq!(
        event.get_start(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(utc(
            "2026-02-17T06:00:00Z"
        ))))
    );
    assert_eq!(
        event.get_end(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(utc(
            "2026-02-17T08:00:00Z"
        ))))
    );
    assert_eq!(
        event.get_summary(),
        Some("時雨堂 不定期オンライン雑談配信 (SHIGURADIO)")
    );
}

#[test]
fn a_dst_zone_gets_the_right_instants_on_both_sides_of_the_change() {
    // America/New_York moves from EST (UTC-5) to EDT (UTC-4) at 02:00 on 2026-03-08.
    let series = Series::shipped().series("timezone = \"America/New_York\"\nlanguage = \"en\"");
    let dir = Dir::new()
        .series(series)
        .event("2026-03-06", "date = \"2026-03-06\"\n")
        .event(
            "2026-03-08",
            "date = \"2026-03-08\"\nstart = \"01:30\"\nend = \"03:30\"\n",
        )
        .event("2026-03-10", "date = \"2026-03-10\"\n");
    let text = feed(dir.path().to_str().unwrap(), "2026-03-01T00:00:00Z", &["--all"]);
    assert_content_lines(&text);
    let unfolded = unfold(&text);
    let calendar = read_calendar(&unfolded).unwrap();
    let vevents = events(&calendar.components);
    let span = |i: usize| (instant(vevents[i], "DTSTART"), instant(vevents[i], "DTEND"));
    assert_eq!(
        span(0),
        (utc("2026-03-06T20:00:00Z"), utc("2026-03-06T22:00:00Z"))
    );
    // 01:30 EST to 03:30 EDT: one hour of the night does not exist, so the event lasts one hour.
    assert_eq!(
        span(1),
        (utc("2026-03-08T06:30:00Z"), utc("2026-03-08T07:30:00Z"))
    );
    assert_eq!(
        span(2),
        (utc("2026-03-10T19:00:00Z"), utc("2026-03-10T21:00:00Z"))
    );
    let description = prop(vevents[2], "DESCRIPTION");
    assert!(
        description.contains("Deadline: 2026-03-10 15:30 (America/New_York)"),
        "{description}"
    );
}

/// The ledger-backed fields of one event's feed: (SEQUENCE, LAST-MODIFIED, DTSTAMP, STATUS).
fn revision(dir: &Dir, now: &str) -> (String, String, String, String, bool) {
    let text = feed(dir.path().to_str().unwrap(), now, &["2026-02-17"]);
    let unfolded = unfold(&text);
    let calendar = read_calendar(&unfolded).unwrap();
    let event = events(&calendar.components)[0].clone();
    let has_alarm = event.components.iter().any(|c| c.name.as_str() == "VALARM");
    (
        prop(&event, "SEQUENCE"),
        prop(&event, "LAST-MODIFIED"),
        prop(&event, "DTSTAMP"),
        prop(&event, "STATUS"),
        has_alarm,
    )
}

fn edit(dir: &Dir, from: &str, to: &str) {
    let path = dir.path().join("2026-02-17.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_sequence_grows_when_times_or_status_change_and_not_otherwise() {
    let dir = Dir::with_series().shipped_event("2026-02-17");
    let first = revision(&dir, "2026-02-01T00:00:00Z");
    let stamp = |s: &str| s.to_string();
    assert_eq!(
        first,
        (
            stamp("0"),
            stamp("20260201T000000Z"),
            stamp("20260201T000000Z"),
            stamp("CONFIRMED"),
            true
        )
    );
    // Nothing changed: the same text, however often it is written (a published feed does not churn).
    let text_a = feed(
        dir.path().to_str().unwrap(),
        "2026-02-02T00:00:00Z",
        &["2026-02-17"],
    );
    let text_b = feed(
        dir.path().to_str().unwrap(),
        "2026-02-03T00:00:00Z",
        &["2026-02-17"],
    );
    assert_eq!(text_a, text_b);
    assert_eq!(revision(&dir, "2026-02-04T00:00:00Z"), first);

    // An agenda edit: the feed does not show the agenda, so nothing in it changes.
    edit(&dir, "  - shiguredo/http11-rs", "  - shiguredo/http11-rs (v1)");
    assert_eq!(revision(&dir, "2026-02-05T00:00:00Z"), first);

    // A new title: a new LAST-MODIFIED, the same SEQUENCE.
    edit(
        &dir,
        "date = \"2026-02-17\"",
        "date = \"2026-02-17\"\ntitle = \"SHIGURADIO 特別回\"",
    );
    let titled = revision(&dir, "2026-02-05T12:00:00Z");
    assert_eq!((titled.0.as_str(), titled.1.as_str()), ("0", "20260205T120000Z"));

    // New times: SEQUENCE 1.
    edit(&dir, "start = \"15:00\"", "start = \"16:00\"");
    let moved = revision(&dir, "2026-02-06T00:00:00Z");
    assert_eq!((moved.0.as_str(), moved.1.as_str()), ("1", "20260206T000000Z"));
    assert_eq!(
        revision(&dir, "2026-02-07T00:00:00Z"),
        moved,
        "seen once, counted once"
    );

    // Cancelled: SEQUENCE 2, STATUS:CANCELLED, and no reminder.
    edit(
        &dir,
        "date = \"2026-02-17\"",
        "date = \"2026-02-17\"\nstatus = \"cancelled\"",
    );
    let cancelled = revision(&dir, "2026-02-08T00:00:00Z");
    assert_eq!(
        cancelled,
        (
            stamp("2"),
            stamp("20260208T000000Z"),
            stamp("20260208T000000Z"),
            stamp("CANCELLED"),
            false
        )
    );
}

#[test]
fn the_feed_never_holds_the_viewer_url() {
    let (dir, events_dir) = shipped();
    let text = feed(&events_dir, "2026-02-17T05:50:00Z", &["--all"]);
    assert!(!text.contains("s3cr3t"), "{text}");
    assert!(!text.contains("viewer.example"), "{text}");
    let ledger = std::fs::read_to_string(dir.path().join("events/.state/2026-02-17.toml")).unwrap();
    assert!(!ledger.contains("s3cr3t"), "{ledger}");
}

#[test]
fn drafts_stay_out_and_cancelled_events_stay_in() {
    let dir = Dir::with_series()
        .shipped_event("2026-02-17")
        .event("2026-03-03", "date = \"2026-03-03\"\nstatus = \"draft\"\n")
        .event("2026-03-10", "date = \"2026-03-10\"\nstatus = \"cancelled\"\n");
    let path = dir.path().to_str().unwrap();
    let text = feed(path, "2026-02-01T00:00:00Z", &["--all"]);
    assert!(!text.contains("2026-03-03@"), "{text}");
    let unfolded = unfold(&text);
    let calendar = read_calendar(&unfolded).unwrap();
    let statuses: Vec<(String, String)> = events(&calendar.components)
        .iter()
        .map(|e| (prop(e, "UID"), prop(e, "STATUS")))
        .collect();
    assert_eq!(
        statuses,
        [
            ("2026-02-17@shiguradio".to_string(), "CONFIRMED".to_string()),
            ("2026-03-10@shiguradio".to_string(), "CANCELLED".to_string())
        ]
    );
    let out = dir
        .tsudoi(["announce", "--format", "ics", "2026-03-03"])
        .now("2026-02-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("`2026-03-03` is a draft; drafts are not put in calendars"),
        "{}",
        out.stderr
    );
    let out = dir
        .tsudoi(["announce", "--all"])
        .now("2026-02-01T00:00:00Z")
        .run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("--all is for the calendar feed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_long_japanese_title_folds_between_characters() {
    let title = "時雨堂の技術雑談スペシャル：WebRTC・QUIC・MOQT・Rust・Python・Erlang を全部語る二時間、質問歓迎；途中参加も自由";
    let dir = Dir::with_series().event(
        "2026-02-17",
        &format!("date = \"2026-02-17\"\ntitle = \"{title}\"\n"),
    );
    let text = feed(
        dir.path().to_str().unwrap(),
        "2026-02-01T00:00:00Z",
        &["2026-02-17"],
    );
    assert_content_lines(&text);
    let unfolded = unfold(&text);
    let calendar = read_calendar(&unfolded).unwrap();
    let summary = prop(events(&calendar.components)[0], "SUMMARY");
    let summary = icalendar::parser::ParseString::from(summary)
        .unescape_text()
        .as_str()
        .to_string();
    assert_eq!(summary, title);
}

#[test]
fn the_page_url_and_the_calendar_link() {
    let series = Series::shipped().series(
        "page_url = \"https://example.org/shiguradio/\"\ncalendar_url = \"https://example.org/shiguradio.ics\"",
    );
    let dir = Dir::new().series(series).shipped_event("2026-02-17");
    let text = feed(
        dir.path().to_str().unwrap(),
        "2026-02-01T00:00:00Z",
        &["2026-02-17"],
    );
    let unfolded = unfold(&text);
    assert!(
        unfolded.contains("\r\nURL:https://example.org/shiguradio/\r\n"),
        "{unfolded}"
    );
    let page = dir.tsudoi(["announce"]).now("2026-02-01T00:00:00Z").run();
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(
        page.stdout
            .contains(":カレンダー: `カレンダーに追加 <https://example.org/shiguradio.ics>`_"),
        "{}",
        page.stdout
    );
    let english = Dir::new()
        .series(
            Series::shipped()
                .series("language = \"en\"\ncalendar_url = \"https://example.org/shiguradio.ics\""),
        )
        .shipped_event("2026-02-17");
    let page = english.tsudoi(["announce"]).now("2026-02-01T00:00:00Z").run();
    assert!(
        page.stdout
            .contains(":Calendar: `Add to your calendar <https://example.org/shiguradio.ics>`_"),
        "{}",
        page.stdout
    );
    let without = Dir::with_series().shipped_event("2026-02-17");
    let page = without.tsudoi(["announce"]).now("2026-02-01T00:00:00Z").run();
    assert!(!page.stdout.contains("カレンダー"), "{}", page.stdout);
    let bad = Dir::new()
        .series(Series::shipped().series("calendar_url = \"example.org/feed.ics\""))
        .shipped_event("2026-02-17");
    let out = bad.tsudoi(["check"]).run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("is not an http(s) address"), "{}", out.stderr);
}

#[test]
fn the_feed_is_written_beside_the_page() {
    let (dir, events_dir) = shipped();
    std::fs::create_dir(dir.path().join("site")).unwrap();
    let target = dir.path().join("site/shiguradio.ics");
    let out = crate::util::tsudoi([
        "--dir",
        &events_dir,
        "--now",
        "2026-02-10T00:00:00Z",
        "announce",
        "--format",
        "ics",
        "--all",
        "-o",
        target.to_str().unwrap(),
    ])
    .cwd(dir.path())
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("(6 events)"), "{}", out.stderr);
    let written = std::fs::read_to_string(target).unwrap();
    assert!(written.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(written.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn json_names_the_events_and_carries_the_feed() {
    let (_dir, events_dir) = shipped();
    let text = feed(&events_dir, "2026-02-10T00:00:00Z", &["--all"]);
    let out = crate::util::tsudoi([
        "--dir",
        &events_dir,
        "--now",
        "2026-02-10T00:00:00Z",
        "--json",
        "announce",
        "--format",
        "ics",
        "--all",
    ])
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ids = [
        "2022-12-06",
        "2023-04-18",
        "2024-01-16",
        "2024-07-09",
        "2025-07-08",
        "2026-02-17",
    ];
    assert_eq!(
        out.json(),
        serde_json::json!({ "version": 1, "format": "ics", "events": ids, "text": text })
    );
}
