//! The sign-up and share channels: the right kind, in the server, with the bot's permissions,
//! and the share channel closed to @everyone.

use crate::discord::Channel;
use crate::discord::models::channel_type;
use crate::discord::permissions::Permissions;
use crate::privacy;

use super::{Check, Seat, Status};

/// What an event role is allowed in the share channel: to see it and read what was posted.
pub const SHARE_ALLOW: Permissions =
    Permissions(Permissions::VIEW_CHANNEL.0 | Permissions::READ_MESSAGE_HISTORY.0);

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
/// `event_role` is the next event's role name, whose holders are the audience.
pub fn share_channel(seat: &Seat<'_>, channel: &Channel, event_role: Option<&str>) -> Vec<Check> {
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
    let privacy = share_privacy(seat, channel, event_role);
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
fn share_privacy(seat: &Seat<'_>, channel: &Channel, event_role: Option<&str>) -> Check {
    let label = channel_label(channel);
    let guild = seat.guild;
    let server = privacy::Server {
        guild_id: guild.id,
        owner_id: guild.owner_id,
        roles: &guild.roles,
        bot: seat.bot.id,
        event_role: event_role.and_then(|name| guild.roles.iter().find(|r| r.name == name).map(|r| r.id)),
    };
    let readers = privacy::outsiders(&server, &channel.permission_overwrites);
    if readers.is_empty() {
        return Check::ok(
            "share privacy",
            format!("only the event role, the bot and administrators can view {label}"),
        );
    }
    let detail: Vec<String> = readers.iter().map(|r| r.describe(&label)).collect();
    let fix: Vec<String> = readers.iter().map(|r| r.fix(&label)).collect();
    Check::fail("share privacy", detail.join("; "), fix.join("; "))
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
