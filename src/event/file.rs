//! The files as written by people, deserialized with their spans. Unknown keys are errors:
//! a typo must not silently disable a rule.

use serde::Deserialize;
use toml::Spanned;

pub type Text = Spanned<String>;

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
    /// The rst adornment of heading levels 1 to 4, e.g. `"#=-~"`: level 1 over- and
    /// underlined, the others underlined.
    pub rst_adornments: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultsSection {
    pub start: Option<Text>,
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSection {
    pub guild_id: Option<Text>,
    pub signup_channel_id: Option<Text>,
    pub share_channel_id: Option<Text>,
}

/// `<id>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub date: Text,
    pub start: Option<Text>,
    pub end: Option<Text>,
    pub title: Option<Text>,
    pub status: Option<Text>,
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
    "stream_opens_before_start",
    "signup_keywords",
    "require_avatar",
    "boosters_join_without_signup",
    "role_name",
    "deny_users",
    "guild_id",
    "signup_channel_id",
    "share_channel_id",
    "date",
    "status",
    "notes",
    "agenda",
    "body",
    "heading_weekday",
    "tentative",
    "post_id",
];
