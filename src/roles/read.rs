//! Reading the sign-ups under the event post: replies (or thread messages) with their text, or
//! reactions on the post; and, in `admin-reaction` approval, who reacted to each declaration.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::signup_post::PostRef;
use crate::discord::models::Reaction;
use crate::discord::{Client, Message, Snowflake, User};
use crate::error::RolesError;
use crate::event::Policy;
use crate::signup;
use crate::state::Ledger;

/// Message types that people write: a default message and a reply.
const WRITTEN: [u8; 2] = [0, 19];

/// What was read under the post.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Every candidate: messages under the post, or one per user who reacted to it.
    pub messages: Vec<signup::Message>,
    /// Message id → where it is and the reactions it has, to react only where needed.
    pub sources: HashMap<String, Source>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub channel: Snowflake,
    pub reactions: Vec<Reaction>,
}

impl Source {
    /// The bot already reacted with `emoji`.
    pub fn bot_reacted(&self, emoji: &str) -> bool {
        self.reactions.iter().any(|r| r.me && r.emoji.is(emoji))
    }

    /// Someone other than the bot reacted with `emoji`.
    pub fn others_reacted(&self, emoji: &str) -> bool {
        self.reactions
            .iter()
            .any(|r| r.emoji.is(emoji) && r.count > u32::from(r.me))
    }
}

pub fn display_name(user: &User) -> String {
    user.global_name.clone().unwrap_or_else(|| user.username.clone())
}

/// Replies to the post in a text channel, or every message in the post's thread; all pages.
pub fn replies(client: &Client, post: &PostRef) -> Result<Gathered, RolesError> {
    let under: Vec<Message> = client
        .messages_after(post.channel, post.message)?
        .into_iter()
        .filter(|m| WRITTEN.contains(&m.kind))
        .filter(|m| post.in_thread || replies_to(m, post.message))
        .collect();
    check_intent(&under)?;
    let mut gathered = Gathered::default();
    for message in under {
        gathered.sources.insert(
            message.id.to_string(),
            Source {
                channel: message.channel_id,
                reactions: message.reactions.clone(),
            },
        );
        gathered.messages.push(signup::Message {
            id: message.id.to_string(),
            author_id: message.author.id.to_string(),
            author_name: display_name(&message.author),
            author_is_bot: message.author.bot,
            posted_at: message.id.timestamp(),
            text: message.content,
        });
    }
    Ok(gathered)
}

fn replies_to(message: &Message, post: Snowflake) -> bool {
    message
        .message_reference
        .as_ref()
        .and_then(|r| r.message_id)
        .is_some_and(|id| id == post)
}

/// Without the Message Content intent Discord sends every message's text empty (but the bot's
/// own): when all people's messages under the post are empty, that is the cause.
pub fn check_intent(under: &[Message]) -> Result<(), RolesError> {
    let people: Vec<&Message> = under.iter().filter(|m| !m.author.bot).collect();
    if !people.is_empty() && people.iter().all(|m| m.content.is_empty()) {
        return Err(RolesError::MissingIntent { count: people.len() });
    }
    Ok(())
}

/// Reaction sign-ups: everyone but the bot itself (which may have added the emoji as a prompt)
/// who reacted to the post with the sign-up emoji (all pages). Discord keeps no time for a
/// reaction, so the ledger remembers when each user was first seen.
pub fn reactions(
    client: &Client,
    post: &PostRef,
    bot: Snowflake,
    policy: &Policy,
    ledger: &mut Ledger,
    now: DateTime<Utc>,
) -> Result<Gathered, RolesError> {
    let users = client.reactions(post.channel, post.message, &policy.signup_emoji)?;
    let mut gathered = Gathered::default();
    gathered.sources.insert(
        post.message.to_string(),
        Source {
            channel: post.channel,
            reactions: Vec::new(),
        },
    );
    for user in users.into_iter().filter(|u| u.id != bot) {
        let seen = *ledger.seen.entry(user.id.to_string()).or_insert(now);
        gathered.messages.push(signup::Message {
            id: post.message.to_string(),
            author_id: user.id.to_string(),
            author_name: display_name(&user),
            author_is_bot: user.bot,
            posted_at: seen,
            text: String::new(),
        });
    }
    Ok(gathered)
}

/// Who reacted with `emoji` to each of `declared` that has such a reaction from someone else.
pub fn reactors(
    client: &Client,
    gathered: &Gathered,
    declared: &[&signup::Message],
    emoji: &str,
) -> Result<HashMap<String, Vec<Snowflake>>, RolesError> {
    let mut found = HashMap::new();
    for message in declared {
        let Some(source) = gathered.sources.get(&message.id) else {
            continue;
        };
        if !source.others_reacted(emoji) {
            continue;
        }
        let id: Snowflake = message.id.parse().expect("message ids are snowflakes");
        let users = client.reactions(source.channel, id, emoji)?;
        found.insert(message.id.clone(), users.into_iter().map(|u| u.id).collect());
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(author_bot: bool, content: &str) -> Message {
        serde_json::from_value(serde_json::json!({
            "id": "10", "channel_id": "2", "content": content,
            "author": {"id": "3", "username": "a", "bot": author_bot},
        }))
        .unwrap()
    }

    #[test]
    fn all_empty_messages_from_people_mean_the_intent_is_off() {
        assert!(check_intent(&[]).is_ok());
        assert!(check_intent(&[message(true, "")]).is_ok());
        assert!(check_intent(&[message(false, ""), message(false, "参加します")]).is_ok());
        let error = check_intent(&[message(false, ""), message(true, "notice")]).unwrap_err();
        assert!(
            error.hint().unwrap().contains("Message Content Intent"),
            "{error}"
        );
    }
}
