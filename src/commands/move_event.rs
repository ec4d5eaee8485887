//! `tsudoi move ID NEW_DATE [--start HH:MM] [--end HH:MM]`: reschedule an event. The file is
//! renamed (a suffix kept) and its keys edited in place, the ledger carried over under both
//! events' locks, the role renamed when its name holds the date (same role: members keep it),
//! then the post is edited and one notice sent; every timed action follows the new times.
//! A file already renamed by hand is adopted: `move OLD NEW_DATE` carries the orphan ledger.

use std::path::{Path, PathBuf};

use super::{connect, post};
use crate::atomic;
use crate::cli::MoveArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::{Directory, edit, render_role_name};
use crate::state::{LOCK_PATIENCE, Store};
use crate::time::{parse_date, parse_time};

pub fn run(args: &MoveArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let store = Store::new(&config.dir);
    let bad = |path: &Path, reason: String| Error::EditEvent {
        path: path.to_path_buf(),
        reason,
    };
    let new_date = parse_date(&args.new_date).map_err(|e| bad(&config.dir, e.to_string()))?;
    for time in [&args.start, &args.end].into_iter().flatten() {
        parse_time(time).map_err(|e| bad(&config.dir, e.to_string()))?;
    }
    let suffix = args.id.get(10..).unwrap_or_default();
    let new_id = format!("{new_date}{suffix}");
    let (old_role, new_path) = match directory.event(&args.id) {
        Ok(event) => {
            let new_path = event.path.with_file_name(format!("{new_id}.toml"));
            if new_id != event.id && new_path.exists() {
                return Err(Error::Exists {
                    path: new_path,
                    hint: Some("choose another date, or add a suffix to one of the files".into()),
                });
            }
            let text = std::fs::read_to_string(&event.path).map_err(|source| Error::Io {
                path: event.path.clone(),
                source,
            })?;
            let date = new_date.to_string();
            let mut keys = vec![("date", Some(date.as_str()))];
            keys.extend(args.start.as_deref().map(|s| ("start", Some(s))));
            keys.extend(args.end.as_deref().map(|e| ("end", Some(e))));
            let edited = edit::set_keys(&text, &keys).map_err(|reason| bad(&event.path, reason))?;
            carry_ledger(&store, &event.id, &new_id)?;
            if new_id == event.id {
                atomic::replace(&event.path, &edited)?;
            } else {
                atomic::create_new(&new_path, &edited)?;
                std::fs::remove_file(&event.path).map_err(|source| Error::Write {
                    path: event.path.clone(),
                    source,
                })?;
            }
            (event.role_name(), new_path)
        }
        // Renamed by hand: the event is there under its new id, its ledger under the old one.
        Err(Error::NoSuchEvent { .. }) if store.path(&args.id).exists() => {
            let event = directory.event(&new_id)?;
            carry_ledger(&store, &args.id, &new_id)?;
            let old_date = parse_date(args.id.get(..10).unwrap_or_default())
                .map_err(|e| bad(&store.path(&args.id), e.to_string()))?;
            let old_role = render_role_name(&event.policy.role_name, &args.id, old_date);
            (old_role, event.path.clone())
        }
        Err(e) => return Err(e),
    };
    super::say(
        config,
        &format!("{}  event file  moved to {}", args.id, display(&new_path)),
    );
    let moved = Directory::load(&config.dir)?;
    let event = moved.event(&new_id)?;
    let new_role = event.role_name();
    if new_role != old_role {
        rename_role(config, series, &old_role, &new_role, &new_id)?;
    }
    post::update(config, &new_id, "move")
}

fn display(path: &Path) -> String {
    PathBuf::from(path).display().to_string()
}

/// `.state/<old>.toml` → `.state/<new>.toml`, under both events' locks (taken in id order).
fn carry_ledger(store: &Store, old: &str, new: &str) -> Result<(), Error> {
    if old == new || !store.path(old).exists() {
        return Ok(());
    }
    let (first, second) = if old < new { (old, new) } else { (new, old) };
    let _a = store.lock(first, LOCK_PATIENCE)?;
    let _b = store.lock(second, LOCK_PATIENCE)?;
    let target = store.path(new);
    if target.exists() {
        return Err(Error::Exists {
            path: target,
            hint: Some("the new date already has a ledger: move the event to another date".into()),
        });
    }
    let lock = if old < new { &_b } else { &_a };
    let ledger = store.peek(old)?;
    store.write(new, &ledger, lock)?;
    let from = store.path(old);
    std::fs::remove_file(&from).map_err(|source| Error::Write { path: from, source })
}

/// The event role keeps its id (and its members); only its name follows the date.
fn rename_role(
    config: &Config,
    series: &crate::event::Series,
    old: &str,
    new: &str,
    id: &str,
) -> Result<(), Error> {
    let client = connect(config, false)?;
    client.set_reason("move", Some(id));
    let guild = series.guild_id()?;
    match client.roles(guild)?.into_iter().find(|r| r.name == old) {
        Some(role) => {
            client.rename_role(guild, role.id, new)?;
            super::say(
                config,
                &format!("{id}  event role  renamed `{old}` to `{new}` (role {})", role.id),
            );
        }
        None => super::say(
            config,
            &format!("{id}  event role  no role `{old}` yet; nothing to rename"),
        ),
    }
    Ok(())
}
