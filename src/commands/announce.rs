//! `tsudoi announce [ID]`: the series page or the event post, from the templates.

use serde::Serialize;

use super::print_json;
use crate::atomic;
use crate::cli::AnnounceArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::Directory;
use crate::render::context::Page;
use crate::render::templates::Templates;
use crate::render::{self, Format, RenderError};

#[derive(Serialize)]
struct Document<'a> {
    id: &'a str,
    format: Format,
    text: &'a str,
}

pub fn run(args: &AnnounceArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    // The page lists every held event: a broken file would silently drop one from 過去.
    directory.require_clean()?;
    let event = match &args.id {
        Some(id) => directory.event(id)?,
        None => directory.default_event(&config.now).ok_or_else(|| {
            Error::invalid(
                "there is no scheduled event to announce",
                "name one: `tsudoi announce ID`",
            )
        })?,
    };
    let templates = Templates::load(&config.dir, series.language)
        .map_err(|problems| Error::BrokenTemplates { problems })?;
    let context = Page::new(series, &directory.events, event, config.now);
    let output = match args.format {
        Format::Discord => {
            let messages = render::post(&templates, &context).map_err(render_error)?;
            if config.json {
                json(&messages)
            } else {
                messages.join("\n\n") + "\n"
            }
        }
        format => {
            let text = render::page(&templates, &context, format).map_err(render_error)?;
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
    match &args.output {
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

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("views serialize") + "\n"
}

fn render_error(error: RenderError) -> Error {
    match error {
        RenderError::Template(problem) => Error::BrokenTemplates {
            problems: vec![problem],
        },
        other => Error::invalid(other.to_string(), "fix the template or the event text it shows"),
    }
}
