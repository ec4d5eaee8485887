use std::process::ExitCode;

use clap::CommandFactory;

fn main() -> ExitCode {
    // With `COMPLETE=<shell>` set (by the script `tsudoi completions SHELL` prints), this run
    // answers a completion request and exits.
    clap_complete::CompleteEnv::with_factory(tsudoi::cli::Cli::command)
        .var(tsudoi::commands::COMPLETE_VAR)
        .complete();
    tsudoi::run(std::env::args_os())
}
