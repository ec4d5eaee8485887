//! `tsudoi create --date D`: a new event file from the series defaults; never overwrites.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::Serialize;

use super::print_json;
use crate::atomic;
use crate::cli::CreateArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::load::resolve_text;
use crate::event::outline::MAX_DEPTH;
use crate::event::write::{self, Comments, EventFields};
use crate::event::{Directory, Event, Series, Status, parse_id};
use crate::time;

#[derive(Serialize)]
struct Created {
    id: String,
    path: PathBuf,
    date: NaiveDate,
    weekday: &'static str,
    status: Status,
}

pub fn run(args: &CreateArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let date = time::parse_date(&args.date).map_err(|e| Error::BadDate {
        reason: e.to_string(),
    })?;
    let id = event_id(args, date)?;
    refuse_existing(&directory, &id, date)?;
    let start = flag_time("--start", args.start.as_deref())?;
    let end = flag_time("--end", args.end.as_deref())?;
    check_times(start.or(series.start), end.or(series.end))?;
    let agenda = copied_agenda(args, &directory)?;
    let path = config.dir.join(format!("{id}.toml"));
    let fields = EventFields {
        start,
        end,
        title: args.title.clone(),
        agenda,
        ..EventFields::draft(date)
    };
    let text = write::to_toml(&fields, &comments(series, &id, date));
    let event = resolve_text(&id, &path, text.clone(), series).map_err(|problems| Error::NewEvent {
        problem: problems.into_iter().next(),
    })?;
    refuse_overlap(&directory, &event)?;
    atomic::create_new(&path, &text).map_err(|e| match e {
        Error::Exists { path, .. } => Error::Exists {
            path,
            hint: Some(format!("pass `--id {date}-b` for a second event that day")),
        },
        other => other,
    })?;
    let created = Created {
        id,
        path,
        date,
        weekday: series.language.weekday(date.weekday()),
        status: event.status,
    };
    if config.json {
        print_json(&created);
    } else {
        println!("{}", created.path.display());
        if config.verbosity >= 0 {
            eprintln!(
                "created {} ({}) as a draft: fill in the agenda, then set `status = \"scheduled\"`",
                series.language.date_with_weekday(date),
                created.id
            );
        }
    }
    Ok(())
}

fn event_id(args: &CreateArgs, date: NaiveDate) -> Result<String, Error> {
    let Some(id) = &args.id else {
        return Ok(date.to_string());
    };
    match parse_id(id) {
        Some((id_date, _)) if id_date == date => Ok(id.clone()),
        Some(_) => Err(Error::IdOffDate { id: id.clone(), date }),
        None => Err(Error::NotAnEventId { id: id.clone(), date }),
    }
}

/// `--from`: the other event's agenda, top-level items only unless `--full-agenda`.
fn copied_agenda(args: &CreateArgs, directory: &Directory) -> Result<String, Error> {
    let Some(from) = &args.from else {
        return Ok(String::new());
    };
    let depth = if args.full_agenda { MAX_DEPTH } else { 1 };
    Ok(directory.event(from)?.agenda.to_source(depth))
}

fn refuse_existing(directory: &Directory, id: &str, date: NaiveDate) -> Result<(), Error> {
    let existing = directory
        .events
        .iter()
        .map(|e| (&e.id, &e.path))
        .chain(directory.broken.iter().map(|b| (&b.id, &b.path)));
    for (other, path) in existing {
        if other == id {
            return Err(Error::Exists {
                path: path.clone(),
                hint: Some(format!("pass `--id {date}-b` for a second event that day")),
            });
        }
    }
    Ok(())
}

fn flag_time(flag: &str, text: Option<&str>) -> Result<Option<NaiveTime>, Error> {
    text.map(|t| {
        time::parse_time(t).map_err(|e| Error::BadTime {
            flag: flag.to_string(),
            reason: e.to_string(),
        })
    })
    .transpose()
}

fn check_times(start: Option<NaiveTime>, end: Option<NaiveTime>) -> Result<(), Error> {
    match (start, end) {
        (None, _) | (_, None) => Err(Error::NoTimes),
        (Some(start), Some(end)) if end <= start => Err(Error::EndNotAfterStart { start, end }),
        _ => Ok(()),
    }
}

fn refuse_overlap(directory: &Directory, new: &Event) -> Result<(), Error> {
    let clash = directory.events.iter().find(|e| e.overlaps(new));
    match clash {
        Some(other) => Err(Error::Overlap {
            other: other.id.clone(),
            start: other.start,
            end: other.end,
        }),
        None => Ok(()),
    }
}

/// What the new file says around its values: what it is, and the series defaults it takes.
fn comments(series: &Series, id: &str, date: NaiveDate) -> Comments {
    Comments {
        header: vec![
            format!("{} — {}", series.title, series.language.date_with_weekday(date)),
            format!(
                "Times are wall-clock times in {}; keys left out take the defaults in tsudoi.toml.",
                series.zone.name()
            ),
            format!("`tsudoi check` validates this file; `tsudoi show {id}` shows it resolved."),
        ],
        default_start: series.start,
        default_end: series.end,
    }
}
