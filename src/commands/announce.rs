//! `tsudoi announce [ID]`: the series page or the event post, from the templates; the calendar feed.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::calendar::{self, Scope};
use super::print_json;
use crate::atomic;
use crate::cli::{AnnounceArgs, FormatArg};
use crate::config::Config;
use crate::discord::TokenSource;
use crate::error::Error;
use crate::event::{Directory, Event, PageDef, Series, ViewerUrlSource};
use crate::render::context::Page;
use crate::render::templates::{self, Templates};
use crate::render::{self, ExportFormat};

/// `--json`: the text (`messages` too for `discord`), or where `-o` wrote it.
#[derive(Serialize)]
struct Document<'a> {
    /// The event a page or post is about (not for a feed of several).
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    /// What `--format` asked for: `rst`, `markdown`, `text`, `discord` or `ics`.
    format: &'static str,
    /// `ics`: the events in the feed.
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    /// `discord`: the post as Discord messages, each at most 2000 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<&'a [String]>,
    /// `-o FILE`: where the text was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a Path>,
    /// `--all-pages`: each `[[pages]]` entry and where it was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pages: Option<&'a [Written]>,
}

/// One page `--all-pages` wrote.
#[derive(Serialize)]
struct Written {
    name: String,
    path: PathBuf,
}

/// What one announce produced, before it is written out.
struct Made {
    text: String,
    /// The event it is about; `None` for a feed of several.
    id: Option<String>,
    messages: Option<Vec<String>>,
    events: Option<Vec<String>>,
}

/// What `--format` asks for: the event post as Discord messages, an exported document, or
/// the calendar feed.
enum Output {
    Post,
    Export(ExportFormat),
    Calendar,
}

impl From<FormatArg> for Output {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Discord => Self::Post,
            FormatArg::Rst => Self::Export(ExportFormat::Rst),
            FormatArg::Markdown => Self::Export(ExportFormat::Markdown),
            FormatArg::Text => Self::Export(ExportFormat::Text),
            FormatArg::Ics => Self::Calendar,
        }
    }
}

pub fn run(args: &AnnounceArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    // The page lists every held event: a broken file would silently drop one from 過去.
    directory.require_clean()?;
    let output = Output::from(args.format);
    if args.all && !matches!(output, Output::Calendar) {
        return Err(Error::AllIsForCalendar);
    }
    if args.page.is_some() || args.all_pages {
        let Output::Export(format) = output else {
            return Err(Error::Usage {
                message: "--page and --all-pages render pages; --format discord and ics are not pages".into(),
                hint: "use --format rst, markdown or text with --page or --all-pages".into(),
            });
        };
        return pages(&directory, series, format, args, config);
    }
    let made = match output {
        Output::Calendar => {
            let scope = match args.all {
                true => Scope::All,
                false => Scope::One(args.id.as_deref()),
            };
            let feed = calendar::feed(&directory, series, scope, config)?;
            Made {
                text: feed.text,
                id: (feed.events.len() == 1).then(|| feed.events[0].clone()),
                messages: None,
                events: Some(feed.events),
            }
        }
        Output::Post => {
            let (event, templates, context) = prepare(&directory, series, args, config, false)?;
            let messages = render::post(&templates, &context).map_err(Error::from)?;
            Made {
                text: messages.join("\n\n") + "\n",
                id: Some(event.id.clone()),
                messages: Some(messages),
                events: None,
            }
        }
        Output::Export(format) => {
            let (event, templates, context) = prepare(&directory, series, args, config, true)?;
            Made {
                text: render::export(&templates, &context, format).map_err(Error::from)?,
                id: Some(event.id.clone()),
                messages: None,
                events: None,
            }
        }
    };
    deliver(&made, &directory, args, config)
}

/// The event a page or post is about (the one named, or the next), the templates and what
/// they see. With nothing upcoming, a page says so (`next` empty, the last held event kept as
/// `event` for older templates); a post needs an event.
fn prepare<'a>(
    directory: &'a Directory,
    series: &Series,
    args: &AnnounceArgs,
    config: &Config,
    page: bool,
) -> Result<(&'a Event, Templates, Page), Error> {
    let (event, next) = match &args.id {
        Some(id) => (directory.event(id)?, true),
        None => match directory.next_event(&config.now) {
            Some(event) => (event, true),
            None if page => (
                directory.last_held(&config.now).ok_or(Error::NothingToAnnounce)?,
                false,
            ),
            None => (
                directory
                    .default_event(&config.now)
                    .ok_or(Error::NothingToAnnounce)?,
                true,
            ),
        },
    };
    let templates = Templates::load(&config.dir, series.language)
        .map_err(|problems| Error::BrokenTemplates { problems })?;
    let context = match next {
        true => Page::new(series, &directory.events, event, config.now),
        false => Page::nothing_scheduled(series, &directory.events, event, config.now),
    };
    Ok((event, templates, context))
}

/// `--page NAME` (one `[[pages]]` entry, to stdout or `-o`) or `--all-pages -o DIR` (every
/// entry into its file under DIR). Every page is rendered before any is written: a broken
/// template writes nothing.
fn pages(
    directory: &Directory,
    series: &Series,
    format: ExportFormat,
    args: &AnnounceArgs,
    config: &Config,
) -> Result<(), Error> {
    let chosen: Vec<&PageDef> = match &args.page {
        Some(name) => vec![find_page(series, name)?],
        None if series.pages.is_empty() => {
            return Err(Error::UnknownPage {
                name: "(any)".into(),
                known: Vec::new(),
            });
        }
        None => series.pages.iter().collect(),
    };
    let mut rendered = Vec::new();
    for def in chosen {
        let (event, templates, mut page) = prepare(directory, series, args, config, true)?;
        if !templates.has(&def.template) {
            return Err(Error::MissingPageTemplate {
                name: def.name.clone(),
                template: def.template.clone(),
            });
        }
        page.keep_past(|date| def.holds(date));
        let text = render::export_template(&templates, &def.template, &page, format).map_err(Error::from)?;
        rendered.push((def, event.id.clone(), text));
    }
    if args.page.is_some() {
        let (def, id, text) = rendered.pop().expect("one page");
        let made = Made {
            text,
            id: Some(id),
            messages: None,
            events: None,
        };
        let _ = def;
        return deliver(&made, directory, args, config);
    }
    let dir = args.output.as_deref().expect("clap requires -o with --all-pages");
    let mut written = Vec::new();
    for (def, _, text) in &rendered {
        let path = dir.join(&def.output);
        refuse_inputs(&path, directory, config)?;
        written.push(Written {
            name: def.name.clone(),
            path,
        });
        let _ = text;
    }
    for ((_, _, text), page) in rendered.iter().zip(&written) {
        if let Some(parent) = page.path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        atomic::replace(&page.path, &crate::discord::redact::scrub(text))?;
        if config.verbosity >= 0 && !config.json {
            eprintln!("wrote {} ({})", page.path.display(), page.name);
        }
    }
    if config.json {
        print_json(&Document {
            id: None,
            format: format_name(args.format),
            events: None,
            text: None,
            messages: None,
            path: None,
            pages: Some(&written),
        });
    }
    Ok(())
}

fn find_page<'a>(series: &'a Series, name: &str) -> Result<&'a PageDef, Error> {
    series
        .pages
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| Error::UnknownPage {
            name: name.to_string(),
            known: series.pages.iter().map(|p| p.name.clone()).collect(),
        })
}

/// Write the text to `-o` (never over an input) or stdout; with `--json`, one document that
/// holds the text, or says where `-o` wrote it.
fn deliver(made: &Made, directory: &Directory, args: &AnnounceArgs, config: &Config) -> Result<(), Error> {
    // A page or a post is published: no secret this process knows goes into it.
    let text = crate::discord::redact::scrub(&made.text);
    // `-o -` is stdout, as for most tools.
    let output_path = args.output.as_deref().filter(|p| *p != Path::new("-"));
    if let Some(path) = output_path {
        refuse_inputs(path, directory, config)?;
        atomic::replace(path, &text)?;
        if config.verbosity >= 0 && !config.json {
            let label = match (&made.id, &made.events) {
                (Some(id), _) => id.clone(),
                (None, Some(events)) => format!("{} events", events.len()),
                (None, None) => String::new(),
            };
            eprintln!("wrote {} ({label})", path.display());
        }
    }
    if config.json {
        let written = output_path.is_some();
        print_json(&Document {
            id: made.id.as_deref(),
            format: format_name(args.format),
            events: made.events.as_deref(),
            text: (!written).then_some(&*text),
            messages: made.messages.as_deref().filter(|_| !written),
            path: output_path,
            pages: None,
        });
    } else if output_path.is_none() {
        print!("{text}");
    }
    Ok(())
}

/// `-o` never writes over what the event directory reads: the series file, an event file (one
/// made later included: any `.toml` in it), a template, the state, a viewer URL file, or the
/// token file.
fn refuse_inputs(path: &Path, directory: &Directory, config: &Config) -> Result<(), Error> {
    let Some(target) = real_path(path) else {
        return Ok(());
    };
    let Ok(root) = directory.root.canonicalize() else {
        return Ok(());
    };
    let url_files = directory.events.iter().filter_map(|e| match &e.viewer_url {
        Some(ViewerUrlSource::File(file)) => Some(file),
        _ => None,
    });
    let token_file = match &config.token {
        TokenSource::File(file) => Some(file),
        _ => None,
    };
    let inputs = directory
        .events
        .iter()
        .map(|e| &e.path)
        .chain(directory.broken.iter().map(|b| &b.path))
        .chain(url_files)
        .chain(token_file)
        .filter_map(|p| p.canonicalize().ok());
    let read_by_tsudoi = target.starts_with(root.join(templates::FOLDER))
        || target.starts_with(root.join(crate::state::FOLDER))
        || (target.starts_with(&root) && target.extension().is_some_and(|e| e == "toml"))
        || inputs.into_iter().any(|input| input == target);
    if !read_by_tsudoi {
        return Ok(());
    }
    Err(Error::OutputIsInput {
        path: path.to_path_buf(),
        dir: directory.root.clone(),
    })
}

/// Where `path` really is (links followed), also when it or its folders do not exist yet.
fn real_path(path: &Path) -> Option<PathBuf> {
    let path = std::path::absolute(path).ok()?;
    let mut missing = Vec::new();
    let mut existing = path.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Some(missing.iter().rev().fold(real, |real, part| real.join(part)));
        }
        missing.push(existing.file_name()?);
        existing = existing.parent()?;
    }
}

fn format_name(format: FormatArg) -> &'static str {
    match format {
        FormatArg::Discord => "discord",
        FormatArg::Rst => "rst",
        FormatArg::Markdown => "markdown",
        FormatArg::Text => "text",
        FormatArg::Ics => "ics",
    }
}
