//! The errors that stop a command, with the words a person acts on: every layer's error type
//! lives here, with data, its words in one `Display` and its next step in `hint()`. This folder
//! imports nothing from the crate but `diag` and `discord`, so every layer may import it.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};

use crate::diag::Diagnostic;
use crate::discord::{DiscordError, Snowflake};

mod roles;

pub use roles::RolesError;

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

    /// A template or the event text it shows renders to nothing valid.
    #[error("{message}")]
    Render { message: String },

    #[error("`{event}` has no viewer URL source")]
    NoViewerUrlSource { event: String },

    #[error("the viewer URL is not set: the environment variable `{name}` is empty or missing")]
    ViewerUrlUnset { name: String },

    #[error("cannot read the viewer URL file `{}`: {reason}", path.display())]
    ViewerUrlUnreadable { path: PathBuf, reason: String },

    #[error("the viewer URL from {from} is not an http(s) URL")]
    NotAUrl { from: String },

    /// A role run stopped before it granted anything.
    #[error(transparent)]
    Roles(RolesError),

    #[error("the state file `{}` is damaged: {reason}", path.display())]
    DamagedLedger { path: PathBuf, reason: String },

    #[error("`{id}` is {status}; nothing was sent")]
    Draft {
        id: String,
        path: PathBuf,
        /// `a draft` or `tentative (its date is not fixed)`.
        status: &'static str,
    },

    #[error("`{id}` is cancelled; nothing was sent")]
    Cancelled { id: String },

    #[error("the sign-up channel {channel} is a {kind} channel")]
    SignupChannelKind { channel: Snowflake, kind: &'static str },

    #[error(
        "an earlier attempt at the forum post may have reached Discord, and no active thread of ours matches it"
    )]
    ForumPostInDoubt { event_file: PathBuf, ledger: PathBuf },

    #[error("`scheduled_event_location` in `{}` holds a viewer URL; the scheduled event is public to the server, so nothing was sent", series.display())]
    ViewerUrlInLocation { series: PathBuf },

    #[error("the role `{role}` does not exist yet, so nobody would receive the URL")]
    NoEventRole { role: String, event: String },

    #[error("the share channel {channel} is not in the server `{guild}`; nothing was sent")]
    ShareChannelElsewhere { channel: Snowflake, guild: String },

    #[error("the share thread {thread} has no parent channel; nothing was sent")]
    ShareThreadOrphan { thread: Snowflake },

    /// Who besides the event role could read the shared URL, and how to close it to each.
    #[error("{}; nothing was sent", why.join("; "))]
    SharePrivacy { why: Vec<String>, fixes: Vec<String> },

    #[error("there is no scheduled event to announce")]
    NothingToAnnounce,

    #[error("`{id}` is a draft; drafts are not put in calendars")]
    DraftNotInCalendar { id: String, path: PathBuf },

    #[error("--all is for the calendar feed")]
    AllIsForCalendar,
    #[error("import would overwrite {}", paths.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", "))]
    ImportWouldOverwrite { paths: Vec<PathBuf> },

    #[error("`{}` holds no event heading such as `2026 年 2 月 17 日 15:00-17:00`", path.display())]
    NothingToImport { path: PathBuf },

    #[error("the series has no page named `{name}`")]
    UnknownPage { name: String, known: Vec<String> },

    #[error("the page `{name}` needs the template `templates/{template}`, which does not exist")]
    MissingPageTemplate { name: String, template: String },

    #[error("`{}` is read by the event directory `{}`; announce never writes over its own input", path.display(), dir.display())]
    OutputIsInput { path: PathBuf, dir: PathBuf },

    #[error("--timezone `{zone}` is not an IANA time zone")]
    NotATimeZone { zone: String },

    #[error("--date: {reason}")]
    BadDate { reason: String },

    #[error("{flag}: {reason}")]
    BadTime { flag: String, reason: String },

    #[error("--id `{id}` does not start with the date {date}")]
    IdOffDate { id: String, date: NaiveDate },

    #[error("--id `{id}` is not an event id")]
    NotAnEventId { id: String, date: NaiveDate },

    #[error("no start or end time")]
    NoTimes,

    #[error("the end {} is not after the start {}", end.format("%H:%M"), start.format("%H:%M"))]
    EndNotAfterStart { start: NaiveTime, end: NaiveTime },

    #[error("the new event would overlap `{other}` ({}-{})", start.format("%H:%M"), end.format("%H:%M"))]
    Overlap {
        other: String,
        start: NaiveTime,
        end: NaiveTime,
    },

    /// The event `create` would write does not load; the first problem, in words.
    #[error("{}", problem.as_ref().map_or("the new event is not valid", |d| d.message.as_str()))]
    NewEvent { problem: Option<Diagnostic> },

    /// An error whose words had a secret scrubbed out on the way out.
    #[error("{message}")]
    Scrubbed { message: String, hint: Option<String> },

    /// `move` / `cancel` could not change a key of the event file in place.
    #[error("cannot edit `{}`: {reason}", path.display())]
    EditEvent { path: PathBuf, reason: String },

    /// A ledger whose event file is gone (renamed by hand): posting for the series waits.
    #[error("the ledger `{}` has no event file (was `{id}.toml` renamed by hand?)", ledger.display())]
    OrphanLedger { id: String, ledger: PathBuf },

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

/// A `[discord]` id a command needs is not set in `tsudoi.toml` (a malformed one stops the load).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` under `[discord]` in `{}` is not set", path.display())]
pub struct UnsetId {
    pub key: &'static str,
    pub path: PathBuf,
}

impl UnsetId {
    /// Where to set it, and where Discord shows it.
    pub fn hint(&self) -> String {
        format!(
            "set `{}` under `[discord]` in {} (Discord: User Settings → Advanced → Developer Mode, \
             then right click → Copy ID)",
            self.key,
            self.path.display()
        )
    }
}

impl Error {
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
            Self::Exists { hint, .. } | Self::Scrubbed { hint, .. } => hint.clone(),
            Self::Render { .. } => Some("fix the template or the event text it shows".into()),
            Self::EditEvent { .. } => Some("edit the file by hand, then run `tsudoi check`".into()),
            Self::OrphanLedger { id, .. } => Some(format!(
                "run `tsudoi move {id} NEW_DATE` to carry its ledger (and post) over to the renamed event"
            )),
            Self::NoViewerUrlSource { .. } => Some(
                "set `viewer_url_env = \"NAME\"` (or `viewer_url_file = \"PATH\"`) in the event file or under `[defaults]`".into(),
            ),
            Self::ViewerUrlUnset { name } => Some(format!(
                "export {name}=https://... in the environment that runs tsudoi (cron, CI secrets)"
            )),
            Self::ViewerUrlUnreadable { .. } => Some(
                "write the URL on the file's first line; keep the file out of public repositories".into(),
            ),
            Self::NotAUrl { .. } => {
                Some("it must be one URL starting with https:// (its value is not shown here)".into())
            }
            Self::Roles(error) => error.hint(),
            Self::DamagedLedger { .. } => Some(
                "move it aside: tsudoi then checks Discord for what was already posted before acting".into(),
            ),
            Self::Draft { path, .. } => Some(format!(
                "set `status = \"scheduled\"` in {} when it is ready",
                path.display()
            )),
            Self::Cancelled { .. } => Some("a cancelled event is never announced".into()),
            Self::SignupChannelKind { .. } => {
                Some("point `signup_channel_id` at a text or forum channel".into())
            }
            Self::ForumPostInDoubt { event_file, ledger } => Some(format!(
                "look in the forum: if the post is there, set `post_id` under `[discord]` in {}; if not, delete the `post` record from {}",
                event_file.display(),
                ledger.display()
            )),
            Self::NoEventRole { event, .. } => Some(format!("run `tsudoi roles {event}` first")),
            Self::ViewerUrlInLocation { .. } => Some(
                "set `scheduled_event_location` to where people gather (e.g. \"Discord #event\"); \
                 the viewer URL goes only to role holders, with the share"
                    .to_string(),
            ),
            Self::ShareChannelElsewhere { .. } => {
                Some("set `share_channel_id` under [discord] to a channel of that server".into())
            }
            Self::ShareThreadOrphan { .. } => Some(
                "set `share_channel_id` under [discord] to a text channel only the event role can read".into(),
            ),
            Self::SharePrivacy { fixes, .. } => Some(format!(
                "{}, then run `tsudoi doctor` and share again",
                fixes.join("; ")
            )),
            Self::NothingToAnnounce => Some("name one: `tsudoi announce ID`".into()),
            Self::DraftNotInCalendar { path, .. } => Some(format!(
                "set `status = \"scheduled\"` in {} when it is decided",
                path.display()
            )),
            Self::AllIsForCalendar => Some("use `tsudoi announce --format ics --all`; a page is about one event".into()),
            Self::ImportWouldOverwrite { .. } => {
                Some("import into an empty folder with `--into DIR`, or move those files away".into())
            }
            Self::NothingToImport { .. } => Some(
                "import reads pages whose events are headed by their date and time; check the file".into(),
            ),
            Self::UnknownPage { known, .. } if known.is_empty() => {
                Some("declare it in tsudoi.toml: `[[pages]]` with `name`, `template` and `output`".into())
            }
            Self::UnknownPage { known, .. } => Some(format!("the pages are: {}", known.join(", "))),
            Self::MissingPageTemplate { template, .. } => Some(format!(
                "write `templates/{template}` (copy `templates/page.j2` to start), or fix `template` in `[[pages]]`"
            )),
            Self::OutputIsInput { .. } => Some(
                "write the page elsewhere, e.g. `-o docs/index.rst`, or drop -o (or use `-o -`) for stdout".into(),
            ),
            Self::NotATimeZone { .. } => Some("use a name such as `Asia/Tokyo` or `Europe/Berlin`".into()),
            Self::BadDate { .. } => Some("dates are YYYY-MM-DD, e.g. `--date 2026-05-22`".into()),
            Self::BadTime { .. } => Some("times are HH:MM, 24-hour, in the series time zone".into()),
            Self::IdOffDate { date, .. } => Some(format!("use e.g. `--id {date}-b`")),
            Self::NotAnEventId { date, .. } => Some(format!(
                "ids are the date with an optional suffix: `{date}` or `{date}-b`"
            )),
            Self::NoTimes => Some(
                "pass --start and --end, or set them under `[defaults]` in tsudoi.toml".into(),
            ),
            Self::EndNotAfterStart { .. } => {
                Some("events end on the day they start; pass a later --end".into())
            }
            Self::Overlap { .. } => Some("pass --start and --end that do not overlap it".into()),
            Self::NewEvent { problem } => problem.as_ref().and_then(|d| d.help.clone()),
            Self::Usage { hint, .. } => Some(hint.clone()),
            Self::Busy { .. } => Some("wait for it to finish, then run the command again".into()),
            Self::Discord(error) => error.hint(),
            Self::DiscordId(unset) => Some(unset.hint()),
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

/// The Discord errors and unset ids of a role run keep their own variants (retries look at them).
impl From<RolesError> for Error {
    fn from(error: RolesError) -> Self {
        match error {
            RolesError::Discord(error) => Self::Discord(error),
            RolesError::DiscordId(unset) => Self::DiscordId(unset),
            other => Self::Roles(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_with_data_keep_their_words() {
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 2, 17).unwrap();
        let cases: [(Error, &str, Option<&str>); 5] = [
            (
                Error::EndNotAfterStart {
                    start: at(19, 0),
                    end: at(18, 30),
                },
                "the end 18:30 is not after the start 19:00",
                Some("events end on the day they start; pass a later --end"),
            ),
            (
                Error::SharePrivacy {
                    why: vec!["@everyone can read it".into(), "role `x` can read it".into()],
                    fixes: vec!["deny @everyone".into(), "deny `x`".into()],
                },
                "@everyone can read it; role `x` can read it; nothing was sent",
                Some("deny @everyone; deny `x`, then run `tsudoi doctor` and share again"),
            ),
            (
                Error::IdOffDate {
                    id: "2026-02-18".into(),
                    date,
                },
                "--id `2026-02-18` does not start with the date 2026-02-17",
                Some("use e.g. `--id 2026-02-17-b`"),
            ),
            (
                Error::NewEvent { problem: None },
                "the new event is not valid",
                None,
            ),
            (
                Error::NoEventRole {
                    role: "2026-02-17".into(),
                    event: "2026-02-17".into(),
                },
                "the role `2026-02-17` does not exist yet, so nobody would receive the URL",
                Some("run `tsudoi roles 2026-02-17` first"),
            ),
        ];
        for (error, message, hint) in cases {
            assert_eq!(error.to_string(), message);
            assert_eq!(error.hint().as_deref(), hint, "{message}");
        }
    }
}
