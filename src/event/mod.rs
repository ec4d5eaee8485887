//! The event directory: the series settings and one file per event, resolved.

pub(crate) mod edit;
pub(crate) mod file;
pub(crate) mod load;
pub(crate) mod outline;
mod policy;
mod resolve;
pub(crate) mod shape;
pub(crate) mod source;
pub mod write;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta};
use chrono_tz::Tz;
use serde::Serialize;

use crate::diag::Location;
use crate::discord::Snowflake;
use crate::duration::Span;
pub use crate::error::UnsetId;
use crate::time::Language;

pub use load::{Broken, Directory};
pub use outline::{Agenda, Outline};

/// `tsudoi.toml`, resolved.
#[derive(Debug, Clone)]
pub struct Series {
    pub path: PathBuf,
    pub title: String,
    pub zone: Tz,
    pub language: Language,
    /// Default times of day; an event without its own needs them.
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    /// `[defaults] end = ""`: events without an end of their own are open-ended (`20:00~`).
    pub open_end: bool,
    pub viewer_url: Option<ViewerUrlSource>,
    pub policy: Policy,
    pub discord: DiscordIds,
    /// `[discord] scheduled_event = true`: a Discord scheduled event per episode.
    pub scheduled_event: Option<GuildEventSettings>,
    /// rst directives event text may use although they read files or pass raw output.
    pub allow_rst_directives: Vec<String>,
    /// Where the series page is published (the feed's `URL`), if the series says.
    pub page_url: Option<String>,
    /// Where the calendar feed is published (the page's "add to calendar" link), if the series says.
    pub calendar_url: Option<String>,
    /// The rst adornment characters of heading levels 1 to 4.
    pub rst_adornments: String,
    /// `[[pages]]`: the pages besides the default one.
    pub pages: Vec<PageDef>,
}

/// One `[[pages]]` entry, resolved.
#[derive(Debug, Clone)]
pub struct PageDef {
    pub name: String,
    /// The template's file name in `templates/`.
    pub template: String,
    pub output: PathBuf,
    pub held_before: Option<NaiveDate>,
    pub held_since: Option<NaiveDate>,
}

impl PageDef {
    /// Whether an event held on `date` belongs on this page.
    pub fn holds(&self, date: NaiveDate) -> bool {
        self.held_before.is_none_or(|before| date < before)
            && self.held_since.is_none_or(|since| date >= since)
    }
}

/// Heading adornments when the series does not choose: `#` over and under, then `=`, `-`, `~`.
pub const RST_ADORNMENTS: &str = "#=-~";

/// The numbers and rules that drive sign-ups and timed actions, and that the page states.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub signup_closes_after_start: Span,
    /// `signup_closes = "-1d@23:59"`: a wall-clock deadline that wins over the span above.
    pub signup_closes: Option<DayTime>,
    pub viewer_url_before_start: Span,
    pub stream_opens_before_start: Span,
    pub signup_keywords: Vec<String>,
    pub require_avatar: bool,
    pub boosters_join_without_signup: bool,
    pub role_name: String,
    pub deny_users: Vec<String>,
    pub signup_mode: SignupMode,
    /// The reaction that signs up in `reaction` mode.
    pub signup_emoji: String,
    pub approval: Approval,
    /// Users (and members of a role) whose reaction approves a sign-up in `admin-reaction` mode.
    pub organizers: Vec<String>,
    pub organizer_role_id: Option<String>,
    /// The bot's reaction on an accepted declaration; an organizer's in `admin-reaction` mode.
    pub accept_emoji: String,
    /// When set, `tick` posts the event post this long before the start.
    pub announce_before_start: Option<Span>,
    /// How often `tick` runs the role grants while sign-ups are open.
    pub roles_every: Span,
    pub onair_notice: bool,
    pub close_notice: bool,
    pub share_mode: ShareMode,
    pub viewer_url_after_end: AfterEnd,
    /// Reminders replying to the event post this long before the start, pinging the role.
    pub remind_before: Vec<Span>,
    /// How long after the end `tick` deletes the event role tsudoi created; `None`: kept.
    pub role_retention: Option<Span>,
}

/// A wall-clock time some days before the event's date: `-1d@23:59`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayTime {
    pub days_before: u32,
    #[serde(serialize_with = "hh_mm")]
    pub time: NaiveTime,
}

fn hh_mm<S: serde::Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&time.format("%H:%M"))
}

impl DayTime {
    /// `-1d@23:59`, `-2d@18:00`, `@12:00`.
    pub fn parse(text: &str) -> Option<Self> {
        let (days, time) = text.trim().split_once('@')?;
        let days_before = match days {
            "" => 0,
            days => days.strip_prefix('-')?.strip_suffix('d')?.parse().ok()?,
        };
        let time = NaiveTime::parse_from_str(time, "%H:%M").ok()?;
        (days_before <= 30).then_some(Self { days_before, time })
    }

    /// `前日 23:59`, `当日 12:00`, `3 日前 18:00`.
    pub fn text(&self, language: Language) -> String {
        let time = self.time.format("%H:%M");
        match (language, self.days_before) {
            (Language::Ja, 0) => format!("当日 {time}"),
            (Language::Ja, 1) => format!("前日 {time}"),
            (Language::Ja, n) => format!("{n} 日前 {time}"),
            (Language::En, 0) => format!("{time} on the day"),
            (Language::En, 1) => format!("{time} the day before"),
            (Language::En, n) => format!("{time}, {n} days before"),
        }
    }
}

/// How members sign up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignupMode {
    /// A reply to the event post that contains a keyword.
    Reply,
    /// A reaction on the event post (needs no MESSAGE_CONTENT intent).
    Reaction,
    /// "Interested" on the episode's Discord scheduled event (reads no message at all).
    Interested,
}

/// Who approves a sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Approval {
    /// The rules decide; the bot reacts to accepted declarations.
    Auto,
    /// Only declarations an organizer reacted to with the accept emoji.
    AdminReaction,
}

/// What becomes of the share message once the event has ended (`viewer_url_after_end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AfterEnd {
    /// Left as it is (the reference page keeps its link).
    Keep,
    /// Edited to drop the URL.
    Redact,
    /// Deleted.
    Delete,
}

/// Where the viewer URL goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShareMode {
    /// One message in the share channel, mentioning the role.
    Channel,
    /// A direct message to every role holder.
    Dm,
}

impl Policy {
    pub fn defaults(language: Language) -> Self {
        let keyword = match language {
            Language::Ja => "参加します",
            Language::En => "I'm in",
        };
        Self {
            signup_closes_after_start: Span::from_minutes(30),
            signup_closes: None,
            viewer_url_before_start: Span::from_minutes(15),
            stream_opens_before_start: Span::from_minutes(5),
            signup_keywords: vec![keyword.to_string()],
            require_avatar: false,
            boosters_join_without_signup: false,
            role_name: "{date}".to_string(),
            deny_users: Vec::new(),
            signup_mode: SignupMode::Reply,
            signup_emoji: "🙋".to_string(),
            approval: Approval::Auto,
            organizers: Vec::new(),
            organizer_role_id: None,
            accept_emoji: "✅".to_string(),
            announce_before_start: None,
            roles_every: Span::from_minutes(5),
            onair_notice: true,
            close_notice: false,
            share_mode: ShareMode::Channel,
            viewer_url_after_end: AfterEnd::Keep,
            remind_before: Vec::new(),
            role_retention: None,
        }
    }
}

/// The series' Discord scheduled events (`[discord] scheduled_event = true`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GuildEventSettings {
    /// `scheduled_event_location`; `None`: the sign-up channel's name, read from Discord.
    pub location: Option<String>,
}

/// The Discord ids of the series, parsed at load; each may still be unset.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DiscordIds {
    pub guild_id: Option<Snowflake>,
    pub signup_channel_id: Option<Snowflake>,
    pub share_channel_id: Option<Snowflake>,
}

impl Series {
    /// The server's id, or the error that names the missing key.
    pub fn guild_id(&self) -> Result<Snowflake, UnsetId> {
        self.id("guild_id", self.discord.guild_id)
    }

    /// The sign-up channel's id, or the error that names the missing key.
    pub fn signup_channel_id(&self) -> Result<Snowflake, UnsetId> {
        self.id("signup_channel_id", self.discord.signup_channel_id)
    }

    /// The share channel's id, or the error that names the missing key.
    pub fn share_channel_id(&self) -> Result<Snowflake, UnsetId> {
        self.id("share_channel_id", self.discord.share_channel_id)
    }

    fn id(&self, key: &'static str, value: Option<Snowflake>) -> Result<Snowflake, UnsetId> {
        value.ok_or_else(|| UnsetId {
            key,
            path: self.path.clone(),
        })
    }
}

/// Where the viewer URL is read from when it is shared. The URL itself never lives in files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewerUrlSource {
    Env(String),
    File(PathBuf),
}

impl std::fmt::Display for ViewerUrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Env(name) => write!(f, "env ${name}"),
            Self::File(path) => write!(f, "file {}", path.display()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    /// The date is not fixed yet: shown on the page as its `tentative` text; never posted,
    /// shared or acted on until it is `scheduled`.
    Tentative,
    Scheduled,
    Cancelled,
}

impl Status {
    pub const NAMES: [&'static str; 4] = ["draft", "tentative", "scheduled", "cancelled"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Self::Draft),
            "tentative" => Some(Self::Tentative),
            "scheduled" => Some(Self::Scheduled),
            "cancelled" | "canceled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// One event, with the series defaults and policy applied.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub path: PathBuf,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub starts_at: DateTime<Tz>,
    pub ends_at: DateTime<Tz>,
    pub title: Option<String>,
    pub status: Status,
    /// Why it is cancelled; empty when not said.
    pub reason: String,
    pub notes: String,
    pub agenda: Agenda,
    /// Blocks in tsudoi markup, shown where a template puts `event.body`.
    pub body: String,
    /// No end time (`end = ""`): the page shows `20:00~`; `ends_at` assumes [`OPEN_END_ASSUMED`].
    pub open_end: bool,
    pub heading_weekday: bool,
    /// The page's words for a date not fixed yet (`4 月末の予定`).
    pub tentative: Option<String>,
    pub viewer_url: Option<ViewerUrlSource>,
    pub policy: Policy,
    pub post_id: Option<Snowflake>,
    /// The series keeps a Discord scheduled event for it (copied from the series).
    pub scheduled_event: Option<GuildEventSettings>,
    /// Where `date` stands in the file, for problems found across files (overlaps).
    pub date_location: Option<Location>,
}

/// How long an open-ended event (`end = ""`) is assumed to last, for the timed actions that
/// follow its end (closing the role, the sign-up window).
pub const OPEN_END_ASSUMED: TimeDelta = TimeDelta::hours(2);

/// Where an event stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Draft,
    /// The date is not fixed yet (`status = "tentative"`): nothing is posted or shared.
    Tentative,
    Cancelled,
    /// Said `scheduled`, as the file's `status` says it, everywhere (`list`, `show`, JSON).
    #[serde(rename = "scheduled")]
    Upcoming,
    Live,
    Held,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Tentative => "tentative",
            Self::Cancelled => "cancelled",
            Self::Upcoming => "scheduled",
            Self::Live => "live",
            Self::Held => "held",
        }
    }
}

impl Event {
    /// The role named on the page and granted by `roles`: the policy pattern filled in.
    pub fn role_name(&self) -> String {
        render_role_name(&self.policy.role_name, &self.id, self.date)
    }

    pub fn signup_closes_at(&self) -> DateTime<Tz> {
        if let Some(at) = self.policy.signup_closes {
            let day = self.date - TimeDelta::days(i64::from(at.days_before));
            // A wall-clock time skipped by a DST change closes at the start instead.
            return crate::time::instant(self.starts_at.timezone(), day, at.time).unwrap_or(self.starts_at);
        }
        self.starts_at + self.policy.signup_closes_after_start.delta()
    }

    pub fn viewer_url_at(&self) -> DateTime<Tz> {
        self.starts_at - self.policy.viewer_url_before_start.delta()
    }

    pub fn stream_opens_at(&self) -> DateTime<Tz> {
        self.starts_at - self.policy.stream_opens_before_start.delta()
    }

    pub fn duration(&self) -> TimeDelta {
        self.ends_at - self.starts_at
    }

    /// The one overlap rule (`check` and `create`): two events that both still happen share
    /// some minute. Touching ends (one ends at 15:00, the next starts at 15:00) do not overlap.
    pub fn overlaps(&self, other: &Event) -> bool {
        let happens = |e: &Event| e.status != Status::Cancelled;
        happens(self) && happens(other) && self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }

    pub fn has_ended<T: chrono::TimeZone>(&self, now: &DateTime<T>) -> bool {
        self.ends_at <= *now
    }

    pub fn phase<T: chrono::TimeZone>(&self, now: &DateTime<T>) -> Phase {
        match self.status {
            Status::Draft => Phase::Draft,
            Status::Tentative => Phase::Tentative,
            Status::Cancelled => Phase::Cancelled,
            Status::Scheduled if self.ends_at <= *now => Phase::Held,
            Status::Scheduled if self.starts_at <= *now => Phase::Live,
            Status::Scheduled => Phase::Upcoming,
        }
    }
}

/// The placeholders a role name pattern may use.
pub const ROLE_PLACEHOLDERS: [&str; 2] = ["{date}", "{id}"];

pub fn render_role_name(pattern: &str, id: &str, date: NaiveDate) -> String {
    pattern.replace("{date}", &date.to_string()).replace("{id}", id)
}

/// `2026-02-17` or `2026-02-17-b`: the date, and the suffix for a second event that day.
pub fn parse_id(id: &str) -> Option<(NaiveDate, Option<&str>)> {
    let suffix = id_suffix(id)?;
    let date = crate::time::parse_date(&id[..10]).ok()?;
    Some((date, suffix))
}

/// Whether a file name has the form of an id, whether or not its date exists.
pub fn is_id_shaped(id: &str) -> bool {
    id_suffix(id).is_some()
}

fn id_suffix(id: &str) -> Option<Option<&str>> {
    let head = id.get(..10)?.as_bytes();
    let shaped = head.iter().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            *b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !shaped {
        return None;
    }
    match &id[10..] {
        "" => Some(None),
        rest => {
            let suffix = rest.strip_prefix('-')?;
            let valid = !suffix.is_empty()
                && suffix.split('-').all(|part| {
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            valid.then_some(Some(suffix))
        }
    }
}

/// A scheduled event with the default policy, for unit tests of pure logic.
#[cfg(test)]
pub fn sample(zone: Tz, date: &str, start: &str, end: &str) -> Event {
    use crate::time::{instant, parse_date, parse_time};
    let date = parse_date(date).unwrap();
    let (start, end) = (parse_time(start).unwrap(), parse_time(end).unwrap());
    Event {
        id: date.to_string(),
        path: format!("events/{date}.toml").into(),
        date,
        start,
        end,
        starts_at: instant(zone, date, start).unwrap(),
        ends_at: instant(zone, date, end).unwrap(),
        title: None,
        status: Status::Scheduled,
        reason: String::new(),
        notes: String::new(),
        agenda: Agenda::default(),
        body: String::new(),
        open_end: false,
        heading_weekday: false,
        tentative: None,
        viewer_url: None,
        policy: Policy::defaults(Language::Ja),
        post_id: None,
        scheduled_event: None,
        date_location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_a_date_and_an_optional_suffix() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 17).unwrap();
        assert_eq!(parse_id("2026-02-17"), Some((day, None)));
        assert_eq!(parse_id("2026-02-17-b"), Some((day, Some("b"))));
        assert_eq!(parse_id("2026-02-17-night-2"), Some((day, Some("night-2"))));
        assert!(is_id_shaped("2026-02-30"));
        assert!(!is_id_shaped("notes"));
        for bad in [
            "2026-02-30",
            "2026-02-17-",
            "2026-02-17b",
            "2026-02-17-B",
            "tsudoi",
            "2026-02-17--b",
        ] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn role_names_fill_the_pattern() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 17).unwrap();
        assert_eq!(render_role_name("{date}", "2026-02-17-b", day), "2026-02-17");
        assert_eq!(
            render_role_name("radio-{id}", "2026-02-17-b", day),
            "radio-2026-02-17-b"
        );
    }
}
