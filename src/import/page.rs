//! Reading an rst announcement page of this family: headings and their adornments, and the
//! event sections (`2026 年 2 月 17 日 (火) 15:00-17:00`, `20:00~`).

use chrono::{NaiveDate, NaiveTime};

/// One line of the page, or a heading made of two or three lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Heading {
        level: usize,
        title: String,
        /// 1-based line number of the title.
        line: usize,
    },
    Text {
        text: String,
        line: usize,
    },
}

/// The page's lines, headings recognised, and the adornment of each level (1 = first seen).
pub struct Page {
    pub lines: Vec<Line>,
    /// `(character, overlined)` per level, in the order the page first uses them.
    pub styles: Vec<(char, bool)>,
}

fn rule(line: &str) -> Option<char> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    let punctuation = first.is_ascii_punctuation();
    (punctuation && line.chars().count() >= 2 && line.chars().all(|c| c == first)).then_some(first)
}

pub fn parse(text: &str) -> Page {
    let raw: Vec<&str> = text.lines().collect();
    let mut lines = Vec::new();
    let mut styles: Vec<(char, bool)> = Vec::new();
    let mut level_of = |style: (char, bool)| match styles.iter().position(|s| *s == style) {
        Some(i) => i + 1,
        None => {
            styles.push(style);
            styles.len()
        }
    };
    let mut i = 0;
    while i < raw.len() {
        let over = rule(raw[i]);
        let title_line = raw.get(i + 1).copied().unwrap_or("");
        if let Some(c) = over
            && !title_line.trim().is_empty()
            && rule(title_line).is_none()
            && raw.get(i + 2).and_then(|l| rule(l)) == Some(c)
        {
            lines.push(Line::Heading {
                level: level_of((c, true)),
                title: title_line.trim().to_string(),
                line: i + 2,
            });
            i += 3;
            continue;
        }
        let line = raw[i];
        let under = raw.get(i + 1).and_then(|l| rule(l));
        if let Some(c) = under
            && !line.trim().is_empty()
            && !line.starts_with(' ')
            && rule(line).is_none()
            && !line.starts_with("- ")
        {
            lines.push(Line::Heading {
                level: level_of((c, false)),
                title: line.trim().to_string(),
                line: i + 1,
            });
            i += 2;
            continue;
        }
        lines.push(Line::Text {
            text: line.trim_end().to_string(),
            line: i + 1,
        });
        i += 1;
    }
    Page { lines, styles }
}

/// What an event heading says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventHeading {
    pub date: NaiveDate,
    pub weekday: bool,
    pub start: Option<NaiveTime>,
    /// `None` with a start: open-ended (`20:00~`).
    pub end: Option<NaiveTime>,
    pub cancelled: bool,
}

/// `2026 年 2 月 17 日 (火) 15:00-17:00`, `2023 年 4 月 18 日 19:00-20:30`, `… 20:00~`,
/// with `(中止)` / `中止` anywhere after the time for a cancelled one.
pub fn event_heading(title: &str) -> Option<EventHeading> {
    let mut rest = title.trim();
    let number = |rest: &mut &str, unit: &str| -> Option<u32> {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = rest[digits.len()..].trim_start().strip_prefix(unit)?;
        *rest = after.trim_start();
        digits.parse().ok()
    };
    let year = number(&mut rest, "年")?;
    let month = number(&mut rest, "月")?;
    let day = number(&mut rest, "日")?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let mut weekday = false;
    for open in ["(", "（"] {
        if let Some(after) = rest.strip_prefix(open) {
            let close = after.find([')', '）'])?;
            let inside = &after[..close];
            if inside.chars().count() == 1 && "月火水木金土日".contains(inside) {
                weekday = true;
                rest = after[close..].trim_start_matches([')', '）']).trim_start();
            }
        }
    }
    let time = |text: &str| NaiveTime::parse_from_str(text, "%H:%M").ok();
    let token: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':' || *c == '-' || *c == '~' || *c == '〜')
        .collect();
    let after = rest[token.len()..].trim();
    let (start, end) = if token.is_empty() {
        (None, None)
    } else if let Some(start) = token.strip_suffix('~').or_else(|| token.strip_suffix('〜')) {
        (Some(time(start)?), None)
    } else {
        let (start, end) = token.split_once('-')?;
        (Some(time(start)?), Some(time(end)?))
    };
    let cancelled = after.contains("中止");
    if !(after.is_empty() || cancelled) {
        return None;
    }
    Some(EventHeading {
        date,
        weekday,
        start,
        end,
        cancelled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_the_family() {
        let h = event_heading("2026 年 2 月 17 日 (火) 15:00-17:00").unwrap();
        assert!(h.weekday && h.end.is_some() && !h.cancelled);
        let h = event_heading("2023 年 4 月 18 日 20:00~").unwrap();
        assert!(!h.weekday && h.start.is_some() && h.end.is_none());
        let h = event_heading("2023 年 4 月 18 日 19:00-20:30 (中止)").unwrap();
        assert!(h.cancelled);
        assert_eq!(
            event_heading("2026 年 2 月 17 日 (火) のイベントへの参加申込方法"),
            None
        );
        assert_eq!(event_heading("開催"), None);
    }

    #[test]
    fn adornments_in_order_of_use() {
        let page = parse("####\nT\n####\n\nA\n==\n\nB\n--\n\ntext\n");
        assert_eq!(page.styles, [('#', true), ('=', false), ('-', false)]);
        assert!(matches!(&page.lines[0], Line::Heading { level: 1, title, line: 2 } if title == "T"));
    }
}
