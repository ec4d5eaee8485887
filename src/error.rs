//! The errors that stop a command, with the words a person acts on.

use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::discord::DiscordError;
use crate::event::UnsetId;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the event directory `{}` does not exist", dir.display())]
    NoDirectory { dir: PathBuf },

    #[error("`{}` is not a directory", path.display())]
    NotADirectory { path: PathBuf },

    #[error("cannot read `{}`: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    #[error("cannot write `{}`: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },

    #[error("`{}` has errors; nothing was done", path.display())]
    BrokenSeries {
        path: PathBuf,
        problems: Vec<Diagnostic>,
    },

    #[error("the event `{id}` has errors; nothing was done")]
    BrokenEvent { id: String, problems: Vec<Diagnostic> },

    #[error("the event directory has errors; nothing was done")]
    BrokenDirectory { problems: Vec<Diagnostic> },

    #[error("the templates have errors; nothing was done")]
    BrokenTemplates { problems: Vec<Diagnostic> },

    #[error("no event `{id}` in `{}`", dir.display())]
    NoSuchEvent {
        id: String,
        dir: PathBuf,
        suggestion: Option<String>,
    },

    #[error("`{}` already exists; tsudoi never overwrites it", path.display())]
    Exists { path: PathBuf, hint: Option<String> },

    #[error("{message}")]
    Invalid { message: String, hint: Option<String> },

    #[error(transparent)]
    Discord(#[from] DiscordError),

    #[error(transparent)]
    DiscordId(#[from] UnsetId),

    /// Another tsudoi holds the event's lock (a tick, or a command run by hand).
    #[error("another tsudoi is working on `{id}` (its lock {} is held); nothing was done", lock.display())]
    Busy { id: String, lock: PathBuf },

    /// The command line is wrong (exit 2).
    #[error("{message}")]
    Usage { message: String, hint: String },

    /// Problems were already printed (check, list); only the exit code is left to give.
    #[error("{count} problem(s) found")]
    Reported { count: usize },
}

impl Error {
    pub fn invalid(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::Invalid {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The next step, when there is one to suggest.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::NoDirectory { dir } => Some(format!(
                "run `tsudoi init {}` to create one, or point --dir (or TSUDOI_DIR) at your event directory",
                dir.display()
            )),
            Self::NotADirectory { .. } => {
                Some("point --dir (or TSUDOI_DIR) at the folder that holds tsudoi.toml".into())
            }
            Self::BrokenSeries { .. }
            | Self::BrokenEvent { .. }
            | Self::BrokenDirectory { .. }
            | Self::BrokenTemplates { .. } => {
                Some("fix the problems above; `tsudoi check` lists every one".into())
            }
            Self::NoSuchEvent {
                suggestion: Some(id), ..
            } => Some(format!("did you mean `{id}`?")),
            Self::NoSuchEvent { .. } => Some("`tsudoi list` shows the event ids".into()),
            Self::Exists { hint, .. } | Self::Invalid { hint, .. } => hint.clone(),
            Self::Usage { hint, .. } => Some(hint.clone()),
            Self::Busy { .. } => Some("wait for it to finish, then run the command again".into()),
            Self::Discord(error) => error.hint(),
            Self::DiscordId(UnsetId { key, path }) => Some(format!(
                "set `{key}` under `[discord]` in {} (Discord: User Settings → Advanced → Developer Mode, \
                 then right click → Copy ID)",
                path.display()
            )),
            Self::Io { .. } | Self::Write { .. } | Self::Reported { .. } => None,
        }
    }

    /// Located problems that explain this error, printed before it.
    pub fn problems(&self) -> &[Diagnostic] {
        match self {
            Self::BrokenSeries { problems, .. }
            | Self::BrokenEvent { problems, .. }
            | Self::BrokenDirectory { problems }
            | Self::BrokenTemplates { problems } => problems,
            _ => &[],
        }
    }
}
