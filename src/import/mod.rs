//! `tsudoi import`: an existing rst announcement page of this family becomes event files, a
//! series file and a page template. Pure: text in, texts out, and a report of every choice.

pub(crate) mod page;
pub(crate) mod round_trip;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::event::Status;
use crate::event::outline::Outline;
use crate::event::write::EventFields;
use page::{EventHeading, Line};

/// What an import produces; nothing is written yet.
pub struct Imported {
    pub series: String,
    pub template: String,
    pub events: Vec<EventFields>,
    /// What was mapped to what, one line each.
    pub mapped: Vec<String>,
    /// Lines of the page that could not be mapped: line number, text, why.
    pub unmapped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// The policy numbers and words read back from the page's fixed text.
#[derive(Debug, Default)]
struct PolicyFound {
    signup_minutes: Option<i64>,
    /// `前日 23:59` → `-1d@23:59`.
    signup_at: Option<String>,
    viewer_minutes: Option<i64>,
    stream_minutes: Option<i64>,
    keyword: Option<String>,
    role_is_date: bool,
    boosters: bool,
    avatar: bool,
}

struct EventSection {
    heading: EventHeading,
    line: usize,
    body: Vec<(usize, String)>,
    group: usize,
}

const MACROS: &str = r#"{#- Imported by `tsudoi import`: the page's fixed text. Dates, times, the role and the
    policy numbers come from the event files and tsudoi.toml. -#}
{% macro heading(e) -%}
{% if e.tentative %}{{ e.tentative }}{% else %}{{ e.date_long }}{% if e.heading_weekday %} ({{ e.weekday }}){% endif %} {{ e.time }}{% endif %}
{%- endmacro %}
{% macro body(e) %}
{% if e.body %}
{{ e.body }}
{% else %}
{{ e.notes }}

{{ e.agenda }}
{% endif %}
{% endmacro %}
"#;

/// Read `text` (an rst page); `today` splits held events from the next one.
pub fn import(text: &str, today: NaiveDate) -> Imported {
    let parsed = page::parse(text);
    let mut out = Imported {
        series: String::new(),
        template: MACROS.to_string(),
        events: Vec::new(),
        mapped: Vec::new(),
        unmapped: Vec::new(),
    };
    let (sections, fixed) = split_events(&parsed.lines);
    let next = sections
        .iter()
        .filter(|s| s.heading.date >= today && !s.heading.cancelled)
        .min_by_key(|s| s.heading.date);
    let next_group = next.map(|s| s.group);
    let next_date = next.map(|s| s.heading.date);
    let mut found = PolicyFound::default();
    let mut title = None;
    let mut wrap_until: Vec<(usize, &'static str)> = Vec::new();
    let mut group_done = Vec::new();
    for piece in fixed {
        match piece {
            Piece::Line(Line::Heading {
                level,
                title: t,
                line,
            }) => {
                while wrap_until.last().is_some_and(|(l, _)| level <= *l) {
                    let (_, close) = wrap_until.pop().expect("checked");
                    out.template.push_str(close);
                }
                let mapped = if level == 1 && title.is_none() {
                    title = Some(t.clone());
                    out.mapped
                        .push(format!("line {line}: the title → [series] title"));
                    "{{ series.title }}".to_string()
                } else {
                    fixed_line(&t, next_date, &mut found)
                };
                if t.contains("ブースト") {
                    found.boosters = true;
                    out.template
                        .push_str("{% if policy.boosters_join_without_signup %}\n");
                    wrap_until.push((level, "{% endif %}\n"));
                    out.mapped.push(format!(
                        "line {line}: the booster section → shown while boosters_join_without_signup"
                    ));
                } else if next_date.is_some() && mapped.contains("{{ event.date_long }}") {
                    out.template.push_str("{% if next and not next.tentative %}\n");
                    wrap_until.push((level, "{% endif %}\n"));
                    out.mapped.push(format!(
                        "line {line}: the sign-up section → shown while an event is scheduled"
                    ));
                }
                out.template
                    .push_str(&format!("{} {mapped}\n", "#".repeat(level.min(4))));
                if level > 4 {
                    out.unmapped.push(Skipped {
                        line,
                        text: t,
                        reason: format!(
                            "a level-{level} heading; tsudoi pages have 4 levels, written as level 4"
                        ),
                    });
                }
            }
            Piece::Line(Line::Text { text, line }) => {
                if text.contains("{{") || text.contains("{%") || text.contains("{#") {
                    out.unmapped.push(Skipped {
                        line,
                        text: text.clone(),
                        reason: "template delimiters in the text; written as raw text".into(),
                    });
                    out.template
                        .push_str(&format!("{{% raw %}}{text}{{% endraw %}}\n"));
                    continue;
                }
                out.template.push_str(&fixed_line(&text, next_date, &mut found));
                out.template.push('\n');
            }
            Piece::Group {
                group,
                level,
                trailer,
            } => {
                if group_done.contains(&group) {
                    continue;
                }
                group_done.push(group);
                let hashes = "#".repeat(level.min(4));
                if Some(group) == next_group {
                    out.template.push_str(&format!(
                        "{{% if next %}}\n{hashes} {{{{ heading(event) }}}}\n{{{{ body(event) }}}}\n{{% else %}}\n次回の開催は未定です。\n{{% endif %}}\n"
                    ));
                } else {
                    out.template.push_str(&format!(
                        "{{% for past in past %}}\n\n{hashes} {{{{ heading(past) }}}}\n{{{{ body(past) }}}}\n{{% endfor %}}\n"
                    ));
                }
                for (_, text) in trailer {
                    out.template.push_str(&fixed_line(&text, next_date, &mut found));
                    out.template.push('\n');
                }
            }
        }
    }
    while let Some((_, close)) = wrap_until.pop() {
        out.template.push_str(close);
    }
    found.avatar = text.contains("アイコン");
    for section in &sections {
        if next_group.is_some()
            && Some(section.group) == next_group
            && Some(section.heading.date) != next_date
        {
            out.unmapped.push(Skipped {
                line: section.line,
                text: section.heading.date.to_string(),
                reason: "a second event in the next event's section; the page shows one next event".into(),
            });
        }
        if section.heading.cancelled {
            out.unmapped.push(Skipped {
                line: section.line,
                text: section.heading.date.to_string(),
                reason: "a cancelled event: imported as cancelled; the page lists held events only".into(),
            });
        }
        out.events.push(event_fields(section, &mut out.unmapped));
    }
    out.mapped.push(format!(
        "{} event(s): {}",
        out.events.len(),
        out.events
            .iter()
            .map(|e| e.date.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.series = series_toml(
        title.as_deref().unwrap_or("(untitled)"),
        &out.events,
        &found,
        &parsed.styles,
        &mut out.mapped,
    );
    out
}

enum Piece {
    Line(Line),
    /// Where a run of event sections stood; `trailer` is fixed text found after its last event.
    Group {
        group: usize,
        level: usize,
        trailer: Vec<(usize, String)>,
    },
}

/// Event sections out of the page; the rest is fixed text, with a marker where each run of
/// events stood.
fn split_events(lines: &[Line]) -> (Vec<EventSection>, Vec<Piece>) {
    let mut sections: Vec<EventSection> = Vec::new();
    let mut fixed = Vec::new();
    let mut group = 0;
    let mut in_event: Option<usize> = None;
    let mut event_level = 0;
    for line in lines {
        match line {
            Line::Heading { level, title, line } => {
                if let Some(heading) = page::event_heading(title) {
                    if in_event.is_none() || *level != event_level {
                        group += 1;
                        fixed.push(Piece::Group {
                            group,
                            level: *level,
                            trailer: Vec::new(),
                        });
                    }
                    in_event = Some(sections.len());
                    event_level = *level;
                    sections.push(EventSection {
                        heading,
                        line: *line,
                        body: Vec::new(),
                        group,
                    });
                } else {
                    if let Some(last) = in_event.take() {
                        move_trailer(&mut sections[last], &mut fixed);
                    }
                    fixed.push(Piece::Line(Line::Heading {
                        level: *level,
                        title: title.clone(),
                        line: *line,
                    }));
                }
            }
            Line::Text { text, line } => match in_event {
                Some(index) => sections[index].body.push((*line, text.clone())),
                None => fixed.push(Piece::Line(Line::Text {
                    text: text.clone(),
                    line: *line,
                })),
            },
        }
    }
    if let Some(last) = in_event {
        move_trailer(&mut sections[last], &mut fixed);
    }
    (sections, fixed)
}

/// The last event of a run keeps its notes and its list; paragraphs after the list belong to
/// the page (e.g. 「これ以前のイベント内容は…」).
fn move_trailer(section: &mut EventSection, fixed: &mut [Piece]) {
    let Some(list_start) = section.body.iter().position(|(_, t)| t.starts_with("- ")) else {
        return;
    };
    let end = list_end(&section.body, list_start);
    if section.body[end..].iter().all(|(_, t)| t.trim().is_empty()) {
        return;
    }
    let trailer = section.body.split_off(end);
    if let Some(Piece::Group { trailer: slot, .. }) =
        fixed.iter_mut().rev().find(|p| matches!(p, Piece::Group { .. }))
    {
        *slot = trailer;
    }
}

/// Where a list that starts at `start` ends: the first line after a blank that is neither an
/// item nor indented.
fn list_end(body: &[(usize, String)], start: usize) -> usize {
    let mut i = start;
    while i < body.len() {
        let t = &body[i].1;
        if !(t.trim().is_empty() || t.starts_with(' ') || t.starts_with("- ") || t == "-") {
            break;
        }
        i += 1;
    }
    while i > start && body[i - 1].1.trim().is_empty() {
        i -= 1;
    }
    i
}

/// One event section as the event file's values.
fn event_fields(section: &EventSection, unmapped: &mut Vec<Skipped>) -> EventFields {
    let h = &section.heading;
    let mut fields = EventFields::draft(h.date);
    fields.status = if h.cancelled {
        Status::Cancelled
    } else {
        Status::Scheduled
    };
    fields.start = h.start;
    fields.end = h.end;
    fields.open_end = h.start.is_some() && h.end.is_none();
    fields.heading_weekday = h.weekday;
    if h.start.is_none() {
        unmapped.push(Skipped {
            line: section.line,
            text: h.date.to_string(),
            reason: "no time in the heading: the series default applies".into(),
        });
    }
    let body = trim_blank(&section.body);
    let list_start = body.iter().position(|(_, t)| t.starts_with("- "));
    let (notes, list, rest) = match list_start {
        None => (body, &[][..], &[][..]),
        Some(start) => {
            let end = list_end(body, start);
            (&body[..start], &body[start..end], &body[end..])
        }
    };
    let joined = |lines: &[(usize, String)]| -> String {
        let mut text = String::new();
        for (_, l) in trim_blank(lines) {
            text.push_str(l.trim_end());
            text.push('\n');
        }
        text
    };
    let agenda = joined(list);
    let simple = rest.iter().all(|(_, t)| t.trim().is_empty()) && Outline::parse(&agenda).is_ok();
    if simple {
        fields.notes = joined(notes);
        fields.agenda = agenda;
    } else {
        fields.body = checked_body(body, unmapped);
    }
    fields
}

/// The whole section as blocks; a line the markup cannot hold is reported and left out.
fn checked_body(body: &[(usize, String)], unmapped: &mut Vec<Skipped>) -> String {
    let mut lines: Vec<(usize, String)> = trim_blank(body).to_vec();
    for _ in 0..20 {
        let text: String = lines.iter().map(|(_, l)| format!("{}\n", l.trim_end())).collect();
        match crate::render::doc::parse(&text) {
            Ok(_) => return text,
            Err(error) => {
                let index = error.line.saturating_sub(1).min(lines.len().saturating_sub(1));
                let (line, text) = lines.remove(index);
                unmapped.push(Skipped {
                    line,
                    text,
                    reason: format!("left out of the event: {}", error.message),
                });
            }
        }
    }
    String::new()
}

fn trim_blank(lines: &[(usize, String)]) -> &[(usize, String)] {
    let start = lines
        .iter()
        .position(|(_, l)| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|(_, l)| !l.trim().is_empty())
        .map_or(start, |i| i + 1);
    &lines[start..end]
}

/// One line of fixed text with the numbers the policy drives replaced by their variables.
fn fixed_line(text: &str, next: Option<NaiveDate>, found: &mut PolicyFound) -> String {
    let mut line = text.to_string();
    if let Some(date) = next {
        let long = format!("{} 年 {} 月 {} 日", date.year(), date.month(), date.day());
        let weekday = crate::time::Language::Ja.weekday(date.weekday());
        let with_weekday = format!("{long} ({weekday})");
        if line.contains(&with_weekday) {
            line = line.replace(&with_weekday, "{{ event.date_long }} ({{ event.weekday }})");
        } else if line.contains(&long) {
            line = line.replace(&long, "{{ event.date_long }}");
        }
        let role = format!("``{date}``");
        if line.contains(&role) {
            line = line.replace(&role, "``{{ event.role }}``");
            found.role_is_date = true;
        }
    }
    if line.contains("申込") {
        if let Some((said, key)) = day_deadline(&line) {
            found.signup_at = Some(key);
            line = line.replace(&said, "{{ policy.signup_closes }}");
        } else if let Some(n) = minutes_after(&line, "開始後 ", " 分") {
            found.signup_minutes = Some(n);
            line = line.replace(
                &format!("開始後 {n} 分"),
                "開始後 {{ policy.signup_closes_after_start.minutes }} 分",
            );
        } else if let Some(n) = minutes_after(&line, "開始 ", " 分前") {
            found.signup_minutes = Some(-n);
            line = line.replace(
                &format!("開始 {n} 分前"),
                "開始 {{ policy.signup_closes_after_start.abs_minutes }} 分前",
            );
        }
    } else if line.contains("URL") {
        if let Some(n) = minutes_after(&line, "開始 ", " 分前") {
            found.viewer_minutes = Some(n);
            line = line.replace(
                &format!("開始 {n} 分前"),
                "開始 {{ policy.viewer_url_before_start.minutes }} 分前",
            );
        }
    } else if line.contains("配信")
        && let Some(n) = minutes_after(&line, "の ", " 分前")
    {
        found.stream_minutes = Some(n);
        line = line.replace(
            &format!("の {n} 分前"),
            "の {{ policy.stream_opens_before_start.minutes }} 分前",
        );
    }
    if let Some(start) = line.find("**")
        && line.contains("とメッセージ")
        && let Some(len) = line[start + 2..].find("**")
    {
        let keyword = line[start + 2..start + 2 + len].to_string();
        line = line.replacen(&format!("**{keyword}**"), "**{{ policy.keyword }}**", 1);
        found.keyword = Some(keyword);
    }
    line
}

/// `前日 23:59` / `当日 12:00` / `3 日前 18:00` in a line: the words and the policy value.
fn day_deadline(line: &str) -> Option<(String, String)> {
    for (i, _) in line.char_indices() {
        let rest = &line[i..];
        let (days, after) = if let Some(after) = rest.strip_prefix("前日 ") {
            (1, after)
        } else if let Some(after) = rest.strip_prefix("当日 ") {
            (0, after)
        } else {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            match rest[digits.len()..].strip_prefix(" 日前 ") {
                Some(after) if !digits.is_empty() => (digits.parse::<u32>().ok()?, after),
                _ => continue,
            }
        };
        let time = after.get(..5)?;
        NaiveTime::parse_from_str(time, "%H:%M").ok()?;
        let said = &rest[..rest.len() - after.len() + 5];
        let key = if days == 0 {
            format!("@{time}")
        } else {
            format!("-{days}d@{time}")
        };
        return Some((said.to_string(), key));
    }
    None
}

/// The number between `before` and `after` in `line`.
fn minutes_after(line: &str, before: &str, after: &str) -> Option<i64> {
    let at = line.find(before)? + before.len();
    let digits: String = line[at..].chars().take_while(char::is_ascii_digit).collect();
    line[at + digits.len()..].starts_with(after).then_some(())?;
    digits.parse().ok()
}

fn series_toml(
    title: &str,
    events: &[EventFields],
    found: &PolicyFound,
    styles: &[(char, bool)],
    mapped: &mut Vec<String>,
) -> String {
    let mut counts: HashMap<(NaiveTime, NaiveTime), usize> = HashMap::new();
    for e in events {
        if let (Some(s), Some(end)) = (e.start, e.end) {
            *counts.entry((s, end)).or_default() += 1;
        }
    }
    let default = counts
        .into_iter()
        .max_by_key(|((s, e), n)| (*n, std::cmp::Reverse((*s, *e))));
    let quote = |t: &str| toml::Value::String(t.to_string()).to_string();
    let mut out =
        String::from("# Imported by `tsudoi import`. `tsudoi check` validates this directory.\n\n[series]\n");
    out.push_str(&format!("title = {}\n", quote(title)));
    out.push_str("timezone = \"Asia/Tokyo\"  # not on the page: check it\nlanguage = \"ja\"\n");
    let adornments = adornments(styles);
    if adornments != crate::event::RST_ADORNMENTS {
        out.push_str(&format!("rst_adornments = {}\n", quote(&adornments)));
    }
    mapped.push(format!("heading adornments → {adornments}"));
    out.push_str("\n[defaults]\n");
    if let Some(((start, end), _)) = default {
        out.push_str(&format!(
            "start = \"{}\"\nend = \"{}\"\n",
            start.format("%H:%M"),
            end.format("%H:%M")
        ));
    }
    out.push_str("\n[policy]\n");
    let mut span = |key: &str, minutes: Option<i64>, what: &str| match minutes {
        Some(n) => {
            mapped.push(format!("{what}: {n} minutes → {key}"));
            out.push_str(&format!("{key} = \"{n}m\"\n"));
        }
        // An absolute deadline comes as the whole line.
        None if key.contains(" = ") => {
            mapped.push(format!("{what}: {key}"));
            out.push_str(&format!("{key}\n"));
        }
        None => mapped.push(format!("{what}: not stated on the page; the default applies")),
    };
    match &found.signup_at {
        Some(at) => span(&format!("signup_closes = \"{at}\""), None, "sign-up deadline"),
        None => span(
            "signup_closes_after_start",
            found.signup_minutes,
            "sign-up deadline",
        ),
    }
    span(
        "viewer_url_before_start",
        found.viewer_minutes,
        "viewer URL share",
    );
    span("stream_opens_before_start", found.stream_minutes, "stream opens");
    if let Some(keyword) = &found.keyword {
        out.push_str(&format!("signup_keywords = [{}]\n", quote(keyword)));
        mapped.push(format!("sign-up keyword → {keyword}"));
    }
    out.push_str(&format!("require_avatar = {}\n", found.avatar));
    out.push_str(&format!("boosters_join_without_signup = {}\n", found.boosters));
    if found.role_is_date {
        mapped.push("the role named on the page is the date → role_name = \"{date}\"".into());
    }
    out.push_str("role_name = \"{date}\"\ndeny_users = []\n");
    out.push_str("\n[discord]\n# Set these before `post`, `roles`, `share` or `tick`:\n# guild_id = \"...\"\n# signup_channel_id = \"...\"\n# share_channel_id = \"...\"\n");
    out
}

/// The page's heading characters by level; levels it does not use keep tsudoi's.
fn adornments(styles: &[(char, bool)]) -> String {
    let mut chars: Vec<char> = styles.iter().map(|(c, _)| *c).take(4).collect();
    for c in crate::event::RST_ADORNMENTS.chars() {
        if chars.len() < 4 && !chars.contains(&c) {
            chars.push(c);
        }
    }
    for c in ['^', '"', '+', '*'] {
        if chars.len() < 4 && !chars.contains(&c) {
            chars.push(c);
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_numbers_become_variables_and_are_read_back() {
        let mut found = PolicyFound::default();
        let next = NaiveDate::from_ymd_opt(2026, 2, 17);
        let line = fixed_line("- 申込は開始後 30 分までとします", next, &mut found);
        assert_eq!(
            line,
            "- 申込は開始後 {{ policy.signup_closes_after_start.minutes }} 分までとします"
        );
        let line = fixed_line(
            "今回は ``2026-02-17`` というロールが付与されます。",
            next,
            &mut found,
        );
        assert_eq!(line, "今回は ``{{ event.role }}`` というロールが付与されます。");
        let line = fixed_line("2026 年 2 月 17 日 (火) のイベント", next, &mut found);
        assert_eq!(line, "{{ event.date_long }} ({{ event.weekday }}) のイベント");
        assert_eq!((found.signup_minutes, found.role_is_date), (Some(30), true));
    }

    #[test]
    fn day_deadlines_in_words() {
        assert_eq!(
            day_deadline("- 申込は前日 23:59 までとします"),
            Some(("前日 23:59".into(), "-1d@23:59".into()))
        );
        assert_eq!(
            day_deadline("申込は 3 日前 18:00 まで"),
            Some(("3 日前 18:00".into(), "-3d@18:00".into()))
        );
        assert_eq!(day_deadline("申込は当日 12:00 まで").unwrap().1, "@12:00");
        assert_eq!(day_deadline("申込は開始後 30 分まで"), None);
    }

    #[test]
    fn text_after_the_last_list_of_a_run_is_the_pages() {
        let page = "過去\n====\n\n2024 年 10 月 8 日 19:00-20:30\n------------------------------\n\n- a\n\nこれ以前はこちら。\n";
        let imported = import(page, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(imported.events[0].agenda, "- a\n");
        assert!(
            imported.template.contains("{% endfor %}\n\nこれ以前はこちら。\n"),
            "{}",
            imported.template
        );
    }
}
