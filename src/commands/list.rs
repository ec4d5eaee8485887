//! `tsudoi list`: the events as a table, broken files flagged in their rows.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::print_json;
use crate::cli::ListArgs;
use crate::config::Config;
use crate::duration::humanize;
use crate::error::Error;
use crate::event::{Broken, Directory, Event, Series};
use crate::output::table;
use crate::schedule;

#[derive(Serialize)]
struct Row {
    id: String,
    date: Option<String>,
    weekday: Option<&'static str>,
    time: Option<String>,
    status: &'static str,
    role: Option<String>,
    next: Option<Next>,
    /// Held events: how many got the role, as the ledger knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    attended: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
    path: String,
}

#[derive(Serialize)]
struct Next {
    action: &'static str,
    at: DateTime<Utc>,
    /// "in 3d 4h"
    relative: String,
}

impl Row {
    fn of_event(event: &Event, series: &Series, now: DateTime<Utc>) -> Self {
        let next = schedule::next(event, now).map(|m| Next {
            action: m.milestone.label(),
            at: m.at.with_timezone(&Utc),
            relative: format!("in {}", humanize(m.at.with_timezone(&Utc) - now)),
        });
        Self {
            id: event.id.clone(),
            date: Some(event.date.to_string()),
            weekday: Some(series.language.weekday(chrono::Datelike::weekday(&event.date))),
            time: Some(if event.open_end {
                format!("{}~", event.start.format("%H:%M"))
            } else {
                format!("{}-{}", event.start.format("%H:%M"), event.end.format("%H:%M"))
            }),
            status: event.phase(&now).as_str(),
            role: Some(event.role_name()),
            next,
            attended: None,
            problem: None,
            path: event.path.display().to_string(),
        }
    }

    fn of_broken(broken: &Broken, series: Option<&Series>) -> Self {
        let weekday = broken
            .date
            .zip(series)
            .map(|(d, s)| s.language.weekday(chrono::Datelike::weekday(&d)));
        Self {
            id: broken.id.clone(),
            date: broken.date.map(|d| d.to_string()),
            weekday,
            time: None,
            status: "broken",
            role: None,
            next: None,
            attended: None,
            problem: Some(broken.problem.clone()),
            path: broken.path.display().to_string(),
        }
    }

    /// The row for the table. The id is the event's date (with a suffix for a second event
    /// that day), so one EVENT column says both; ROLE only when `with_role`, CAME only when
    /// `attendance`.
    fn cells(&self, with_role: bool, attendance: bool) -> Vec<String> {
        let event = match self.weekday {
            Some(day) => format!("{} ({day})", self.id),
            None => self.id.clone(),
        };
        let next = match (&self.next, &self.problem) {
            (_, Some(problem)) => format!("{problem} (see `tsudoi check`)"),
            (Some(next), None) => format!("{} {}", next.action, next.relative),
            (None, None) => "—".into(),
        };
        let mut cells = vec![
            event,
            self.time.clone().unwrap_or_else(|| "?".into()),
            self.status.to_string(),
        ];
        if with_role {
            cells.push(self.role.clone().unwrap_or_else(|| "?".into()));
        }
        cells.push(next);
        if attendance {
            cells.push(self.attended.map_or_else(String::new, |n| n.to_string()));
        }
        cells
    }

    /// Whether the role says more than the id: not when it is named after the date.
    fn role_differs(&self) -> bool {
        self.role.as_ref().is_some_and(|role| *role != self.id)
    }
}

pub fn run(args: &ListArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let now = config.now;
    let wanted = |event: &Event| match (args.upcoming, args.past) {
        (true, _) => !event.has_ended(&now),
        (_, true) => event.has_ended(&now),
        _ => true,
    };
    let mut rows: Vec<(String, Row)> = directory
        .events
        .iter()
        .filter(|e| wanted(e))
        .map(|e| {
            (
                sort_key(e.starts_at.with_timezone(&Utc).to_rfc3339(), &e.id),
                Row {
                    attended: attended(config, e),
                    ..Row::of_event(e, series, now)
                },
            )
        })
        .collect();
    // A broken file is shown whatever the filter: hiding it would hide the problem.
    rows.extend(
        directory
            .broken
            .iter()
            .map(|b| (sort_key(b.id.clone(), &b.id), Row::of_broken(b, Some(series)))),
    );
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let rows: Vec<Row> = rows.into_iter().map(|(_, row)| row).collect();
    if config.json {
        print_json(&serde_json::json!({ "events": rows }));
    } else if rows.is_empty() {
        if config.verbosity >= 0 {
            eprintln!("{}", nothing_listed(args, config, directory.events.is_empty()));
        }
    } else {
        // Fits 80 columns: ROLE only when some role is not simply the event's id; CAME only
        // once some ledger knows who came.
        let with_role = rows.iter().any(Row::role_differs);
        let attendance = rows.iter().any(|r| r.attended.is_some());
        let mut header = vec!["EVENT", "TIME", "STATUS"];
        header.extend(with_role.then_some("ROLE"));
        header.push("NEXT");
        header.extend(attendance.then_some("CAME"));
        let mut table = table(&header);
        for row in &rows {
            table.add_row(row.cells(with_role, attendance));
        }
        println!("{table}");
    }
    if directory.broken.is_empty() {
        Ok(())
    } else {
        if config.verbosity >= 0 {
            eprintln!(
                "tsudoi: {}: {} event file(s) have errors; run `tsudoi check` to see them",
                config.paint.warning("warning"),
                directory.broken.len()
            );
        }
        Err(Error::Reported {
            count: directory.broken.len(),
        })
    }
}

/// Why the table is empty: no events at all, or none that the filter wants.
fn nothing_listed(args: &ListArgs, config: &Config, none_at_all: bool) -> String {
    let dir = config.dir.display();
    match (none_at_all, args.upcoming, args.past) {
        (false, true, _) => {
            format!("no upcoming events in `{dir}`; `tsudoi create --date YYYY-MM-DD` adds one")
        }
        (false, _, true) => format!("no past events in `{dir}`; `tsudoi list` shows every event"),
        _ => format!("no events in `{dir}`; `tsudoi create --date YYYY-MM-DD` adds one"),
    }
}

/// How many got the role of a held event, when its ledger records it.
fn attended(config: &Config, event: &Event) -> Option<usize> {
    if !event.has_ended(&config.now) {
        return None;
    }
    let ledger = crate::state::Store::new(&config.dir).peek(&event.id).ok()?;
    (!ledger.granted.is_empty()).then_some(ledger.granted.len())
}

fn sort_key(first: String, id: &str) -> String {
    format!("{first}\u{0}{id}")
}
