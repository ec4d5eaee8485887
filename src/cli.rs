//! The command line, as clap sees it. Nothing here acts; `config` resolves it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "tsudoi",
    version,
    about = "Run recurring online events held on a Discord server",
    long_about = "tsudoi keeps one TOML file per event and turns each step of running it into one \
                  command: create the event, check the files, list what is next."
)]
pub struct Cli {
    /// The event directory
    #[arg(long, global = true, env = "TSUDOI_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Machine output on stdout: one JSON document
    #[arg(long, global = true)]
    pub json: bool,

    /// Run as if it were this time (RFC 3339, e.g. 2026-02-17T14:45:00+09:00)
    #[arg(long, global = true, env = "TSUDOI_NOW", value_name = "TIME")]
    pub now: Option<String>,

    /// When to color diagnostics
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,

    /// Print less: errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Explain more (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Read the bot token from this file instead of DISCORD_TOKEN (keep it mode 600)
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,

    /// Longest total wait for Discord's rate limits and retries in one command (e.g. 90s, 5m)
    #[arg(long, global = true, env = "TSUDOI_MAX_WAIT", value_name = "DURATION")]
    pub max_wait: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold an event directory: a commented tsudoi.toml and one example event
    Init(InitArgs),
    /// Write a new event file from the series defaults
    #[command(alias = "new")]
    Create(CreateArgs),
    /// Bring an existing rst announcement page in: event files, the series file, a template
    Import(ImportArgs),
    /// Events as a table
    List(ListArgs),
    /// One event, resolved: defaults applied, computed times
    Show(ShowArgs),
    /// Validate every file in the event directory
    Check,
    /// The announcement: the series page (rst, markdown, text) or the Discord post
    Announce(AnnounceArgs),
    /// Check the Discord setup: token, intents, server, roles, channels, permissions
    Doctor,
    /// Ensure the event role, read sign-ups, react, grant; every decision and why
    Roles(RolesArgs),
    /// Publish the event post to the sign-up channel (a message, or a forum post)
    Post(PostArgs),
    /// Post the viewer URL to the event role's holders now
    Share(ShareArgs),
    /// Do whatever is due now, for every event, exactly once (the cron entry point)
    Tick(TickArgs),
    /// The timeline of timed actions and their state
    Plan,
}

#[derive(Debug, Args)]
pub struct PostArgs {
    /// Event id
    pub id: String,
    /// Print the requests it would send; send none
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ShareArgs {
    /// Event id
    pub id: String,
    /// Print the requests it would send (the URL redacted); send none
    #[arg(long)]
    pub dry_run: bool,
    /// Share again even if it was shared already
    #[arg(long)]
    pub force: bool,
    /// Show the viewer URL in the output (it is redacted otherwise)
    #[arg(long)]
    pub reveal: bool,
}

#[derive(Debug, Args)]
pub struct TickArgs {
    /// Print the requests it would send; send none and record nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct AnnounceArgs {
    /// Event id (default: the next event that has not ended, else the most recent)
    pub id: Option<String>,
    /// rst and markdown: the whole series page; discord: the event post as messages
    #[arg(long, short, value_enum, default_value = "rst")]
    pub format: FormatArg,
    /// Write to this file (atomically) instead of stdout (`-`: stdout); never over the event directory's own files
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Render the `[[pages]]` entry of this name (its template, its held events)
    #[arg(long, value_name = "NAME", conflicts_with = "all_pages")]
    pub page: Option<String>,
    /// Write every `[[pages]]` entry into the folder given by -o
    #[arg(long, requires = "output")]
    pub all_pages: bool,
}

/// `announce --format`: a page format or the Discord post. The command maps it onto the
/// renderer's own types; nothing below `commands/` sees clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Rst,
    Discord,
    Markdown,
    Text,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the event directory (default: --dir, else ./events)
    pub path: Option<PathBuf>,
    /// Language of the series: weekday names and default texts
    #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
    pub language: String,
    /// IANA time zone of the series
    #[arg(long, default_value = "Asia/Tokyo")]
    pub timezone: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The rst page to read
    pub page: PathBuf,
    /// The event directory to write (default: --dir, else ./events); no file in it is overwritten
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Report what would be written; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Event date, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: String,
    /// Start time (default: the series default)
    #[arg(long, value_name = "HH:MM")]
    pub start: Option<String>,
    /// End time (default: the series default)
    #[arg(long, value_name = "HH:MM")]
    pub end: Option<String>,
    /// Title for this event (default: the series title)
    #[arg(long)]
    pub title: Option<String>,
    /// Event id, for a second event on one day (e.g. 2026-02-17-b)
    #[arg(long)]
    pub id: Option<String>,
    /// Copy the agenda's top-level items from this event
    #[arg(long, value_name = "ID")]
    pub from: Option<String>,
    /// With --from: copy the whole agenda, not only its top-level items
    #[arg(long, requires = "from")]
    pub full_agenda: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only events that have not ended
    #[arg(long, conflicts_with = "past")]
    pub upcoming: bool,
    /// Only events that have ended
    #[arg(long)]
    pub past: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Event id (YYYY-MM-DD, or YYYY-MM-DD-suffix)
    pub id: String,
}

#[derive(Debug, Args)]
pub struct RolesArgs {
    /// Event id (YYYY-MM-DD, or YYYY-MM-DD-suffix)
    pub id: String,
    /// Print the write requests it would send, send none
    #[arg(long)]
    pub dry_run: bool,
}
