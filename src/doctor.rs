//! What `tsudoi doctor` concludes from what Discord returned: one row per check, each failure
//! with its fix. Pure: the command fetches, this judges.

use serde::Serialize;

use crate::discord::models::{VERIFICATION_LEVELS, application_flags as flags, channel_type};
use crate::discord::permissions::{self, Permissions, Subject};
use crate::discord::{Application, Channel, DiscordError, Guild, Member, Role, User};

/// Most roles a server may have.
pub const ROLE_CAP: usize = 250;
/// Fewer free roles than this is worth a warning: each event takes one.
const ROLE_HEADROOM_WARN: usize = 10;

/// Every row doctor prints, in order.
pub const CHECKS: [&str; 16] = [
    "token",
    "intents",
    "message content intent",
    "server members intent",
    "server",
    "verification level",
    "role headroom",
    "bot role",
    "manage roles",
    "event role",
    "sign-up channel",
    "sign-up permissions",
    "share channel",
    "share permissions",
    "share privacy",
    "share overwrite",
];

/// Every row, in order: the checks that ran, and a skip for each that could not.
pub fn complete(mut checks: Vec<Check>) -> Vec<Check> {
    let done: Vec<&str> = checks.iter().map(|c| c.check).collect();
    // "intents" only stands in for the two intent rows when the application could not be read.
    let skipped = |name: &str| {
        !done.contains(&name) && name != "intents" && !(done.contains(&"intents") && name.ends_with("intent"))
    };
    let rest: Vec<Check> = CHECKS
        .into_iter()
        .filter(|name| skipped(name))
        .map(|name| Check::skip(name, "not checked: an earlier check failed"))
        .collect();
    checks.extend(rest);
    checks.sort_by_key(|c| CHECKS.iter().position(|name| *name == c.check));
    checks
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    /// Not checked, because an earlier check failed or there is nothing to check.
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warn => "warn",
            Self::Fail => "fail",
            Self::Skip => "skip",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(check: &'static str, detail: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn warn(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn skip(check: &'static str, why: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Skip,
            detail: why.into(),
            fix: None,
        }
    }

    /// A request that failed: Discord's refusal in words, and its fix.
    pub fn error(check: &'static str, error: &DiscordError) -> Self {
        let fix = error
            .hint()
            .unwrap_or_else(|| "run `tsudoi doctor -v` to see the requests".into());
        Self::fail(check, error.to_string(), fix)
    }
}

const PORTAL_INTENTS: &str = "Developer Portal → Applications → your bot → Bot → Privileged Gateway Intents";

/// Both privileged intents tsudoi relies on, each with why it is needed.
pub fn intents(app: &Application) -> [Check; 2] {
    let has = |full: u64, limited: u64| app.flags & (full | limited) != 0;
    let content = if has(
        flags::GATEWAY_MESSAGE_CONTENT,
        flags::GATEWAY_MESSAGE_CONTENT_LIMITED,
    ) {
        Check::ok("message content intent", "on: sign-up messages can be read")
    } else {
        Check::fail(
            "message content intent",
            "off: sign-ups are read from message text, and without this intent every declaration reads as empty",
            format!("{PORTAL_INTENTS} → turn on Message Content Intent"),
        )
    };
    let members = if has(flags::GATEWAY_GUILD_MEMBERS, flags::GATEWAY_GUILD_MEMBERS_LIMITED) {
        Check::ok("server members intent", "on: members can be listed")
    } else {
        Check::fail(
            "server members intent",
            "off: `roles` lists the members to find boosters and to check who is still in the server",
            format!("{PORTAL_INTENTS} → turn on Server Members Intent"),
        )
    };
    [content, members]
}

pub fn verification(guild: &Guild) -> Check {
    let level = usize::from(guild.verification_level);
    let name = VERIFICATION_LEVELS.get(level).copied().unwrap_or("unknown");
    if level >= 4 {
        Check::ok("verification level", name)
    } else {
        Check::warn(
            "verification level",
            format!("`{name}`, below `verified phone`, which the event page asks members for"),
            "Server Settings → Safety Setup → Verification Level → Highest (verified phone)",
        )
    }
}

pub fn role_headroom(guild: &Guild) -> Check {
    let count = guild.roles.len();
    let free = ROLE_CAP.saturating_sub(count);
    let detail = format!("{count} of {ROLE_CAP} roles; room for {free} more");
    let fix = "delete the roles of past events in Server Settings → Roles";
    if free == 0 {
        Check::fail(
            "role headroom",
            format!("{detail}: the next event's role cannot be created"),
            fix,
        )
    } else if free < ROLE_HEADROOM_WARN {
        Check::warn("role headroom", detail, fix)
    } else {
        Check::ok("role headroom", detail)
    }
}

/// The bot in the server: its roles, and so its permissions.
pub struct Seat<'a> {
    pub guild: &'a Guild,
    pub bot: &'a User,
    pub member: &'a Member,
}

impl Seat<'_> {
    fn subject(&self) -> Subject<'_> {
        Subject {
            user_id: Some(self.bot.id),
            roles: &self.member.roles,
            is_owner: self.guild.owner_id == self.bot.id,
        }
    }

    pub fn base(&self) -> Permissions {
        permissions::base(self.guild.id, &self.guild.roles, self.subject())
    }

    pub fn in_channel(&self, channel: &Channel) -> Permissions {
        permissions::in_channel(
            self.base(),
            self.guild.id,
            &channel.permission_overwrites,
            self.subject(),
        )
    }

    pub fn everyone_in(&self, channel: &Channel) -> Permissions {
        let base = permissions::base(self.guild.id, &self.guild.roles, Subject::EVERYONE);
        permissions::in_channel(
            base,
            self.guild.id,
            &channel.permission_overwrites,
            Subject::EVERYONE,
        )
    }

    /// The bot's highest role: the one whose position bounds what it may manage.
    pub fn highest_role(&self) -> Option<&Role> {
        self.guild
            .roles
            .iter()
            .filter(|r| self.member.roles.contains(&r.id))
            .max_by_key(|r| (r.position, std::cmp::Reverse(r.id)))
    }

    fn highest_name(&self) -> String {
        self.highest_role().map_or("@everyone".into(), |r| r.name.clone())
    }
}

pub fn bot_role(seat: &Seat<'_>) -> Check {
    match seat.highest_role() {
        Some(role) => Check::ok(
            "bot role",
            format!("`{}` at position {}", role.name, role.position),
        ),
        None => Check::fail(
            "bot role",
            "the bot has no role but @everyone, so it can grant no role",
            "give the bot a role with Manage Roles (e.g. the one made when it was invited) in Server Settings → \
             Members",
        ),
    }
}

pub fn manage_roles(seat: &Seat<'_>) -> Check {
    if seat.base().contains(Permissions::MANAGE_ROLES) {
        Check::ok("manage roles", "the bot may create and grant roles")
    } else {
        Check::fail(
            "manage roles",
            "the bot lacks Manage Roles, so it can neither create nor grant the event role",
            format!(
                "give `{}` the Manage Roles permission in Server Settings → Roles",
                seat.highest_name()
            ),
        )
    }
}

/// The next event's role, if it exists, must sit below the bot's highest role.
pub fn event_role(seat: &Seat<'_>, role_name: Option<&str>) -> Check {
    let Some(name) = role_name else {
        return Check::skip("event role", "no upcoming event");
    };
    let top = seat.highest_role().map_or(0, |r| r.position);
    let Some(role) = seat.guild.roles.iter().find(|r| r.name == name) else {
        return Check::ok(
            "event role",
            format!("`{name}` does not exist yet; `roles` creates it below the bot's role"),
        );
    };
    if role.managed {
        Check::fail(
            "event role",
            format!("`{name}` is managed by an integration; no one can grant it"),
            format!("rename or delete the integration's role `{name}`, or change `role_name` in [policy]"),
        )
    } else if role.position >= top {
        Check::fail(
            "event role",
            format!(
                "`{name}` (position {}) is not below the bot's highest role `{}` (position {top}): the bot \
                 cannot grant it",
                role.position,
                seat.highest_name()
            ),
            format!("move the bot's role above `{name}` in Server Settings → Roles"),
        )
    } else {
        Check::ok(
            "event role",
            format!("`{name}` (position {}) is below the bot's role", role.position),
        )
    }
}

fn channel_label(channel: &Channel) -> String {
    format!("#{}", channel.name.as_deref().unwrap_or("?"))
}

/// The channel is in the server and of a kind tsudoi can post in.
fn channel_kind(check: &'static str, seat: &Seat<'_>, channel: &Channel, kinds: &[u8], key: &str) -> Check {
    let label = channel_label(channel);
    let kind = channel_type::name(channel.kind);
    if channel.guild_id != Some(seat.guild.id) {
        return Check::fail(
            check,
            format!("{label} is not in the server `{}`", seat.guild.name),
            format!(
                "set `{key}` under [discord] to a channel of `{}`",
                seat.guild.name
            ),
        );
    }
    if !kinds.contains(&channel.kind) {
        let wanted: Vec<&str> = kinds.iter().map(|k| channel_type::name(*k)).collect();
        return Check::fail(
            check,
            format!(
                "{label} is a {kind} channel; it must be a {} channel",
                wanted.join(" or ")
            ),
            format!("set `{key}` under [discord] to a {} channel", wanted.join(" or ")),
        );
    }
    Check::ok(check, format!("{label} ({kind})"))
}

fn channel_permissions(
    check: &'static str,
    seat: &Seat<'_>,
    channel: &Channel,
    wanted: &[Permissions],
) -> Check {
    let label = channel_label(channel);
    let missing = seat.in_channel(channel).missing(wanted);
    if missing.is_empty() {
        let names: Vec<&str> = wanted.iter().map(|p| p.name()).collect();
        Check::ok(check, format!("the bot can {} in {label}", names.join(", ")))
    } else {
        Check::fail(
            check,
            format!("the bot lacks {} in {label}", missing.join(", ")),
            format!(
                "allow {} for `{}` in {label} → Edit Channel → Permissions",
                missing.join(", "),
                seat.highest_name()
            ),
        )
    }
}

/// Where sign-ups are read and reacted to.
pub fn signup_channel(seat: &Seat<'_>, channel: &Channel) -> Vec<Check> {
    let kinds = [channel_type::GUILD_TEXT, channel_type::GUILD_FORUM];
    let kind = channel_kind("sign-up channel", seat, channel, &kinds, "signup_channel_id");
    if kind.status == Status::Fail {
        return vec![
            kind,
            Check::skip("sign-up permissions", "no usable sign-up channel"),
        ];
    }
    let wanted = [
        Permissions::VIEW_CHANNEL,
        Permissions::READ_MESSAGE_HISTORY,
        Permissions::SEND_MESSAGES,
        Permissions::ADD_REACTIONS,
    ];
    vec![
        kind,
        channel_permissions("sign-up permissions", seat, channel, &wanted),
    ]
}

/// Where the viewer URL goes: the bot posts there, role holders read it, no one else may.
pub fn share_channel(seat: &Seat<'_>, channel: &Channel) -> Vec<Check> {
    let kinds = [channel_type::GUILD_TEXT, channel_type::GUILD_ANNOUNCEMENT];
    let kind = channel_kind("share channel", seat, channel, &kinds, "share_channel_id");
    if kind.status == Status::Fail {
        let why = "no usable share channel";
        return vec![
            kind,
            Check::skip("share permissions", why),
            Check::skip("share privacy", why),
            Check::skip("share overwrite", why),
        ];
    }
    let label = channel_label(channel);
    let wanted = [Permissions::VIEW_CHANNEL, Permissions::SEND_MESSAGES];
    let privacy = if seat.everyone_in(channel).contains(Permissions::VIEW_CHANNEL) {
        Check::fail(
            "share privacy",
            format!("@everyone can view {label}: the viewer URL would leak to the whole server"),
            format!("in {label} → Edit Channel → Permissions → @everyone, deny View Channel"),
        )
    } else {
        Check::ok("share privacy", format!("@everyone cannot view {label}"))
    };
    let overwrite = if seat.in_channel(channel).contains(Permissions::MANAGE_ROLES) {
        Check::ok(
            "share overwrite",
            format!("the bot can let the event role into {label}"),
        )
    } else {
        Check::fail(
            "share overwrite",
            format!("the bot lacks Manage Permissions in {label}, so it cannot let the event role in"),
            format!(
                "give `{}` Manage Roles, or allow it Manage Permissions in {label} → Edit Channel → Permissions",
                seat.highest_name()
            ),
        )
    };
    vec![
        kind,
        channel_permissions("share permissions", seat, channel, &wanted),
        privacy,
        overwrite,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn guild(roles: serde_json::Value) -> Guild {
        serde_json::from_value(json!({
            "id": "1", "name": "g", "owner_id": "99", "verification_level": 4, "roles": roles,
        }))
        .unwrap()
    }

    fn role(id: &str, name: &str, position: i64, permissions: u64) -> serde_json::Value {
        json!({ "id": id, "name": name, "position": position, "permissions": permissions.to_string() })
    }

    #[test]
    fn the_event_role_must_be_below_the_bots_role() {
        let guild = guild(json!([
            role("1", "@everyone", 0, 0),
            role("5", "tsudoi", 2, 1 << 28),
            role("6", "2026-02-17", 3, 0),
            role("7", "2025-07-08", 1, 0),
        ]));
        let bot: User = serde_json::from_value(json!({"id": "9", "username": "bot", "bot": true})).unwrap();
        let member: Member = serde_json::from_value(json!({"roles": ["5"]})).unwrap();
        let seat = Seat {
            guild: &guild,
            bot: &bot,
            member: &member,
        };
        let high = event_role(&seat, Some("2026-02-17"));
        assert_eq!(high.status, Status::Fail);
        assert_eq!(
            high.fix.unwrap(),
            "move the bot's role above `2026-02-17` in Server Settings → Roles"
        );
        assert_eq!(event_role(&seat, Some("2025-07-08")).status, Status::Ok);
        assert_eq!(event_role(&seat, Some("2030-01-01")).status, Status::Ok);
        assert_eq!(event_role(&seat, None).status, Status::Skip);
        assert_eq!(manage_roles(&seat).status, Status::Ok);
    }

    #[test]
    fn role_headroom_warns_near_the_cap() {
        let roles = |n: usize| {
            json!(
                (0..n)
                    .map(|i| role(&(i + 1).to_string(), "r", 0, 0))
                    .collect::<Vec<_>>()
            )
        };
        assert_eq!(role_headroom(&guild(roles(3))).status, Status::Ok);
        assert_eq!(role_headroom(&guild(roles(245))).status, Status::Warn);
        assert_eq!(role_headroom(&guild(roles(250))).status, Status::Fail);
    }
}
