//! `tsudoi cancel ID [--reason TEXT] [--undo]`: the same as setting `status` in the file by
//! hand, then what the next `tick` would do: the post edited to say so, one notice, and every
//! later action recorded as not needed (or, back on, planned again).

use super::post;
use crate::atomic;
use crate::cli::CancelArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::{Directory, edit};

pub fn run(args: &CancelArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let event = directory.event(&args.id)?;
    let (status, reason) = if args.undo {
        ("scheduled", Some(("reason", None)))
    } else {
        ("cancelled", args.reason.as_deref().map(|r| ("reason", Some(r))))
    };
    let mut keys = vec![("status", Some(status))];
    keys.extend(reason);
    let text = std::fs::read_to_string(&event.path).map_err(|source| Error::Io {
        path: event.path.clone(),
        source,
    })?;
    let edited = edit::set_keys(&text, &keys).map_err(|reason| Error::EditEvent {
        path: event.path.clone(),
        reason,
    })?;
    if edited != text {
        atomic::replace(&event.path, &edited)?;
    }
    let word = if args.undo { "back on" } else { "cancelled" };
    let line = format!(
        "{}  event file  {word}: status = \"{status}\" in {}",
        event.id,
        event.path.display()
    );
    super::say(config, &line);
    post::update(config, &event.id, "cancel")
}
