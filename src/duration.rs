//! Policy durations as people write them: `30m`, `15m`, `1h30m`, `7d`, `90s`.

use std::fmt;

use chrono::TimeDelta;

/// A non-negative span of time written in days, hours, minutes and seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    seconds: i64,
}

/// Why a duration did not parse; the message is shown to the organizer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("a duration cannot be empty; write e.g. `30m`, `1h30m` or `7d`")]
    Empty,
    #[error("`{0}` is missing a unit after its number; write e.g. `{0}m` for minutes")]
    MissingUnit(String),
    #[error("`{unit}` is not a unit; use d (days), h (hours), m (minutes) or s (seconds)")]
    UnknownUnit { unit: String },
    #[error("expected a number before `{0}`; write e.g. `30m`, `1h30m` or `7d`")]
    MissingNumber(char),
    #[error("units must go from largest to smallest, each once (`1h30m`, not `30m1h`)")]
    OutOfOrder,
    #[error("the duration is too long; the longest is 365d")]
    TooLong,
}

const UNITS: [(char, i64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];
const MAX_SECONDS: i64 = 365 * 86_400;

impl Span {
    pub const fn from_minutes(minutes: i64) -> Self {
        Self {
            seconds: minutes * 60,
        }
    }

    #[cfg(test)]
    pub const fn from_seconds(seconds: i64) -> Self {
        Self { seconds }
    }

    pub fn seconds(self) -> i64 {
        self.seconds
    }

    /// Whole minutes, as the page states them ("開始後 30 分まで").
    pub fn minutes(self) -> i64 {
        self.seconds / 60
    }

    pub fn delta(self) -> TimeDelta {
        TimeDelta::seconds(self.seconds)
    }

    /// A span that may be negative, written with a leading `-` (`-30m`: 30 minutes before).
    pub fn parse_signed(text: &str) -> Result<Self, SpanError> {
        match text.trim().strip_prefix('-') {
            Some(rest) => Self::parse(rest).map(|span| Self {
                seconds: -span.seconds,
            }),
            None => Self::parse(text),
        }
    }

    pub fn parse(text: &str) -> Result<Self, SpanError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SpanError::Empty);
        }
        let mut seconds: i64 = 0;
        let mut number = String::new();
        let mut last_unit = None;
        for c in text.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let Some(rank) = UNITS.iter().position(|(u, _)| *u == c.to_ascii_lowercase()) else {
                return Err(SpanError::UnknownUnit { unit: c.to_string() });
            };
            if number.is_empty() {
                return Err(SpanError::MissingNumber(c));
            }
            if last_unit.is_some_and(|last| rank <= last) {
                return Err(SpanError::OutOfOrder);
            }
            last_unit = Some(rank);
            let value: i64 = number.parse().map_err(|_| SpanError::TooLong)?;
            seconds = value
                .checked_mul(UNITS[rank].1)
                .and_then(|s| s.checked_add(seconds))
                .ok_or(SpanError::TooLong)?;
            number.clear();
        }
        if !number.is_empty() {
            return Err(SpanError::MissingUnit(number));
        }
        if seconds > MAX_SECONDS {
            return Err(SpanError::TooLong);
        }
        Ok(Self { seconds })
    }
}

impl fmt::Display for Span {
    /// The canonical form: `1h30m`, `7d`, `0m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("0m");
        }
        if self.seconds < 0 {
            f.write_str("-")?;
        }
        let mut rest = self.seconds.abs();
        for (unit, size) in UNITS {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// "3d 4h", "45m", "1m 5s": the two largest units, for "URL share in 3d 4h".
pub fn humanize(delta: TimeDelta) -> String {
    let total = delta.num_seconds().abs();
    if total < 60 {
        return format!("{total}s");
    }
    let parts: Vec<String> = UNITS
        .iter()
        .scan(total, |rest, (unit, size)| {
            let n = *rest / size;
            *rest %= size;
            Some((n, unit))
        })
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_organizers_write() {
        let cases = [
            ("30m", 1_800),
            ("15m", 900),
            ("5m", 300),
            ("1h30m", 5_400),
            ("7d", 604_800),
            ("90s", 90),
            ("2h", 7_200),
            ("1d2h3m4s", 93_784),
            (" 45m ", 2_700),
            ("0m", 0),
            ("1H", 3_600),
        ];
        for (text, seconds) in cases {
            assert_eq!(Span::parse(text), Ok(Span::from_seconds(seconds)), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_ambiguous_or_wrong() {
        let cases = [
            ("", SpanError::Empty),
            ("30", SpanError::MissingUnit("30".into())),
            ("30 m", SpanError::UnknownUnit { unit: " ".into() }),
            ("30min", SpanError::UnknownUnit { unit: "i".into() }),
            ("m", SpanError::MissingNumber('m')),
            ("30m1h", SpanError::OutOfOrder),
            ("1h1h", SpanError::OutOfOrder),
            ("-5m", SpanError::UnknownUnit { unit: "-".into() }),
            ("366d", SpanError::TooLong),
            ("99999999999999999999d", SpanError::TooLong),
        ];
        for (text, error) in cases {
            assert_eq!(Span::parse(text), Err(error), "{text}");
        }
    }

    #[test]
    fn displays_canonically() {
        for (seconds, text) in [(5_400, "1h30m"), (604_800, "7d"), (0, "0m"), (61, "1m1s")] {
            assert_eq!(Span::from_seconds(seconds).to_string(), text);
        }
    }

    #[test]
    fn humanizes_two_largest_units() {
        let cases = [
            (3 * 86_400 + 4 * 3_600 + 59, "3d 4h"),
            (2_700, "45m"),
            (3_600, "1h"),
            (3_660, "1h 1m"),
            (65, "1m 5s"),
            (12, "12s"),
            (86_400 + 30, "1d"),
            (-2_700, "45m"),
        ];
        for (seconds, text) in cases {
            assert_eq!(humanize(TimeDelta::seconds(seconds)), text, "{seconds}");
        }
    }
}
