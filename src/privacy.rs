//! Who can read where the viewer URL goes: nobody but the event role's holders, the bot and
//! administrators. Pure: callers pass the guild's roles and the channel's overwrites as Discord
//! returned them (for a thread, its parent's: a thread is readable by whoever reads the parent).
//! `doctor` and the share action judge with this one function.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::discord::permissions::{self, Permissions, Subject};
use crate::discord::{Channel, Overwrite, OverwriteType, Role, Snowflake};
use crate::event::Event;

/// What an event role is allowed in the share channel: to see it and read what was posted.
pub const SHARE_ALLOW: Permissions =
    Permissions(Permissions::VIEW_CHANNEL.0 | Permissions::READ_MESSAGE_HISTORY.0);

/// The server as far as reading one channel goes.
#[derive(Debug, Clone, Copy)]
pub struct Server<'a> {
    pub guild_id: Snowflake,
    pub owner_id: Snowflake,
    pub roles: &'a [Role],
    pub bot: Snowflake,
    /// The event role, once it exists: its holders are the URL's audience.
    pub event_role: Option<Snowflake>,
}

/// Someone outside the audience who can view the channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    Everyone,
    Role { id: Snowflake, name: String },
    Member(Snowflake),
}

impl Reader {
    /// Who, and what it means, for an error line: `@everyone can view #viewers: ...`.
    pub fn describe(&self, place: &str) -> String {
        match self {
            Self::Everyone => {
                format!("@everyone can view {place}: the viewer URL would leak to the whole server")
            }
            Self::Role { name, .. } => {
                format!("the role `{name}` can view {place}: the viewer URL would leak to its holders")
            }
            Self::Member(id) => format!(
                "the member {id} can view {place} by a member overwrite: the viewer URL would leak to them"
            ),
        }
    }

    /// The change in Discord's settings that closes the channel to this reader.
    pub fn fix(&self, place: &str) -> String {
        match self {
            Self::Everyone => {
                format!("in {place} → Edit Channel → Permissions → @everyone, deny View Channel")
            }
            Self::Role { name, .. } => {
                format!("in {place} → Edit Channel → Permissions → `{name}`, deny View Channel")
            }
            Self::Member(id) => {
                format!("in {place} → Edit Channel → Permissions, remove the overwrite of the member {id}")
            }
        }
    }
}

/// A channel's name for messages, `#viewers`; for a thread, its parent's too.
pub fn place(channel: &Channel, parent: Option<&Channel>) -> String {
    let name = |c: &Channel| format!("#{}", c.name.as_deref().unwrap_or("?"));
    match parent {
        Some(parent) => format!("{} (the parent of the thread {})", name(parent), name(channel)),
        None => name(channel),
    }
}

/// Everyone outside the audience who can view a channel with these overwrites: `@everyone`,
/// each role that is neither the event role, an administrator role nor the bot's own
/// integration role, and each member overwrite other than the bot's and the owner's.
/// Checking roles one at a time is enough: a role can only add View Channel to what a
/// member has (an allow among role overwrites beats a deny), never take away another's allow.
/// When `@everyone` can view, the others are judged as if that were fixed, so one round of
/// fixes closes the channel.
pub fn outsiders(server: &Server<'_>, overwrites: &[Overwrite]) -> Vec<Reader> {
    let view = |overwrites: &[Overwrite], subject: Subject<'_>| {
        let base = permissions::base(server.guild_id, server.roles, subject);
        permissions::in_channel(base, server.guild_id, overwrites, subject)
            .contains(Permissions::VIEW_CHANNEL)
    };
    let mut readers = Vec::new();
    let mut overwrites = overwrites.to_vec();
    if view(&overwrites, Subject::EVERYONE) {
        readers.push(Reader::Everyone);
        hide_from_everyone(&mut overwrites, server.guild_id);
    }
    let can_view = |subject: Subject<'_>| view(&overwrites, subject);
    for role in server.roles.iter().filter(|r| !trusted(server, r)) {
        let roles = [role.id];
        let subject = Subject {
            user_id: None,
            roles: &roles,
            is_owner: false,
        };
        if can_view(subject) {
            readers.push(Reader::Role {
                id: role.id,
                name: role.name.clone(),
            });
        }
    }
    let members = overwrites
        .iter()
        .filter(|o| o.kind == OverwriteType::Member && o.id != server.bot && o.id != server.owner_id);
    for overwrite in members {
        let subject = Subject {
            user_id: Some(overwrite.id),
            roles: &[],
            is_owner: false,
        };
        if can_view(subject) {
            readers.push(Reader::Member(overwrite.id));
        }
    }
    readers
}

/// The role names of the series' events that have ended, each with the id of the last such
/// event: their holders have no URL coming, so `roles` closes the share channel to them. A name
/// the audience or an event not yet over (a later one, or one still under way) also goes by is
/// left out: its holders may still be owed a URL.
pub fn ended_roles<'a>(
    events: &'a [Event],
    audience: &str,
    now: &DateTime<Utc>,
) -> BTreeMap<String, &'a str> {
    let (ended, current): (Vec<&Event>, Vec<&Event>) = events.iter().partition(|e| e.has_ended(now));
    let kept: Vec<String> = current.iter().map(|e| e.role_name()).collect();
    let mut roles = BTreeMap::new();
    for event in ended {
        let name = event.role_name();
        if name != audience && !kept.contains(&name) {
            // Events come by start time: the last one wins.
            roles.insert(name, event.id.as_str());
        }
    }
    roles
}

/// The fix for `@everyone`: its overwrite denies View Channel.
fn hide_from_everyone(overwrites: &mut Vec<Overwrite>, guild_id: Snowflake) {
    match overwrites.iter_mut().find(|o| o.id == guild_id) {
        Some(everyone) => {
            everyone.allow = everyone.allow & !Permissions::VIEW_CHANNEL;
            everyone.deny = everyone.deny | Permissions::VIEW_CHANNEL;
        }
        None => overwrites.push(Overwrite {
            id: guild_id,
            kind: OverwriteType::Role,
            allow: Permissions::NONE,
            deny: Permissions::VIEW_CHANNEL,
        }),
    }
}

/// Roles whose holders may read the URL; `@everyone` is judged on its own.
fn trusted(server: &Server<'_>, role: &Role) -> bool {
    role.id == server.guild_id
        || Some(role.id) == server.event_role
        || role.permissions.contains(Permissions::ADMINISTRATOR)
        // Only the bot can hold its own integration role; a role it merely holds, others may.
        || (role.managed && role.tags.bot_id == Some(server.bot))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const GUILD: Snowflake = Snowflake(1);
    const BOT: Snowflake = Snowflake(9);
    const OWNER: Snowflake = Snowflake(8);
    const VIEW: u64 = 1 << 10;
    const ADMIN: u64 = 1 << 3;

    fn roles() -> Vec<Role> {
        serde_json::from_value(json!([
            { "id": "1", "name": "@everyone", "position": 0, "permissions": VIEW.to_string() },
            { "id": "2", "name": "tsudoi", "position": 3, "permissions": "0", "managed": true, "tags": { "bot_id": "9" } },
            { "id": "3", "name": "2026-02-17", "position": 1, "permissions": "0" },
            { "id": "4", "name": "mods", "position": 2, "permissions": "0" },
            { "id": "5", "name": "admins", "position": 4, "permissions": ADMIN.to_string() },
            { "id": "6", "name": "members", "position": 1, "permissions": VIEW.to_string() },
        ]))
        .unwrap()
    }

    fn overwrite(id: u64, kind: u8, allow: u64, deny: u64) -> Overwrite {
        serde_json::from_value(json!({
            "id": id.to_string(), "type": kind, "allow": allow.to_string(), "deny": deny.to_string(),
        }))
        .unwrap()
    }

    fn judge(overwrites: &[Overwrite]) -> Vec<String> {
        let roles = roles();
        let server = Server {
            guild_id: GUILD,
            owner_id: OWNER,
            roles: &roles,
            bot: BOT,
            event_role: Some(Snowflake(3)),
        };
        outsiders(&server, overwrites)
            .iter()
            .map(|r| match r {
                Reader::Everyone => "@everyone".to_string(),
                Reader::Role { name, .. } => name.clone(),
                Reader::Member(id) => id.to_string(),
            })
            .collect()
    }

    #[test]
    fn only_the_audience_may_view() {
        let hidden = overwrite(1, 0, 0, VIEW);
        let cases: Vec<(Vec<Overwrite>, Vec<&str>, &str)> = vec![
            (
                vec![],
                vec!["@everyone"],
                "no overwrites: everyone reads, and no role once that is fixed",
            ),
            (
                vec![hidden.clone()],
                vec![],
                "@everyone denied; members' base View is denied with it",
            ),
            (
                vec![hidden.clone(), overwrite(3, 0, VIEW, 0), overwrite(2, 0, VIEW, 0)],
                vec![],
                "the event role and the bot's integration role let in",
            ),
            (
                vec![hidden.clone(), overwrite(4, 0, VIEW, 0)],
                vec!["mods"],
                "another role let in",
            ),
            (
                vec![
                    hidden.clone(),
                    overwrite(42, 1, VIEW, 0),
                    overwrite(9, 1, VIEW, 0),
                    overwrite(8, 1, VIEW, 0),
                ],
                vec!["42"],
                "a member let in; the bot and the owner are fine",
            ),
            (
                vec![overwrite(1, 0, 0, 0), overwrite(4, 0, VIEW, 0)],
                vec!["@everyone", "mods"],
                "an @everyone overwrite that denies nothing, and a role let in besides",
            ),
        ];
        for (overwrites, want, name) in cases {
            assert_eq!(judge(&overwrites), want, "{name}");
        }
    }

    #[test]
    fn only_roles_of_events_that_are_over_are_ended() {
        let zone = chrono_tz::Asia::Tokyo;
        let sample = |date: &str, start: &str, end: &str| crate::event::sample(zone, date, start, end);
        let mut same_day = sample("2026-02-17", "20:00", "22:00");
        same_day.id = "2026-02-17-b".into();
        same_day.policy.role_name = "{id}".into();
        let mut shared_name = sample("2026-02-03", "15:00", "17:00");
        shared_name.policy.role_name = "viewers".into();
        let mut still_shared = sample("2026-02-24", "15:00", "17:00");
        still_shared.policy.role_name = "viewers".into();
        let events = [
            sample("2026-01-20", "15:00", "17:00"),
            shared_name,
            sample("2026-02-10", "15:00", "17:00"),
            sample("2026-02-17", "15:00", "17:00"),
            same_day,
            still_shared,
        ];
        // 16:00 in Tokyo on 2026-02-17: the afternoon event is under way.
        let now: DateTime<Utc> = "2026-02-17T07:00:00Z".parse().unwrap();
        let ended = ended_roles(&events, "2026-02-17-b", &now);
        let names: Vec<(&str, &str)> = ended.iter().map(|(n, e)| (n.as_str(), *e)).collect();
        assert_eq!(
            names,
            [("2026-01-20", "2026-01-20"), ("2026-02-10", "2026-02-10")],
            "the one under way, the audience and a name a later event shares stay open"
        );
    }

    #[test]
    fn a_role_without_view_on_a_server_hiding_channels_is_no_reader() {
        let mut roles = roles();
        roles[0].permissions = Permissions::NONE;
        let server = Server {
            guild_id: GUILD,
            owner_id: OWNER,
            roles: &roles,
            bot: BOT,
            event_role: None,
        };
        let readers = outsiders(&server, &[]);
        assert_eq!(
            readers,
            [Reader::Role {
                id: Snowflake(6),
                name: "members".into()
            }],
            "`members` grants View Channel server-wide"
        );
        assert_eq!(
            readers[0].fix("#viewers"),
            "in #viewers → Edit Channel → Permissions → `members`, deny View Channel"
        );
    }
}
