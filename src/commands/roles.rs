//! `tsudoi roles ID [--dry-run]`: run the role grants for one event under its lock, close the
//! share channel to the roles of events that have ended, then show every decision and why.

use std::io::IsTerminal;

use super::{connect, print_json, print_plan};
use crate::cli::RolesArgs;
use crate::config::Config;
use crate::discord::{Client, redact};
use crate::error::Error;
use crate::event::{Directory, Event};
use crate::output::table;
use crate::publish::Shared;
use crate::render::templates::Templates;
use crate::roles::{self, RolesReport};
use crate::state::{Held, LOCK_PATIENCE, Store};

pub fn run(args: &RolesArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let event = directory.event(&args.id)?;
    let store = Store::new(&config.dir);
    let mut held = Held::open(store, &event.id, LOCK_PATIENCE, args.dry_run)?;
    let before = held.ledger.clone();
    let client = match roles::signup_post::known(event, &held.ledger) {
        Ok(_) => connect(config, args.dry_run)?,
        Err(error) => {
            let client = connect(config, args.dry_run)?;
            if !adopt_post(config, &directory, event, &client, &mut held, args.dry_run)? {
                return Err(error.into());
            }
            client
        }
    };
    let ledger = &mut held.ledger;
    let post = roles::resolve_post(&client, series, event, ledger)?;
    let progress = config.verbosity >= 0 && std::io::stderr().is_terminal();
    let run = roles::Run {
        client: &client,
        series,
        event,
        post: &post,
        now: config.now,
        progress,
    };
    let mut report = roles::run(&run, ledger)?;
    roles::close_ended(&client, series, &directory.events, config.now, &mut report);
    if args.dry_run {
        print_plan(config, &client);
        if !config.json && config.verbosity >= 0 {
            eprint!("{}", redact::scrub(&render(&report)));
        }
        return Ok(());
    }
    if held.ledger != before {
        held.save()?;
    }
    if config.json {
        print_json(&report);
    } else {
        print!("{}", redact::scrub(&render(&report)));
    }
    explain_failures(config, &report);
    match report.failures.len() {
        0 => Ok(()),
        count => Err(Error::Reported { count }),
    }
}

/// The event post missing from the ledger (a lost `.state/`), looked for on Discord and
/// recorded as adopted when found; whether it was.
fn adopt_post(
    config: &Config,
    directory: &Directory,
    event: &Event,
    client: &Client,
    held: &mut Held,
    dry_run: bool,
) -> Result<bool, Error> {
    let series = directory.series()?;
    let templates = Templates::load(&config.dir, series.language)
        .map_err(|problems| Error::BrokenTemplates { problems })?;
    let shared = Shared {
        config,
        series,
        events: &directory.events,
        client,
        templates: &templates,
        dry_run,
    };
    let ctx = shared.ctx(event);
    let found = crate::publish::find_post(&ctx, held)?;
    if let Some(report) = &found
        && config.verbosity >= 0
    {
        eprintln!("tsudoi: event post: {}", report.detail);
    }
    Ok(found.is_some())
}

/// The table of decisions, then the counts.
fn render(report: &RolesReport) -> String {
    let mut rows = table(&["USER", "DECISION", "REASON"]);
    for row in &report.users {
        let mut reason = row.reason.clone();
        if let Some(error) = &row.error {
            reason.push_str(&format!("\n{error}"));
        }
        rows.add_row(vec![
            format!("{} ({})", row.name, row.user_id),
            row.decision.as_str().to_string(),
            reason,
        ]);
    }
    let c = &report.counts;
    let granted = if report.dry_run { "would grant" } else { "granted" };
    let mut text = format!(
        "{rows}\n{} considered: {} {granted}, {} already had, {} rejected, {} failed\n",
        c.considered, c.granted, c.already_had, c.rejected, c.failed
    );
    for line in report.closed_lines() {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn explain_failures(config: &Config, report: &RolesReport) {
    if config.verbosity < 0 && report.failures.is_empty() {
        return;
    }
    for note in &report.notes {
        eprintln!(
            "tsudoi: {}: {}",
            config.paint.warning("warning"),
            redact::scrub(note)
        );
    }
    for failure in &report.failures {
        eprintln!(
            "tsudoi: {}: {} failed: {}",
            config.paint.error("error"),
            failure.action,
            redact::scrub(&failure.error)
        );
        if let Some(hint) = &failure.hint {
            eprintln!("  hint: {}", redact::scrub(hint));
        }
    }
}
