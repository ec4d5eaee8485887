//! `tsudoi announce --format ics [ID | --all]`: the calendar feed. Each event's ledger keeps
//! what the feed last said of it, so `SEQUENCE` grows when its times or status change.

use crate::config::Config;
use crate::error::Error;
use crate::event::{Directory, Event, Series, Status};
use crate::render::ics::{self, Entry, revision};
use crate::state::{CalendarRecord, Held, LOCK_PATIENCE, Store};

/// Which events go into the feed.
pub enum Scope<'a> {
    One(Option<&'a str>),
    All,
}

/// A calendar feed: the VCALENDAR text and the ids of the events it holds.
pub struct Feed {
    pub text: String,
    pub events: Vec<String>,
}

/// The feed of `scope`, its `SEQUENCE`s kept in each event's ledger.
pub fn feed(directory: &Directory, series: &Series, scope: Scope, config: &Config) -> Result<Feed, Error> {
    let events = select(directory, scope, config)?;
    let store = Store::new(&directory.root);
    let entries = events
        .iter()
        .map(|event| {
            let entry = Entry::new(series, event);
            let record = remember(&store, &entry, config)?;
            Ok((entry, record))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Feed {
        text: ics::calendar(series, &entries),
        events: events.iter().map(|e| e.id.clone()).collect(),
    })
}

/// The feed: every event people may put in their calendar (not drafts), by start. One event:
/// the one named, or the next.
fn select<'a>(directory: &'a Directory, scope: Scope, config: &Config) -> Result<Vec<&'a Event>, Error> {
    match scope {
        Scope::All => {
            let mut events: Vec<&Event> = directory
                .events
                .iter()
                .filter(|e| !matches!(e.status, Status::Draft | Status::Tentative))
                .collect();
            events.sort_by_key(|e| (e.starts_at, e.id.clone()));
            Ok(events)
        }
        Scope::One(id) => {
            let event = match id {
                Some(id) => directory.event(id)?,
                None => directory
                    .default_event(&config.now)
                    .ok_or(Error::NothingToAnnounce)?,
            };
            if matches!(event.status, Status::Draft | Status::Tentative) {
                return Err(Error::DraftNotInCalendar {
                    id: event.id.clone(),
                    path: event.path.clone(),
                });
            }
            Ok(vec![event])
        }
    }
}

/// The event's calendar record, brought up to date in its ledger (under its lock).
fn remember(store: &Store, entry: &Entry, config: &Config) -> Result<CalendarRecord, Error> {
    let mut held = Held::open(store.clone(), &entry.id, LOCK_PATIENCE, false)?;
    let previous = held.ledger.calendar.clone();
    let record = revision::revise(previous.as_ref(), &entry.schedule, &entry.content(), config.now);
    if previous.as_ref() != Some(&record) {
        held.ledger.calendar = Some(record.clone());
        held.save()?;
    }
    Ok(record)
}
