//! `tsudoi check`: every problem in every file, located; exit 1 if any is an error.

use serde::Serialize;

use super::print_json;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::discord::redact;
use crate::error::Error;
use crate::event::{Directory, Event, Status};
use crate::readiness;
use crate::render::context::Pages;
use crate::render::templates::Templates;
use crate::render::{self, ExportFormat, RenderError};
use crate::state::Store;

/// A post longer than this many Discord messages is a wall in the sign-up channel.
const POST_MESSAGES_WARN: usize = 5;

#[derive(Serialize)]
struct CheckView<'a> {
    ok: bool,
    events: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(config: &Config) -> Result<(), Error> {
    let mut directory = Directory::load(&config.dir)?;
    // The pages for the next event and for each one to come list the same held events: their
    // views are built once.
    let mut pages = Pages::default();
    let template_problems = check_templates(&directory, config, &mut pages);
    let soon = early_warnings(&directory, config);
    let long = long_posts(&directory, config, &mut pages);
    drop(pages);
    directory.diagnostics.extend(template_problems);
    directory.diagnostics.extend(soon);
    directory.diagnostics.extend(long);
    let orphans = crate::publish::orphans(&directory.root)
        .into_iter()
        .map(|(id, ledger)| {
            let error = Error::OrphanLedger {
                id,
                ledger: ledger.clone(),
            };
            Diagnostic::error(&ledger, error.to_string()).help(error.hint().unwrap_or_default())
        });
    directory.diagnostics.extend(orphans);
    let errors = directory.errors();
    let report = CheckView {
        ok: errors == 0,
        events: directory.events.len() + directory.broken.len(),
        errors,
        warnings: directory.diagnostics.len() - errors,
        diagnostics: &directory.diagnostics,
    };
    if config.json {
        print_json(&report);
    }
    if config.verbosity >= 0 || errors > 0 {
        for diagnostic in &directory.diagnostics {
            eprint!("{}", redact::scrub(&diagnostic.render(config.paint)));
        }
    }
    if config.verbosity >= 0 {
        eprintln!(
            "checked {} and {} event file(s): {} error(s), {} warning(s)",
            crate::event::load::SERIES_FILE,
            report.events,
            report.errors,
            report.warnings
        );
    }
    if errors > 0 {
        Err(Error::Reported { count: errors })
    } else {
        Ok(())
    }
}

/// Problems with the next events that would stop an action on the day, while there is time
/// to fix them. Warnings: `check` still exits 0 for them.
fn early_warnings(directory: &Directory, config: &Config) -> Vec<Diagnostic> {
    let store = Store::new(&directory.root);
    directory
        .events
        .iter()
        .filter(|e| readiness::is_near(e, config.now))
        .flat_map(|event| {
            // A damaged ledger is tick's to report; here it only means no post is known.
            let ledger = store.peek(&event.id).unwrap_or_default();
            readiness::warnings(event, &ledger, config.now, |name| config.env_var(name))
                .into_iter()
                .map(|w| located(event, Diagnostic::warning(&w.path, w.message).help(w.fix)))
        })
        .collect()
}

/// Every event still to come whose post would take more than a few Discord messages.
fn long_posts<'a>(directory: &'a Directory, config: &Config, pages: &mut Pages<'a>) -> Vec<Diagnostic> {
    let Some(series) = &directory.series else {
        return Vec::new();
    };
    let Ok(templates) = Templates::load(&directory.root, series.language) else {
        return Vec::new();
    };
    let upcoming = directory
        .events
        .iter()
        .filter(|e| e.status != Status::Cancelled && !e.has_ended(&config.now));
    upcoming
        .filter_map(|event| {
            let page = pages.page(series, &directory.events, event, config.now);
            let count = render::post(&templates, &page).ok()?.len();
            (count > POST_MESSAGES_WARN).then(|| {
                let message = format!(
                    "the event post of `{}` takes {count} Discord messages (more than {POST_MESSAGES_WARN})",
                    event.id
                );
                let fix = "shorten the notes or the agenda, or link to the announcement page for the details";
                located(event, Diagnostic::warning(&event.path, message).help(fix))
            })
        })
        .collect()
}

fn located(event: &Event, mut diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.location = event.date_location.clone();
    diagnostic
}

/// Templates must compile, and render for the next event (or the last one): an unknown
/// variable or bad markup is found here, not at posting time.
fn check_templates<'a>(directory: &'a Directory, config: &Config, pages: &mut Pages<'a>) -> Vec<Diagnostic> {
    let Some(series) = &directory.series else {
        return Vec::new();
    };
    let templates = match Templates::load(&directory.root, series.language) {
        Ok(templates) => templates,
        Err(problems) => return problems,
    };
    let Some(event) = directory.default_event(&config.now) else {
        return Vec::new();
    };
    let mut context = pages.page(series, &directory.events, event, config.now);
    context.share.role_mention = "<@&1>".into();
    context.share.url = "https://viewer.example/".into();
    let results = [
        (
            "page.j2",
            render::export(&templates, &context, ExportFormat::Rst).err(),
        ),
        ("post.j2", render::post(&templates, &context).err()),
        ("share.j2", render::notice(&templates, "share.j2", &context).err()),
        ("onair.j2", render::notice(&templates, "onair.j2", &context).err()),
        (
            "closed.j2",
            render::notice(&templates, "closed.j2", &context).err(),
        ),
        (
            "remind.j2",
            render::notice(&templates, "remind.j2", &context).err(),
        ),
    ];
    results
        .into_iter()
        .filter_map(|(name, error)| {
            let origin: std::path::PathBuf = templates
                .origin(name)
                .map_or_else(|| format!("(built-in {name})").into(), Into::into);
            match error? {
                RenderError::Template(problem) => Some(problem),
                other => Some(Diagnostic::error(&origin, other.to_string())),
            }
        })
        .collect()
}
