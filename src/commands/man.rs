//! `tsudoi man -o DIR`: `tsudoi.1` and `tsudoi-<command>.1` for each subcommand.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::config::Config;
use crate::error::Error;

pub fn run(args: &ManArgs, config: &Config) -> Result<(), Error> {
    let dir = &args.output;
    let write_error = |source| Error::Write {
        path: dir.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(write_error)?;
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut written = Vec::new();
    pages(command, dir, &mut written).map_err(write_error)?;
    written.sort();
    if config.json {
        super::print_json(&serde_json::json!({ "dir": dir, "files": written }));
    } else {
        for file in &written {
            println!("{}", file.display());
        }
    }
    Ok(())
}

/// The page of `command`, then those of its subcommands, as clap_mangen names them.
fn pages(command: clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages(sub.clone(), dir, written)?;
    }
    written.push(clap_mangen::Man::new(command).generate_to(dir)?);
    Ok(())
}
