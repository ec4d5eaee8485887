//! `tsudoi announce [ID]`: the series page or the event post, from the templates.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::print_json;
use crate::atomic;
use crate::cli::{AnnounceArgs, FormatArg};
use crate::config::Config;
use crate::discord::TokenSource;
use crate::error::Error;
use crate::event::{Directory, PageDef, Series, ViewerUrlSource};
use crate::render::context::Page;
use crate::render::templates::{self, Templates};
use crate::render::{self, ExportFormat};

#[derive(Serialize)]
struct Document<'a> {
    id: &'a str,
    format: ExportFormat,
    text: &'a str,
}

/// What `--format` asks for: the event post as Discord messages, or an exported document.
enum Output {
    Post,
    Export(ExportFormat),
}

impl From<FormatArg> for Output {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Discord => Self::Post,
            FormatArg::Rst => Self::Export(ExportFormat::Rst),
            FormatArg::Markdown => Self::Export(ExportFormat::Markdown),
            FormatArg::Text => Self::Export(ExportFormat::Text),
        }
    }
}

pub fn run(args: &AnnounceArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    // The page lists every held event: a broken file would silently drop one from 過去.
    directory.require_clean()?;
    let page_format = !matches!(args.format, FormatArg::Discord);
    let (event, next) = match &args.id {
        Some(id) => (directory.event(id)?, true),
        None => match directory.next_event(&config.now) {
            Some(event) => (event, true),
            // A page with nothing upcoming says so; a post needs an event.
            None if page_format => (
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
    let context = || {
        if next {
            Page::new(series, &directory.events, event, config.now)
        } else {
            Page::nothing_scheduled(series, &directory.events, event, config.now)
        }
    };
    let export = match Output::from(args.format) {
        Output::Export(format) => Some(format),
        Output::Post => None,
    };
    if args.all_pages {
        let format = export.ok_or(Error::Usage {
            message: "--all-pages writes pages; --format discord is the event post".into(),
            hint: "use --format rst, markdown or text with --all-pages".into(),
        })?;
        return all_pages(series, &directory, &templates, &context, format, args, config);
    }
    if let Some(name) = &args.page {
        let format = export.ok_or(Error::Usage {
            message: "--page renders a page; --format discord is the event post".into(),
            hint: "use --format rst, markdown or text with --page".into(),
        })?;
        let def = find_page(series, &templates, name)?;
        let mut page = context();
        page.keep_past(|date| def.holds(date));
        let text = render::export_template(&templates, &def.template, &page, format).map_err(Error::from)?;
        let text = if config.json {
            json(&Document {
                id: &event.id,
                format,
                text: &text,
            })
        } else {
            text
        };
        return emit(&text, args.output.as_deref(), &directory, config, name);
    }
    let context = context();
    let output = match Output::from(args.format) {
        Output::Post => {
            let messages = render::post(&templates, &context).map_err(Error::from)?;
            if config.json {
                json(&messages)
            } else {
                messages.join("\n\n") + "\n"
            }
        }
        Output::Export(format) => {
            let text = render::export(&templates, &context, format).map_err(Error::from)?;
            if config.json {
                json(&Document {
                    id: &event.id,
                    format,
                    text: &text,
                })
            } else {
                text
            }
        }
    };
    emit(&output, args.output.as_deref(), &directory, config, &event.id)
}

/// Print the text, or write it to `-o` (never over an input).
fn emit(
    output: &str,
    to: Option<&Path>,
    directory: &Directory,
    config: &Config,
    what: &str,
) -> Result<(), Error> {
    // A page or a post is published: no secret this process knows goes into it.
    let output = crate::discord::redact::scrub(output);
    // `-o -` is stdout, as for most tools.
    let output_path = to.filter(|p| *p != Path::new("-"));
    if let Some(path) = output_path {
        refuse_inputs(path, directory, config)?;
    }
    match output_path {
        Some(path) => {
            atomic::replace(path, &output)?;
            if config.verbosity >= 0 {
                eprintln!("wrote {} ({what})", path.display());
            }
        }
        None if config.json => print_json(&serde_json::from_str::<serde_json::Value>(&output).expect("json")),
        None => print!("{output}"),
    }
    Ok(())
}

fn find_page<'a>(series: &'a Series, templates: &Templates, name: &str) -> Result<&'a PageDef, Error> {
    let def = series
        .pages
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| Error::UnknownPage {
            name: name.to_string(),
            known: series.pages.iter().map(|p| p.name.clone()).collect(),
        })?;
    if !templates.has(&def.template) {
        return Err(Error::MissingPageTemplate {
            name: def.name.clone(),
            template: def.template.clone(),
        });
    }
    Ok(def)
}

/// `--all-pages -o DIR`: every `[[pages]]` entry into its file under DIR. Every page is
/// rendered before any is written: a broken template writes nothing.
fn all_pages(
    series: &Series,
    directory: &Directory,
    templates: &Templates,
    context: &dyn Fn() -> Page,
    format: ExportFormat,
    args: &AnnounceArgs,
    config: &Config,
) -> Result<(), Error> {
    let dir = args.output.as_deref().expect("clap requires -o with --all-pages");
    if series.pages.is_empty() {
        return Err(Error::UnknownPage {
            name: "(any)".into(),
            known: Vec::new(),
        });
    }
    let mut rendered = Vec::new();
    for def in &series.pages {
        find_page(series, templates, &def.name)?;
        let mut page = context();
        page.keep_past(|date| def.holds(date));
        let text = render::export_template(templates, &def.template, &page, format).map_err(Error::from)?;
        let path = dir.join(&def.output);
        refuse_inputs(&path, directory, config)?;
        rendered.push((path, text, &def.name));
    }
    for (path, text, name) in rendered {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        emit(&text, Some(&path), directory, config, name)?;
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

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("views serialize") + "\n"
}
