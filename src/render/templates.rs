//! The templates: embedded defaults in our own words (Japanese and English), overridden by
//! files in the event directory's `templates/` folder.

use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior, syntax::SyntaxConfig};
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::event::source::read_confined;
use crate::time::Language;

/// Every template tsudoi renders; an override has the same file name.
pub const NAMES: [&str; 6] = [
    "page.j2",
    "post.j2",
    "share.j2",
    "onair.j2",
    "closed.j2",
    "remind.j2",
];

pub const FOLDER: &str = "templates";

fn embedded(language: Language, name: &str) -> Option<&'static str> {
    Some(match (language, name) {
        (Language::Ja, "page.j2") => include_str!("templates/ja/page.j2"),
        (Language::Ja, "post.j2") => include_str!("templates/ja/post.j2"),
        (Language::En, "page.j2") => include_str!("templates/en/page.j2"),
        (Language::En, "post.j2") => include_str!("templates/en/post.j2"),
        (Language::Ja, "share.j2") => include_str!("templates/ja/share.j2"),
        (Language::En, "share.j2") => include_str!("templates/en/share.j2"),
        (Language::Ja, "onair.j2") => include_str!("templates/ja/onair.j2"),
        (Language::En, "onair.j2") => include_str!("templates/en/onair.j2"),
        (Language::Ja, "closed.j2") => include_str!("templates/ja/closed.j2"),
        (Language::En, "closed.j2") => include_str!("templates/en/closed.j2"),
        (Language::Ja, "remind.j2") => include_str!("templates/ja/remind.j2"),
        (Language::En, "remind.j2") => include_str!("templates/en/remind.j2"),
        _ => return None,
    })
}

pub struct Templates {
    env: Environment<'static>,
    /// Where each template came from: a file of the organizer's, or built in.
    origins: Vec<(String, Option<PathBuf>, String)>,
}

impl Templates {
    /// Load every template; a syntax error in an override is a located diagnostic.
    pub fn load(dir: &Path, language: Language) -> Result<Self, Vec<Diagnostic>> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build();
        env.set_syntax(syntax.expect("the default delimiters are valid"));
        let mut origins = Vec::new();
        let mut problems = Vec::new();
        for name in NAMES {
            let path = dir.join(FOLDER).join(name);
            let (source, origin) = match path.symlink_metadata() {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
                    embedded(language, name)
                        .expect("every name has a default")
                        .to_string(),
                    None,
                ),
                _ => match read_confined(dir, &path, "template") {
                    Ok(text) => (text, Some(path)),
                    Err(problem) => {
                        problems.push(problem);
                        continue;
                    }
                },
            };
            if let Err(error) = env.add_template_owned(name.to_string(), source.clone()) {
                problems.push(diagnostic(&error, origin.as_deref(), name, &source));
                continue;
            }
            origins.push((name.to_string(), origin, source));
        }
        for (name, path) in extra_templates(dir) {
            let source = match read_confined(dir, &path, "template") {
                Ok(text) => text,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            if let Err(error) = env.add_template_owned(name.clone(), source.clone()) {
                problems.push(diagnostic(&error, Some(&path), &name, &source));
                continue;
            }
            origins.push((name, Some(path), source));
        }
        if problems.is_empty() {
            Ok(Self { env, origins })
        } else {
            Err(problems)
        }
    }

    /// Whether a template of this name is loaded (a built-in one or a file in `templates/`).
    pub fn has(&self, name: &str) -> bool {
        self.origins.iter().any(|(n, _, _)| n == name)
    }

    pub fn render<C: Serialize>(&self, name: &str, context: &C) -> Result<String, Diagnostic> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| diagnostic(&e, None, name, ""))?;
        template
            .render(minijinja::value::Serde(context))
            .map_err(|error| {
                let (origin, source) = self
                    .origins
                    .iter()
                    .find(|(n, _, _)| n == name)
                    .map(|(_, origin, source)| (origin.as_deref(), source.as_str()))
                    .unwrap_or((None, ""));
                diagnostic(&error, origin, name, source)
            })
    }

    /// The file a template was read from, or `None` for a built-in one.
    pub fn origin(&self, name: &str) -> Option<&Path> {
        self.origins
            .iter()
            .find(|(n, _, _)| n == name)
            .and_then(|(_, origin, _)| origin.as_deref())
    }
}

/// The `.j2` files in `templates/` besides the built-in names: the templates of `[[pages]]`.
fn extra_templates(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir.join(FOLDER)) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            (name.ends_with(".j2") && !NAMES.contains(&name.as_str())).then(|| (name, entry.path()))
        })
        .collect();
    found.sort();
    found
}

fn diagnostic(error: &minijinja::Error, origin: Option<&Path>, name: &str, source: &str) -> Diagnostic {
    let path = origin.map_or_else(|| PathBuf::from(format!("(built-in {name})")), Path::to_path_buf);
    let message = match error.detail() {
        Some(detail) => format!("template: {detail} ({})", error.kind()),
        None => format!("template: {}", error.kind()),
    };
    let diagnostic = Diagnostic::error(&path, message);
    let span = error.range().or_else(|| {
        let line = error.line()?;
        let start: usize = source
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        Some(start..start)
    });
    match span {
        Some(span) if !source.is_empty() => diagnostic.at(source, span),
        _ => diagnostic,
    }
}
