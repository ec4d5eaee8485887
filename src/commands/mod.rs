//! One file per subcommand; each wires the pure parts to files and output.

mod announce;
mod check;
mod create;
mod init;
mod list;
mod show;

use serde::Serialize;

use crate::cli::Command;
use crate::config::Config;
use crate::error::Error;

pub fn dispatch(command: &Command, config: &Config) -> Result<(), Error> {
    match command {
        Command::Init(args) => init::run(args, config),
        Command::Create(args) => create::run(args, config),
        Command::List(args) => list::run(args, config),
        Command::Show(args) => show::run(args, config),
        Command::Check => check::run(config),
        Command::Announce(args) => announce::run(args, config),
    }
}

/// One JSON document on stdout.
fn print_json<T: Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).expect("views serialize");
    println!("{text}");
}
