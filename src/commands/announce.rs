//! `tsudoi announce [ID]`: the series page or the event post, from the templates.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::print_json;
use crate::atomic;
use crate::cli::{AnnounceArgs, FormatArg};
use crate::config::Config;
use crate::discord::TokenSource;
use crate::error::Error;
use crate::event::{Directory, ViewerUrlSource};
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
    let context = if next {
        Page::new(series, &directory.events, event, config.now)
    } else {
        Page::nothing_scheduled(series, &directory.events, event, config.now)
    };
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
    // A page or a post is published: no secret this process knows goes into it.
    let output = crate::discord::redact::scrub(&output);
    // `-o -` is stdout, as for most tools.
    let output_path = args.output.as_deref().filter(|p| *p != Path::new("-"));
    if let Some(path) = output_path {
        refuse_inputs(path, &directory, config)?;
    }
    match output_path {
        Some(path) => {
            atomic::replace(path, &output)?;
            if config.verbosity >= 0 {
                eprintln!("wrote {} ({})", path.display(), event.id);
            }
        }
        None if config.json => print_json(&serde_json::from_str::<serde_json::Value>(&output).expect("json")),
        None => print!("{output}"),
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
