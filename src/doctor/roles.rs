//! The bot's place in the role hierarchy, and the permissions its roles give it.

use crate::discord::permissions::{self, Permissions, Subject};
use crate::discord::{Channel, Guild, Member, OverwriteType, Role, User};

use super::Check;

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

    /// An overwrite in `channel` for the bot or one of its roles allows `permission`.
    pub fn has_own_overwrite(&self, channel: &Channel, permission: Permissions) -> bool {
        channel.permission_overwrites.iter().any(|o| {
            let mine = match o.kind {
                OverwriteType::Member => o.id == self.bot.id,
                OverwriteType::Role => self.member.roles.contains(&o.id),
            };
            mine && o.allow.contains(permission)
        })
    }

    /// The bot's highest role: the one whose position bounds what it may manage.
    pub fn highest_role(&self) -> Option<&Role> {
        self.guild
            .roles
            .iter()
            .filter(|r| self.member.roles.contains(&r.id))
            .max_by_key(|r| (r.position, std::cmp::Reverse(r.id)))
    }

    pub(super) fn highest_name(&self) -> String {
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

/// The next event and its role's name.
#[derive(Debug, Clone, Copy)]
pub struct EventRole<'a> {
    pub event: &'a str,
    pub name: &'a str,
}

/// The next event's role, if it exists, must be one role (two machines may each have created
/// one), below the bot's highest role.
pub fn event_role(seat: &Seat<'_>, next: Option<EventRole<'_>>) -> Check {
    let Some(EventRole { event, name }) = next else {
        return Check::skip("event role", "no upcoming event");
    };
    let top = seat.highest_role().map_or(0, |r| r.position);
    let mut named: Vec<&Role> = seat.guild.roles.iter().filter(|r| r.name == name).collect();
    named.sort_by_key(|r| r.id);
    let Some(role) = named.first().copied() else {
        return Check::ok(
            "event role",
            format!("`{name}` does not exist yet; `roles` creates it below the bot's role"),
        );
    };
    if let Some(check) = duplicates(event, name, &named) {
        return check;
    }
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

/// Two roles or more of the event's name that tsudoi would use: a failure, with the command
/// that merges them.
fn duplicates(event: &str, name: &str, named: &[&Role]) -> Option<Check> {
    let ids: Vec<String> = named
        .iter()
        .filter(|r| !r.managed)
        .map(|r| r.id.to_string())
        .collect();
    if ids.len() < 2 {
        return None;
    }
    Some(Check::fail(
        "event role",
        format!(
            "{} roles are named `{name}` ({}): members may hold either, and the share pings only one",
            ids.len(),
            ids.join(", ")
        ),
        format!(
            "run `tsudoi roles {event}`: it keeps the oldest ({}), moves the others' holders to it and \
             deletes the others",
            ids[0]
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::{Status, role_headroom};
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
        let next = |name| {
            Some(EventRole {
                event: "2026-02-17",
                name,
            })
        };
        let high = event_role(&seat, next("2026-02-17"));
        assert_eq!(high.status, Status::Fail);
        assert_eq!(
            high.fix.unwrap(),
            "move the bot's role above `2026-02-17` in Server Settings → Roles"
        );
        assert_eq!(event_role(&seat, next("2025-07-08")).status, Status::Ok);
        assert_eq!(event_role(&seat, next("2030-01-01")).status, Status::Ok);
        assert_eq!(event_role(&seat, None).status, Status::Skip);
        assert_eq!(manage_roles(&seat).status, Status::Ok);
    }

    #[test]
    fn two_roles_of_the_event_name_fail_with_the_merge() {
        let mut managed = role("4", "2026-02-17", 1, 0);
        managed["managed"] = json!(true);
        let guild = guild(json!([
            role("1", "@everyone", 0, 0),
            role("5", "tsudoi", 4, 1 << 28),
            role("8", "2026-02-17", 2, 0),
            role("6", "2026-02-17", 3, 0),
            managed,
        ]));
        let bot: User = serde_json::from_value(json!({"id": "9", "username": "bot", "bot": true})).unwrap();
        let member: Member = serde_json::from_value(json!({"roles": ["5"]})).unwrap();
        let seat = Seat {
            guild: &guild,
            bot: &bot,
            member: &member,
        };
        let next = EventRole {
            event: "2026-02-17",
            name: "2026-02-17",
        };
        let check = event_role(&seat, Some(next));
        assert_eq!(check.status, Status::Fail);
        assert!(
            check.detail.starts_with("2 roles are named `2026-02-17` (6, 8)"),
            "{}",
            check.detail
        );
        assert!(
            check
                .fix
                .unwrap()
                .starts_with("run `tsudoi roles 2026-02-17`: it keeps the oldest (6)")
        );
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
        assert_eq!(role_headroom(&guild(roles(3)), &[]).status, Status::Ok);
        assert_eq!(role_headroom(&guild(roles(200)), &[]).status, Status::Ok);
        assert_eq!(role_headroom(&guild(roles(201)), &[]).status, Status::Warn);
        assert_eq!(role_headroom(&guild(roles(245)), &[]).status, Status::Warn);
        assert_eq!(role_headroom(&guild(roles(250)), &[]).status, Status::Fail);
    }
}
