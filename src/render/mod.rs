//! Announcement text: templates produce tsudoi markup ([`doc`]), which becomes
//! reStructuredText, Markdown, Discord messages or plain text. Pure: no network, no clock.

pub mod context;
pub mod doc;
pub mod ics;
pub mod markdown;
pub mod rst;
pub mod rst_check;
pub mod split;
pub mod templates;
pub mod text;
pub(crate) mod text_check;

use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use crate::diag::Diagnostic;
use templates::Templates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Rst,
    Discord,
    Markdown,
    Text,
    /// The calendar feed (iCalendar): see [`ics`].
    Ics,
}

/// Why a text could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{}", .0.message)]
    Template(Diagnostic),
    #[error("`{template}` rendered text that is not valid tsudoi markup: {error}")]
    Markup {
        template: String,
        origin: Option<PathBuf>,
        error: doc::DocError,
    },
    #[error(transparent)]
    TooLong(#[from] split::LineTooLong),
}

impl From<RenderError> for crate::error::Error {
    fn from(error: RenderError) -> Self {
        match error {
            RenderError::Template(problem) => Self::BrokenTemplates {
                problems: vec![problem],
            },
            other => Self::Render {
                message: other.to_string(),
            },
        }
    }
}

/// The series page (`page.j2`) in a page format.
pub fn page(templates: &Templates, context: &context::Page, format: Format) -> Result<String, RenderError> {
    let blocks = blocks(templates, "page.j2", context)?;
    Ok(match format {
        Format::Rst => rst::render(&blocks),
        Format::Markdown => markdown::render(&blocks, markdown::Flavor::GitHub),
        Format::Text => text::render(&blocks),
        Format::Discord => markdown::render(&blocks, markdown::Flavor::Discord),
        Format::Ics => unreachable!("announce writes the calendar feed through render::ics"),
    })
}

/// The event post (`post.j2`) as Discord messages of at most 2000 characters, in order.
pub fn post(templates: &Templates, context: &context::Page) -> Result<Vec<String>, RenderError> {
    let blocks = blocks(templates, "post.j2", context)?;
    let text = markdown::render(&blocks, markdown::Flavor::Discord);
    Ok(split::split(&text, split::DISCORD_LIMIT)?)
}

/// A short notice (`share.j2`, `onair.j2`, `closed.j2`) as Discord messages.
pub fn notice(
    templates: &Templates,
    name: &str,
    context: &context::Page,
) -> Result<Vec<String>, RenderError> {
    let blocks = blocks(templates, name, context)?;
    let text = markdown::render(&blocks, markdown::Flavor::Discord);
    Ok(split::split(&text, split::DISCORD_LIMIT)?)
}

fn blocks(
    templates: &Templates,
    name: &str,
    context: &context::Page,
) -> Result<Vec<doc::Block>, RenderError> {
    let source = templates.render(name, context).map_err(RenderError::Template)?;
    doc::parse(&source).map_err(|error| RenderError::Markup {
        template: name.to_string(),
        origin: templates.origin(name).map(PathBuf::from),
        error,
    })
}
