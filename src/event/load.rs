//! Reading an event directory: `tsudoi.toml`, then every `<id>.toml` below it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::file::{EventFile, SeriesFile};
use super::resolve::{self, Problems};
use super::shape::FileKind;
use super::source;
use super::{Event, Series, Status, is_id_shaped, parse_id};
use crate::diag::{Diagnostic, Location};
use crate::error::Error;
use crate::parallel;

pub const SERIES_FILE: &str = "tsudoi.toml";

/// The event directory when neither `--dir` nor `TSUDOI_DIR` names one.
pub const DEFAULT_DIR: &str = "events";

/// Folders below the event directory that hold no event files.
const NOT_EVENTS: [&str; 1] = ["templates"];

/// Everything read from an event directory, usable or not.
#[derive(Debug)]
pub struct Directory {
    pub root: PathBuf,
    /// `None` when `tsudoi.toml` has errors.
    pub series: Option<Series>,
    /// The events that resolved, by start time.
    pub events: Vec<Event>,
    /// The event files that did not.
    pub broken: Vec<Broken>,
    /// Every problem found, errors and warnings, file by file.
    pub diagnostics: Vec<Diagnostic>,
}

/// An event file with errors: still listed, flagged.
#[derive(Debug, Clone)]
pub struct Broken {
    pub id: String,
    pub path: PathBuf,
    pub date: Option<NaiveDate>,
    pub problem: String,
}

impl Directory {
    pub fn load(root: &Path) -> Result<Self, Error> {
        Self::load_dated(root, |_| true)
    }

    /// Read only the event files whose id dates pass `wanted` (and no file that is not named
    /// by a date): `tick` reads the few events near now, not years of history.
    pub fn load_dated(root: &Path, wanted: impl Fn(NaiveDate) -> bool) -> Result<Self, Error> {
        let metadata = std::fs::metadata(root).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::NoDirectory {
                dir: root.to_path_buf(),
            },
            _ => Error::Io {
                path: root.to_path_buf(),
                source,
            },
        })?;
        if !metadata.is_dir() {
            return Err(Error::NotADirectory {
                path: root.to_path_buf(),
            });
        }
        let mut directory = Self {
            root: root.to_path_buf(),
            series: None,
            events: Vec::new(),
            broken: Vec::new(),
            diagnostics: Vec::new(),
        };
        let confined = source::Root::new(root);
        directory.series = directory.load_series(&confined);
        let wanted_id = |id: &str| {
            let dated = id.get(..10).and_then(|d| crate::time::parse_date(d).ok());
            dated.is_some_and(&wanted) || (dated.is_none() && wanted(NaiveDate::MIN))
        };
        let paths = event_files(root, wanted_id)?;
        // The names are checked in order (the first of two files with one id is the original);
        // the files are then read and resolved on every core, and merged back in that order.
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        let named: Vec<Named> = paths
            .iter()
            .map(|(path, plain)| Named::check(path, *plain, &mut seen))
            .collect();
        let series = directory.series.as_ref();
        let resolved = parallel::map(&named, |named| {
            let mut diagnostics = Vec::new();
            let event = named
                .problems
                .is_empty()
                .then(|| resolve_event(&confined, series, named, &mut diagnostics))
                .flatten();
            (event, diagnostics)
        });
        for (named, (event, diagnostics)) in named.into_iter().zip(resolved) {
            directory.add_event(named, event, diagnostics);
        }
        directory
            .events
            .sort_by(|a, b| (a.starts_at, &a.id).cmp(&(b.starts_at, &b.id)));
        directory.broken.sort_by(|a, b| a.id.cmp(&b.id));
        directory.check_overlaps();
        Ok(directory)
    }

    /// The series, or the error that explains why there is none.
    pub fn series(&self) -> Result<&Series, Error> {
        self.series.as_ref().ok_or_else(|| Error::BrokenSeries {
            path: self.root.join(SERIES_FILE),
            problems: self.error_diagnostics(),
        })
    }

    /// The errors among the diagnostics (warnings left out).
    pub fn error_diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect()
    }

    /// Stop when any file has an error: for commands whose output covers every event.
    pub fn require_clean(&self) -> Result<(), Error> {
        self.series()?;
        if self.errors() == 0 {
            return Ok(());
        }
        Err(Error::BrokenDirectory {
            problems: self.error_diagnostics(),
        })
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The event a command means when none is named: the next scheduled one that has not
    /// ended; with none, the most recent.
    pub fn default_event(&self, now: &chrono::DateTime<chrono::Utc>) -> Option<&Event> {
        let mut scheduled = self.events.iter().filter(|e| e.status == Status::Scheduled);
        let mut last = None;
        for event in &mut scheduled {
            if !event.has_ended(now) {
                return Some(event);
            }
            last = Some(event);
        }
        last
    }

    /// The event a page announces: the first scheduled or tentative one that has not ended.
    pub fn next_event(&self, now: &chrono::DateTime<chrono::Utc>) -> Option<&Event> {
        self.events
            .iter()
            .filter(|e| matches!(e.status, Status::Scheduled | Status::Tentative))
            .find(|e| !e.has_ended(now))
    }

    /// The most recent scheduled event that has ended.
    pub fn last_held(&self, now: &chrono::DateTime<chrono::Utc>) -> Option<&Event> {
        self.events
            .iter()
            .filter(|e| e.status == Status::Scheduled && e.has_ended(now))
            .max_by_key(|e| e.starts_at)
    }

    pub fn event(&self, id: &str) -> Result<&Event, Error> {
        if let Some(event) = self.events.iter().find(|e| e.id == id) {
            return Ok(event);
        }
        if let Some(broken) = self.broken.iter().find(|b| b.id == id) {
            return Err(Error::BrokenEvent {
                id: id.to_string(),
                problems: self
                    .diagnostics
                    .iter()
                    .filter(|d| d.path == broken.path && d.is_error())
                    .cloned()
                    .collect(),
            });
        }
        let ids: Vec<&str> = self.events.iter().map(|e| e.id.as_str()).collect();
        Err(Error::NoSuchEvent {
            id: id.to_string(),
            dir: self.root.clone(),
            suggestion: source::suggest(id, &ids).map(str::to_string),
        })
    }

    fn load_series(&mut self, root: &source::Root) -> Option<Series> {
        let path = self.root.join(SERIES_FILE);
        if !path.exists() {
            self.diagnostics.push(
                Diagnostic::error(&path, format!("`{}` has no {SERIES_FILE}", self.root.display())).help(
                    format!(
                        "run `tsudoi init {}` to write a commented one",
                        self.root.display()
                    ),
                ),
            );
            return None;
        }
        let source = match source::read(root, &path, "series") {
            Ok(source) => source,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                return None;
            }
        };
        let file: SeriesFile = match source.parse_all(&path, FileKind::Series) {
            Ok(file) => file,
            Err(mut problems) => {
                self.diagnostics.append(&mut problems);
                return None;
            }
        };
        let mut problems = Problems::new(&path, &source);
        let series = resolve::series(&path, &source, file, &mut problems);
        self.diagnostics.append(&mut problems.found);
        series
    }

    /// One event file's outcome, in the order of the files: a usable event, or a broken one
    /// with the first error as its problem.
    fn add_event(&mut self, named: Named, event: Option<Event>, mut resolved: Vec<Diagnostic>) {
        let before = self.diagnostics.len();
        self.diagnostics.extend(named.problems);
        self.diagnostics.append(&mut resolved);
        let found = &self.diagnostics[before..];
        match event {
            Some(event) if found.iter().all(|d| !d.is_error()) => self.events.push(event),
            _ => {
                let problem = found
                    .iter()
                    .find(|d| d.is_error())
                    .map_or_else(|| "has errors".to_string(), |d| d.message.clone());
                self.broken.push(Broken {
                    date: parse_id(&named.id).map(|(d, _)| d),
                    id: named.id,
                    path: named.path.to_path_buf(),
                    problem,
                });
            }
        }
    }

    /// Two events at once cannot both be announced, staffed or streamed: every pair is
    /// compared (a long event may overlap one that is not its neighbour), and both files of a
    /// pair are reported.
    fn check_overlaps(&mut self) {
        let mut found = Vec::new();
        // The events are sorted by start: once one starts after `first` ends, so do the rest,
        // and the pairs compared stay near n rather than n².
        for (index, first) in self.events.iter().enumerate() {
            let later = self.events[index + 1..]
                .iter()
                .take_while(|e| e.starts_at < first.ends_at);
            for second in later.filter(|e| first.overlaps(e)) {
                found.push(overlap(second, first));
                found.push(overlap(first, second));
            }
        }
        self.diagnostics.extend(found);
    }
}

/// An event file's id, taken from its name, and what is wrong with the name.
struct Named<'a> {
    path: &'a Path,
    /// The folder's listing showed a plain file (not a link, a pipe or a device).
    plain: bool,
    id: String,
    problems: Vec<Diagnostic>,
}

impl<'a> Named<'a> {
    /// `seen`: the ids of the files before this one, with their paths.
    fn check(path: &'a Path, plain: bool, seen: &mut BTreeMap<String, PathBuf>) -> Self {
        let id = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut problems = Vec::new();
        if !is_id_shaped(&id) {
            problems.push(
                Diagnostic::error(path, format!("`{id}` is not an event id"))
                    .help("name event files by date: `2026-02-17.toml`, or `2026-02-17-b.toml` for a second event that day"),
            );
        }
        if let Some(first) = seen.get(&id) {
            problems.push(
                Diagnostic::error(path, format!("the id `{id}` is also used by {}", first.display()))
                    .help("each event needs its own id; add a suffix such as `-b`"),
            );
        } else {
            seen.insert(id.clone(), path.to_path_buf());
        }
        Self {
            path,
            plain,
            id,
            problems,
        }
    }
}

/// Read, parse and resolve one event file; its problems go to `diagnostics`.
fn resolve_event(
    root: &source::Root,
    series: Option<&Series>,
    named: &Named,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Event> {
    let (id, path) = (named.id.as_str(), named.path);
    let source = match named.plain {
        true => source::read_listed_file(root, path, "event"),
        false => source::read(root, path, "event"),
    }
    .map_err(|d| diagnostics.push(d))
    .ok()?;
    let file: EventFile = source
        .parse_all(path, FileKind::Event)
        .map_err(|mut problems| diagnostics.append(&mut problems))
        .ok()?;
    let date_location = Location::of(&source.text, file.date.span());
    let mut problems = Problems::new(path, &source);
    let event = resolve::event(id, path, file, series, &mut problems);
    diagnostics.append(&mut problems.found);
    event.map(|event| Event {
        date_location: Some(date_location),
        ..event
    })
}

/// `event` overlaps `other`, located at `event`'s date.
fn overlap(event: &Event, other: &Event) -> Diagnostic {
    let mut d = Diagnostic::error(
        &event.path,
        format!(
            "`{}` overlaps `{}` ({}-{})",
            event.id,
            other.id,
            other.start.format("%H:%M"),
            other.end.format("%H:%M")
        ),
    )
    .help("move one of them, or set `status = \"cancelled\"` on the one that will not happen");
    d.location = event.date_location.clone();
    d
}

/// Resolve an event file's text as if it were on disk at `path`: what `create` writes is
/// checked by the same rules as `check`.
pub fn resolve_text(id: &str, path: &Path, text: String, series: &Series) -> Result<Event, Vec<Diagnostic>> {
    let source = source::Source { text };
    let file: EventFile = source.parse_all(path, FileKind::Event)?;
    let mut problems = Problems::new(path, &source);
    let event = resolve::event(id, path, file, Some(series), &mut problems);
    match event {
        Some(event) if !problems.has_errors() => Ok(event),
        _ => Err(problems.found),
    }
}

/// Every `*.toml` below `root` except the series file whose id (the name less `.toml`) is
/// `wanted`, skipping hidden folders (state) and templates, in a stable order.
fn event_files(root: &Path, wanted: impl Fn(&str) -> bool) -> Result<Vec<(PathBuf, bool)>, Error> {
    // Each folder with its `*.toml` names, and whether the listing shows each as a plain file;
    // a path is built only for what is kept.
    type Listed = Vec<(std::ffi::OsString, bool)>;
    let mut folders: Vec<(usize, PathBuf, Listed)> = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: dir.clone(),
                source,
            })?;
            let name = entry.file_name();
            let text = name.to_string_lossy();
            if text.starts_with('.') {
                continue;
            }
            let kind = entry.file_type();
            let is_dir = kind.as_ref().is_ok_and(|t| t.is_dir());
            if is_dir && !NOT_EVENTS.contains(&text.as_ref()) && !text.ends_with(".toml") {
                pending.push(entry.path());
                continue;
            }
            let Some(id) = text.strip_suffix(".toml") else {
                continue;
            };
            if wanted(id) && !(dir == root && text == SERIES_FILE) {
                let plain = kind.is_ok_and(|t| t.is_file());
                names.push((name, plain));
            }
        }
        let depth = dir.components().count() + 1;
        folders.push((depth, dir, names));
    }
    // Top-level files first: a copy in a subfolder is the duplicate, not the original. At
    // equal depth, (folder, name) orders as the whole path does; sorting the few folders and
    // then the names in each compares names as bytes, not paths component by component (at
    // 10,000 files that was half of `tick`'s time).
    folders.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut found = Vec::with_capacity(folders.iter().map(|f| f.2.len()).sum());
    for (_, dir, mut names) in folders {
        names.sort_unstable();
        found.extend(names.into_iter().map(|(name, plain)| (dir.join(name), plain)));
    }
    Ok(found)
}
