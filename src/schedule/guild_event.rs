//! The Discord scheduled event of an episode, as far as the files and the ledger decide it:
//! when it is due, and a revision of what it should say, so a tick with nothing changed
//! sends nothing.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::timeline::{Action, State};
use crate::event::{Event, Status};
use crate::state::{Ledger, Outcome};

/// The event post as Discord links it: its channel (the thread of a forum post) and message;
/// the channel is `None` for a post made by hand (it is in the sign-up channel).
pub fn post_link(event: &Event, ledger: &Ledger) -> Option<(Option<String>, String)> {
    if let Some(id) = event.post_id {
        return Some((None, id.to_string()));
    }
    let record = ledger
        .get(Action::Post.key())
        .filter(|r| r.outcome == Outcome::Done)?;
    Some((record.channel_id.clone(), record.message_ids.first()?.clone()))
}

/// A short hash of everything in the files and the ledger that the scheduled event shows:
/// the title, date and times, whether it is cancelled, how to sign up, the location setting
/// and the post it links to. Stored with the record of what was last sent.
pub fn revision(event: &Event, ledger: &Ledger) -> String {
    let policy = &event.policy;
    let location = event.scheduled_event.as_ref().and_then(|s| s.location.clone());
    let inputs = serde_json::json!([
        event.title,
        event.date,
        event.starts_at.to_utc(),
        event.ends_at.to_utc(),
        event.status == Status::Cancelled,
        policy.signup_mode,
        policy.signup_emoji,
        policy.signup_keywords,
        event.signup_closes_at().to_utc(),
        policy.require_avatar,
        location,
        post_link(event, ledger),
    ]);
    crate::discord::nonce(&inputs.to_string())
}

/// The scheduled event's step: from when the event post is up (it links to it) until the
/// event ends; for a cancelled event, only while an event made earlier is to be cancelled.
pub fn due_from(event: &Event, ledger: &Ledger) -> Option<Option<DateTime<Tz>>> {
    event.scheduled_event.as_ref()?;
    let zone = event.starts_at.timezone();
    let record = ledger.get(Action::ScheduledEvent.key());
    match event.status {
        Status::Draft | Status::Tentative => None,
        Status::Cancelled => {
            let made = record.filter(|r| r.guild_event_id.is_some())?;
            Some(Some(made.at.with_timezone(&zone)))
        }
        Status::Scheduled => {
            let posted = post_link(event, ledger).map(|_| match event.post_id {
                Some(id) => id.timestamp(),
                None => ledger
                    .get(Action::Post.key())
                    .map_or(event.starts_at.to_utc(), |r| r.at),
            });
            Some(posted.map(|at| at.with_timezone(&zone)))
        }
    }
}

/// Where the step stands: done while Discord was last sent this very revision; due again when
/// the file or the post changed; a refusal is not repeated; an ended event is left alone.
pub fn state(event: &Event, ledger: &Ledger, due_at: DateTime<Tz>, now: DateTime<Utc>) -> State {
    let record = ledger.get(Action::ScheduledEvent.key());
    if let Some(settled) = super::timeline::settled(record) {
        return settled;
    }
    let done = record.filter(|r| r.outcome == Outcome::Done);
    if now >= event.ends_at {
        return match done {
            Some(r) => State::Done { at: r.at },
            None => State::Missed,
        };
    }
    if let Some(r) = done
        && r.fingerprint.as_deref() == Some(revision(event, ledger).as_str())
    {
        return State::Done { at: r.at };
    }
    if now < due_at { State::Waiting } else { State::Due }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};

    use super::*;
    use crate::event::GuildEventSettings;
    use crate::state::Record;

    fn event() -> Event {
        let mut event = crate::event::sample(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        event.scheduled_event = Some(GuildEventSettings::default());
        event
    }

    fn utc(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, d, h, 0, 0).unwrap()
    }

    fn posted() -> Ledger {
        let mut ledger = Ledger::default();
        let mut post = Record::new(Outcome::Done, utc(16, 6));
        post.channel_id = Some("3".into());
        post.message_ids = vec!["4".into()];
        ledger.set("post", post);
        ledger
    }

    fn sent(event: &Event, mut ledger: Ledger) -> Ledger {
        let mut record = Record::new(Outcome::Done, utc(16, 6));
        record.guild_event_id = Some("9".into());
        record.fingerprint = Some(revision(event, &ledger));
        ledger.set(Action::ScheduledEvent.key(), record);
        ledger
    }

    #[test]
    fn off_unless_the_series_asks_and_waiting_for_the_post() {
        let mut plain = event();
        plain.scheduled_event = None;
        assert_eq!(due_from(&plain, &posted()), None);
        assert_eq!(due_from(&event(), &Ledger::default()), Some(None));
        let due = due_from(&event(), &posted()).unwrap().unwrap();
        assert_eq!(due.to_utc(), utc(16, 6));
    }

    #[test]
    fn done_while_the_revision_sent_is_current_and_due_again_when_the_times_change() {
        let e = event();
        let ledger = sent(&e, posted());
        let due = due_from(&e, &ledger).unwrap().unwrap();
        assert_eq!(
            state(&e, &ledger, due, utc(16, 7)),
            State::Done { at: utc(16, 6) }
        );
        let mut notes = e.clone();
        notes.notes = "changed notes".into();
        assert_eq!(
            revision(&notes, &ledger),
            revision(&e, &ledger),
            "notes are not shown"
        );
        let mut moved = e.clone();
        moved.starts_at += TimeDelta::hours(1);
        assert_eq!(state(&moved, &ledger, due, utc(16, 7)), State::Due);
        assert_eq!(
            state(&moved, &ledger, due, moved.ends_at.to_utc()),
            State::Done { at: utc(16, 6) },
            "an ended event is left alone"
        );
    }

    #[test]
    fn a_cancelled_event_has_a_step_only_when_one_was_made() {
        let mut e = event();
        e.status = Status::Cancelled;
        assert_eq!(due_from(&e, &posted()), None);
        let ledger = sent(&event(), posted());
        let due = due_from(&e, &ledger).unwrap().unwrap();
        assert_eq!(state(&e, &ledger, due, utc(16, 7)), State::Due);
    }
}
