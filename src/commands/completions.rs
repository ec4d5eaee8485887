//! `tsudoi completions SHELL`: the script that registers tsudoi's completions in a shell.
//!
//! The script calls `tsudoi` back (with `COMPLETE=<shell>` set) for every completion, so that
//! event ids come from the event directory as it is now (see `crate::completion`).

use std::io::Write;

use crate::cli::CompletionsArgs;
use crate::error::Error;

use crate::completion::COMPLETE_VAR;

pub fn run(args: &CompletionsArgs) -> Result<(), Error> {
    let shells = clap_complete::env::Shells::builtins();
    let shell = shells
        .completer(&args.shell)
        .expect("clap admits only the built-in shells");
    let mut script = Vec::new();
    shell
        .write_registration(COMPLETE_VAR, "tsudoi", "tsudoi", "tsudoi", &mut script)
        .expect("writing to memory does not fail");
    std::io::stdout()
        .write_all(&script)
        .map_err(|source| Error::Write {
            path: "(stdout)".into(),
            source,
        })
}
