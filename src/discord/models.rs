//! The Discord objects tsudoi reads, with only the fields it uses. Unknown fields are ignored,
//! so Discord adding fields never breaks a run.

use serde::{Deserialize, Deserializer, Serialize};

use super::permissions::Permissions;
use super::snowflake::Snowflake;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct User {
    pub id: Snowflake,
    pub username: String,
    #[serde(default)]
    pub global_name: Option<String>,
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default)]
    pub bot: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Member {
    /// Absent only in member objects embedded in messages.
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default)]
    pub nick: Option<String>,
    /// The member's server avatar, which counts as an avatar too.
    #[serde(default)]
    pub avatar: Option<String>,
    pub roles: Vec<Snowflake>,
    /// Set while the member boosts the server.
    #[serde(default)]
    pub premium_since: Option<String>,
    /// Not yet through membership screening.
    #[serde(default)]
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Role {
    pub id: Snowflake,
    pub name: String,
    pub position: i64,
    pub permissions: Permissions,
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub tags: RoleTags,
}

/// Role tags are booleans written as "present with value `null`" for true, absent for false.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RoleTags {
    #[serde(default)]
    pub bot_id: Option<Snowflake>,
    #[serde(default, deserialize_with = "present")]
    pub premium_subscriber: bool,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(deserializer).map(|_| true)
}

/// Channel types tsudoi meets, by Discord's numbers.
pub mod channel_type {
    pub const GUILD_TEXT: u8 = 0;
    pub const DM: u8 = 1;
    pub const GUILD_ANNOUNCEMENT: u8 = 5;
    pub const ANNOUNCEMENT_THREAD: u8 = 10;
    pub const PUBLIC_THREAD: u8 = 11;
    pub const PRIVATE_THREAD: u8 = 12;
    pub const GUILD_FORUM: u8 = 15;

    /// Threads have no overwrites of their own: who reads the parent reads them.
    pub fn is_thread(kind: u8) -> bool {
        matches!(kind, ANNOUNCEMENT_THREAD | PUBLIC_THREAD | PRIVATE_THREAD)
    }

    pub fn name(kind: u8) -> &'static str {
        match kind {
            GUILD_TEXT => "text",
            DM => "DM",
            2 => "voice",
            4 => "category",
            GUILD_ANNOUNCEMENT => "announcement",
            10..=12 => "thread",
            13 => "stage",
            GUILD_FORUM => "forum",
            16 => "media",
            _ => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Channel {
    pub id: Snowflake,
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default)]
    pub guild_id: Option<Snowflake>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub permission_overwrites: Vec<Overwrite>,
    #[serde(default)]
    pub parent_id: Option<Snowflake>,
    /// For a thread: who started it.
    #[serde(default)]
    pub owner_id: Option<Snowflake>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(from = "u8")]
pub enum OverwriteType {
    Role,
    Member,
}

impl From<u8> for OverwriteType {
    fn from(kind: u8) -> Self {
        if kind == 1 { Self::Member } else { Self::Role }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Overwrite {
    pub id: Snowflake,
    #[serde(rename = "type")]
    pub kind: OverwriteType,
    pub allow: Permissions,
    pub deny: Permissions,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MessageReference {
    #[serde(default)]
    pub message_id: Option<Snowflake>,
    #[serde(default)]
    pub channel_id: Option<Snowflake>,
    #[serde(default)]
    pub guild_id: Option<Snowflake>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Message {
    pub id: Snowflake,
    pub channel_id: Snowflake,
    pub author: User,
    /// Empty when the application lacks the MESSAGE_CONTENT intent.
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub message_reference: Option<MessageReference>,
    /// Echoed back on create; not kept on later reads.
    #[serde(default)]
    pub nonce: Option<serde_json::Value>,
    #[serde(rename = "type", default)]
    pub kind: u8,
    /// The reactions so far, one entry per emoji; absent when there are none.
    #[serde(default)]
    pub reactions: Vec<Reaction>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Reaction {
    pub count: u32,
    /// The bot itself reacted with this emoji.
    #[serde(default)]
    pub me: bool,
    pub emoji: ReactionEmoji,
}

/// A Unicode emoji has only a name; a custom one has an id and a name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReactionEmoji {
    #[serde(default)]
    pub id: Option<Snowflake>,
    #[serde(default)]
    pub name: Option<String>,
}

impl ReactionEmoji {
    /// Whether this is `emoji` as tsudoi writes it: the Unicode emoji, or `name:id`.
    pub fn is(&self, emoji: &str) -> bool {
        match (&self.id, &self.name) {
            (Some(id), name) => {
                emoji == id.to_string() || emoji == format!("{}:{id}", name.as_deref().unwrap_or_default())
            }
            (None, Some(name)) => name == emoji,
            (None, None) => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Guild {
    pub id: Snowflake,
    pub name: String,
    pub owner_id: Snowflake,
    /// 0 none, 1 verified email, 2 registered 5 minutes, 3 member 10 minutes, 4 verified phone.
    pub verification_level: u8,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Present when asked for `with_counts`.
    #[serde(default)]
    pub approximate_member_count: Option<u64>,
}

pub const VERIFICATION_LEVELS: [&str; 5] = [
    "none",
    "verified email",
    "registered for 5 minutes",
    "member for 10 minutes",
    "verified phone",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Application {
    pub id: Snowflake,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub flags: u64,
}

/// Application flags that say a privileged intent is switched on (the `_LIMITED` variants are
/// what unverified bots in fewer than 100 servers get).
pub mod application_flags {
    pub const GATEWAY_GUILD_MEMBERS: u64 = 1 << 14;
    pub const GATEWAY_GUILD_MEMBERS_LIMITED: u64 = 1 << 15;
    pub const GATEWAY_MESSAGE_CONTENT: u64 = 1 << 18;
    pub const GATEWAY_MESSAGE_CONTENT_LIMITED: u64 = 1 << 19;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booster_tag_is_true_when_present_even_as_null() {
        let role = |tags: &str| -> Role {
            serde_json::from_str(&format!(
                r#"{{"id":"5","name":"Server Booster","position":3,"permissions":"0","color":0{tags}}}"#
            ))
            .unwrap()
        };
        assert!(
            role(r#","tags":{"premium_subscriber":null}"#)
                .tags
                .premium_subscriber
        );
        assert!(!role(r#","tags":{"bot_id":"7"}"#).tags.premium_subscriber);
        assert!(!role("").tags.premium_subscriber);
        assert_eq!(role(r#","tags":{"bot_id":"7"}"#).tags.bot_id, Some(Snowflake(7)));
    }

    #[test]
    fn reactions_name_their_emoji() {
        let message: Message = serde_json::from_str(
            r#"{"id":"1","channel_id":"2","author":{"id":"3","username":"a"},
                "reactions":[{"count":2,"me":true,"emoji":{"id":null,"name":"✅"}},
                             {"count":1,"me":false,"emoji":{"id":"77","name":"party"}}]}"#,
        )
        .unwrap();
        assert!(message.reactions[0].me && message.reactions[0].emoji.is("✅"));
        assert!(message.reactions[1].emoji.is("party:77"));
        assert!(!message.reactions[1].emoji.is("✅"));
        let bare: Message =
            serde_json::from_str(r#"{"id":"1","channel_id":"2","author":{"id":"3","username":"a"}}"#)
                .unwrap();
        assert!(bare.reactions.is_empty());
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let user: User = serde_json::from_str(
            r#"{"id":"1","username":"a","avatar":null,"discriminator":"0","banner_color":"x"}"#,
        )
        .unwrap();
        assert_eq!(user.id, Snowflake(1));
        assert!(!user.bot);
        let channel: Channel = serde_json::from_str(
            r#"{"id":"2","type":15,"permission_overwrites":[{"id":"1","type":0,"allow":"1024","deny":"0"}],"nsfw":false}"#,
        )
        .unwrap();
        assert_eq!(channel.permission_overwrites[0].allow, Permissions::VIEW_CHANNEL);
        assert_eq!(channel_type::name(channel.kind), "forum");
    }
}
