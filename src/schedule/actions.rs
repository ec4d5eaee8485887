//! The timed actions of an event and whether each is due: pure, from the event, its ledger
//! and `now`. Late is better than never, until it is pointless.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::event::{Event, Status};
use crate::state::{Ledger, Outcome};

/// Without an automatic post, role grants may start this long before the event (a post made
/// by hand can be that early); `tick` reads no event further ahead.
pub const ROLES_LEAD: chrono::TimeDelta = chrono::TimeDelta::days(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Post,
    Roles,
    RolesFinal,
    Share,
    Onair,
    Close,
}

impl Action {
    /// The name in the ledger, in output and in nonces.
    pub fn key(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::Roles => "roles",
            Self::RolesFinal => "roles-final",
            Self::Share => "share",
            Self::Onair => "onair",
            Self::Close => "close",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Post => "event post",
            Self::Roles => "role grants",
            Self::RolesFinal => "final role grants",
            Self::Share => "URL share",
            Self::Onair => "on-air notice",
            Self::Close => "sign-ups closed notice",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Its time has not come.
    Waiting,
    /// To do now.
    Due,
    Done {
        at: DateTime<Utc>,
    },
    Skipped {
        at: DateTime<Utc>,
        reason: String,
    },
    Failed {
        at: DateTime<Utc>,
        detail: String,
        retry: bool,
    },
    /// Its time passed with nothing done and it is no longer useful: `tick` records a skip.
    Missed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub action: Action,
    /// From when it may run.
    pub due_at: DateTime<Tz>,
    /// Until when it is still useful.
    pub until: DateTime<Tz>,
    #[serde(flatten)]
    pub state: State,
}

/// Every timed action of a scheduled event, in time order; none for drafts or cancelled ones.
pub fn steps(event: &Event, ledger: &Ledger, now: DateTime<Utc>) -> Vec<Step> {
    if event.status != Status::Scheduled {
        return Vec::new();
    }
    let policy = &event.policy;
    let deadline = event.signup_closes_at();
    let mut steps = Vec::new();
    let mut add = |action: Action, due_at: DateTime<Tz>, until: DateTime<Tz>| {
        let state = state(action, ledger, due_at, until, now);
        steps.push(Step {
            action,
            due_at,
            until,
            state,
        });
    };
    let posted_from = policy
        .announce_before_start
        .map(|before| event.starts_at - before.delta());
    if let Some(at) = posted_from {
        add(Action::Post, at, event.starts_at);
    }
    add(
        Action::Roles,
        posted_from.unwrap_or(event.starts_at - chrono::TimeDelta::days(365)),
        deadline,
    );
    add(Action::RolesFinal, deadline, event.ends_at);
    add(Action::Share, event.viewer_url_at(), event.ends_at);
    if policy.onair_notice {
        add(Action::Onair, event.stream_opens_at(), event.ends_at);
    }
    if policy.close_notice {
        add(Action::Close, deadline, event.ends_at);
    }
    if event.post_id.is_some() {
        steps.retain(|s| s.action != Action::Post);
    }
    steps.sort_by_key(|s| (s.due_at, s.action));
    steps
}

fn state(
    action: Action,
    ledger: &Ledger,
    due_at: DateTime<Tz>,
    until: DateTime<Tz>,
    now: DateTime<Utc>,
) -> State {
    match ledger.get(action.key()) {
        Some(r) if r.outcome == Outcome::Done && action != Action::Roles => return State::Done { at: r.at },
        Some(r) if r.outcome == Outcome::Skipped => {
            return State::Skipped {
                at: r.at,
                reason: r.detail.clone().unwrap_or_default(),
            };
        }
        Some(r) if r.outcome == Outcome::Failed && !r.retry => {
            return State::Failed {
                at: r.at,
                detail: r.detail.clone().unwrap_or_default(),
                retry: false,
            };
        }
        _ => {}
    }
    if now < due_at {
        State::Waiting
    } else if now >= until {
        match action {
            // The periodic grants simply stop at the deadline; the final run covers the rest.
            Action::Roles => State::Done {
                at: ledger.get(action.key()).map_or(until.to_utc(), |r| r.at),
            },
            _ => State::Missed,
        }
    } else {
        State::Due
    }
}

/// Whether the periodic role grants should run now, given the last run.
pub fn roles_due(event: &Event, ledger: &Ledger, now: DateTime<Utc>) -> bool {
    match ledger.get(Action::Roles.key()) {
        // A failed run waits its turn too: repeating a refusal every minute helps nobody.
        Some(last) => now >= last.at + event.policy.roles_every.delta(),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::duration::Span;
    use crate::state::Record;

    fn event() -> Event {
        let mut event = crate::event::sample(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        event.policy.announce_before_start = Some(Span::parse("7d").unwrap());
        event.policy.close_notice = true;
        event
    }

    fn utc(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 17, h, m, 0).unwrap()
    }

    fn states(ledger: &Ledger, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
        steps(&event(), ledger, now)
            .into_iter()
            .map(|s| {
                (
                    s.action.key(),
                    serde_json::to_value(&s.state).unwrap()["state"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn before_and_at_the_share_minute() {
        let ledger = Ledger::default();
        let at = |k: &'static str, s: &str| (k, s.to_string());
        assert_eq!(
            states(&ledger, utc(5, 44)),
            [
                at("post", "due"),
                at("roles", "due"),
                at("share", "waiting"),
                at("onair", "waiting"),
                at("roles-final", "waiting"),
                at("close", "waiting")
            ]
        );
        assert_eq!(states(&ledger, utc(5, 45))[2], at("share", "due"));
    }

    #[test]
    fn late_is_better_than_never_until_the_end() {
        let ledger = Ledger::default();
        let late = states(&ledger, utc(7, 59));
        assert!(late.contains(&("share", "due".into())));
        assert!(late.contains(&("post", "missed".into())));
        let after = states(&ledger, utc(8, 0));
        assert!(after.contains(&("share", "missed".into())));
        assert!(after.contains(&("onair", "missed".into())));
    }

    #[test]
    fn the_ledger_decides_what_is_done() {
        let mut ledger = Ledger::default();
        ledger.set("share", Record::new(Outcome::Done, utc(5, 45)));
        let mut refused = Record::new(Outcome::Failed, utc(5, 55));
        refused.detail = Some("403".into());
        ledger.set("onair", refused);
        let mut transient = Record::new(Outcome::Failed, utc(5, 55));
        transient.retry = true;
        ledger.set("close", transient);
        let now = states(&ledger, utc(6, 40));
        assert!(now.contains(&("share", "done".into())));
        assert!(now.contains(&("onair", "failed".into())));
        assert!(now.contains(&("close", "due".into())));
    }

    #[test]
    fn periodic_roles_follow_the_cadence() {
        let e = event();
        let mut ledger = Ledger::default();
        assert!(roles_due(&e, &ledger, utc(5, 0)));
        ledger.set("roles", Record::new(Outcome::Done, utc(5, 0)));
        assert!(!roles_due(&e, &ledger, utc(5, 4)));
        assert!(roles_due(&e, &ledger, utc(5, 5)));
    }
}
