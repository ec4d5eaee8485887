//! The routes the fake serves, each following Discord's documented behaviour: permissions
//! checked (403 50001 / 50013), unknown ids answered with their 404 codes, writes idempotent
//! where Discord's are, pagination honouring `limit`, `before` and `after`.

use serde_json::{Value, json};

use super::state::*;

pub struct Answer {
    pub status: u16,
    pub body: Option<Value>,
}

fn ok(body: Value) -> Answer {
    Answer {
        status: 200,
        body: Some(body),
    }
}

fn no_content() -> Answer {
    Answer {
        status: 204,
        body: None,
    }
}

pub fn error(status: u16, code: u64, message: &str) -> Answer {
    Answer {
        status,
        body: Some(json!({ "message": message, "code": code })),
    }
}

fn missing_access() -> Answer {
    error(403, 50001, "Missing Access")
}

fn missing_permissions() -> Answer {
    error(403, 50013, "Missing Permissions")
}

fn form_error(field: &str, message: &str) -> Answer {
    let errors = json!({ field: { "_errors": [{ "code": "BASE_TYPE_INVALID", "message": message }] } });
    Answer {
        status: 400,
        body: Some(json!({ "message": "Invalid Form Body", "code": 50035, "errors": errors })),
    }
}

pub struct Call<'a> {
    pub method: &'a str,
    pub template: &'a str,
    pub params: &'a [(String, String)],
    pub query: &'a [(String, String)],
    pub body: Option<&'a Value>,
}

impl Call<'_> {
    fn id(&self, name: &str) -> u64 {
        self.text(name).parse().unwrap_or(0)
    }

    fn text(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    fn query(&self, name: &str) -> Option<u64> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.parse().ok())
    }
}

pub fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call
        .params
        .iter()
        .any(|(n, v)| n == "guild_id" && v != &GUILD.to_string())
    {
        return error(404, 10004, "Unknown Guild");
    }
    match (call.method, call.template) {
        ("GET", "/users/@me") => ok(state.user_json(BOT)),
        ("GET", "/applications/@me") => ok(
            json!({ "id": APP.to_string(), "name": "tsudoi", "flags": state.app_flags, "bot_public": false }),
        ),
        ("GET", "/guilds/{guild_id}") => {
            let mut guild = guild_json(state);
            if call.query.iter().any(|(n, v)| n == "with_counts" && v == "true") {
                guild["approximate_member_count"] = json!(state.members.len());
                guild["approximate_presence_count"] = json!(0);
            }
            ok(guild)
        }
        ("GET", "/guilds/{guild_id}/roles") => ok(json!(
            state.roles.iter().map(|r| state.role_json(r)).collect::<Vec<_>>()
        )),
        ("POST", "/guilds/{guild_id}/roles") => create_role(state, call),
        ("DELETE", "/guilds/{guild_id}/roles/{role_id}") => delete_role(state, call),
        ("GET", "/guilds/{guild_id}/members") => list_members(state, call),
        ("GET", "/guilds/{guild_id}/members/search") => search_members(state, call),
        ("GET", "/guilds/{guild_id}/members/{user_id}") => match state.members.get(&call.id("user_id")) {
            Some(member) => ok(state.member_json(member)),
            None => error(404, 10007, "Unknown Member"),
        },
        ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}") => add_role(state, call),
        ("GET", "/channels/{channel_id}") => with_channel(state, call, VIEW_CHANNEL, |s, c| {
            ok(s.channel_json(&s.channels[&c]))
        }),
        ("GET", "/channels/{channel_id}/messages") => list_messages(state, call),
        ("GET", "/channels/{channel_id}/messages/{message_id}") => {
            with_channel(state, call, VIEW_CHANNEL | READ_MESSAGE_HISTORY, |s, c| {
                match s
                    .messages
                    .get(&call.id("message_id"))
                    .filter(|m| m.channel_id == c)
                {
                    Some(message) => ok(s.message_json(message)),
                    None => error(404, 10008, "Unknown Message"),
                }
            })
        }
        ("POST", "/channels/{channel_id}/messages") => create_message(state, call),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}") => edit_message(state, call),
        ("DELETE", "/channels/{channel_id}/messages/{message_id}") => delete_message(state, call),
        ("PATCH", "/channels/{channel_id}") => modify_channel(state, call),
        ("PATCH", "/guilds/{guild_id}/roles/{role_id}") => modify_role(state, call),
        ("POST", "/channels/{channel_id}/threads") => start_thread(state, call),
        ("GET", "/guilds/{guild_id}/threads/active") => {
            let threads: Vec<Value> = state
                .channels
                .values()
                .filter(|c| matches!(c.kind, 10..=12))
                .map(|c| state.channel_json(c))
                .collect();
            ok(json!({ "threads": threads, "members": [], "has_more": false }))
        }
        ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me") => {
            react(state, call)
        }
        ("GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}") => {
            list_reactions(state, call)
        }
        ("PUT", "/channels/{channel_id}/permissions/{overwrite_id}") => put_overwrite(state, call),
        ("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}") => delete_overwrite(state, call),
        ("POST", "/users/@me/channels") => create_dm(state, call),
        (_, template) if template.starts_with("/guilds/{guild_id}/scheduled-events") => {
            super::scheduled_events::handle(state, call)
        }
        _ => error(404, 0, "404: Not Found"),
    }
}

fn guild_json(state: &State) -> Value {
    json!({
        "id": GUILD.to_string(), "name": state.guild_name, "icon": null, "owner_id": state.owner_id.to_string(),
        "verification_level": state.verification_level, "roles": state.roles.iter().map(|r| state.role_json(r)).collect::<Vec<_>>(),
        "emojis": [], "features": [], "premium_tier": 0,
    })
}

/// Resolve the channel (10003 if unknown), check the bot's permissions there, then act.
fn with_channel(
    state: &mut State,
    call: &Call<'_>,
    needs: u64,
    then: impl FnOnce(&mut State, u64) -> Answer,
) -> Answer {
    let id = call.id("channel_id");
    let Some(channel) = state.channels.get(&id) else {
        return error(404, 10003, "Unknown Channel");
    };
    if channel.kind != 1 {
        let have = state.bot_permissions(Some(id));
        if have & VIEW_CHANNEL == 0 {
            return missing_access();
        }
        if have & needs != needs {
            return missing_permissions();
        }
    }
    then(state, id)
}

fn create_role(state: &mut State, call: &Call<'_>) -> Answer {
    if state.bot_permissions(None) & MANAGE_ROLES == 0 {
        return missing_permissions();
    }
    if state.roles.len() >= 250 {
        return error(400, 30005, "Maximum number of server roles reached (250)");
    }
    let body = call.body.cloned().unwrap_or_default();
    for role in state.roles.iter_mut().filter(|r| r.position >= 1) {
        role.position += 1;
    }
    let id = state.next_id();
    let name = body["name"].as_str().unwrap_or("new role").to_string();
    let permissions = body["permissions"].as_u64().unwrap_or(0);
    let role = state.role(id, &name, 1, permissions).clone();
    ok(state.role_json(&role))
}

/// As Discord does: the role leaves every member and every channel's overwrites, and the roles
/// above it move down one place.
fn delete_role(state: &mut State, call: &Call<'_>) -> Answer {
    let id = call.id("role_id");
    let Some(role) = state.roles.iter().find(|r| r.id == id).cloned() else {
        return error(404, 10011, "Unknown Role");
    };
    if state.bot_permissions(None) & MANAGE_ROLES == 0 || role.position >= state.bot_top() {
        return missing_permissions();
    }
    if role.id == GUILD || role.managed {
        return error(400, 50028, "Invalid Role");
    }
    state.roles.retain(|r| r.id != id);
    for other in state.roles.iter_mut().filter(|r| r.position > role.position) {
        other.position -= 1;
    }
    for member in state.members.values_mut() {
        member.roles.retain(|r| *r != id);
    }
    for channel in state.channels.values_mut() {
        channel.overwrites.retain(|o| o.id != id);
    }
    no_content()
}

fn list_members(state: &State, call: &Call<'_>) -> Answer {
    if state.app_flags & (GUILD_MEMBERS_INTENT | GUILD_MEMBERS_INTENT << 1) == 0 {
        return missing_access();
    }
    let limit = call.query("limit").unwrap_or(1) as usize;
    let after = call.query("after").unwrap_or(0);
    let page: Vec<Value> = state
        .members
        .range(after + 1..)
        .take(limit)
        .map(|(_, m)| state.member_json(m))
        .collect();
    ok(json!(page))
}

/// Members whose username or nickname starts with `query`, case-insensitively, as Discord
/// documents it (global names are not searched); `limit` defaults to 1.
fn search_members(state: &State, call: &Call<'_>) -> Answer {
    let limit = call.query("limit").unwrap_or(1) as usize;
    let query = call
        .query
        .iter()
        .find(|(n, _)| n == "query")
        .map(|(_, v)| v.to_lowercase())
        .unwrap_or_default();
    let starts = |name: Option<&String>| name.is_some_and(|n| n.to_lowercase().starts_with(&query));
    let found: Vec<Value> = state
        .members
        .values()
        .filter(|m| starts(Some(&state.users[&m.user].username)) || starts(m.nick.as_ref()))
        .take(limit)
        .map(|m| state.member_json(m))
        .collect();
    ok(json!(found))
}

fn add_role(state: &mut State, call: &Call<'_>) -> Answer {
    let (user, role) = (call.id("user_id"), call.id("role_id"));
    let Some(position) = state.roles.iter().find(|r| r.id == role).map(|r| r.position) else {
        return error(404, 10011, "Unknown Role");
    };
    if !state.members.contains_key(&user) {
        return error(404, 10007, "Unknown Member");
    }
    if state.bot_permissions(None) & MANAGE_ROLES == 0 || position >= state.bot_top() {
        return missing_permissions();
    }
    let roles = &mut state.members.get_mut(&user).unwrap().roles;
    if !roles.contains(&role) {
        roles.push(role);
    }
    no_content()
}

fn list_messages(state: &mut State, call: &Call<'_>) -> Answer {
    with_channel(state, call, VIEW_CHANNEL, |s, channel| {
        // A DM channel's history is the bot's own; guild permissions do not apply.
        let dm = s.channels[&channel].kind == 1;
        if !dm && s.bot_permissions(Some(channel)) & READ_MESSAGE_HISTORY == 0 {
            return ok(json!([]));
        }
        let limit = call.query("limit").unwrap_or(50) as usize;
        let in_channel = s.messages.values().filter(|m| m.channel_id == channel);
        let mut page: Vec<&Message> = match (call.query("before"), call.query("after")) {
            (Some(before), _) => in_channel.filter(|m| m.id < before).rev().take(limit).collect(),
            (None, Some(after)) => in_channel.filter(|m| m.id > after).take(limit).collect(),
            (None, None) => in_channel.rev().take(limit).collect(),
        };
        page.sort_by_key(|m| std::cmp::Reverse(m.id));
        ok(json!(page.iter().map(|m| s.message_json(m)).collect::<Vec<_>>()))
    })
}

fn create_message(state: &mut State, call: &Call<'_>) -> Answer {
    let body = call.body.cloned().unwrap_or_default();
    let channel_id = call.id("channel_id");
    if let Some(channel) = state.channels.get(&channel_id)
        && channel.kind == 1
    {
        let recipient = channel.recipient.unwrap_or(0);
        if state.users.get(&recipient).is_some_and(|u| u.dms_closed) {
            return error(403, 50007, "Cannot send messages to this user");
        }
    }
    with_channel(state, call, VIEW_CHANNEL | SEND_MESSAGES, |s, channel| {
        let content = body["content"].as_str().unwrap_or_default();
        if content.chars().count() > 2000 {
            return form_error("content", "Must be 2000 or fewer in length.");
        }
        let nonce = body["nonce"].as_str().map(str::to_string);
        let remembered = nonce.as_ref().and_then(|n| s.nonces.get(&(channel, n.clone())));
        let recent = remembered
            .filter(|(_, at)| at.elapsed() < NONCE_MEMORY)
            .map(|(id, _)| *id)
            // A message deleted since is not returned: the create makes a new one.
            .filter(|id| s.messages.contains_key(id));
        if body["enforce_nonce"] == true
            && let Some(existing) = recent
        {
            let mut message = s.message_json(&s.messages[&existing]);
            message["nonce"] = json!(nonce);
            return ok(message);
        }
        let id = s.post(channel, BOT, content);
        let reference = body["message_reference"]["message_id"]
            .as_str()
            .and_then(|r| r.parse().ok());
        s.messages.get_mut(&id).unwrap().reference = reference;
        if let Some(nonce) = &nonce {
            s.nonces
                .insert((channel, nonce.clone()), (id, std::time::Instant::now()));
        }
        let mut message = s.message_json(&s.messages[&id]);
        message["nonce"] = json!(nonce);
        ok(message)
    })
}

/// Only the author may change a message's text.
fn edit_message(state: &mut State, call: &Call<'_>) -> Answer {
    let body = call.body.cloned().unwrap_or_default();
    with_channel(state, call, VIEW_CHANNEL, |s, channel| {
        let id = call.id("message_id");
        let Some(message) = s.messages.get(&id).filter(|m| m.channel_id == channel) else {
            return error(404, 10008, "Unknown Message");
        };
        if message.author != BOT {
            return error(403, 50005, "Cannot edit a message authored by another user");
        }
        if let Some(content) = body["content"].as_str() {
            if content.chars().count() > 2000 {
                return form_error("content", "Must be 2000 or fewer in length.");
            }
            let message = s.messages.get_mut(&id).unwrap();
            message.content = content.to_string();
            message.edits += 1;
        }
        let mut value = s.message_json(&s.messages[&id]);
        value["edited_timestamp"] = json!("2026-01-01T00:00:01.000000+00:00");
        ok(value)
    })
}

/// Discord: the author may delete their own message; another's needs MANAGE_MESSAGES.
fn delete_message(state: &mut State, call: &Call<'_>) -> Answer {
    with_channel(state, call, VIEW_CHANNEL, |s, channel| {
        let id = call.id("message_id");
        let Some(message) = s.messages.get(&id).filter(|m| m.channel_id == channel) else {
            return error(404, 10008, "Unknown Message");
        };
        if message.author != BOT && s.bot_permissions(Some(channel)) & MANAGE_MESSAGES == 0 {
            return missing_permissions();
        }
        s.messages.remove(&id);
        no_content()
    })
}

/// Discord: a thread's name may be changed by its owner (or with MANAGE_THREADS); a channel's
/// needs MANAGE_CHANNELS. Names are 1 to 100 characters.
fn modify_channel(state: &mut State, call: &Call<'_>) -> Answer {
    let body = call.body.cloned().unwrap_or_default();
    with_channel(state, call, VIEW_CHANNEL, |s, id| {
        let channel = &s.channels[&id];
        let thread = matches!(channel.kind, 10..=12);
        let allowed = if thread {
            channel.owner == Some(BOT) || s.bot_permissions(Some(id)) & MANAGE_THREADS != 0
        } else {
            s.bot_permissions(Some(id)) & MANAGE_CHANNELS != 0
        };
        if !allowed {
            return missing_permissions();
        }
        if let Some(name) = body["name"].as_str() {
            if name.is_empty() || name.chars().count() > 100 {
                return form_error("name", "Must be between 1 and 100 in length.");
            }
            s.channels.get_mut(&id).unwrap().name = name.to_string();
        }
        ok(s.channel_json(&s.channels[&id]))
    })
}

/// Discord: MANAGE_ROLES, and only roles below the bot's highest; the id stays, so do members.
fn modify_role(state: &mut State, call: &Call<'_>) -> Answer {
    let body = call.body.cloned().unwrap_or_default();
    let id = call.id("role_id");
    let Some(role) = state.roles.iter().find(|r| r.id == id).cloned() else {
        return error(404, 10011, "Unknown Role");
    };
    if state.bot_permissions(None) & MANAGE_ROLES == 0 || role.position >= state.bot_top() {
        return missing_permissions();
    }
    if let Some(name) = body["name"].as_str() {
        if name.is_empty() || name.chars().count() > 100 {
            return form_error("name", "Must be between 1 and 100 in length.");
        }
        state.roles.iter_mut().find(|r| r.id == id).unwrap().name = name.to_string();
    }
    let role = state.roles.iter().find(|r| r.id == id).unwrap().clone();
    ok(state.role_json(&role))
}

fn start_thread(state: &mut State, call: &Call<'_>) -> Answer {
    let body = call.body.cloned().unwrap_or_default();
    with_channel(state, call, VIEW_CHANNEL | SEND_MESSAGES, |s, forum| {
        if s.channels[&forum].kind != 15 {
            return form_error("message", "Only forum channels take a starter message");
        }
        let id = s.next_id();
        let name = body["name"].as_str().unwrap_or("thread").to_string();
        let thread = s.channel(id, 11, &name);
        thread.parent_id = Some(forum);
        thread.owner = Some(BOT);
        let content = body["message"]["content"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        s.messages.insert(
            id,
            Message {
                id,
                channel_id: id,
                author: BOT,
                content,
                reference: None,
                edits: 0,
            },
        );
        let mut value = s.channel_json(&s.channels[&id]);
        value["message"] = s.message_json(&s.messages[&id]);
        Answer {
            status: 201,
            body: Some(value),
        }
    })
}

/// Unicode emoji are taken as they are; `name:id` must name a known custom emoji (there are none).
fn known_emoji(emoji: &str) -> bool {
    !emoji.contains(':') && !emoji.is_ascii()
}

fn react(state: &mut State, call: &Call<'_>) -> Answer {
    with_channel(
        state,
        call,
        VIEW_CHANNEL | READ_MESSAGE_HISTORY | ADD_REACTIONS,
        |s, channel| {
            let message = call.id("message_id");
            if s.messages.get(&message).is_none_or(|m| m.channel_id != channel) {
                return error(404, 10008, "Unknown Message");
            }
            let emoji = call.text("emoji_name").to_string();
            if !known_emoji(&emoji) {
                return error(400, 10014, "Unknown Emoji");
            }
            let users = s.reactions.entry((message, emoji)).or_default();
            if !users.contains(&BOT) {
                users.push(BOT);
            }
            no_content()
        },
    )
}

fn list_reactions(state: &mut State, call: &Call<'_>) -> Answer {
    with_channel(state, call, VIEW_CHANNEL | READ_MESSAGE_HISTORY, |s, _| {
        let message = call.id("message_id");
        if !s.messages.contains_key(&message) {
            return error(404, 10008, "Unknown Message");
        }
        let limit = call.query("limit").unwrap_or(25) as usize;
        let after = call.query("after").unwrap_or(0);
        let mut users = s
            .reactions
            .get(&(message, call.text("emoji_name").to_string()))
            .cloned()
            .unwrap_or_default();
        users.sort();
        let page: Vec<Value> = users
            .into_iter()
            .filter(|u| *u > after)
            .take(limit)
            .map(|u| s.user_json(u))
            .collect();
        ok(json!(page))
    })
}

fn put_overwrite(state: &mut State, call: &Call<'_>) -> Answer {
    let body = call.body.cloned().unwrap_or_default();
    with_channel(state, call, VIEW_CHANNEL | MANAGE_ROLES, |s, channel| {
        let kind = body["type"].as_u64().unwrap_or(0) as u8;
        let (allow, deny) = (
            body["allow"].as_u64().unwrap_or(0),
            body["deny"].as_u64().unwrap_or(0),
        );
        // Only permissions the bot has server-wide may be set, unless its own overwrite in the
        // channel grants Manage Permissions.
        let bot_roles = &s.members[&BOT].roles;
        let own_manage = s.channels[&channel].overwrites.iter().any(|o| {
            let mine = if o.kind == 1 {
                o.id == BOT
            } else {
                bot_roles.contains(&o.id)
            };
            mine && o.allow & MANAGE_ROLES != 0
        });
        let server_wide = s.bot_permissions(None);
        if !own_manage && (allow | deny) & !server_wide != 0 {
            return missing_permissions();
        }
        s.overwrite(channel, call.id("overwrite_id"), kind, allow, deny);
        no_content()
    })
}

/// Needs Manage Permissions in the channel; an overwrite the channel does not have is 10009.
fn delete_overwrite(state: &mut State, call: &Call<'_>) -> Answer {
    with_channel(state, call, VIEW_CHANNEL | MANAGE_ROLES, |s, channel| {
        let id = call.id("overwrite_id");
        let overwrites = &mut s.channels.get_mut(&channel).unwrap().overwrites;
        if !overwrites.iter().any(|o| o.id == id) {
            return error(404, 10009, "Unknown Overwrite");
        }
        overwrites.retain(|o| o.id != id);
        no_content()
    })
}

fn create_dm(state: &mut State, call: &Call<'_>) -> Answer {
    let recipient = call
        .body
        .and_then(|b| b["recipient_id"].as_str())
        .and_then(|r| r.parse::<u64>().ok());
    let Some(recipient) = recipient.filter(|r| state.users.contains_key(r)) else {
        return error(404, 10013, "Unknown User");
    };
    let existing = state
        .channels
        .values()
        .find(|c| c.kind == 1 && c.recipient == Some(recipient))
        .map(|c| c.id);
    let id = existing.unwrap_or_else(|| {
        let id = state.next_id();
        state.channel(id, 1, "").recipient = Some(recipient);
        id
    });
    ok(state.channel_json(&state.channels[&id]))
}
