//! `tsudoi import PAGE.rst`: an existing page becomes an event directory. Nothing is
//! overwritten; `--dry-run` writes nothing; after writing, the page is rendered again and
//! every line that differs from the original is listed.

use std::path::{Path, PathBuf};

use crate::atomic;
use crate::cli::ImportArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::Directory;
use crate::event::write::{Comments, to_toml};
use crate::import::{self, Imported};
use crate::render::context::Page;
use crate::render::templates::{FOLDER, Templates};
use crate::render::{self, ExportFormat};

pub fn run(args: &ImportArgs, config: &Config) -> Result<(), Error> {
    let text = std::fs::read_to_string(&args.page).map_err(|source| Error::Io {
        path: args.page.clone(),
        source,
    })?;
    let into = args.into.clone().unwrap_or_else(|| config.dir.clone());
    let today = config.now.with_timezone(&chrono_tz::Asia::Tokyo).date_naive();
    let imported = import::import(&text, today);
    if imported.events.is_empty() {
        return Err(Error::NothingToImport {
            path: args.page.clone(),
        });
    }
    let files = files(&imported, &into);
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(path, _)| path.clone())
        .filter(|path| path.symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(Error::ImportWouldOverwrite { paths: existing });
    }
    report(&imported);
    if args.dry_run {
        for (path, _) in &files {
            println!("would write {}", path.display());
        }
        return Ok(());
    }
    for (path, contents) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        atomic::create_new(path, contents)?;
        println!("wrote {}", path.display());
    }
    let rendered = render_page(&into, config)?;
    let differences = import::round_trip::compare(&text, &rendered);
    println!(
        "round trip: {} of {} normalized lines equal ({:.1} %)",
        differences.equal,
        differences.total,
        differences.percent()
    );
    for d in &differences.lines {
        println!("  {d}");
    }
    Ok(())
}

/// Every file the import writes, with its contents.
fn files(imported: &Imported, into: &Path) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        (into.join("tsudoi.toml"), imported.series.clone()),
        (into.join(FOLDER).join("page.j2"), imported.template.clone()),
    ];
    let mut ids: Vec<String> = Vec::new();
    for event in &imported.events {
        let mut id = event.date.to_string();
        let mut n = 1;
        while ids.contains(&id) {
            n += 1;
            id = format!("{}-{}", event.date, char::from(b'a' + n - 1));
        }
        ids.push(id.clone());
        let comments = Comments {
            header: vec![format!("{} (imported)", event.date)],
            ..Comments::default()
        };
        files.push((into.join(format!("{id}.toml")), to_toml(event, &comments)));
    }
    files
}

fn report(imported: &Imported) {
    println!("mapped:");
    for line in &imported.mapped {
        println!("  {line}");
    }
    if imported.unmapped.is_empty() {
        println!("every line was mapped");
    } else {
        println!("not mapped:");
        for s in &imported.unmapped {
            println!("  line {}: {} — {}", s.line, s.text.trim(), s.reason);
        }
    }
}

/// The page as `announce` renders it from what was just written.
fn render_page(into: &Path, config: &Config) -> Result<String, Error> {
    let directory = Directory::load(into)?;
    let series = directory.series()?;
    directory.require_clean()?;
    let templates =
        Templates::load(into, series.language).map_err(|problems| Error::BrokenTemplates { problems })?;
    let page = match directory.next_event(&config.now) {
        Some(event) => Page::new(series, &directory.events, event, config.now),
        None => {
            let last = directory.last_held(&config.now).ok_or(Error::NothingToAnnounce)?;
            Page::nothing_scheduled(series, &directory.events, last, config.now)
        }
    };
    Ok(render::export(&templates, &page, ExportFormat::Rst)?)
}
