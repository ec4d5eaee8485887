//! One file per subcommand; each wires the pure parts to files and output.

mod announce;
mod check;
mod create;
mod doctor;
mod import;
mod init;
mod list;
mod plan;
mod post;
mod roles;
mod share;
mod show;
mod tick;

use serde::Serialize;

use crate::cli::Command;
use crate::config::Config;
use crate::discord::{Client, redact};
use crate::error::Error;
use crate::publish::ActionReport;

pub fn dispatch(command: &Command, config: &Config) -> Result<(), Error> {
    match command {
        Command::Init(args) => init::run(args, config),
        Command::Create(args) => create::run(args, config),
        Command::Import(args) => import::run(args, config),
        Command::List(args) => list::run(args, config),
        Command::Show(args) => show::run(args, config),
        Command::Check => check::run(config),
        Command::Announce(args) => announce::run(args, config),
        Command::Doctor => doctor::run(config),
        Command::Post(args) => post::run(args, config),
        Command::Share(args) => share::run(args, config),
        Command::Tick(args) => tick::run(args, config),
        Command::Plan => plan::run(config),
        Command::Roles(args) => roles::run(args, config),
    }
}

/// The Discord client, built only by the commands that talk to Discord. A dry run sends GETs
/// and records every other request. Without a deadline: a command run by hand may wait out
/// rate limits (up to `--max-wait`); only `tick` has a time budget.
pub fn connect(config: &Config, dry_run: bool) -> Result<Client, Error> {
    connect_with(config, config.discord_options(dry_run))
}

/// The Discord client with these settings.
pub fn connect_with(config: &Config, options: crate::discord::Options) -> Result<Client, Error> {
    let loaded = config.token.load()?;
    if let Some(warning) = &loaded.warning {
        eprintln!("tsudoi: {}: {warning}", config.paint.warning("warning"));
    }
    Ok(Client::new(loaded.token, options)?)
}

/// What a dry run would have sent, instead of sending it: `METHOD /route` and the JSON body,
/// on stdout (as a JSON array with `--json`).
pub fn print_plan(config: &Config, client: &Client) {
    let planned = client.planned();
    if config.json {
        let text = serde_json::to_string_pretty(&planned).expect("plans serialize");
        println!("{}", client.scrub(&text));
    } else if planned.is_empty() {
        eprintln!("dry run: nothing to send");
    } else {
        print!("{}", client.scrub(&crate::discord::plan::render(&planned)));
    }
}

/// The outcome of write commands: one line per action on stdout (or JSON), and in a dry run
/// the exact requests that were not sent. `reveal` lets the viewer URL through.
fn report_actions(
    config: &Config,
    client: Option<&Client>,
    dry_run: bool,
    reveal: bool,
    reports: &[ActionReport],
) {
    let scrub = |text: String| match reveal {
        false => redact::scrub(&text),
        true => redact::scrub_token(&text),
    };
    let planned = client.map(Client::planned).unwrap_or_default();
    if config.json {
        let document = if dry_run {
            serde_json::json!({ "actions": reports, "requests": planned })
        } else {
            serde_json::json!({ "actions": reports })
        };
        println!(
            "{}",
            scrub(serde_json::to_string_pretty(&document).expect("reports serialize"))
        );
        return;
    }
    for report in reports {
        let line = format!(
            "{}  {}  {}  {}",
            report.event,
            report.subject(),
            outcome(report.outcome),
            report.detail
        );
        println!("{}", scrub(line));
    }
    if dry_run && !planned.is_empty() {
        println!("\n# dry run: these requests were not sent\n");
        print!("{}", scrub(crate::discord::plan::render(&planned)));
    }
}

fn outcome(outcome: crate::state::Outcome) -> &'static str {
    match outcome {
        crate::state::Outcome::Started => "started",
        crate::state::Outcome::Done => "done",
        crate::state::Outcome::Skipped => "skipped",
        crate::state::Outcome::Failed => "FAILED",
    }
}

/// One JSON document on stdout, with no secret in it.
fn print_json<T: Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).expect("views serialize");
    println!("{}", redact::scrub(&text));
}
