//! `SEQUENCE` and `LAST-MODIFIED` from the ledger: what the feed last published of an event,
//! compared with what it would publish now.

use chrono::{DateTime, Utc};

use crate::state::CalendarRecord;

/// The record for an event that would now be published with `schedule` (start, end, status)
/// and `content` (everything else): `SEQUENCE` grows only with the schedule (RFC 5545
/// §3.8.7.4), `LAST-MODIFIED` moves with any change, and nothing moves when nothing changed.
pub fn revise(
    previous: Option<&CalendarRecord>,
    schedule: &str,
    content: &str,
    now: DateTime<Utc>,
) -> CalendarRecord {
    let record = |sequence| CalendarRecord {
        schedule: schedule.to_string(),
        content: content.to_string(),
        sequence,
        modified: now,
    };
    match previous {
        None => record(0),
        Some(p) if p.schedule != schedule => record(p.sequence.saturating_add(1)),
        Some(p) if p.content != content => record(p.sequence),
        Some(p) => p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 1, hour, 0, 0).unwrap()
    }

    #[test]
    fn the_sequence_grows_with_the_schedule_only() {
        let first = revise(None, "06:00/08:00/scheduled", "a", at(1));
        assert_eq!((first.sequence, first.modified), (0, at(1)));
        let same = revise(Some(&first), "06:00/08:00/scheduled", "a", at(2));
        assert_eq!(same, first, "nothing changed: nothing moves");
        let agenda = revise(Some(&first), "06:00/08:00/scheduled", "b", at(3));
        assert_eq!((agenda.sequence, agenda.modified), (0, at(3)));
        let moved = revise(Some(&agenda), "07:00/09:00/scheduled", "b", at(4));
        assert_eq!((moved.sequence, moved.modified), (1, at(4)));
        let cancelled = revise(Some(&moved), "07:00/09:00/cancelled", "b", at(5));
        assert_eq!(cancelled.sequence, 2);
    }
}
