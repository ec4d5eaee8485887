//! `tsudoi attendees ID [--format csv|json|table] [--names]`: who holds or was granted the
//! event role and why, then who was turned away and why; from the ledger and the role's
//! holders on Discord. Ids always, names only when asked; ordered by user id.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::{connect, print_json};
use crate::cli::{AttendeesArgs, ListFormat};
use crate::config::Config;
use crate::discord::{Member, Snowflake, redact};
use crate::error::{Error, RolesError};
use crate::event::{Directory, Event};
use crate::output::table;
use crate::state::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Attended,
    TurnedAway,
}

#[derive(Debug, Clone, Serialize)]
struct Entry {
    user_id: Snowflake,
    status: Status,
    reason: String,
    declared_at: Option<DateTime<Tz>>,
    holds_role: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

pub fn run(args: &AttendeesArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let event = directory.event(&args.id)?;
    let ledger = Store::new(&config.dir).peek(&event.id)?;
    let client = connect(config, false)?;
    let guild = series.guild_id()?;
    let role = match ledger.role.as_ref().filter(|r| r.pruned_at.is_none()) {
        Some(known) => known.id.parse().ok(),
        None => crate::roles::event_role(&client, series, guild, &event.role_name())?.map(|r| r.id),
    };
    let members: HashMap<Snowflake, Member> = match client.members(guild) {
        Ok(list) => list
            .into_iter()
            .filter_map(|m| m.user.as_ref().map(|u| u.id).map(|id| (id, m)))
            .collect(),
        Err(e) if e.api().is_some_and(|a| a.code == Some(50001)) => {
            return Err(RolesError::MembersIntent.into());
        }
        Err(e) => return Err(e.into()),
    };
    let entries = entries(event, &ledger, role, &members, args.names);
    let format = if config.json {
        ListFormat::Json
    } else {
        args.format
    };
    let text = match format {
        ListFormat::Json => {
            print_json(&serde_json::json!({ "event": event.id, "role_id": role, "members": entries }));
            return Ok(());
        }
        ListFormat::Csv => csv(&entries, args.names),
        ListFormat::Table => render(&entries, args.names),
    };
    print!("{}", redact::scrub(&text));
    Ok(())
}

fn entries(
    event: &Event,
    ledger: &crate::state::Ledger,
    role: Option<Snowflake>,
    members: &HashMap<Snowflake, Member>,
    names: bool,
) -> Vec<Entry> {
    let zone = event.starts_at.timezone();
    let holds = |id: Snowflake| role.is_some_and(|r| members.get(&id).is_some_and(|m| m.roles.contains(&r)));
    let name = |id: Snowflake| {
        names
            .then(|| {
                members
                    .get(&id)
                    .map(|m| crate::roles::members::facts(m, None).name)
            })
            .flatten()
    };
    let entry = |id: Snowflake, status: Status, reason: String, declared_at: Option<DateTime<Utc>>| Entry {
        user_id: id,
        status,
        reason,
        declared_at: declared_at.map(|t| t.with_timezone(&zone)),
        holds_role: holds(id),
        name: name(id),
    };
    let mut by_user: BTreeMap<Snowflake, Entry> = BTreeMap::new();
    for (id, a) in &ledger.granted {
        if let Ok(id) = id.parse() {
            by_user.insert(id, entry(id, Status::Attended, a.reason.clone(), a.declared_at));
        }
    }
    for id in members.keys().copied().filter(|id| holds(*id)) {
        by_user
            .entry(id)
            .or_insert_with(|| entry(id, Status::Attended, "already had it".into(), None));
    }
    for (id, a) in &ledger.turned_away {
        if let Ok(id) = id.parse::<Snowflake>() {
            by_user
                .entry(id)
                .or_insert_with(|| entry(id, Status::TurnedAway, a.reason.clone(), a.declared_at));
        }
    }
    let mut entries: Vec<Entry> = by_user.into_values().collect();
    entries.sort_by_key(|e| (e.status, e.user_id));
    entries
}

fn status(status: Status) -> &'static str {
    match status {
        Status::Attended => "attended",
        Status::TurnedAway => "turned away",
    }
}

fn time(t: &Option<DateTime<Tz>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S %Z").to_string())
        .unwrap_or_default()
}

fn columns(names: bool) -> Vec<&'static str> {
    let mut header = vec!["user_id", "status", "reason", "declared_at", "holds_role"];
    if names {
        header.push("name");
    }
    header
}

fn cells(entry: &Entry, names: bool) -> Vec<String> {
    let mut row = vec![
        entry.user_id.to_string(),
        status(entry.status).to_string(),
        entry.reason.clone(),
        time(&entry.declared_at),
        entry.holds_role.to_string(),
    ];
    if names {
        row.push(entry.name.clone().unwrap_or_default());
    }
    row
}

fn csv(entries: &[Entry], names: bool) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut ::csv::Writer<Vec<u8>>, row: Vec<String>| {
        writer.write_record(row).expect("writing to memory does not fail");
    };
    write(
        &mut writer,
        columns(names).iter().map(|c| c.to_string()).collect(),
    );
    for entry in entries {
        write(&mut writer, cells(entry, names));
    }
    let bytes = writer.into_inner().expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("the records are text")
}

fn render(entries: &[Entry], names: bool) -> String {
    let header: Vec<String> = columns(names).iter().map(|c| c.to_uppercase()).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut rows = table(&header);
    for entry in entries {
        rows.add_row(cells(entry, names));
    }
    let attended = entries.iter().filter(|e| e.status == Status::Attended).count();
    format!(
        "{rows}\n{attended} attended, {} turned away\n",
        entries.len() - attended
    )
}
