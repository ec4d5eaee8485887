//! `tsudoi create --date D`: a new event file from the series defaults; never overwrites.

use std::fmt::Write as _;
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
    let agenda = match &args.from {
        Some(from) => {
            let depth = if args.full_agenda { MAX_DEPTH } else { 1 };
            directory.event(from)?.agenda.to_source(depth)
        }
        None => String::new(),
    };
    let path = config.dir.join(format!("{id}.toml"));
    let text = render(series, &id, date, start, end, args.title.as_deref(), &agenda);
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

fn render(
    series: &Series,
    id: &str,
    date: NaiveDate,
    start: Option<NaiveTime>,
    end: Option<NaiveTime>,
    title: Option<&str>,
    agenda: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — {}",
        series.title,
        series.language.date_with_weekday(date)
    );
    let _ = writeln!(
        out,
        "# Times are wall-clock times in {}; keys left out take the defaults in tsudoi.toml.",
        series.zone.name()
    );
    let _ = writeln!(
        out,
        "# `tsudoi check` validates this file; `tsudoi show {id}` shows it resolved.\n"
    );
    let _ = writeln!(out, "date = \"{date}\"");
    for (key, own, default) in [("start", start, series.start), ("end", end, series.end)] {
        match (own, default) {
            (Some(t), _) => {
                let _ = writeln!(out, "{key} = \"{}\"", t.format("%H:%M"));
            }
            (None, Some(t)) => {
                let _ = writeln!(out, "# {key} = \"{}\"  (the series default)", t.format("%H:%M"));
            }
            (None, None) => {}
        }
    }
    if let Some(title) = title {
        let _ = writeln!(out, "title = {}", toml::Value::String(title.to_string()));
    }
    out.push_str("# draft: nothing is announced or posted. Set \"scheduled\" when ready; \"cancelled\" calls it off.\n");
    out.push_str("status = \"draft\"\n\n");
    out.push_str("notes = \"\"\"\n\"\"\"\n\n");
    out.push_str("# One `- ` item per line, nested by two spaces; `title <https://...>` is a link.\n");
    let _ = writeln!(out, "agenda = {}", multiline(agenda));
    out
}

/// A TOML multi-line string that reads like the text, escaped only when it must be.
fn multiline(text: &str) -> String {
    if text.contains('\\') || text.contains("\"\"\"") {
        toml::Value::String(text.to_string()).to_string()
    } else {
        format!("\"\"\"\n{text}\"\"\"")
    }
}
