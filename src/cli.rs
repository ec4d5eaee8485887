//! The command line, as clap sees it. Nothing here acts; `config` resolves it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "tsudoi",
    version,
    about = "Run recurring online events held on a Discord server",
    long_about = "Run recurring online events held on a Discord server.\n\n\
                  tsudoi keeps one TOML file per event and makes each step of running it one \
                  command: write the event, check the files, publish the announcement page and \
                  the Discord post, grant the event role to those who signed up, and share the \
                  viewer URL with them before the start. `tsudoi tick`, run by cron, does the \
                  timed steps exactly once.",
    after_help = EXAMPLES_TOP,
    after_long_help = EXAMPLES_TOP
)]
pub struct Cli {
    /// The event directory
    #[arg(long, global = true, help_heading = GLOBAL, env = "TSUDOI_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Machine output on stdout: one JSON document
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,

    /// Run as if it were this time: `2026-02-17 14:45` in the series' zone, or RFC 3339 (2026-02-17T14:45:00+09:00)
    #[arg(long, global = true, help_heading = GLOBAL, env = "TSUDOI_NOW", value_name = "TIME")]
    pub now: Option<String>,

    /// When to color diagnostics
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,

    /// Print less: errors only
    #[arg(short, long, global = true, help_heading = GLOBAL, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Explain more (repeat for more)
    #[arg(short, long, global = true, help_heading = GLOBAL, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Read the bot token from this file instead of DISCORD_TOKEN (keep it mode 600)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "PATH")]
    pub token_file: Option<PathBuf>,

    /// Longest total wait for Discord's rate limits and retries in one command (e.g. 90s, 5m)
    #[arg(long, global = true, help_heading = GLOBAL, env = "TSUDOI_MAX_WAIT", value_name = "DURATION")]
    pub max_wait: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading of the options every command takes, apart from each command's own.
const GLOBAL: &str = "Global options";

const EXAMPLES_TOP: &str = "\
Examples:
  tsudoi init events                  # a commented tsudoi.toml and one example event
  tsudoi create --date 2026-03-17     # the next event, from the series defaults
  tsudoi list --upcoming              # what is next, and what tsudoi will do for it";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold an event directory: a commented tsudoi.toml and one example event
    #[command(
        after_help = "Examples:\n  tsudoi init                          # ./events, in Japanese, Asia/Tokyo\n  tsudoi init meetup --language en --timezone Europe/Berlin"
    )]
    Init(InitArgs),
    /// Write a new event file from the series defaults
    #[command(alias = "new")]
    #[command(
        after_help = "Examples:\n  tsudoi create --date 2026-03-17\n  tsudoi create --date 2026-03-17 --start 20:00 --end 21:30 --from 2026-02-17\n  tsudoi create --date 2026-03-17 --id 2026-03-17-b --title \"Special\""
    )]
    Create(CreateArgs),
    /// Bring an existing rst announcement page in: event files, the series file, a template
    #[command(
        after_help = "Examples:\n  tsudoi import index.rst --into events --dry-run\n  tsudoi import index.rst --into events"
    )]
    Import(ImportArgs),
    /// Events as a table
    #[command(
        after_help = "Examples:\n  tsudoi list\n  tsudoi list --past\n  tsudoi --json list | jq -r '.events[].id'"
    )]
    List(ListArgs),
    /// One event, resolved: defaults applied, computed times
    #[command(
        after_help = "Examples:\n  tsudoi show 2026-02-17\n  tsudoi --now \"2026-02-17 14:45\" show 2026-02-17"
    )]
    Show(ShowArgs),
    /// Validate every file in the event directory
    #[command(
        after_help = "Examples:\n  tsudoi check\n  tsudoi --dir events -q check && git commit -am \"events\""
    )]
    Check,
    /// The announcement: the series page (rst, markdown, text) or the Discord post
    #[command(
        after_help = "Examples:\n  tsudoi announce -o docs/index.rst      # the whole page, the next event first\n  tsudoi announce 2026-02-17 -f discord  # the event post as Discord messages\n  tsudoi announce -f markdown -o -"
    )]
    Announce(AnnounceArgs),
    /// Check the Discord setup: token, intents, server, roles, channels, permissions
    #[command(after_help = "Examples:\n  tsudoi doctor\n  tsudoi --json doctor")]
    Doctor,
    /// Ensure the event role, read sign-ups, react, grant; every decision and why
    #[command(
        after_help = "Examples:\n  tsudoi roles 2026-02-17 --dry-run       # every decision, nothing written\n  tsudoi roles 2026-02-17"
    )]
    Roles(RolesArgs),
    /// Publish the event post to the sign-up channel (a message, or a forum post)
    #[command(after_help = "Examples:\n  tsudoi post 2026-02-17 --dry-run\n  tsudoi post 2026-02-17")]
    Post(PostArgs),
    /// Post the viewer URL to the event role's holders now
    #[command(
        after_help = "Examples:\n  tsudoi share 2026-02-17 --dry-run\n  tsudoi share 2026-02-17 --force   # again, e.g. after the URL changed"
    )]
    Share(ShareArgs),
    /// Do whatever is due now, for every event, exactly once (the cron entry point)
    #[command(
        after_help = "Examples:\n  tsudoi --json tick                      # from cron, every minute (see contrib/)\n  tsudoi --now \"2026-02-17 14:45\" tick --dry-run"
    )]
    Tick(TickArgs),
    /// Call an event off (or, with --undo, back on): the file, the post, one notice
    #[command(
        after_help = "Examples:\n  tsudoi cancel 2026-02-17 --reason \"機材トラブル\"\n  tsudoi cancel 2026-02-17 --undo"
    )]
    Cancel(CancelArgs),
    /// Reschedule an event: rename its file and date, carry its ledger, rename its role, edit
    /// its post and send one notice
    #[command(
        after_help = "Examples:\n  tsudoi move 2026-02-17 2026-02-24\n  tsudoi move 2026-02-17 2026-02-24 --start 16:00 --end 18:00"
    )]
    Move(MoveArgs),
    /// The timeline of timed actions and their state
    #[command(after_help = "Examples:\n  tsudoi plan\n  tsudoi --now \"2026-02-17 14:00\" plan")]
    Plan,
    /// Why one member gets the event role or not, with the evidence
    #[command(
        after_help = "Examples:\n  tsudoi why 2026-02-17 700000000000000004\n  tsudoi --json why 2026-02-17 hanako"
    )]
    Why(WhyArgs),
    /// Who holds or was granted the event role and why, and who was turned away
    #[command(
        after_help = "Examples:\n  tsudoi attendees 2026-02-17\n  tsudoi attendees 2026-02-17 --format csv > attendees/2026-02-17.csv"
    )]
    Attendees(AttendeesArgs),
    /// JSON Schemas: of the files (for editors), or of a command's --json document
    #[command(
        after_help = "Examples:\n  tsudoi schema series > .schema/series.json\n  tsudoi schema event\n  tsudoi schema json list"
    )]
    Schema(SchemaArgs),
    /// Shell completions (event ids included) for bash, zsh, fish or powershell
    #[command(
        after_help = "Examples:\n  echo 'source <(tsudoi completions bash)' >> ~/.bashrc\n  tsudoi completions zsh > \"${fpath[1]}/_tsudoi\"\n  tsudoi completions fish > ~/.config/fish/completions/tsudoi.fish"
    )]
    Completions(CompletionsArgs),
    /// Write man pages: tsudoi.1 and one per subcommand
    #[command(
        after_help = "Examples:\n  tsudoi man -o /usr/local/share/man/man1\n  tsudoi man -o man && man -l man/tsudoi-tick.1"
    )]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct AttendeesArgs {
    /// Event id
    pub id: String,
    /// Output format
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Add each member's name (ids alone otherwise: a file of names in a public repository leaks them)
    #[arg(long)]
    pub names: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct WhyArgs {
    /// Event id
    pub id: String,
    /// The member: a user id, a username, a global name or a server nickname
    pub user: String,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[command(subcommand)]
    pub of: SchemaOf,
}

#[derive(Debug, Clone, Subcommand)]
pub enum SchemaOf {
    /// tsudoi.toml
    Series,
    /// An event file, <id>.toml
    Event,
    /// The --json document of COMMAND (`error`: what a failed command prints)
    Json {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::schema::COMMANDS))]
        command: String,
    },
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_parser = ["bash", "zsh", "fish", "powershell", "elvish"])]
    pub shell: String,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write the pages into (made if missing)
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct PostArgs {
    /// Event id
    #[arg(value_parser = event_id, add = ids())]
    pub id: String,
    /// Print the requests it would send, and a diff of the text an edit would change; send none
    #[arg(long)]
    pub dry_run: bool,
    /// Post the event anew when the one posted was deleted on Discord
    #[arg(long)]
    pub repost: bool,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    /// Event id
    pub id: String,
    /// Why, shown in the post and the notice
    #[arg(long)]
    pub reason: Option<String>,
    /// Back on: set `status = "scheduled"` again
    #[arg(long, conflicts_with = "reason")]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    /// Event id
    pub id: String,
    /// The new date, YYYY-MM-DD
    pub new_date: String,
    /// New start time, HH:MM
    #[arg(long)]
    pub start: Option<String>,
    /// New end time, HH:MM
    #[arg(long)]
    pub end: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShareArgs {
    /// Event id
    #[arg(value_parser = event_id, add = ids())]
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
    #[arg(value_parser = event_id, add = ids())]
    pub id: Option<String>,
    /// rst and markdown: the whole series page; discord: the event post as messages; ics: the calendar feed
    #[arg(long, short, value_enum, default_value = "rst")]
    pub format: FormatArg,
    /// Write to this file (atomically) instead of stdout (`-`: stdout); never over the event directory's own files
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format ics: the series feed, every scheduled, held and cancelled event
    #[arg(long, conflicts_with = "id")]
    pub all: bool,
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
    /// The calendar feed (iCalendar, RFC 5545): one event, or the series with --all
    Ics,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the event directory (default: --dir, else ./events)
    pub path: Option<PathBuf>,
    /// Language of the series: weekday names and default texts
    #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
    pub language: String,
    /// IANA time zone of the series
    #[arg(long, default_value = "Asia/Tokyo", value_parser = time_zone)]
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
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: String,
    /// Start time (default: the series default)
    #[arg(long, value_name = "HH:MM", value_parser = wall_time)]
    pub start: Option<String>,
    /// End time (default: the series default)
    #[arg(long, value_name = "HH:MM", value_parser = wall_time)]
    pub end: Option<String>,
    /// Title for this event (default: the series title)
    #[arg(long)]
    pub title: Option<String>,
    /// Event id, for a second event on one day (e.g. 2026-02-17-b)
    #[arg(long, value_name = "ID", value_parser = event_id)]
    pub id: Option<String>,
    /// Copy the agenda's top-level items from this event
    #[arg(long, value_name = "ID", value_parser = event_id, add = ids())]
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
    #[arg(value_parser = event_id, add = ids())]
    pub id: String,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct RolesArgs {
    /// Event id (YYYY-MM-DD, or YYYY-MM-DD-suffix)
    #[arg(required = true, value_parser = event_id, add = ids())]
    pub id: Option<String>,
    /// Print the write requests it would send, send none
    #[arg(long)]
    pub dry_run: bool,
    #[command(subcommand)]
    pub command: Option<RolesCommand>,
}

#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// Delete the event roles tsudoi created, for events that are over
    #[command(
        after_help = "Examples:\n  tsudoi roles prune --dry-run\n  tsudoi roles prune --before 2026-01-01"
    )]
    Prune(PruneArgs),
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Events that ended before this day (default: those past `role_retention`)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub before: Option<String>,
    /// Print the requests it would send; send none
    #[arg(long)]
    pub dry_run: bool,
}

/// Completes an event id from the event directory's files (see `completion`).
fn ids() -> clap_complete::ArgValueCandidates {
    clap_complete::ArgValueCandidates::new(crate::completion::event_id_candidates)
}

/// An event id given on the command line: `YYYY-MM-DD` or `YYYY-MM-DD-suffix`, a real date.
/// A malformed one is a usage error (exit 2); an unknown one is the command's to report.
fn event_id(text: &str) -> Result<String, String> {
    match crate::event::parse_id(text) {
        Some(_) => Ok(text.to_string()),
        None => Err(format!(
            "`{text}` is not an event id: write the date, YYYY-MM-DD, with an optional suffix \
             (e.g. `2026-02-17` or `2026-02-17-b`)"
        )),
    }
}

fn date(text: &str) -> Result<String, String> {
    crate::time::parse_date(text)
        .map(|_| text.to_string())
        .map_err(|e| format!("{e}; dates are YYYY-MM-DD, e.g. `2026-05-22`"))
}

fn wall_time(text: &str) -> Result<String, String> {
    crate::time::parse_time(text)
        .map(|_| text.to_string())
        .map_err(|e| format!("{e}, in the series' time zone"))
}

fn time_zone(text: &str) -> Result<String, String> {
    text.parse::<chrono_tz::Tz>()
        .map(|_| text.to_string())
        .map_err(|_| format!("`{text}` is not an IANA time zone; use a name such as `Asia/Tokyo`"))
}
