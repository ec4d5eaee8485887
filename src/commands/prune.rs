//! `tsudoi roles prune [--before DATE] [--dry-run]`: delete the event roles tsudoi created, for
//! events that are over — what `tick` does `role_retention` after each end, by hand.

use chrono::{NaiveDate, TimeZone};

use super::{RunKind, connect, report_actions};
use crate::cli::PruneArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::{Directory, Event};
use crate::publish::{self, Shared};
use crate::render::templates::Templates;
use crate::state::{Held, LOCK_PATIENCE, Store};

pub fn run(args: &PruneArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let before = args.before.as_deref().map(parse_day).transpose()?;
    if before.is_none() && series.policy.role_retention.is_none() {
        return Err(Error::Usage {
            message: "which events? `role_retention` is \"keep\", so no event role is due for deletion"
                .into(),
            hint: "give `--before YYYY-MM-DD` (events that ended before that day), or set \
                   `role_retention = \"30d\"` under [policy] in tsudoi.toml"
                .into(),
        });
    }
    let store = Store::new(&config.dir);
    let due = |event: &Event| match before {
        Some(day) => event
            .starts_at
            .timezone()
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .earliest()
            .is_some_and(|midnight| event.ends_at <= midnight),
        None => publish::retired(event, config.now),
    };
    // Only events whose ledger names a role not deleted yet: the others have nothing to do.
    let candidates: Vec<&Event> = directory
        .events
        .iter()
        .filter(|e| due(e))
        .filter(|e| {
            store
                .peek(&e.id)
                .is_ok_and(|l| l.role.is_some_and(|r| r.pruned_at.is_none()))
        })
        .collect();
    if candidates.is_empty() {
        if config.verbosity >= 0 && !config.json {
            eprintln!("tsudoi: no event role to delete");
        }
        if config.json {
            report_actions(
                config,
                None,
                RunKind {
                    dry_run: args.dry_run,
                    reveal: false,
                    one_line: false,
                },
                &[],
            );
        }
        return Ok(());
    }
    let templates = Templates::load(&config.dir, series.language)
        .map_err(|problems| Error::BrokenTemplates { problems })?;
    let client = connect(config, args.dry_run)?;
    let shared = Shared {
        config,
        series,
        events: &directory.events,
        client: &client,
        templates: &templates,
        dry_run: args.dry_run,
    };
    let mut reports = Vec::new();
    for event in candidates {
        client.set_reason("roles prune", Some(&event.id));
        let mut held = Held::open(store.clone(), &event.id, LOCK_PATIENCE, args.dry_run)?;
        let ctx = shared.ctx(event);
        reports.push(match publish::prune(&ctx, &mut held) {
            Ok(report) => report,
            Err(error) => publish::failure(
                &ctx,
                &mut held,
                crate::schedule::timeline::Action::RolePrune,
                &error,
            ),
        });
    }
    report_actions(
        config,
        Some(&client),
        RunKind {
            dry_run: args.dry_run,
            reveal: false,
            one_line: false,
        },
        &reports,
    );
    match reports
        .iter()
        .filter(|r| r.outcome == crate::state::Outcome::Failed)
        .count()
    {
        0 => Ok(()),
        count => Err(Error::Reported { count }),
    }
}

fn parse_day(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| Error::Usage {
        message: format!("`{text}` is not a day"),
        hint: "write it as YYYY-MM-DD, e.g. `--before 2026-01-01`".into(),
    })
}
