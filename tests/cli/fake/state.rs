//! What the fake Discord knows: one guild with its roles, members and channels, the messages
//! and reactions in them, and the bot. Serialized the way Discord serializes it.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TOKEN: &str = "fAkE-t0ken.Secret_42-xyz";
/// Configured ids must look like real ones (17-20 digits): tsudoi.toml is checked.
pub const GUILD: u64 = 800_000_000_000_000_100;
pub const OWNER: u64 = 1;
pub const BOT: u64 = 900;
pub const APP: u64 = 900;
pub const BOT_ROLE: u64 = 200;
pub const SIGNUP: u64 = 800_000_000_000_000_300;
pub const SHARE: u64 = 800_000_000_000_000_400;

pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
pub const ADD_REACTIONS: u64 = 1 << 6;
pub const ADMINISTRATOR: u64 = 1 << 3;
pub const MANAGE_ROLES: u64 = 1 << 28;
pub const MANAGE_MESSAGES: u64 = 1 << 13;
pub const MANAGE_CHANNELS: u64 = 1 << 4;
pub const MANAGE_THREADS: u64 = 1 << 34;

pub const MESSAGE_CONTENT_INTENT: u64 = 1 << 18;
pub const GUILD_MEMBERS_INTENT: u64 = 1 << 14;

/// How long Discord remembers an enforced nonce ("the past few minutes").
pub const NONCE_MEMORY: Duration = Duration::from_secs(5 * 60);

/// The first millisecond of 2015.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

#[derive(Debug, Clone)]
pub struct Role {
    pub id: u64,
    pub name: String,
    pub position: i64,
    pub permissions: u64,
    pub managed: bool,
    pub booster: bool,
    /// The bot whose integration role this is (`tags.bot_id`).
    pub bot_id: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct User {
    pub username: String,
    pub global_name: Option<String>,
    pub avatar: Option<String>,
    pub bot: bool,
    /// Refuses direct messages from the bot.
    pub dms_closed: bool,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user: u64,
    pub roles: Vec<u64>,
    pub avatar: Option<String>,
    pub premium_since: Option<String>,
    pub pending: bool,
    /// The server nickname.
    pub nick: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Overwrite {
    pub id: u64,
    pub kind: u8,
    pub allow: u64,
    pub deny: u64,
}

#[derive(Debug, Clone)]
pub struct Channel {
    pub id: u64,
    pub kind: u8,
    pub name: String,
    pub overwrites: Vec<Overwrite>,
    pub parent_id: Option<u64>,
    /// For DM channels: the other user.
    pub recipient: Option<u64>,
    /// For threads: who started it.
    pub owner: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub id: u64,
    pub channel_id: u64,
    pub author: u64,
    pub content: String,
    pub reference: Option<u64>,
    /// How many times its text was edited.
    pub edits: u32,
}

#[derive(Debug, Clone)]
pub struct State {
    pub token: String,
    pub app_flags: u64,
    pub guild_name: String,
    pub owner_id: u64,
    pub verification_level: u8,
    pub roles: Vec<Role>,
    pub users: BTreeMap<u64, User>,
    pub members: BTreeMap<u64, Member>,
    pub channels: BTreeMap<u64, Channel>,
    pub messages: BTreeMap<u64, Message>,
    /// (message, emoji) → users who reacted, in order.
    pub reactions: BTreeMap<(u64, String), Vec<u64>>,
    /// (channel, nonce) → the message it created, and when.
    pub nonces: HashMap<(u64, String), (u64, Instant)>,
    pub scheduled_events: BTreeMap<u64, super::scheduled_events::ScheduledEvent>,
    last_id: u64,
    /// When set, new ids carry this time (ms since the Unix epoch) instead of the real clock,
    /// so a test stepping `--now` through a day gets messages in that day's order.
    pub clock_ms: Option<u64>,
}

pub fn snowflake_at(ms_since_unix: u64, sequence: u64) -> u64 {
    ((ms_since_unix - DISCORD_EPOCH_MS) << 22) | (sequence & 0xfff)
}

impl State {
    /// A server set up the way README says: both intents on, the bot's role with Manage Roles
    /// above the event roles, a sign-up channel, and a share channel hidden from @everyone.
    pub fn healthy() -> Self {
        let mut state = Self {
            token: TOKEN.into(),
            app_flags: MESSAGE_CONTENT_INTENT | GUILD_MEMBERS_INTENT,
            guild_name: "時雨堂".into(),
            owner_id: OWNER,
            verification_level: 4,
            roles: Vec::new(),
            users: BTreeMap::new(),
            members: BTreeMap::new(),
            channels: BTreeMap::new(),
            messages: BTreeMap::new(),
            reactions: BTreeMap::new(),
            nonces: HashMap::new(),
            scheduled_events: BTreeMap::new(),
            last_id: snowflake_at(1_700_000_000_000, 0),
            clock_ms: None,
        };
        let everyone = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | ADD_REACTIONS;
        state.role(GUILD, "@everyone", 0, everyone);
        // The role Discord makes when a bot is invited with permissions: only the bot holds it.
        let bot_role = state.role(BOT_ROLE, "tsudoi", 1, MANAGE_ROLES);
        bot_role.managed = true;
        bot_role.bot_id = Some(BOT);
        state.user(OWNER, "shiguredo", false);
        state.user(BOT, "tsudoi-bot", true);
        state.member(OWNER, &[]);
        state.member(BOT, &[BOT_ROLE]);
        state.channel(SIGNUP, 0, "event");
        state.channel(SHARE, 0, "viewers");
        state.overwrite(SHARE, GUILD, 0, 0, VIEW_CHANNEL);
        state.overwrite(SHARE, BOT_ROLE, 0, VIEW_CHANNEL | SEND_MESSAGES | MANAGE_ROLES, 0);
        state
    }

    /// Roles are placed at `position`; ties are broken by id, as Discord does.
    pub fn role(&mut self, id: u64, name: &str, position: i64, permissions: u64) -> &mut Role {
        self.roles.push(Role {
            id,
            name: name.into(),
            position,
            permissions,
            managed: false,
            booster: false,
            bot_id: None,
        });
        self.roles.last_mut().unwrap()
    }

    pub fn user(&mut self, id: u64, name: &str, bot: bool) -> &mut User {
        self.users.insert(
            id,
            User {
                username: name.into(),
                global_name: None,
                avatar: Some(format!("a{id}")),
                bot,
                dms_closed: false,
            },
        );
        self.users.get_mut(&id).unwrap()
    }

    pub fn member(&mut self, user: u64, roles: &[u64]) -> &mut Member {
        if !self.users.contains_key(&user) {
            self.user(user, &format!("user{user}"), false);
        }
        let member = Member {
            user,
            roles: roles.to_vec(),
            avatar: None,
            premium_since: None,
            pending: false,
            nick: None,
        };
        self.members.insert(user, member);
        self.members.get_mut(&user).unwrap()
    }

    pub fn channel(&mut self, id: u64, kind: u8, name: &str) -> &mut Channel {
        let channel = Channel {
            id,
            kind,
            name: name.into(),
            overwrites: Vec::new(),
            parent_id: None,
            recipient: None,
            owner: None,
        };
        self.channels.insert(id, channel);
        self.channels.get_mut(&id).unwrap()
    }

    pub fn overwrite(&mut self, channel: u64, id: u64, kind: u8, allow: u64, deny: u64) {
        let overwrites = &mut self.channels.get_mut(&channel).unwrap().overwrites;
        overwrites.retain(|o| o.id != id);
        overwrites.push(Overwrite {
            id,
            kind,
            allow,
            deny,
        });
    }

    /// Put `channel` under `category`, synced: Discord gives a synced channel the category's
    /// overwrites, and its own overwrites are what decides who reads it.
    pub fn sync_with(&mut self, channel: u64, category: u64) {
        let overwrites = self.channels[&category].overwrites.clone();
        let channel = self.channels.get_mut(&channel).unwrap();
        channel.parent_id = Some(category);
        channel.overwrites = overwrites;
    }

    /// A message from `author`, newer than every id so far.
    pub fn post(&mut self, channel: u64, author: u64, content: &str) -> u64 {
        let id = self.next_id();
        let message = Message {
            id,
            channel_id: channel,
            author,
            content: content.into(),
            reference: None,
            edits: 0,
        };
        self.messages.insert(id, message);
        id
    }

    /// A message from `author` posted at `ms` since the Unix epoch (its id carries that time),
    /// replying to `reference` if given.
    pub fn post_at(
        &mut self,
        channel: u64,
        author: u64,
        content: &str,
        ms: u64,
        reference: Option<u64>,
    ) -> u64 {
        let mut id = snowflake_at(ms, 0);
        while self.messages.contains_key(&id) {
            id += 1;
        }
        let message = Message {
            id,
            channel_id: channel,
            author,
            content: content.into(),
            reference,
            edits: 0,
        };
        self.messages.insert(id, message);
        id
    }

    /// `user` reacts to `message` with `emoji` (a Unicode emoji).
    pub fn react(&mut self, message: u64, emoji: &str, user: u64) {
        let users = self.reactions.entry((message, emoji.to_string())).or_default();
        if !users.contains(&user) {
            users.push(user);
        }
    }

    /// The reactions on a message as Discord summarizes them: one entry per emoji, in the order
    /// the emoji were first used (here: by name).
    pub fn reactions_json(&self, message: u64) -> Vec<Value> {
        self.reactions
            .range((message, String::new())..(message + 1, String::new()))
            .filter(|(_, users)| !users.is_empty())
            .map(|((_, emoji), users)| {
                json!({
                    "emoji": {"id": null, "name": emoji}, "count": users.len(),
                    "count_details": {"burst": 0, "normal": users.len()}, "burst_colors": [],
                    "me_burst": false, "me": users.contains(&BOT),
                })
            })
            .collect()
    }

    pub fn next_id(&mut self) -> u64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let now = self.clock_ms.unwrap_or(real);
        self.last_id = (self.last_id + 1).max(snowflake_at(now, 0));
        self.last_id
    }

    /// The bot's permissions in the guild, then in `channel`: Discord's documented algorithm.
    pub fn bot_permissions(&self, channel: Option<u64>) -> u64 {
        let member = &self.members[&BOT];
        if self.owner_id == BOT {
            return u64::MAX;
        }
        let mut base = self
            .roles
            .iter()
            .filter(|r| r.id == GUILD || member.roles.contains(&r.id))
            .fold(0, |acc, r| acc | r.permissions);
        if base & ADMINISTRATOR != 0 {
            return u64::MAX;
        }
        let Some(mut channel) = channel.and_then(|c| self.channels.get(&c)) else {
            return base;
        };
        // A thread has no overwrites: its parent's apply.
        if matches!(channel.kind, 10..=12)
            && let Some(parent) = channel.parent_id.and_then(|p| self.channels.get(&p))
        {
            channel = parent;
        }
        let find = |id: u64| channel.overwrites.iter().find(|o| o.id == id);
        if let Some(o) = find(GUILD) {
            base = (base & !o.deny) | o.allow;
        }
        let (allow, deny) = channel
            .overwrites
            .iter()
            .filter(|o| o.kind == 0 && o.id != GUILD && member.roles.contains(&o.id))
            .fold((0, 0), |(a, d), o| (a | o.allow, d | o.deny));
        base = (base & !deny) | allow;
        if let Some(o) = channel.overwrites.iter().find(|o| o.kind == 1 && o.id == BOT) {
            base = (base & !o.deny) | o.allow;
        }
        if base & VIEW_CHANNEL == 0 { 0 } else { base }
    }

    /// Position of the bot's highest role.
    pub fn bot_top(&self) -> i64 {
        let member = &self.members[&BOT];
        self.roles
            .iter()
            .filter(|r| member.roles.contains(&r.id))
            .map(|r| r.position)
            .max()
            .unwrap_or(0)
    }

    pub fn user_json(&self, id: u64) -> Value {
        let user = &self.users[&id];
        json!({
            "id": id.to_string(), "username": user.username, "discriminator": "0",
            "global_name": user.global_name, "avatar": user.avatar, "bot": user.bot, "public_flags": 0,
        })
    }

    pub fn role_json(&self, role: &Role) -> Value {
        let mut tags = serde_json::Map::new();
        if role.booster {
            tags.insert("premium_subscriber".into(), Value::Null);
        }
        if let Some(bot) = role.bot_id {
            tags.insert("bot_id".into(), json!(bot.to_string()));
        }
        json!({
            "id": role.id.to_string(), "name": role.name, "color": 0, "hoist": false,
            "position": role.position, "permissions": role.permissions.to_string(),
            "managed": role.managed, "mentionable": false, "tags": tags, "flags": 0,
        })
    }

    pub fn member_json(&self, member: &Member) -> Value {
        json!({
            "user": self.user_json(member.user), "nick": member.nick, "avatar": member.avatar,
            "roles": member.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "joined_at": "2024-01-01T00:00:00.000000+00:00", "premium_since": member.premium_since,
            "deaf": false, "mute": false, "pending": member.pending, "flags": 0,
        })
    }

    pub fn channel_json(&self, channel: &Channel) -> Value {
        let overwrites: Vec<Value> = channel
            .overwrites
            .iter()
            .map(|o| json!({"id": o.id.to_string(), "type": o.kind, "allow": o.allow.to_string(), "deny": o.deny.to_string()}))
            .collect();
        let mut value = json!({
            "id": channel.id.to_string(), "type": channel.kind, "name": channel.name,
            "permission_overwrites": overwrites, "parent_id": channel.parent_id.map(|p| p.to_string()),
            "nsfw": false, "position": 0,
        });
        if channel.kind != 1 {
            value["guild_id"] = json!(GUILD.to_string());
        }
        if let Some(owner) = channel.owner {
            value["owner_id"] = json!(owner.to_string());
        }
        if let Some(recipient) = channel.recipient {
            value["recipients"] = json!([self.user_json(recipient)]);
        }
        value
    }

    /// Without the MESSAGE_CONTENT intent, content reads as empty except the bot's own.
    pub fn message_json(&self, message: &Message) -> Value {
        let readable = self.app_flags & (MESSAGE_CONTENT_INTENT | MESSAGE_CONTENT_INTENT << 1) != 0
            || message.author == BOT;
        let reference = message.reference.map(|id| {
            json!({"message_id": id.to_string(), "channel_id": message.channel_id.to_string(), "guild_id": GUILD.to_string()})
        });
        let mut value = json!({
            "id": message.id.to_string(), "channel_id": message.channel_id.to_string(),
            "author": self.user_json(message.author), "content": if readable { message.content.as_str() } else { "" },
            "timestamp": "2026-01-01T00:00:00.000000+00:00", "edited_timestamp": null, "tts": false,
            "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": false, "type": if reference.is_some() { 19 } else { 0 },
        });
        if let Some(reference) = reference {
            value["message_reference"] = reference;
        }
        let reactions = self.reactions_json(message.id);
        if !reactions.is_empty() {
            value["reactions"] = json!(reactions);
        }
        value
    }
}
