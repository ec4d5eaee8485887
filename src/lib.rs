//! tsudoi (集い): run recurring online events held on a Discord server.
//!
//! The binary is a thin shell around [`run`]; everything else lives here so that tests and
//! benchmarks drive the same code. Only what they use is public (the Discord client, the event
//! directory, the role run, the ledger, the share channel's allowance); the rest is
//! `pub(crate)`, so the compiler finds what is dead.

pub(crate) mod atomic;
/// The command line, public so that generators and tests parse with the real one.
pub mod cli;
pub(crate) mod commands;
pub(crate) mod completion;
pub(crate) mod config;
pub(crate) mod diag;
pub mod discord;
pub(crate) mod doctor;
pub(crate) mod duration;
pub(crate) mod error;
pub mod event;
pub(crate) mod import;
pub(crate) mod lines;
pub(crate) mod output;
pub(crate) mod parallel;
pub mod privacy;
pub(crate) mod publish;
pub(crate) mod readiness;
pub(crate) mod render;
pub mod roles;
pub mod rst_check;
pub(crate) mod schedule;
/// The JSON Schemas of the files and of every command's `--json` document.
pub mod schema;
pub(crate) mod signup;
pub mod state;
pub(crate) mod time;
pub(crate) mod viewer_url;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::config::Config;
use crate::error::Error;

/// With `COMPLETE=<shell>` set (by the script `tsudoi completions SHELL` prints), answer that
/// completion request and exit; otherwise return at once.
pub fn complete_if_asked() {
    clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .var(completion::COMPLETE_VAR)
        .complete();
}

/// Parse the arguments, run the command, report, and give the exit code:
/// 0 success, 1 failure, 2 usage.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let config = match Config::resolve(&cli) {
        Ok(config) => config,
        Err(error) => return report(&error, json_form(&cli), output::Paint::plain()),
    };
    match commands::dispatch(&cli.command, &config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&error, json_form(&cli), config.paint),
    }
}

/// How a failure's `--json` document is printed: `None` without `--json`; on one line for
/// `tick`, whose log keeps one record per run.
fn json_form(cli: &cli::Cli) -> Option<bool> {
    cli.json.then_some(matches!(cli.command, cli::Command::Tick(_)))
}

fn report(error: &Error, json: Option<bool>, paint: output::Paint) -> ExitCode {
    let code = if matches!(error, Error::Usage { .. }) {
        2
    } else {
        1
    };
    if let Error::Reported { .. } = error {
        return ExitCode::from(code);
    }
    // Whatever made the error (a server's body, a setting), no secret leaves in it.
    let scrub = discord::redact::scrub;
    for problem in error.problems() {
        eprint!("{}", scrub(&problem.render(paint)));
    }
    eprintln!("tsudoi: {}: {}", paint.error("error"), scrub(&error.to_string()));
    if let Some(hint) = error.hint() {
        eprintln!("  hint: {}", scrub(&hint));
    }
    if let Some(one_line) = json {
        let document = serde_json::json!({
            "error": { "message": error.to_string(), "hint": error.hint(), "problems": error.problems() }
        });
        println!("{}", scrub(&commands::json_document(&document, one_line)));
    }
    ExitCode::from(code)
}
