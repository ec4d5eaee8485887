//! Announcement text: templates produce tsudoi markup ([`doc`]), which becomes
//! reStructuredText, Markdown, Discord messages or plain text. Pure: no network, no clock.

pub mod context;
pub mod doc;
pub mod ics;
pub mod markdown;
pub mod rst;
pub mod split;
pub mod templates;
pub mod text;

use std::path::PathBuf;

use serde::Serialize;

use crate::diag::Diagnostic;
use templates::Templates;

/// One document made from the series and its events: the series page in a markup today. Each
/// format is one file under `render/` with its own exporter; a JSON page joins with a file and
/// a variant of [`ExportFormat`], and the page path stays as it is. The Discord post is not a
/// document but messages: see [`post`]. The calendar feed ([`ics`]) is not a page either: it
/// holds many events and the ledger's memory of them, so `announce` calls it beside these.
pub trait Exporter {
    fn render(&self, templates: &Templates, context: &context::Page) -> Result<String, RenderError>;
}

/// The documents tsudoi exports; `announce --format` maps its own choice onto them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Rst,
    Markdown,
    Text,
}

impl ExportFormat {
    pub fn exporter(self) -> &'static dyn Exporter {
        match self {
            Self::Rst => &rst::RstExporter,
            Self::Markdown => &markdown::MarkdownExporter,
            Self::Text => &text::TextExporter,
        }
    }
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
    /// The page came out as reStructuredText that docutils would warn about: a safety net
    /// behind `check`, which locates such text in the event files.
    #[error("the page would not be valid reStructuredText: line {line}: {message}")]
    InvalidRst { line: usize, message: String },
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

/// The document `format` for the event `context` is about.
pub fn export(
    templates: &Templates,
    context: &context::Page,
    format: ExportFormat,
) -> Result<String, RenderError> {
    format.exporter().render(templates, context)
}

/// The page another template (a `[[pages]]` entry) makes, in a page format.
pub fn export_template(
    templates: &Templates,
    template: &str,
    context: &context::Page,
    format: ExportFormat,
) -> Result<String, RenderError> {
    Ok(match format {
        ExportFormat::Rst => page_rst(templates, template, context)?,
        ExportFormat::Markdown => {
            markdown::render(&blocks(templates, template, context)?, markdown::Flavor::GitHub)
        }
        ExportFormat::Text => text::render(&blocks(templates, template, context)?),
    })
}

/// A page's tsudoi markup from this many bytes on is checked on another core as it is written:
/// a second thread, with its own fresh memory, costs about a millisecond, worth it only for a
/// page whose check takes several.
const CHECK_BESIDE: usize = 1 << 20;

/// A page template's output as reStructuredText, written block by block as it is read, and
/// checked.
fn page_rst(templates: &Templates, name: &str, context: &context::Page) -> Result<String, RenderError> {
    let source = templates.render(name, context).map_err(RenderError::Template)?;
    let beside = source.len() >= CHECK_BESIDE;
    let known = doc::Known::new(context.agendas());
    let page = rst::write_checked(&source, Some(&known), &context.series.rst_adornments, beside);
    page.map_err(|error| match error {
        rst::PageError::Markup(error) => markup_error(templates, name, error),
        rst::PageError::Invalid { line, message } => RenderError::InvalidRst { line, message },
    })
}

fn markup_error(templates: &Templates, name: &str, error: doc::DocError) -> RenderError {
    RenderError::Markup {
        template: name.to_string(),
        origin: templates.origin(name).map(PathBuf::from),
        error,
    }
}

/// The series page (`page.j2`) as tsudoi markup, which each page format writes out.
fn page(templates: &Templates, context: &context::Page) -> Result<Vec<doc::Block>, RenderError> {
    blocks(templates, "page.j2", context)
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
    let known = doc::Known::new(context.agendas());
    doc::blocks(&source, Some(&known))
        .collect::<Result<_, _>>()
        .map_err(|error| markup_error(templates, name, error))
}
