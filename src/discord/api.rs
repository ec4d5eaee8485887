//! The typed calls commands make. Reads return models; writes return `None` in a dry run.

use serde_json::{Value, json};

use super::client::{Client, Request};
use super::error::DiscordError;
use super::models::{Application, Channel, Guild, Member, Message, Role, User};
use super::permissions::Permissions;
use super::route::{Method, Route};
use super::snowflake::Snowflake;

/// Page sizes Discord allows at most.
pub const MESSAGES_PER_PAGE: usize = 100;
pub const MEMBERS_PER_PAGE: usize = 1000;
pub const REACTIONS_PER_PAGE: usize = 100;

/// Who a message may ping. Always sent explicitly, so text from event files can never ping
/// `@everyone` or `@here`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mentions {
    pub roles: Vec<Snowflake>,
    pub users: Vec<Snowflake>,
}

impl Mentions {
    fn to_json(&self) -> Value {
        json!({ "parse": [], "roles": self.roles, "users": self.users, "replied_user": false })
    }
}

/// A message to create. The nonce makes a retried or repeated create return the first message.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub content: String,
    pub nonce: String,
    pub reply_to: Option<Snowflake>,
    pub mentions: Mentions,
}

impl NewMessage {
    /// A message whose nonce is derived from `key` (e.g. `2026-02-17/share`), the same on
    /// every machine, so two runs of one action post once.
    pub fn new(content: impl Into<String>, key: &str) -> Self {
        Self {
            content: content.into(),
            nonce: nonce(key),
            reply_to: None,
            mentions: Mentions::default(),
        }
    }

    fn to_json(&self) -> Value {
        let mut body = json!({
            "content": self.content,
            "nonce": self.nonce,
            "enforce_nonce": true,
            "allowed_mentions": self.mentions.to_json(),
        });
        if let Some(id) = self.reply_to {
            body["message_reference"] = json!({ "message_id": id, "fail_if_not_exists": false });
        }
        body
    }
}

/// At most 25 characters, as Discord allows: `t` and a 64-bit FNV-1a hash of the key in hex.
pub fn nonce(key: &str) -> String {
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("t{hash:016x}")
}

/// Where a page of channel messages starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Newest,
    Before(Snowflake),
    After(Snowflake),
}

fn route(method: Method, template: &'static str, values: &[&str]) -> Request {
    Request::new(Route::new(method, template, values))
}

impl Client {
    pub fn current_user(&self) -> Result<User, DiscordError> {
        self.get(route(Method::Get, "/users/@me", &[]))
    }

    pub fn current_application(&self) -> Result<Application, DiscordError> {
        self.get(route(Method::Get, "/applications/@me", &[]))
    }

    pub fn guild(&self, guild: Snowflake) -> Result<Guild, DiscordError> {
        self.get(route(Method::Get, "/guilds/{guild_id}", &[&guild.to_string()]))
    }

    /// The guild with its roles and `approximate_member_count`.
    pub fn guild_with_counts(&self, guild: Snowflake) -> Result<Guild, DiscordError> {
        self.get(route(Method::Get, "/guilds/{guild_id}", &[&guild.to_string()]).query("with_counts", true))
    }

    pub fn roles(&self, guild: Snowflake) -> Result<Vec<Role>, DiscordError> {
        self.get(route(
            Method::Get,
            "/guilds/{guild_id}/roles",
            &[&guild.to_string()],
        ))
    }

    /// A role that grants nothing by itself: no permissions, not hoisted, not mentionable.
    pub fn create_role(&self, guild: Snowflake, name: &str) -> Result<Option<Role>, DiscordError> {
        let body = json!({ "name": name, "permissions": 0, "hoist": false, "mentionable": false });
        self.write(route(Method::Post, "/guilds/{guild_id}/roles", &[&guild.to_string()]).body(body))
    }

    pub fn channel(&self, channel: Snowflake) -> Result<Channel, DiscordError> {
        self.get(route(
            Method::Get,
            "/channels/{channel_id}",
            &[&channel.to_string()],
        ))
    }

    /// One page of at most `limit` (≤ 100) messages, newest first, as Discord returns them.
    pub fn messages_page(
        &self,
        channel: Snowflake,
        cursor: Cursor,
        limit: usize,
    ) -> Result<Vec<Message>, DiscordError> {
        let mut request = route(
            Method::Get,
            "/channels/{channel_id}/messages",
            &[&channel.to_string()],
        );
        request = match cursor {
            Cursor::Newest => request,
            Cursor::Before(id) => request.query("before", id),
            Cursor::After(id) => request.query("after", id),
        };
        self.get(request.query("limit", limit.clamp(1, MESSAGES_PER_PAGE)))
    }

    /// Messages newest first, page after page, down to (not including) `until`, at most `max`.
    pub fn messages_newest_first(
        &self,
        channel: Snowflake,
        until: Option<Snowflake>,
        max: usize,
    ) -> Result<Vec<Message>, DiscordError> {
        let mut all: Vec<Message> = Vec::new();
        let mut cursor = Cursor::Newest;
        while all.len() < max {
            let page = self.messages_page(channel, cursor, MESSAGES_PER_PAGE)?;
            let full = page.len() == MESSAGES_PER_PAGE;
            let Some(oldest) = page.iter().map(|m| m.id).min() else {
                break;
            };
            all.extend(page.into_iter().filter(|m| until.is_none_or(|u| m.id > u)));
            if !full || until.is_some_and(|u| oldest <= u) {
                break;
            }
            cursor = Cursor::Before(oldest);
        }
        all.sort_by_key(|m| std::cmp::Reverse(m.id));
        all.truncate(max);
        Ok(all)
    }

    /// Every message after `after` (a message id, or `Snowflake::from_time`), oldest first.
    pub fn messages_after(&self, channel: Snowflake, after: Snowflake) -> Result<Vec<Message>, DiscordError> {
        let mut all: Vec<Message> = Vec::new();
        let mut cursor = after;
        loop {
            let page = self.messages_page(channel, Cursor::After(cursor), MESSAGES_PER_PAGE)?;
            let full = page.len() == MESSAGES_PER_PAGE;
            let Some(newest) = page.iter().map(|m| m.id).max() else {
                break;
            };
            all.extend(page);
            if !full {
                break;
            }
            cursor = newest;
        }
        all.sort_by_key(|m| m.id);
        all.dedup_by_key(|m| m.id);
        Ok(all)
    }

    pub fn message(&self, channel: Snowflake, message: Snowflake) -> Result<Message, DiscordError> {
        let values = [channel.to_string(), message.to_string()];
        self.get(route(
            Method::Get,
            "/channels/{channel_id}/messages/{message_id}",
            &[&values[0], &values[1]],
        ))
    }

    /// Post a message with its nonce enforced: a repeat returns the first message.
    pub fn create_message(
        &self,
        channel: Snowflake,
        message: &NewMessage,
    ) -> Result<Option<Message>, DiscordError> {
        let request = route(
            Method::Post,
            "/channels/{channel_id}/messages",
            &[&channel.to_string()],
        );
        self.write(request.body(message.to_json()))
    }

    /// Replace the text of one of the bot's messages, with the same explicit mentions as a
    /// create (an edit pings no one anew).
    pub fn edit_message(
        &self,
        channel: Snowflake,
        message: Snowflake,
        content: &str,
        mentions: &Mentions,
    ) -> Result<Option<Message>, DiscordError> {
        let values = [channel.to_string(), message.to_string()];
        let request = route(
            Method::Patch,
            "/channels/{channel_id}/messages/{message_id}",
            &[&values[0], &values[1]],
        );
        let body = json!({ "content": content, "allowed_mentions": mentions.to_json() });
        self.write(request.body(body))
    }

    /// Delete one of the bot's messages; one already gone counts as deleted.
    pub fn delete_message(&self, channel: Snowflake, message: Snowflake) -> Result<(), DiscordError> {
        let values = [channel.to_string(), message.to_string()];
        let request = route(
            Method::Delete,
            "/channels/{channel_id}/messages/{message_id}",
            &[&values[0], &values[1]],
        );
        match self.send(&request) {
            Err(e) if e.api().is_some_and(|a| a.code == Some(10008)) => Ok(()),
            result => result.map(drop),
        }
    }

    /// Rename a channel or a thread (a forum post's title).
    pub fn rename_channel(&self, channel: Snowflake, name: &str) -> Result<Option<Channel>, DiscordError> {
        let request = route(Method::Patch, "/channels/{channel_id}", &[&channel.to_string()]);
        self.write(request.body(json!({ "name": name })))
    }

    /// Rename a role: the same role, its members keep it.
    pub fn rename_role(
        &self,
        guild: Snowflake,
        role: Snowflake,
        name: &str,
    ) -> Result<Option<Role>, DiscordError> {
        let values = [guild.to_string(), role.to_string()];
        let request = route(
            Method::Patch,
            "/guilds/{guild_id}/roles/{role_id}",
            &[&values[0], &values[1]],
        );
        self.write(request.body(json!({ "name": name })))
    }

    /// A forum post: a thread named `name` whose first message is `message`. Forum starts take
    /// no nonce, so this is never retried.
    pub fn start_forum_thread(
        &self,
        forum: Snowflake,
        name: &str,
        message: &NewMessage,
    ) -> Result<Option<Channel>, DiscordError> {
        let body = json!({
            "name": name,
            "message": { "content": message.content, "allowed_mentions": message.mentions.to_json() },
        });
        self.write(
            route(
                Method::Post,
                "/channels/{channel_id}/threads",
                &[&forum.to_string()],
            )
            .body(body),
        )
    }

    /// The guild's active threads (forum posts included), to find one we started before.
    pub fn active_threads(&self, guild: Snowflake) -> Result<Vec<Channel>, DiscordError> {
        #[derive(serde::Deserialize)]
        struct Threads {
            threads: Vec<Channel>,
        }
        let threads: Threads = self.get(route(
            Method::Get,
            "/guilds/{guild_id}/threads/active",
            &[&guild.to_string()],
        ))?;
        Ok(threads.threads)
    }

    pub fn member(&self, guild: Snowflake, user: Snowflake) -> Result<Member, DiscordError> {
        let values = [guild.to_string(), user.to_string()];
        self.get(route(
            Method::Get,
            "/guilds/{guild_id}/members/{user_id}",
            &[&values[0], &values[1]],
        ))
    }

    /// Members whose username or nickname starts with `query` (at most `limit`, ≤ 1000).
    pub fn search_members(
        &self,
        guild: Snowflake,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Member>, DiscordError> {
        let request = route(
            Method::Get,
            "/guilds/{guild_id}/members/search",
            &[&guild.to_string()],
        )
        .query("query", query)
        .query("limit", limit.clamp(1, MEMBERS_PER_PAGE));
        self.get(request)
    }

    /// Every member, 1000 at a time by ascending user id (needs the GUILD_MEMBERS intent).
    pub fn members(&self, guild: Snowflake) -> Result<Vec<Member>, DiscordError> {
        let mut all: Vec<Member> = Vec::new();
        let mut after = Snowflake(0);
        loop {
            let request = route(Method::Get, "/guilds/{guild_id}/members", &[&guild.to_string()])
                .query("limit", MEMBERS_PER_PAGE)
                .query("after", after);
            let page: Vec<Member> = self.get(request)?;
            let full = page.len() == MEMBERS_PER_PAGE;
            let Some(last) = page.iter().filter_map(|m| m.user.as_ref().map(|u| u.id)).max() else {
                break;
            };
            all.extend(page);
            if !full {
                break;
            }
            after = last;
        }
        Ok(all)
    }

    /// Grant a role. Granting a role the member holds is a no-op for Discord.
    pub fn add_member_role(
        &self,
        guild: Snowflake,
        user: Snowflake,
        role: Snowflake,
    ) -> Result<(), DiscordError> {
        let values = [guild.to_string(), user.to_string(), role.to_string()];
        let request = route(
            Method::Put,
            "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            &[&values[0], &values[1], &values[2]],
        );
        self.send(&request).map(drop)
    }

    /// React as the bot; `emoji` is a Unicode emoji or `name:id` for a custom one.
    pub fn create_reaction(
        &self,
        channel: Snowflake,
        message: Snowflake,
        emoji: &str,
    ) -> Result<(), DiscordError> {
        let values = [channel.to_string(), message.to_string()];
        let request = route(
            Method::Put,
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me",
            &[&values[0], &values[1], emoji],
        );
        self.send(&request).map(drop)
    }

    /// Everyone who reacted with `emoji`, 100 at a time.
    pub fn reactions(
        &self,
        channel: Snowflake,
        message: Snowflake,
        emoji: &str,
    ) -> Result<Vec<User>, DiscordError> {
        let values = [channel.to_string(), message.to_string()];
        let mut all: Vec<User> = Vec::new();
        let mut after = None;
        loop {
            let mut request = route(
                Method::Get,
                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}",
                &[&values[0], &values[1], emoji],
            )
            .query("limit", REACTIONS_PER_PAGE);
            if let Some(id) = after {
                request = request.query("after", id);
            }
            let page: Vec<User> = self.get(request)?;
            let full = page.len() == REACTIONS_PER_PAGE;
            after = page.iter().map(|u| u.id).max();
            all.extend(page);
            if !full || after.is_none() {
                break;
            }
        }
        Ok(all)
    }

    /// Set a role's overwrite on a channel (needs Manage Roles there).
    pub fn put_role_overwrite(
        &self,
        channel: Snowflake,
        role: Snowflake,
        allow: Permissions,
        deny: Permissions,
    ) -> Result<(), DiscordError> {
        let values = [channel.to_string(), role.to_string()];
        let body = json!({ "type": 0, "allow": allow.0, "deny": deny.0 });
        let request = route(
            Method::Put,
            "/channels/{channel_id}/permissions/{overwrite_id}",
            &[&values[0], &values[1]],
        );
        self.send(&request.body(body)).map(drop)
    }

    /// Remove an overwrite (a role's or a member's) from a channel (needs Manage Roles there).
    /// One already gone (10009 Unknown Overwrite) counts as removed.
    pub fn delete_overwrite(&self, channel: Snowflake, overwrite: Snowflake) -> Result<(), DiscordError> {
        let values = [channel.to_string(), overwrite.to_string()];
        let request = route(
            Method::Delete,
            "/channels/{channel_id}/permissions/{overwrite_id}",
            &[&values[0], &values[1]],
        );
        match self.send(&request) {
            Err(e) if e.api().is_some_and(|a| a.code == Some(10009)) => Ok(()),
            result => result.map(drop),
        }
    }

    /// Delete a role: Discord takes it from every member and every channel's overwrites.
    pub fn delete_role(&self, guild: Snowflake, role: Snowflake) -> Result<(), DiscordError> {
        let values = [guild.to_string(), role.to_string()];
        let request = route(
            Method::Delete,
            "/guilds/{guild_id}/roles/{role_id}",
            &[&values[0], &values[1]],
        );
        self.send(&request).map(drop)
    }

    /// The DM channel with a user (Discord returns the existing one if there is one).
    pub fn create_dm(&self, user: Snowflake) -> Result<Option<Channel>, DiscordError> {
        let body = json!({ "recipient_id": user });
        self.write(route(Method::Post, "/users/@me/channels", &[]).body(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_stable_and_short() {
        let a = nonce("2026-02-17/share");
        assert_eq!(a, nonce("2026-02-17/share"));
        assert_ne!(a, nonce("2026-02-17/post"));
        assert!(a.len() <= 25);
    }

    #[test]
    fn messages_never_ping_by_parsing() {
        let mut message = NewMessage::new("@everyone hello", "k");
        message.reply_to = Some(Snowflake(5));
        let body = message.to_json();
        assert_eq!(body["allowed_mentions"]["parse"], json!([]));
        assert_eq!(body["enforce_nonce"], json!(true));
        assert_eq!(body["message_reference"]["message_id"], json!("5"));
    }
}
