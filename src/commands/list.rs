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
            problem: Some(broken.problem.clone()),
            path: broken.path.display().to_string(),
        }
    }

    fn cells(&self) -> Vec<String> {
        let date = match (&self.date, self.weekday) {
            (Some(date), Some(day)) => format!("{date} ({day})"),
            (Some(date), None) => date.clone(),
            _ => "?".into(),
        };
        let next = match (&self.next, &self.problem) {
            (_, Some(problem)) => format!("{problem} (see `tsudoi check`)"),
            (Some(next), None) => format!("{} {}", next.action, next.relative),
            (None, None) => "—".into(),
        };
        vec![
            self.id.clone(),
            date,
            self.time.clone().unwrap_or_else(|| "?".into()),
            self.status.to_string(),
            self.role.clone().unwrap_or_else(|| "?".into()),
            next,
        ]
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
                Row::of_event(e, series, now),
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
        print_json(&rows);
    } else if rows.is_empty() {
        if config.verbosity >= 0 {
            eprintln!("{}", nothing_listed(args, config, directory.events.is_empty()));
        }
    } else {
        let mut table = table(&["ID", "DATE", "TIME", "STATUS", "ROLE", "NEXT"]);
        for row in &rows {
            table.add_row(row.cells());
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

fn sort_key(first: String, id: &str) -> String {
    format!("{first}\u{0}{id}")
}
