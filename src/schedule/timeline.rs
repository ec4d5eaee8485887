//! The timed actions of an event and whether each is due: pure, from the event, its ledger
//! and `now`. Late is better than never, until it is pointless.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use std::borrow::Cow;

use super::guild_event;
use crate::duration::Span;
use crate::event::{Event, Status};
use crate::state::{Ledger, Outcome};

/// Without an automatic post, role grants may start this long before the event (a post made
/// by hand can be that early); `tick` reads no event further ahead.
pub const ROLES_LEAD: chrono::TimeDelta = chrono::TimeDelta::days(30);

/// How long after its time `tick` still deletes an event role; later, `roles prune` does.
pub const PRUNE_WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// A look on Discord for an event post missing from the ledger that found nothing is repeated
/// at most this often for the periodic role grants (a post made by hand may take days).
pub const LOOKUP_EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Post,
    Roles,
    RolesFinal,
    Share,
    Onair,
    Close,
    /// The Discord scheduled event (`[discord] scheduled_event`), kept in step with the file.
    ScheduledEvent,
    /// A reminder this long before the start (`remind_before`).
    Remind(Span),
    /// The event role tsudoi created, deleted `role_retention` after the end.
    RolePrune,
}

impl Action {
    /// Every action of fixed name, in the order of an event's day (reminders come one per
    /// offset of the policy, and the role deletion after the end).
    pub const ALL: [Action; 7] = [
        Self::Post,
        Self::ScheduledEvent,
        Self::Roles,
        Self::RolesFinal,
        Self::Share,
        Self::Onair,
        Self::Close,
    ];

    /// Whether a cancellation makes the action pointless (recorded as not needed). The
    /// scheduled event is not: it is what tells Discord's Events list the event is off.
    pub fn pointless_when_cancelled(self) -> bool {
        match self {
            Self::Post
            | Self::Roles
            | Self::RolesFinal
            | Self::Share
            | Self::Onair
            | Self::Close
            | Self::Remind(_) => true,
            Self::ScheduledEvent | Self::RolePrune => false,
        }
    }

    /// The name in the ledger, in output and in nonces.
    pub fn key(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::Roles => "roles",
            Self::RolesFinal => "roles-final",
            Self::Share => "share",
            Self::Onair => "onair",
            Self::Close => "close",
            Self::ScheduledEvent => "scheduled-event",
            Self::Remind(_) => "remind",
            Self::RolePrune => "role-prune",
        }
    }

    /// The name of its record in the ledger, and its nonce: one per reminder offset
    /// (`remind-1d`), else [`Action::key`].
    pub fn record_key(self) -> Cow<'static, str> {
        match self {
            Self::Remind(before) => Cow::Owned(format!("remind-{before}")),
            Self::Post
            | Self::Roles
            | Self::RolesFinal
            | Self::Share
            | Self::Onair
            | Self::Close
            | Self::ScheduledEvent
            | Self::RolePrune => Cow::Borrowed(self.key()),
        }
    }

    /// Whether the action depends on the event post: it is posted, replies to it, or reads
    /// the sign-ups under it.
    pub fn follows_post(self) -> bool {
        match self {
            Self::Post
            | Self::Roles
            | Self::RolesFinal
            | Self::Close
            | Self::ScheduledEvent
            | Self::Remind(_) => true,
            Self::Share | Self::Onair | Self::RolePrune => false,
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
            Self::ScheduledEvent => "scheduled event",
            Self::Remind(_) => "reminder",
            Self::RolePrune => "role deletion",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Its time has not come.
    Waiting,
    /// The periodic role grants before the event post is up: sign-ups open with the post.
    WaitingForPost,
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
    /// The periodic role grants' window closed without a recorded run; the final run covers it.
    Lapsed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub action: Action,
    /// From when it may run; `None` until the event post it follows is up.
    pub due_at: Option<DateTime<Tz>>,
    /// Until when it is still useful.
    pub until: DateTime<Tz>,
    #[serde(flatten)]
    pub state: State,
}

impl Step {
    /// Where the step stands in time order: its start, else its end.
    pub fn order(&self) -> (DateTime<Tz>, Action) {
        (self.due_at.unwrap_or(self.until), self.action)
    }
}

/// Every timed action of a scheduled event, in time order; none for drafts or cancelled ones.
pub fn steps(event: &Event, ledger: &Ledger, now: DateTime<Utc>) -> Vec<Step> {
    if event.status != Status::Scheduled {
        // A cancelled event still cancels the scheduled event made for it.
        return guild_event_step(event, ledger, now).into_iter().collect();
    }
    let policy = &event.policy;
    let deadline = event.signup_closes_at();
    let mut steps = Vec::new();
    let mut add = |action: Action, due_at: Option<DateTime<Tz>>, until: DateTime<Tz>| {
        let state = match due_at {
            Some(due_at) => state(action, ledger, due_at, until, now),
            None if now >= until => State::Lapsed,
            None => State::WaitingForPost,
        };
        steps.push(Step {
            action,
            due_at,
            until,
            state,
        });
    };
    if event.post_id.is_none()
        && let Some(before) = policy.announce_before_start
    {
        add(
            Action::Post,
            Some(event.starts_at - before.delta()),
            event.starts_at,
        );
    }
    add(Action::Roles, signups_open(event, ledger), deadline);
    add(Action::RolesFinal, Some(deadline), event.ends_at);
    add(Action::Share, Some(event.viewer_url_at()), event.ends_at);
    if policy.onair_notice {
        add(Action::Onair, Some(event.stream_opens_at()), event.ends_at);
    }
    if policy.close_notice {
        add(Action::Close, Some(deadline), event.ends_at);
    }
    // Each reminder is useful until the next one is due (longest first), the last until the start.
    let offsets = &policy.remind_before;
    for (index, before) in offsets.iter().enumerate() {
        let until = offsets
            .get(index + 1)
            .map_or(event.starts_at, |next| event.starts_at - next.delta());
        add(
            Action::Remind(*before),
            Some(event.starts_at - before.delta()),
            until,
        );
    }
    if let Some(keep) = policy.role_retention {
        let due = event.ends_at + keep.delta();
        add(Action::RolePrune, Some(due), due + PRUNE_WINDOW);
    }
    steps.extend(guild_event_step(event, ledger, now));
    steps.sort_by_key(Step::order);
    steps
}

/// The scheduled event's step, when the series keeps one (see [`guild_event`]).
fn guild_event_step(event: &Event, ledger: &Ledger, now: DateTime<Utc>) -> Option<Step> {
    let due_at = guild_event::due_from(event, ledger)?;
    let until = event.ends_at;
    let state = match due_at {
        Some(due_at) => guild_event::state(event, ledger, due_at, now),
        None if now >= until => State::Lapsed,
        None => State::WaitingForPost,
    };
    Some(Step {
        action: Action::ScheduledEvent,
        due_at,
        until,
        state,
    })
}

/// When sign-ups open: when the event post went up (a post made by hand, by its id's time; a
/// recorded one, by its record), else when `tick` will post it; `None` while nobody knows.
pub fn signups_open(event: &Event, ledger: &Ledger) -> Option<DateTime<Tz>> {
    let zone = event.starts_at.timezone();
    let by_hand = event.post_id.map(|id| id.timestamp());
    let recorded = ledger
        .get(Action::Post.key())
        .filter(|r| r.outcome == Outcome::Done)
        .map(|r| r.at);
    let planned = event
        .policy
        .announce_before_start
        .map(|before| (event.starts_at - before.delta()).to_utc());
    by_hand.or(recorded).or(planned).map(|at| at.with_timezone(&zone))
}

/// Where `action` stands, due at `due_at` and useful until `until`: from the ledger and now.
fn state(
    action: Action,
    ledger: &Ledger,
    due_at: DateTime<Tz>,
    until: DateTime<Tz>,
    now: DateTime<Utc>,
) -> State {
    let record = ledger.get(&action.record_key());
    if let Some(r) = record.filter(|r| r.outcome == Outcome::Done && action != Action::Roles) {
        return State::Done { at: r.at };
    }
    if let Some(settled) = settled(record) {
        return settled;
    }
    if now < due_at {
        State::Waiting
    } else if now >= until {
        match action {
            // The periodic grants simply stop at the deadline; the final run covers the rest.
            Action::Roles => match record.filter(|r| r.outcome == Outcome::Done) {
                Some(r) => State::Done { at: r.at },
                None => State::Lapsed,
            },
            Action::Post
            | Action::RolesFinal
            | Action::Share
            | Action::Onair
            | Action::Close
            | Action::ScheduledEvent
            | Action::Remind(_)
            | Action::RolePrune => State::Missed,
        }
    } else {
        State::Due
    }
}

/// Whether `tick` must look on Discord for the event post before acting: the ledger lacks it
/// (a lost `.state/`, or a post still in doubt), no `post_id` names it, `post` itself is not
/// about to look (it verifies before posting), and a step that depends on it is to be
/// decided now. A look that found nothing is repeated when a one-shot step (the final grants,
/// the close notice, a missed post) comes due, else every [`LOOKUP_EVERY`] (or `roles_every`,
/// if longer).
pub fn post_lookup_due(event: &Event, ledger: &Ledger, steps: &[Step], now: DateTime<Utc>) -> bool {
    let settled = ledger.get(Action::Post.key()).is_some_and(|r| {
        matches!(r.outcome, Outcome::Done | Outcome::Skipped) || (r.outcome == Outcome::Failed && !r.retry)
    });
    if event.post_id.is_some() || settled {
        return false;
    }
    if steps
        .iter()
        .any(|s| s.action == Action::Post && s.state == State::Due)
    {
        return false;
    }
    let pending: Vec<&Step> = steps
        .iter()
        .filter(|s| s.action.follows_post())
        .filter(|s| match s.state {
            State::Due | State::WaitingForPost => true,
            // Whether the post was made decides between adopting it and recording a skip.
            State::Missed => s.action == Action::Post,
            _ => false,
        })
        .collect();
    let Some(last) = ledger.post_searched_at else {
        return !pending.is_empty();
    };
    let one_shot_since = pending.iter().any(|s| match s.action {
        Action::Roles | Action::RolePrune => false,
        Action::Post => s.until.to_utc() > last,
        Action::RolesFinal
        | Action::Share
        | Action::Onair
        | Action::Close
        | Action::ScheduledEvent
        | Action::Remind(_) => s.due_at.is_some_and(|at| at.to_utc() > last),
    });
    let every = event.policy.roles_every.delta().max(LOOKUP_EVERY);
    one_shot_since || (!pending.is_empty() && now >= last + every)
}

/// Whether the periodic role grants should run now, given the last run.
pub fn roles_due(event: &Event, ledger: &Ledger, now: DateTime<Utc>) -> bool {
    match ledger.get(Action::Roles.key()) {
        // A failed run waits its turn too: repeating a refusal every minute helps nobody.
        Some(last) => now >= last.at + event.policy.roles_every.delta(),
        None => true,
    }
}

/// A record that settles an action for good: skipped, or refused and not to be retried.
pub fn settled(record: Option<&crate::state::Record>) -> Option<State> {
    let r = record?;
    match r.outcome {
        Outcome::Skipped => Some(State::Skipped {
            at: r.at,
            reason: r.detail.clone().unwrap_or_default(),
        }),
        Outcome::Failed if !r.retry => Some(State::Failed {
            at: r.at,
            detail: r.detail.clone().unwrap_or_default(),
            retry: false,
        }),
        Outcome::Started | Outcome::Done | Outcome::Failed => None,
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
    fn role_grants_run_from_the_post_to_the_deadline_and_are_done_only_when_recorded() {
        let mut e = event();
        e.policy.announce_before_start = None;
        let roles = |ledger: &Ledger, now| {
            steps(&e, ledger, now)
                .into_iter()
                .find(|s| s.action == Action::Roles)
                .unwrap()
        };
        let mut ledger = Ledger::default();
        assert_eq!(roles(&ledger, utc(5, 0)).due_at, None);
        assert_eq!(roles(&ledger, utc(5, 0)).state, State::WaitingForPost);
        assert_eq!(roles(&ledger, utc(6, 31)).state, State::Lapsed);
        ledger.set("post", Record::new(Outcome::Done, utc(3, 0)));
        let open = roles(&ledger, utc(5, 0));
        assert_eq!(open.due_at.map(|at| at.to_utc()), Some(utc(3, 0)));
        assert_eq!(open.state, State::Due);
        assert_eq!(roles(&ledger, utc(6, 31)).state, State::Lapsed);
        ledger.set("roles", Record::new(Outcome::Done, utc(6, 0)));
        assert_eq!(roles(&ledger, utc(6, 31)).state, State::Done { at: utc(6, 0) });
    }

    #[test]
    fn a_post_made_by_hand_opens_sign_ups_at_its_id_time() {
        let mut e = event();
        // 2026-02-17T03:00:00Z as a Discord id.
        let ms = utc(3, 0).timestamp_millis() - 1_420_070_400_000;
        e.post_id = Some(crate::discord::Snowflake((ms as u64) << 22));
        let open = signups_open(&e, &Ledger::default()).unwrap();
        assert_eq!(open.to_utc(), utc(3, 0));
    }

    #[test]
    fn the_post_is_looked_for_only_when_the_ledger_lacks_it_and_something_depends_on_it() {
        let e = event();
        let lookup = |ledger: &Ledger, now| post_lookup_due(&e, ledger, &steps(&e, ledger, now), now);
        let mut ledger = Ledger::default();
        assert!(
            !lookup(&ledger, utc(5, 0)),
            "the post is due: `post` looks itself"
        );
        assert!(lookup(&ledger, utc(6, 0)), "missed: look before recording a skip");
        ledger.post_searched_at = Some(utc(6, 0));
        assert!(!lookup(&ledger, utc(6, 1)), "found nothing a minute ago");
        assert!(!lookup(&ledger, utc(6, 29)), "found nothing 29 minutes ago");
        assert!(
            lookup(&ledger, utc(6, 30)),
            "the final grants and the close notice are due"
        );
        ledger.set("post", Record::new(Outcome::Done, utc(5, 0)));
        assert!(!lookup(&ledger, utc(6, 30)), "recorded");
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
