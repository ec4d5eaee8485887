//! `tsudoi plan`: every timed action of every event that has not ended, on one timeline.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::print_json;
use crate::config::Config;
use crate::error::Error;
use crate::event::{Directory, Event};
use crate::output::table;
use crate::publish::Pending;
use crate::readiness;
use crate::render::context::Page;
use crate::render::templates::Templates;
use crate::schedule::timeline::{self, Action, State, Step};
use crate::state::Store;

#[derive(Serialize)]
struct Row {
    /// From when the action may run; `null` until the event post it follows is up.
    at: Option<DateTime<Utc>>,
    local: String,
    /// Until when it is still useful.
    until: DateTime<Utc>,
    #[serde(skip)]
    until_local: String,
    event: String,
    action: Action,
    #[serde(flatten)]
    state: State,
    /// Edits of the event post (and a notice) the next `tick` makes: the files changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Pending>,
}

impl Row {
    fn new(event: &Event, step: Step) -> Self {
        Self {
            at: step.due_at.map(|at| at.to_utc()),
            local: step
                .due_at
                .map_or_else(|| "after the event post".into(), |at| local(&at)),
            until: step.until.to_utc(),
            until_local: local(&step.until),
            event: event.id.clone(),
            action: step.action,
            state: step.state,
            changes: None,
        }
    }

    /// The post's pending edits, due now.
    fn edits(event: &Event, now: DateTime<Utc>, changes: Pending) -> Self {
        let zone = event.starts_at.timezone();
        Self {
            at: Some(now),
            local: local(&now.with_timezone(&zone)),
            until: event.ends_at.to_utc(),
            until_local: local(&event.ends_at),
            event: event.id.clone(),
            action: Action::Post,
            state: State::Due,
            changes: Some(changes),
        }
    }
}

pub fn run(config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    directory.series()?;
    let store = Store::new(&config.dir);
    let series = directory.series()?;
    let templates = Templates::load(&config.dir, series.language).ok();
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for event in directory.events.iter().filter(|e| !e.has_ended(&config.now)) {
        let ledger = store.peek(&event.id)?;
        warnings.extend(readiness::warnings(event, &ledger, config.now, |name| {
            config.env_var(name)
        }));
        let page = Page::new(series, &directory.events, event, config.now);
        let pending = templates
            .as_ref()
            .and_then(|t| crate::publish::pending_changes(t, &page, event, &ledger, config.now));
        rows.extend(pending.map(|p| Row::edits(event, config.now, p)));
        let steps = timeline::steps(event, &ledger, config.now);
        rows.extend(steps.into_iter().map(|step| Row::new(event, step)));
    }
    let order = |r: &Row| (r.at.unwrap_or(r.until), r.event.clone(), r.action);
    rows.sort_by_key(order);
    if config.json {
        print_json(&serde_json::json!({ "timeline": rows }));
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
                state(row),
            ]);
        }
        println!("{out}");
    }
    if config.verbosity >= 0 {
        print_warnings(config, &warnings);
    }
    if directory.broken.is_empty() {
        Ok(())
    } else {
        Err(Error::Reported {
            count: directory.broken.len(),
        })
    }
}

/// Problems with the next events, with their fixes: warnings, the exit code stays.
fn print_warnings(config: &Config, warnings: &[readiness::Warning]) {
    for warning in warnings {
        eprintln!(
            "tsudoi: {}: {}\n  hint: {}",
            config.paint.warning("warning"),
            warning.message,
            warning.fix
        );
    }
}

fn local(at: &chrono::DateTime<chrono_tz::Tz>) -> String {
    at.format("%Y-%m-%d %H:%M %Z").to_string()
}

/// The state in words; the periodic role grants show their window's end.
fn state(row: &Row) -> String {
    let window = |text: &str| match row.action {
        Action::Roles => format!("{text} (until {})", row.until_local),
        _ => text.to_string(),
    };
    match &row.state {
        State::Waiting => window("waiting"),
        State::WaitingForPost => window("waiting for the event post"),
        State::Due => match &row.changes {
            Some(pending) => format!("due: {}", pending.summary),
            None => window("due"),
        },
        State::Lapsed => "window closed, no run recorded; the final role grants cover it".into(),
        State::Done { at } => format!("done at {}", at.format("%Y-%m-%d %H:%M UTC")),
        State::Skipped { reason, .. } => format!("skipped: {reason}"),
        State::Failed { detail, retry, .. } => {
            format!("failed{}: {detail}", if *retry { " (will retry)" } else { "" })
        }
        // The ledger may have lost a post that is on Discord: tick looks before it skips.
        State::Missed if row.action == Action::Post => {
            "missed (tick adopts it if it is on Discord, else records a skip)".into()
        }
        State::Missed => "missed (tick records a skip)".into(),
    }
}
