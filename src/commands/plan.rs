//! `tsudoi plan`: every timed action of every event that has not ended, on one timeline.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::print_json;
use crate::config::Config;
use crate::error::Error;
use crate::event::Directory;
use crate::output::table;
use crate::schedule::actions::{self as timed, Action, State};
use crate::state::Store;

#[derive(Serialize)]
struct Row {
    at: DateTime<Utc>,
    local: String,
    event: String,
    action: Action,
    #[serde(flatten)]
    state: State,
}

pub fn run(config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    directory.series()?;
    let store = Store::new(&config.dir);
    let mut rows = Vec::new();
    for event in directory.events.iter().filter(|e| !e.has_ended(&config.now)) {
        let ledger = store.peek(&event.id)?;
        for step in timed::steps(event, &ledger, config.now) {
            rows.push(Row {
                at: step.due_at.to_utc(),
                local: step.due_at.format("%Y-%m-%d %H:%M %Z").to_string(),
                event: event.id.clone(),
                action: step.action,
                state: step.state,
            });
        }
    }
    rows.sort_by(|a, b| (a.at, &a.event, a.action).cmp(&(b.at, &b.event, b.action)));
    if config.json {
        print_json(&rows);
    } else if rows.is_empty() {
        if config.verbosity >= 0 {
            eprintln!("nothing planned: no scheduled event ahead");
        }
    } else {
        let mut out = table(&["WHEN", "EVENT", "ACTION", "STATE"]);
        for row in &rows {
            out.add_row(vec![
                row.local.clone(),
                row.event.clone(),
                row.action.label().to_string(),
                state(&row.state),
            ]);
        }
        println!("{out}");
    }
    if directory.broken.is_empty() {
        Ok(())
    } else {
        Err(Error::Reported {
            count: directory.broken.len(),
        })
    }
}

fn state(state: &State) -> String {
    match state {
        State::Waiting => "waiting".into(),
        State::Due => "due".into(),
        State::Done { at } => format!("done at {}", at.format("%Y-%m-%d %H:%M UTC")),
        State::Skipped { reason, .. } => format!("skipped: {reason}"),
        State::Failed { detail, retry, .. } => {
            format!("failed{}: {detail}", if *retry { " (will retry)" } else { "" })
        }
        State::Missed => "missed (tick records a skip)".into(),
    }
}
