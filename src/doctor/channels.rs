//! The sign-up and share channels: the right kind, in the server, with the bot's permissions,
//! and the share channel closed to @everyone.

use crate::discord::models::channel_type;
use crate::discord::permissions::Permissions;
use crate::discord::{Channel, OverwriteType};
use crate::privacy;

use super::{Check, Seat, Status};

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

/// The next event, whose role holders may read the share channel.
#[derive(Debug, Clone)]
pub struct Audience {
    /// Its id, for `tsudoi roles ID`.
    pub event: String,
    pub role: String,
    /// The role names of the events that have ended: `tsudoi roles` closes the channel to them.
    pub ended: Vec<String>,
}

/// Where the viewer URL goes: the bot posts there, role holders read it, no one else may.
pub fn share_channel(seat: &Seat<'_>, channel: &Channel, audience: Option<&Audience>) -> Vec<Check> {
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
    let wanted = [Permissions::VIEW_CHANNEL, Permissions::SEND_MESSAGES];
    let privacy = share_privacy(seat, channel, audience);
    let overwrite = share_overwrite(seat, channel);
    vec![
        kind,
        channel_permissions("share permissions", seat, channel, &wanted),
        privacy,
        overwrite,
    ]
}

/// Nobody but the event role, the bot and administrators can view the channel: the same
/// judgement the share action makes before every send.
fn share_privacy(seat: &Seat<'_>, channel: &Channel, audience: Option<&Audience>) -> Check {
    let label = channel_label(channel);
    let guild = seat.guild;
    let server = privacy::Server {
        guild_id: guild.id,
        owner_id: guild.owner_id,
        roles: &guild.roles,
        bot: seat.bot.id,
        event_role: audience.and_then(|a| guild.roles.iter().find(|r| r.name == a.role).map(|r| r.id)),
    };
    let readers = privacy::outsiders(&server, &channel.permission_overwrites);
    if readers.is_empty() {
        return Check::ok(
            "share privacy",
            format!("only the event role, the bot and administrators can view {label}"),
        );
    }
    let detail: Vec<String> = readers.iter().map(|r| r.describe(&label)).collect();
    let (ended, others): (Vec<&privacy::Reader>, Vec<&privacy::Reader>) = readers
        .iter()
        .partition(|r| audience.is_some_and(|a| closed_by_roles(channel, a, r)));
    let mut fix: Vec<String> = others.iter().map(|r| r.fix(&label)).collect();
    if let (Some(audience), false) = (audience, ended.is_empty()) {
        fix.push(format!(
            "run `tsudoi roles {}`: it closes {label} to the roles of events that have ended",
            audience.event
        ));
    }
    Check::fail("share privacy", detail.join("; "), fix.join("; "))
}

/// Whether `tsudoi roles` for the audience's event closes the channel to this reader: a role
/// named for an ended event, let in by its overwrite.
fn closed_by_roles(channel: &Channel, audience: &Audience, reader: &privacy::Reader) -> bool {
    let privacy::Reader::Role { id, name } = reader else {
        return false;
    };
    audience.ended.contains(name)
        && channel.permission_overwrites.iter().any(|o| {
            o.kind == OverwriteType::Role && o.id == *id && o.allow.contains(Permissions::VIEW_CHANNEL)
        })
}

/// Whether the bot may add the event role's overwrite: it needs Manage Permissions in the
/// channel, and may only allow what it has server-wide unless its own overwrite there grants
/// Manage Permissions.
fn share_overwrite(seat: &Seat<'_>, channel: &Channel) -> Check {
    let label = channel_label(channel);
    let fix = format!(
        "allow Manage Permissions for `{}` in {label} → Edit Channel → Permissions",
        seat.highest_name()
    );
    if !seat.in_channel(channel).contains(Permissions::MANAGE_ROLES) {
        let detail =
            format!("the bot lacks Manage Permissions in {label}, so it cannot let the event role in");
        return Check::fail("share overwrite", detail, fix);
    }
    let missing = seat
        .base()
        .missing(&[Permissions::VIEW_CHANNEL, Permissions::READ_MESSAGE_HISTORY]);
    if seat.has_own_overwrite(channel, Permissions::MANAGE_ROLES) || missing.is_empty() {
        return Check::ok(
            "share overwrite",
            format!("the bot can let the event role into {label}"),
        );
    }
    let detail = format!(
        "the bot may only allow what it has server-wide, and lacks {} there; the event role could \
         not be let into {label}",
        missing.join(", ")
    );
    Check::fail("share overwrite", detail, fix)
}
