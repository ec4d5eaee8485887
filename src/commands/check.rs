//! `tsudoi check`: every problem in every file, located; exit 1 if any is an error.

use serde::Serialize;

use super::print_json;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::event::Directory;

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    events: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let errors = directory.errors();
    let report = Report {
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
            eprint!("{}", diagnostic.render(config.paint));
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
