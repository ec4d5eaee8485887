//! The files as written by people, deserialized with their spans. Unknown keys are errors:
//! a typo must not silently disable a rule.

use serde::{Deserialize, Deserializer};
use toml::Spanned;

pub type Text = Spanned<String>;

/// A date or a time as written: quoted, or bare as TOML has them (`date = 2026-02-17`,
/// `start = 15:00`).
#[derive(Deserialize)]
#[serde(untagged)]
enum WallClock {
    Quoted(String),
    Bare(toml::value::Datetime),
}

/// `date`, `start`, `end`: the text the value spells, quoted or not; its checks come later,
/// with the quoted ones'.
fn wall_clock<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
    let value = Spanned::<WallClock>::deserialize(deserializer)?;
    let span = value.span();
    let text = match value.into_inner() {
        WallClock::Quoted(text) => text,
        WallClock::Bare(datetime) => bare_text(&datetime),
    };
    Ok(Spanned::new(span, text))
}

fn wall_clock_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Text>, D::Error> {
    wall_clock(deserializer).map(Some)
}

/// A bare TOML date as `YYYY-MM-DD`, a bare time on the minute as `HH:MM`; anything else (a
/// time with seconds, a date with a time) as TOML writes it, for the checks to refuse by name.
fn bare_text(datetime: &toml::value::Datetime) -> String {
    match (datetime.date, datetime.time, datetime.offset) {
        (Some(date), None, None) => date.to_string(),
        (None, Some(time), None) if time.second.unwrap_or(0) == 0 && time.nanosecond.unwrap_or(0) == 0 => {
            format!("{:02}:{:02}", time.hour, time.minute)
        }
        _ => datetime.to_string(),
    }
}

/// `tsudoi.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesFile {
    pub series: SeriesSection,
    #[serde(default)]
    pub defaults: DefaultsSection,
    #[serde(default)]
    pub policy: PolicySection,
    #[serde(default)]
    pub discord: DiscordSection,
    /// `[[pages]]`: more pages than the one `page.j2` makes, e.g. an archive.
    #[serde(default)]
    pub pages: Vec<PageSection>,
}

/// One `[[pages]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSection {
    pub name: Text,
    /// A file in `templates/`, e.g. `archive.j2`.
    pub template: Text,
    /// The file `announce --all-pages -o DIR` writes, relative to DIR.
    pub output: Text,
    /// Only events held before this date go under 過去.
    pub held_before: Option<Text>,
    /// Only events held on or after this date.
    pub held_since: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSection {
    pub title: Text,
    pub timezone: Text,
    pub language: Option<Text>,
    /// Directives that read files or pass raw output, allowed in event text anyway.
    pub allow_rst_directives: Option<Spanned<Vec<String>>>,
    /// The public address of the series page: the calendar feed links each event to it.
    pub page_url: Option<Text>,
    /// The public address of the calendar feed: the page offers it as "add to calendar".
    pub calendar_url: Option<Text>,
    /// The rst adornment of heading levels 1 to 4, e.g. `"#=-~"`: level 1 over- and
    /// underlined, the others underlined.
    pub rst_adornments: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultsSection {
    #[serde(default, deserialize_with = "wall_clock_opt")]
    pub start: Option<Text>,
    #[serde(default, deserialize_with = "wall_clock_opt")]
    pub end: Option<Text>,
    pub viewer_url_env: Option<Text>,
    pub viewer_url_file: Option<Text>,
}

/// The rules of the series; an event file may override any of them in its own `[policy]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySection {
    pub signup_closes_after_start: Option<Text>,
    /// An absolute deadline: `-1d@23:59` (the day before at 23:59), `@12:00` (the day itself).
    pub signup_closes: Option<Text>,
    pub viewer_url_before_start: Option<Text>,
    pub stream_opens_before_start: Option<Text>,
    pub signup_keywords: Option<Spanned<Vec<String>>>,
    pub require_avatar: Option<bool>,
    pub boosters_join_without_signup: Option<bool>,
    pub role_name: Option<Text>,
    pub deny_users: Option<Vec<Text>>,
    pub signup_mode: Option<Text>,
    pub signup_emoji: Option<Text>,
    pub approval: Option<Text>,
    pub organizers: Option<Vec<Text>>,
    pub organizer_role_id: Option<Text>,
    pub accept_emoji: Option<Text>,
    pub announce_before_start: Option<Text>,
    pub roles_every: Option<Text>,
    pub onair_notice: Option<bool>,
    pub close_notice: Option<bool>,
    pub share_mode: Option<Text>,
    pub viewer_url_after_end: Option<Text>,
    pub remind_before: Option<Vec<Text>>,
    pub role_retention: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSection {
    pub guild_id: Option<Text>,
    pub signup_channel_id: Option<Text>,
    pub share_channel_id: Option<Text>,
    /// Keep a Discord scheduled event (the server's Events list) for each episode.
    pub scheduled_event: Option<bool>,
    /// Where that event says it happens; default: the sign-up channel's name.
    pub scheduled_event_location: Option<Text>,
}

/// `<id>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    #[serde(deserialize_with = "wall_clock")]
    pub date: Text,
    #[serde(default, deserialize_with = "wall_clock_opt")]
    pub start: Option<Text>,
    #[serde(default, deserialize_with = "wall_clock_opt")]
    pub end: Option<Text>,
    pub title: Option<Text>,
    pub status: Option<Text>,
    /// Why the event is cancelled (`tsudoi cancel --reason`), shown in the post and notice.
    pub reason: Option<Text>,
    pub viewer_url_env: Option<Text>,
    pub viewer_url_file: Option<Text>,
    pub notes: Option<Text>,
    pub agenda: Option<Text>,
    /// The event's text as a sequence of blocks in tsudoi markup (paragraphs, lists, literal
    /// blocks, images), for what `notes` then `agenda` cannot say.
    pub body: Option<Text>,
    /// Whether the page's heading for this event names the weekday (the template decides).
    pub heading_weekday: Option<bool>,
    /// What the page says instead of the date while `status = "tentative"`.
    pub tentative: Option<Text>,
    pub policy: Option<PolicySection>,
    pub discord: Option<EventDiscordSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDiscordSection {
    pub post_id: Option<Text>,
}

/// Every key a file may hold, for "did you mean" hints on an unknown one.
pub const KNOWN_KEYS: &[&str] = &[
    "series",
    "defaults",
    "policy",
    "discord",
    "title",
    "timezone",
    "language",
    "allow_rst_directives",
    "page_url",
    "calendar_url",
    "rst_adornments",
    "pages",
    "name",
    "template",
    "output",
    "held_before",
    "held_since",
    "start",
    "end",
    "viewer_url_env",
    "viewer_url_file",
    "signup_closes_after_start",
    "signup_closes",
    "viewer_url_before_start",
    "viewer_url_after_end",
    "stream_opens_before_start",
    "signup_keywords",
    "require_avatar",
    "boosters_join_without_signup",
    "role_name",
    "deny_users",
    "guild_id",
    "signup_channel_id",
    "share_channel_id",
    "scheduled_event",
    "scheduled_event_location",
    "date",
    "status",
    "reason",
    "notes",
    "agenda",
    "body",
    "heading_weekday",
    "tentative",
    "post_id",
];
