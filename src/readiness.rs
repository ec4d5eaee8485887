//! Whether the next events are ready: what would stop an action on the event day, found days
//! ahead so there is time to fix it. `check`, `plan` and `doctor` show these as warnings.

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::duration::humanize;
use crate::event::{Event, Status, ViewerUrlSource};
use crate::schedule::timeline::Action;
use crate::state::{Ledger, Outcome};
use crate::viewer_url;

/// Without `announce_before_start`, problems with an event are worth a warning this far ahead.
pub const DEFAULT_LEAD: TimeDelta = TimeDelta::days(7);

/// One problem with an event that is near, and its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub event: String,
    pub path: PathBuf,
    pub message: String,
    pub fix: String,
}

/// From when an event's problems are warned about: a day before its post is due
/// (`announce_before_start` + 1 day before the start), else a week before it starts.
pub fn warn_from(event: &Event) -> DateTime<Tz> {
    let lead = event
        .policy
        .announce_before_start
        .map_or(DEFAULT_LEAD, |before| before.delta() + TimeDelta::days(1));
    event.starts_at - lead
}

/// A scheduled event that has not ended and is within its warning window.
pub fn is_near(event: &Event, now: DateTime<Utc>) -> bool {
    event.status == Status::Scheduled && !event.has_ended(&now) && now >= warn_from(event)
}

/// The problems of a near event (none for the others): no event post recorded when one is
/// needed, and a viewer URL that cannot be read. `env` looks up an environment variable.
pub fn warnings(
    event: &Event,
    ledger: &Ledger,
    now: DateTime<Utc>,
    env: impl Fn(&str) -> Option<String>,
) -> Vec<Warning> {
    if !is_near(event, now) {
        return Vec::new();
    }
    let url = viewer_url::load(event, env)
        .err()
        .map(|error| warning(event, now, error.to_string(), error.hint().unwrap_or_default()));
    post_warning(event, ledger, now).into_iter().chain(url).collect()
}

/// No event post where one is needed: none by hand, none recorded, none that `tick` will
/// still make on its own.
pub fn post_warning(event: &Event, ledger: &Ledger, now: DateTime<Utc>) -> Option<Warning> {
    lacks_post(event, ledger, now).then(|| {
        let fix = format!(
            "run `tsudoi post {}`, or set `post_id` under `[discord]` in {} for a post made by hand",
            event.id,
            event.path.display()
        );
        warning(event, now, "no event post is recorded".into(), fix)
    })
}

fn warning(event: &Event, now: DateTime<Utc>, problem: String, fix: String) -> Warning {
    let when = match event.starts_at.to_utc() - now {
        left if left > TimeDelta::zero() => format!("starts in {}", humanize(left)),
        _ => "has started".to_string(),
    };
    Warning {
        event: event.id.clone(),
        path: event.path.clone(),
        message: format!("`{}` {when}: {problem}", event.id),
        fix,
    }
}

/// No post by hand, none recorded, and none that `tick` will still make on its own.
fn lacks_post(event: &Event, ledger: &Ledger, now: DateTime<Utc>) -> bool {
    let recorded = ledger
        .get(Action::Post.key())
        .is_some_and(|r| r.outcome == Outcome::Done);
    let tick_posts_later = event
        .policy
        .announce_before_start
        .is_some_and(|before| now < event.starts_at - before.delta());
    event.post_id.is_none() && !recorded && !tick_posts_later
}

/// Whether a viewer URL problem is only a missing environment variable, which may be set
/// where tsudoi runs from cron or CI rather than in this shell.
pub fn only_env_missing(event: &Event, env: impl Fn(&str) -> Option<String>) -> bool {
    match &event.viewer_url {
        Some(ViewerUrlSource::Env(name)) => env(name).is_none_or(|v| v.trim().is_empty()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::duration::Span;

    fn event() -> Event {
        let mut event = crate::event::sample(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        event.viewer_url = Some(ViewerUrlSource::Env("URL".into()));
        event
    }

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, d, 6, 0, 0).unwrap()
    }

    #[test]
    fn a_week_ahead_without_an_automatic_post() {
        let e = event();
        assert!(warnings(&e, &Ledger::default(), day(9), |_| None).is_empty());
        let near = warnings(&e, &Ledger::default(), day(14), |_| None);
        let messages: Vec<&str> = near.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`2026-02-17` starts in 3d: no event post is recorded",
                "`2026-02-17` starts in 3d: the viewer URL is not set: the environment variable `URL` is empty or missing"
            ]
        );
        assert!(
            warnings(&e, &Ledger::default(), day(14), |_| Some(
                "https://x.example/".into()
            ))
            .len()
                == 1
        );
    }

    #[test]
    fn a_day_before_the_automatic_post_which_is_not_missing_until_due() {
        let mut e = event();
        e.policy.announce_before_start = Some(Span::parse("2d").unwrap());
        let url = |_: &str| Some("https://x.example/".to_string());
        assert!(!is_near(&e, day(13)));
        assert!(is_near(&e, day(14)));
        assert!(warnings(&e, &Ledger::default(), day(14), url).is_empty());
        assert_eq!(warnings(&e, &Ledger::default(), day(16), url).len(), 1);
    }
}
