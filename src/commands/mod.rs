//! One file per subcommand; each wires the pure parts to files and output.

mod announce;
mod attendees;
mod calendar;
mod cancel;
mod check;
mod completions;
mod create;
mod doctor;
mod import;
mod init;
mod list;
mod man;
mod move_event;
mod plan;
mod post;
mod prune;
mod roles;
mod schema;
mod share;
mod show;
mod tick;
mod why;

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
        Command::Cancel(args) => cancel::run(args, config),
        Command::Move(args) => move_event::run(args, config),
        Command::Plan => plan::run(config),
        Command::Roles(args) => roles::run(args, config),
        Command::Why(args) => why::run(args, config),
        Command::Attendees(args) => attendees::run(args, config),
        Command::Schema(args) => schema::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args, config),
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
        let text = json_document(&serde_json::json!({ "requests": planned }), false);
        println!("{}", client.scrub(&text));
    } else if planned.is_empty() {
        eprintln!("dry run: nothing to send");
    } else {
        print!("{}", client.scrub(&crate::discord::plan::render(&planned)));
    }
}

/// The outcome of write commands: one line per action on stdout (or JSON: on one line for
/// `tick`), and in a dry run the exact requests that were not sent. `reveal` lets the viewer
/// URL through.
fn report_actions(config: &Config, client: Option<&Client>, run: RunKind, reports: &[ActionReport]) {
    let RunKind {
        dry_run,
        reveal,
        one_line,
    } = run;
    let scrub = |text: String| match reveal {
        false => redact::scrub(&text).into_owned(),
        true => redact::scrub_token(&text).into_owned(),
    };
    let planned = client.map(Client::planned).unwrap_or_default();
    if config.json {
        let document = if dry_run {
            serde_json::json!({ "actions": reports, "requests": planned })
        } else {
            serde_json::json!({ "actions": reports })
        };
        println!("{}", scrub(json_document(&document, one_line)));
        return;
    }
    for report in reports {
        // A post or share brought up to date reads `event post  updated  …`.
        let (word, detail) = match report.detail.strip_prefix("updated: ") {
            Some(rest) if report.outcome == crate::state::Outcome::Done => ("updated", rest),
            _ => (outcome(report.outcome), report.detail.as_str()),
        };
        let line = format!("{}  {}  {word}  {detail}", report.event, report.subject());
        println!("{}", scrub(line));
    }
    if dry_run && !planned.is_empty() {
        println!("\n# dry run: these requests were not sent\n");
        print!("{}", scrub(crate::discord::plan::render(&planned)));
    }
}

/// How a write command ran, for its report.
#[derive(Debug, Clone, Copy, Default)]
struct RunKind {
    dry_run: bool,
    /// The viewer URL may be shown (`share --reveal`).
    reveal: bool,
    /// `--json` on one line (`tick`).
    one_line: bool,
}

fn outcome(outcome: crate::state::Outcome) -> &'static str {
    match outcome {
        crate::state::Outcome::Started => "started",
        crate::state::Outcome::Done => "done",
        crate::state::Outcome::Skipped => "skipped",
        crate::state::Outcome::Failed => "FAILED",
    }
}

/// A line of what a command did: on stdout for people, on stderr with `--json`, whose one
/// document stdout keeps.
fn say(config: &Config, line: &str) {
    if config.json {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

/// One JSON document on stdout, with no secret in it.
fn print_json<T: Serialize>(value: &T) {
    println!("{}", redact::scrub(&json_document(value, false)));
}

pub use crate::schema::JSON_VERSION;

/// A command's `--json` document: `version` first, then the command's own fields. `one_line`
/// for `tick`, whose log keeps one record per run.
pub fn json_document<T: Serialize + ?Sized>(value: &T, one_line: bool) -> String {
    #[derive(Serialize)]
    struct Versioned<'a, T: ?Sized> {
        version: u32,
        #[serde(flatten)]
        body: &'a T,
    }
    let document = Versioned {
        version: JSON_VERSION,
        body: value,
    };
    let text = match one_line {
        true => serde_json::to_string(&document),
        false => serde_json::to_string_pretty(&document),
    };
    text.expect("views serialize")
}
