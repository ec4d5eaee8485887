//! What happens when, for one event. Pure: the instant `now` is always given.

pub mod timeline;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::event::{Event, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    ViewerUrl,
    StreamOpens,
    Start,
    SignupClose,
    End,
}

impl Milestone {
    pub fn label(self) -> &'static str {
        match self {
            Self::ViewerUrl => "URL share",
            Self::StreamOpens => "stream opens",
            Self::Start => "start",
            Self::SignupClose => "sign-up close",
            Self::End => "end",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub milestone: Milestone,
    pub at: DateTime<Tz>,
}

/// Every milestone of the event, in time order (ties in a fixed order).
pub fn timeline(event: &Event) -> Vec<Moment> {
    let mut moments = vec![
        Moment {
            milestone: Milestone::ViewerUrl,
            at: event.viewer_url_at(),
        },
        Moment {
            milestone: Milestone::StreamOpens,
            at: event.stream_opens_at(),
        },
        Moment {
            milestone: Milestone::Start,
            at: event.starts_at,
        },
        Moment {
            milestone: Milestone::SignupClose,
            at: event.signup_closes_at(),
        },
        Moment {
            milestone: Milestone::End,
            at: event.ends_at,
        },
    ];
    moments.sort_by_key(|m| (m.at, m.milestone));
    moments
}

/// The next milestone after `now`; none for drafts, cancelled or finished events.
pub fn next(event: &Event, now: DateTime<Utc>) -> Option<Moment> {
    if event.status != Status::Scheduled {
        return None;
    }
    timeline(event).into_iter().find(|m| m.at > now)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(zone: Tz, date: &str, start: &str, end: &str) -> Event {
        crate::event::sample(zone, date, start, end)
    }

    #[test]
    fn milestones_follow_the_policy() {
        let e = event(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        let utc: Vec<String> = timeline(&e)
            .iter()
            .map(|m| m.at.with_timezone(&Utc).format("%H:%M").to_string())
            .collect();
        assert_eq!(utc, ["05:45", "05:55", "06:00", "06:30", "08:00"]);
    }

    #[test]
    fn next_is_strictly_after_now() {
        let e = event(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        let at = |h, m| Utc.with_ymd_and_hms(2026, 2, 17, h, m, 0).unwrap();
        assert_eq!(next(&e, at(5, 0)).unwrap().milestone, Milestone::ViewerUrl);
        assert_eq!(next(&e, at(5, 45)).unwrap().milestone, Milestone::StreamOpens);
        assert_eq!(next(&e, at(6, 10)).unwrap().milestone, Milestone::SignupClose);
        assert_eq!(next(&e, at(8, 0)), None);
    }

    #[test]
    fn dst_day_in_new_york() {
        // 2026-03-08: clocks spring forward at 02:00; a 15:00 start is 19:00 UTC, not 20:00.
        let e = event(chrono_tz::America::New_York, "2026-03-08", "15:00", "17:00");
        let share = timeline(&e)[0].at.with_timezone(&Utc);
        assert_eq!(share.to_rfc3339(), "2026-03-08T18:45:00+00:00");
    }

    #[test]
    fn drafts_have_no_next_milestone() {
        let mut e = event(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        e.status = Status::Draft;
        assert_eq!(next(&e, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()), None);
    }
}
