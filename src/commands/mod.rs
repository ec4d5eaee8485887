//! One file per subcommand; each wires the pure parts to files and output.

mod announce;
mod check;
mod create;
mod doctor;
mod init;
mod list;
mod roles;
mod show;

use serde::Serialize;

use crate::cli::Command;
use crate::config::Config;
use crate::discord::{Client, Snowflake};
use crate::error::Error;
use crate::event::Series;

pub fn dispatch(command: &Command, config: &Config) -> Result<(), Error> {
    match command {
        Command::Init(args) => init::run(args, config),
        Command::Create(args) => create::run(args, config),
        Command::List(args) => list::run(args, config),
        Command::Show(args) => show::run(args, config),
        Command::Check => check::run(config),
        Command::Announce(args) => announce::run(args, config),
        Command::Doctor => doctor::run(config),
        Command::Roles(args) => roles::run(args, config),
    }
}

/// The Discord client, built only by the commands that talk to Discord. A dry run sends GETs
/// and records every other request.
pub fn connect(config: &Config, dry_run: bool) -> Result<Client, Error> {
    let loaded = config.token.load()?;
    if let Some(warning) = &loaded.warning {
        eprintln!("tsudoi: {}: {warning}", config.paint.warning("warning"));
    }
    Ok(Client::new(loaded.token, config.discord_options(dry_run))?)
}

/// What a dry run would have sent, instead of sending it: `METHOD /route` and the JSON body,
/// on stdout (as a JSON array with `--json`).
pub fn print_plan(config: &Config, client: &Client) {
    let planned = client.planned();
    if config.json {
        print_json(&planned);
    } else if planned.is_empty() {
        eprintln!("dry run: nothing to send");
    } else {
        print!("{}", crate::discord::plan::render(&planned));
    }
}

/// A Discord id from `[discord]` in tsudoi.toml, or the error that names the missing key.
pub fn discord_id(series: &Series, key: &'static str, value: &Option<String>) -> Result<Snowflake, Error> {
    let missing = |unset| Error::DiscordId {
        key,
        path: series.path.clone(),
        unset,
    };
    let text = value.as_deref().ok_or_else(|| missing(true))?;
    text.parse().map_err(|_| missing(false))
}

/// One JSON document on stdout.
fn print_json<T: Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).expect("views serialize");
    println!("{text}");
}
