//! Permissions as Discord computes them: the base from roles, then channel overwrites.
//! Pure: callers pass the roles and overwrites they fetched.

use std::fmt;
use std::ops::{BitAnd, BitOr, Not};

use serde::{Deserialize, Deserializer};

use super::models::{Overwrite, OverwriteType, Role};
use super::snowflake::Snowflake;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions(pub u64);

impl Permissions {
    pub const NONE: Self = Self(0);
    pub const ALL: Self = Self(u64::MAX);
    pub const ADD_REACTIONS: Self = Self(1 << 6);
    pub const VIEW_CHANNEL: Self = Self(1 << 10);
    pub const SEND_MESSAGES: Self = Self(1 << 11);
    pub const READ_MESSAGE_HISTORY: Self = Self(1 << 16);
    pub const ADMINISTRATOR: Self = Self(1 << 3);
    /// "Manage Roles" on a guild; "Manage Permissions" when granted on a channel.
    pub const MANAGE_ROLES: Self = Self(1 << 28);
    pub const SEND_MESSAGES_IN_THREADS: Self = Self(1 << 38);

    const NAMES: [(Self, &'static str); 8] = [
        (Self::ADMINISTRATOR, "Administrator"),
        (Self::VIEW_CHANNEL, "View Channel"),
        (Self::READ_MESSAGE_HISTORY, "Read Message History"),
        (Self::SEND_MESSAGES, "Send Messages"),
        (Self::SEND_MESSAGES_IN_THREADS, "Send Messages in Threads"),
        (Self::ADD_REACTIONS, "Add Reactions"),
        (Self::MANAGE_ROLES, "Manage Roles"),
        (Self::NONE, ""),
    ];

    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// The permissions of `wanted` that `self` lacks, by the names Discord's settings use.
    pub fn missing(self, wanted: &[Self]) -> Vec<&'static str> {
        wanted
            .iter()
            .filter(|p| !self.contains(**p))
            .map(|p| p.name())
            .collect()
    }

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("(unnamed permission)", |(_, name)| name)
    }
}

impl BitOr for Permissions {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl BitAnd for Permissions {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl Not for Permissions {
    type Output = Self;
    fn not(self) -> Self {
        Self(!self.0)
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for Permissions {
    /// Discord sends permission sets as decimal strings (they outgrow 53 bits).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = super::snowflake::Snowflake::deserialize(deserializer)?;
        Ok(Self(raw.0))
    }
}

/// Who is asking: a member's id and role ids, or `@everyone` alone (no id, no roles).
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub user_id: Option<Snowflake>,
    pub roles: &'a [Snowflake],
    pub is_owner: bool,
}

impl Subject<'static> {
    pub const EVERYONE: Self = Self {
        user_id: None,
        roles: &[],
        is_owner: false,
    };
}

/// Guild-wide permissions: `@everyone`'s, OR every role the member holds; all for the owner
/// and for administrators.
pub fn base(guild_id: Snowflake, roles: &[Role], subject: Subject<'_>) -> Permissions {
    if subject.is_owner {
        return Permissions::ALL;
    }
    let permissions = roles
        .iter()
        .filter(|role| role.id == guild_id || subject.roles.contains(&role.id))
        .fold(Permissions::NONE, |acc, role| acc | role.permissions);
    if permissions.contains(Permissions::ADMINISTRATOR) {
        Permissions::ALL
    } else {
        permissions
    }
}

/// Permissions in one channel: the base, then the `@everyone` overwrite, then the role
/// overwrites together, then the member's own overwrite. Without View Channel nothing else
/// in the channel is usable.
pub fn in_channel(
    base: Permissions,
    guild_id: Snowflake,
    overwrites: &[Overwrite],
    subject: Subject<'_>,
) -> Permissions {
    if base.contains(Permissions::ADMINISTRATOR) {
        return Permissions::ALL;
    }
    let apply = |perms: Permissions, allow: Permissions, deny: Permissions| (perms & !deny) | allow;
    let mut perms = base;
    if let Some(everyone) = overwrites.iter().find(|o| o.id == guild_id) {
        perms = apply(perms, everyone.allow, everyone.deny);
    }
    let (allow, deny) = overwrites
        .iter()
        .filter(|o| o.kind == OverwriteType::Role && o.id != guild_id && subject.roles.contains(&o.id))
        .fold((Permissions::NONE, Permissions::NONE), |(a, d), o| {
            (a | o.allow, d | o.deny)
        });
    perms = apply(perms, allow, deny);
    let member = overwrites
        .iter()
        .find(|o| o.kind == OverwriteType::Member && Some(o.id) == subject.user_id);
    if let Some(member) = member {
        perms = apply(perms, member.allow, member.deny);
    }
    if perms.contains(Permissions::VIEW_CHANNEL) {
        perms
    } else {
        Permissions::NONE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: Snowflake = Snowflake(1);
    const MOD: Snowflake = Snowflake(2);
    const BOT_ROLE: Snowflake = Snowflake(3);
    const BOT: Snowflake = Snowflake(9);

    fn role(id: Snowflake, permissions: Permissions) -> Role {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": "r", "position": 0, "permissions": permissions.0.to_string(),
        }))
        .unwrap()
    }

    fn overwrite(id: Snowflake, kind: OverwriteType, allow: Permissions, deny: Permissions) -> Overwrite {
        Overwrite {
            id,
            kind,
            allow,
            deny,
        }
    }

    use Permissions as P;

    fn roles() -> Vec<Role> {
        vec![
            role(GUILD, P::VIEW_CHANNEL | P::SEND_MESSAGES),
            role(MOD, P::ADMINISTRATOR),
            role(BOT_ROLE, P::MANAGE_ROLES | P::ADD_REACTIONS),
        ]
    }

    fn bot() -> Subject<'static> {
        Subject {
            user_id: Some(BOT),
            roles: &[BOT_ROLE],
            is_owner: false,
        }
    }

    #[test]
    fn base_is_everyone_or_the_members_roles() {
        let roles = roles();
        assert_eq!(
            base(GUILD, &roles, Subject::EVERYONE),
            P::VIEW_CHANNEL | P::SEND_MESSAGES
        );
        let with_bot_role = base(GUILD, &roles, bot());
        assert_eq!(
            with_bot_role,
            P::VIEW_CHANNEL | P::SEND_MESSAGES | P::MANAGE_ROLES | P::ADD_REACTIONS
        );
        let admin = Subject {
            roles: &[MOD],
            ..bot()
        };
        assert_eq!(base(GUILD, &roles, admin), P::ALL);
        let owner = Subject {
            is_owner: true,
            ..Subject::EVERYONE
        };
        assert_eq!(base(GUILD, &roles, owner), P::ALL);
    }

    #[test]
    fn overwrites_apply_everyone_then_roles_then_member() {
        let base = base(GUILD, &roles(), bot());
        let cases: Vec<(Vec<Overwrite>, Permissions, Permissions, &str)> = vec![
            (vec![], base, P::VIEW_CHANNEL | P::SEND_MESSAGES, "no overwrites"),
            (
                vec![overwrite(GUILD, OverwriteType::Role, P::NONE, P::VIEW_CHANNEL)],
                P::NONE,
                P::NONE,
                "@everyone denied view hides the channel",
            ),
            (
                vec![
                    overwrite(GUILD, OverwriteType::Role, P::NONE, P::VIEW_CHANNEL),
                    overwrite(BOT_ROLE, OverwriteType::Role, P::VIEW_CHANNEL, P::NONE),
                ],
                base,
                P::NONE,
                "a role allow beats the @everyone deny",
            ),
            (
                vec![
                    overwrite(BOT_ROLE, OverwriteType::Role, P::NONE, P::SEND_MESSAGES),
                    overwrite(BOT, OverwriteType::Member, P::SEND_MESSAGES, P::NONE),
                ],
                base,
                P::VIEW_CHANNEL | P::SEND_MESSAGES,
                "the member overwrite comes last",
            ),
            (
                vec![overwrite(BOT_ROLE, OverwriteType::Role, P::NONE, P::MANAGE_ROLES)],
                base & !P::MANAGE_ROLES,
                P::VIEW_CHANNEL | P::SEND_MESSAGES,
                "Manage Permissions denied on the channel",
            ),
        ];
        for (overwrites, want_bot, want_everyone, name) in cases {
            assert_eq!(
                in_channel(base, GUILD, &overwrites, bot()),
                want_bot,
                "{name}: bot"
            );
            let everyone = super::base(GUILD, &roles(), Subject::EVERYONE);
            assert_eq!(
                in_channel(everyone, GUILD, &overwrites, Subject::EVERYONE),
                want_everyone,
                "{name}: everyone"
            );
        }
    }

    #[test]
    fn administrators_ignore_overwrites() {
        let deny_all = [overwrite(GUILD, OverwriteType::Role, P::NONE, P::ALL)];
        assert_eq!(in_channel(P::ALL, GUILD, &deny_all, bot()), P::ALL);
    }

    #[test]
    fn missing_names_what_to_grant() {
        let have = P::VIEW_CHANNEL | P::SEND_MESSAGES;
        let want = [P::VIEW_CHANNEL, P::READ_MESSAGE_HISTORY, P::ADD_REACTIONS];
        assert_eq!(have.missing(&want), ["Read Message History", "Add Reactions"]);
    }
}
