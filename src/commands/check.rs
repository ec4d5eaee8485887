//! `tsudoi check`: every problem in every file, located; exit 1 if any is an error.

use serde::Serialize;

use super::print_json;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::discord::redact;
use crate::error::Error;
use crate::event::Directory;
use crate::render::context::Page;
use crate::render::templates::Templates;
use crate::render::{self, Format, RenderError};

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    events: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(config: &Config) -> Result<(), Error> {
    let mut directory = Directory::load(&config.dir)?;
    let template_problems = check_templates(&directory, config);
    directory.diagnostics.extend(template_problems);
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

/// Templates must compile, and render for the next event (or the last one): an unknown
/// variable or bad markup is found here, not at posting time.
fn check_templates(directory: &Directory, config: &Config) -> Vec<Diagnostic> {
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
    let mut context = Page::new(series, &directory.events, event, config.now);
    context.share.role_mention = "<@&1>".into();
    context.share.url = "https://viewer.example/".into();
    let results = [
        ("page.j2", render::page(&templates, &context, Format::Rst).err()),
        ("post.j2", render::post(&templates, &context).err()),
        ("share.j2", render::notice(&templates, "share.j2", &context).err()),
        ("onair.j2", render::notice(&templates, "onair.j2", &context).err()),
        (
            "closed.j2",
            render::notice(&templates, "closed.j2", &context).err(),
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
