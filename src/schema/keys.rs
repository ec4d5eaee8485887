//! Every key of `tsudoi.toml` and of an event file, with its type, default and meaning: the
//! one text that `init`'s commented template and the JSON Schemas (`tsudoi schema`) both use.

/// Where a key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Series,
    Defaults,
    /// `[policy]`, in `tsudoi.toml` and (as overrides) in an event file.
    Policy,
    /// `[discord]` of `tsudoi.toml`.
    Discord,
    /// The top level of an event file.
    Event,
    /// `[discord]` of an event file.
    EventDiscord,
    /// One `[[pages]]` entry of `tsudoi.toml`.
    Pages,
}

/// What a value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Bool,
    /// `YYYY-MM-DD`, quoted or a TOML date.
    Date,
    /// `HH:MM`, 24-hour, quoted or a TOML time.
    Time,
    /// `30m`, `1h30m`, `7d`: days, hours, minutes, seconds in that order.
    Duration,
    /// A Discord id: digits, quoted.
    Snowflake,
    /// An IANA zone name.
    Zone,
    /// One of a closed set.
    OneOf(&'static [&'static str]),
    Texts,
    Snowflakes,
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub table: Table,
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The default as a TOML value, when there is one.
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

pub const STATUSES: &[&str] = &["draft", "scheduled", "cancelled", "tentative"];
pub const LANGUAGES: &[&str] = &["ja", "en"];
pub const SIGNUP_MODES: &[&str] = &["reply", "reaction", "interested"];
pub const AFTER_END: &[&str] = &["keep", "redact", "delete"];
pub const APPROVALS: &[&str] = &["auto", "admin-reaction"];
pub const SHARE_MODES: &[&str] = &["channel", "dm"];

const fn key(
    table: Table,
    name: &'static str,
    kind: Kind,
    default: Option<&'static str>,
    doc: &'static str,
) -> Key {
    Key {
        table,
        name,
        kind,
        required: false,
        default,
        doc,
    }
}

const fn required(table: Table, name: &'static str, kind: Kind, doc: &'static str) -> Key {
    Key {
        table,
        name,
        kind,
        required: true,
        default: None,
        doc,
    }
}

use Kind::*;
use Table::*;

pub const KEYS: &[Key] = &[
    required(
        Series,
        "title",
        Text,
        "The series' name, at the top of the page and the posts.",
    ),
    required(
        Series,
        "timezone",
        Zone,
        "An IANA zone name, e.g. \"Asia/Tokyo\"; times in this directory are wall-clock times there, daylight saving time handled.",
    ),
    key(
        Series,
        "language",
        OneOf(LANGUAGES),
        Some("\"ja\""),
        "Weekday names and default texts: \"ja\" or \"en\".",
    ),
    key(
        Series,
        "allow_rst_directives",
        Texts,
        Some("[]"),
        "rst directives that read files or pass raw output (include, raw, csv-table with :file:) are refused in event text; list the ones this series really needs, e.g. [\"raw\"].",
    ),
    key(
        Series,
        "page_url",
        Text,
        None,
        "Where the page is published (http/https): the calendar feed links each event to it.",
    ),
    key(
        Series,
        "calendar_url",
        Text,
        None,
        "Where the calendar feed (`announce --format ics --all -o ...`) is published: the built-in page offers it as \"add to calendar\".",
    ),
    key(
        Series,
        "rst_adornments",
        Text,
        Some("\"#=-~\""),
        "The rst adornment of heading levels 1 to 4: level 1 over- and underlined, the others underlined.",
    ),
    required(
        Pages,
        "name",
        Text,
        "The page's name, for `announce --page NAME`.",
    ),
    required(
        Pages,
        "template",
        Text,
        "Its template: a `.j2` file in `templates/`.",
    ),
    required(
        Pages,
        "output",
        Text,
        "Its file under the folder of `announce --all-pages -o DIR`.",
    ),
    key(
        Pages,
        "held_before",
        Date,
        None,
        "Only the events held before this day (an archive page).",
    ),
    key(
        Pages,
        "held_since",
        Date,
        None,
        "Only the events held on or after this day.",
    ),
    key(
        Defaults,
        "start",
        Time,
        None,
        "Start time (HH:MM) of an event that sets none.",
    ),
    key(
        Defaults,
        "end",
        Time,
        None,
        "End time (HH:MM) of an event that sets none.",
    ),
    key(
        Defaults,
        "viewer_url_env",
        Text,
        None,
        "The environment variable `share` reads the viewer URL from. The URL itself never goes in these files, so this directory can live in a public repository.",
    ),
    key(
        Defaults,
        "viewer_url_file",
        Text,
        None,
        "A file `share` reads the viewer URL from (instead of viewer_url_env).",
    ),
    key(
        Policy,
        "signup_closes_after_start",
        Duration,
        Some("\"30m\""),
        "Sign-ups are accepted until start + this.",
    ),
    key(
        Policy,
        "signup_closes",
        Text,
        None,
        "Sign-ups close at a clock time some days before the event's date, e.g. \"-1d@23:59\" (instead of signup_closes_after_start).",
    ),
    key(
        Policy,
        "viewer_url_before_start",
        Duration,
        Some("\"15m\""),
        "The viewer URL is shared this long before start.",
    ),
    key(
        Policy,
        "stream_opens_before_start",
        Duration,
        Some("\"5m\""),
        "The stream opens this long before start.",
    ),
    key(
        Policy,
        "signup_keywords",
        Texts,
        Some("[\"参加します\"]"),
        "A reply containing one of these is a sign-up (default by language: \"参加します\" or \"I'm in\").",
    ),
    key(
        Policy,
        "require_avatar",
        Bool,
        Some("false"),
        "Only members who set an avatar get the role.",
    ),
    key(
        Policy,
        "boosters_join_without_signup",
        Bool,
        Some("false"),
        "Server boosters get the role without signing up.",
    ),
    key(
        Policy,
        "role_name",
        Text,
        Some("\"{date}\""),
        "The event role; {date} and {id} are filled in.",
    ),
    key(
        Policy,
        "deny_users",
        Snowflakes,
        Some("[]"),
        "Discord user ids that never get the role.",
    ),
    key(
        Policy,
        "signup_mode",
        OneOf(SIGNUP_MODES),
        Some("\"reply\""),
        "How members sign up: a \"reply\" with a keyword, a \"reaction\" with signup_emoji, or \"interested\" on the episode's Discord scheduled event (needs [discord] scheduled_event = true).",
    ),
    key(
        Policy,
        "signup_emoji",
        Text,
        Some("\"🙋\""),
        "The reaction that signs up when signup_mode = \"reaction\".",
    ),
    key(
        Policy,
        "approval",
        OneOf(APPROVALS),
        Some("\"auto\""),
        "\"auto\": the rules decide; \"admin-reaction\": an organizer's accept_emoji on the sign-up decides.",
    ),
    key(
        Policy,
        "organizers",
        Snowflakes,
        Some("[]"),
        "Discord user ids whose accept_emoji approves a sign-up.",
    ),
    key(
        Policy,
        "organizer_role_id",
        Snowflake,
        None,
        "Members with this role approve sign-ups too.",
    ),
    key(
        Policy,
        "accept_emoji",
        Text,
        Some("\"✅\""),
        "The reaction the bot (or an organizer) puts on an accepted sign-up.",
    ),
    key(
        Policy,
        "announce_before_start",
        Duration,
        None,
        "`tick` publishes the event post this long before start (unset: never on its own).",
    ),
    key(
        Policy,
        "roles_every",
        Duration,
        Some("\"5m\""),
        "How often `tick` reads new sign-ups and grants the role.",
    ),
    key(
        Policy,
        "onair_notice",
        Bool,
        Some("true"),
        "`tick` posts a short \"on air\" notice when the stream opens.",
    ),
    key(
        Policy,
        "close_notice",
        Bool,
        Some("false"),
        "`tick` posts a notice when sign-ups close.",
    ),
    key(
        Policy,
        "share_mode",
        OneOf(SHARE_MODES),
        Some("\"channel\""),
        "Where the viewer URL goes: one message in the share \"channel\", or a \"dm\" to each role holder.",
    ),
    key(
        Policy,
        "viewer_url_after_end",
        OneOf(AFTER_END),
        Some("\"keep\""),
        "After the end, the share message is kept (\"keep\"), edited to drop the URL (\"redact\") or deleted (\"delete\").",
    ),
    key(
        Policy,
        "remind_before",
        Texts,
        Some("[]"),
        "Reminders replying to the event post this long before the start (durations, e.g. [\"1d\", \"1h\"]), pinging the event role.",
    ),
    key(
        Policy,
        "role_retention",
        Text,
        Some("\"keep\""),
        "\"keep\", or a duration after the end when `tick` deletes the event role tsudoi created (e.g. \"30d\").",
    ),
    key(
        Discord,
        "guild_id",
        Snowflake,
        None,
        "The server's id. Copy ids with Developer Mode on (User Settings → Advanced), then right-click → Copy ID.",
    ),
    key(
        Discord,
        "signup_channel_id",
        Snowflake,
        None,
        "Where the event post goes and members sign up (a text or a forum channel).",
    ),
    key(
        Discord,
        "share_channel_id",
        Snowflake,
        None,
        "Where role holders read the viewer URL.",
    ),
    key(
        Discord,
        "scheduled_event",
        Bool,
        Some("false"),
        "`post` and `tick` keep one Discord scheduled event per episode in the server's Events list.",
    ),
    key(
        Discord,
        "scheduled_event_location",
        Text,
        None,
        "Where the scheduled event says it happens (default: \"Discord #<sign-up channel>\"); never the viewer URL.",
    ),
    required(
        Event,
        "date",
        Date,
        "The event's date, YYYY-MM-DD: the id's date.",
    ),
    key(
        Event,
        "start",
        Time,
        None,
        "Start time, HH:MM (default: the series' [defaults] start).",
    ),
    key(
        Event,
        "end",
        Time,
        None,
        "End time, HH:MM, after the start (default: the series' [defaults] end).",
    ),
    key(
        Event,
        "title",
        Text,
        None,
        "A title for this event (default: the series title).",
    ),
    key(
        Event,
        "status",
        OneOf(STATUSES),
        Some("\"scheduled\""),
        "draft: nothing is announced or posted. Set \"scheduled\" when ready; \"cancelled\" calls it off.",
    ),
    key(
        Event,
        "tentative",
        Text,
        None,
        "With status = \"tentative\": the words shown instead of the date (e.g. \"4 月末の予定\"); nothing is posted or shared.",
    ),
    key(
        Event,
        "heading_weekday",
        Bool,
        Some("false"),
        "Templates may show the weekday in this event's heading.",
    ),
    key(
        Event,
        "body",
        Text,
        None,
        "Blocks in order, instead of notes and agenda: paragraphs, `- ` lists, `text::` + an indented literal block, images.",
    ),
    key(
        Event,
        "reason",
        Text,
        None,
        "Why the event is cancelled, shown in the post and the notice (`tsudoi cancel --reason`).",
    ),
    key(
        Event,
        "viewer_url_env",
        Text,
        None,
        "The environment variable `share` reads this event's viewer URL from.",
    ),
    key(
        Event,
        "viewer_url_file",
        Text,
        None,
        "A file `share` reads this event's viewer URL from.",
    ),
    key(Event, "notes", Text, None, "Paragraphs shown before the agenda."),
    key(
        Event,
        "agenda",
        Text,
        None,
        "One `- ` item per line, nested by two spaces; `title <https://...>` is a link.",
    ),
    key(
        EventDiscord,
        "post_id",
        Snowflake,
        None,
        "An event post made by hand; `post` records its own.",
    ),
];

/// The key `name` of `table`; every caller names one that exists.
pub fn doc(table: Table, name: &str) -> &'static str {
    KEYS.iter()
        .find(|k| k.table == table && k.name == name)
        .map(|k| k.doc)
        .unwrap_or_else(|| panic!("no key `{name}` in the key table"))
}

pub fn in_table(table: Table) -> impl Iterator<Item = &'static Key> {
    KEYS.iter().filter(move |k| k.table == table)
}
