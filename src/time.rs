//! Wall-clock times in the series zone, turned into instants through the IANA database.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

/// The language of a series: weekday names and the default texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ja,
    En,
}

impl Language {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ja" => Some(Self::Ja),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }

    pub fn weekday(self, day: Weekday) -> &'static str {
        const JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let index = day.num_days_from_monday() as usize;
        match self {
            Self::Ja => JA[index],
            Self::En => EN[index],
        }
    }

    /// `2026-02-17 (火)`: the weekday is always computed, never typed.
    pub fn date_with_weekday(self, date: NaiveDate) -> String {
        format!("{date} ({})", self.weekday(date.weekday()))
    }
}

/// Why a date or a time of day did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WallClockError {
    #[error("`{0}` is not a date; write it as YYYY-MM-DD, e.g. `2026-02-17`")]
    DateFormat(String),
    #[error("{0} is not a day of the calendar")]
    NoSuchDate(String),
    #[error("`{0}` is not a time of day; write it as HH:MM (24-hour), e.g. `15:00`")]
    TimeFormat(String),
}

pub fn parse_date(text: &str) -> Result<NaiveDate, WallClockError> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(WallClockError::DateFormat(text.to_string()));
    }
    // Shaped, so plain digits: cheaper than a format string, and `tick` runs this on every
    // file name of the directory.
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let year = i32::try_from(number(0..4)).expect("four digits");
    NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
        .ok_or_else(|| WallClockError::NoSuchDate(text.into()))
}

pub fn parse_time(text: &str) -> Result<NaiveTime, WallClockError> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 5
        && bytes[2] == b':'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    if !shaped {
        return Err(WallClockError::TimeFormat(text.to_string()));
    }
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| WallClockError::TimeFormat(text.into()))
}

/// A wall-clock time that the zone's clocks skip (spring forward) has no instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{local} does not exist in {zone}: the clocks skip that hour (daylight saving time)")]
pub struct SkippedTime {
    pub local: NaiveDateTime,
    pub zone: Tz,
}

/// The instant of a wall-clock time in `zone`. A repeated time (clocks fall back) is the
/// earlier of its two instants, the one people mean when they say "at 1:30" that night.
pub fn instant(zone: Tz, date: NaiveDate, time: NaiveTime) -> Result<DateTime<Tz>, SkippedTime> {
    let local = date.and_time(time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier),
        LocalResult::None => Err(SkippedTime { local, zone }),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_date(text).unwrap()
    }

    fn time(text: &str) -> NaiveTime {
        parse_time(text).unwrap()
    }

    #[test]
    fn tokyo_has_no_daylight_saving() {
        let at = instant(chrono_tz::Asia::Tokyo, date("2026-02-17"), time("15:00")).unwrap();
        assert_eq!(at.with_timezone(&Utc).to_rfc3339(), "2026-02-17T06:00:00+00:00");
    }

    #[test]
    fn new_york_across_spring_forward_2026_03_08() {
        let zone = chrono_tz::America::New_York;
        let before = instant(zone, date("2026-03-07"), time("15:00")).unwrap();
        let after = instant(zone, date("2026-03-08"), time("15:00")).unwrap();
        assert_eq!(
            before.with_timezone(&Utc).to_rfc3339(),
            "2026-03-07T20:00:00+00:00"
        );
        assert_eq!(
            after.with_timezone(&Utc).to_rfc3339(),
            "2026-03-08T19:00:00+00:00"
        );
        // 23 hours between two 15:00s: the day that loses an hour.
        assert_eq!((after - before).num_hours(), 23);
        let skipped = instant(zone, date("2026-03-08"), time("02:30")).unwrap_err();
        assert_eq!(
            skipped.to_string(),
            "2026-03-08 02:30:00 does not exist in America/New_York: the clocks skip that hour (daylight saving time)"
        );
    }

    #[test]
    fn new_york_fall_back_takes_the_earlier_instant() {
        let zone = chrono_tz::America::New_York;
        let at = instant(zone, date("2026-11-01"), time("01:30")).unwrap();
        assert_eq!(at.with_timezone(&Utc).to_rfc3339(), "2026-11-01T05:30:00+00:00");
    }

    #[test]
    fn dates_read_as_chrono_reads_them() {
        let cases = [
            "0000-01-01",
            "2023-02-29",
            "2024-02-29",
            "2026-00-10",
            "2026-13-01",
            "2026-12-31",
            "2026-04-31",
            "2026-01-00",
            "9999-12-31",
            "1970-01-01",
        ];
        for text in cases {
            let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(parse_date(text).ok(), chrono, "{text}");
        }
    }

    #[test]
    fn dates_and_times_are_strict() {
        assert_eq!(
            parse_date("2026-02-30"),
            Err(WallClockError::NoSuchDate("2026-02-30".into()))
        );
        assert!(parse_date("2024-02-29").is_ok());
        assert_eq!(
            parse_date("2026-2-3"),
            Err(WallClockError::DateFormat("2026-2-3".into()))
        );
        assert_eq!(
            parse_time("24:00"),
            Err(WallClockError::TimeFormat("24:00".into()))
        );
        assert_eq!(parse_time("3pm"), Err(WallClockError::TimeFormat("3pm".into())));
        assert_eq!(parse_time("09:05"), Ok(NaiveTime::from_hms_opt(9, 5, 0).unwrap()));
    }

    #[test]
    fn weekdays_are_computed() {
        assert_eq!(
            Language::Ja.date_with_weekday(date("2026-02-17")),
            "2026-02-17 (火)"
        );
        assert_eq!(
            Language::Ja.date_with_weekday(date("2026-05-22")),
            "2026-05-22 (金)"
        );
        assert_eq!(
            Language::En.date_with_weekday(date("2026-05-22")),
            "2026-05-22 (Fri)"
        );
    }
}
