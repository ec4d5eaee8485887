//! Publishing: the timed actions that write to Discord — the event post, the URL share, the
//! on-air and sign-ups-closed notices, the role grants — each done exactly once: under the event's lock, with the intent
//! written to the ledger before the request, a deterministic nonce on every message, and a look
//! at the channel for our own message before posting again.

mod event_post;
mod grants;
mod notice;
mod share;

use std::cell::OnceCell;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::discord::{Client, Message, NewMessage, Snowflake, User};
use crate::error::Error;
use crate::event::{Event, Series};
use crate::render;
use crate::render::context::Page;
use crate::render::templates::Templates;
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};

pub use event_post::{find as find_post, post};
pub use grants::{Grants, grants_wait};
pub use notice::{Notice, notice};
pub use share::{share, url_changed};

/// How far back the channel is searched for a message of ours before posting it again.
const LOOK_BACK: TimeDelta = TimeDelta::days(14);
const LOOK_BACK_MESSAGES: usize = 200;

/// Everything an action needs, resolved once per event.
pub struct Ctx<'a> {
    pub config: &'a Config,
    pub series: &'a Series,
    pub events: &'a [Event],
    pub event: &'a Event,
    pub client: &'a Client,
    pub templates: &'a Templates,
    pub now: DateTime<Utc>,
    pub dry_run: bool,
    bot: OnceCell<User>,
}

/// What an action came to, for a line of output or a JSON row.
#[derive(Debug, Clone, Serialize)]
pub struct ActionReport {
    pub event: String,
    /// `None` for a problem with the event's files (the event file, its state) rather than
    /// with one action.
    pub action: Option<Action>,
    pub outcome: Outcome,
    pub detail: String,
}

impl ActionReport {
    /// What the report is about, for a line of output.
    pub fn subject(&self) -> &'static str {
        self.action.map_or("event files", Action::label)
    }
}

/// What every event's actions share in one run; [`Shared::ctx`] makes an event's [`Ctx`].
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    pub config: &'a Config,
    pub series: &'a Series,
    pub events: &'a [Event],
    pub client: &'a Client,
    pub templates: &'a Templates,
    pub dry_run: bool,
}

impl<'a> Shared<'a> {
    /// The context of `event`'s actions.
    pub fn ctx(&self, event: &'a Event) -> Ctx<'a> {
        Ctx {
            config: self.config,
            series: self.series,
            events: self.events,
            event,
            client: self.client,
            templates: self.templates,
            now: self.config.now,
            dry_run: self.dry_run,
            bot: OnceCell::new(),
        }
    }
}

impl<'a> Ctx<'a> {
    /// The bot's own user, asked for once.
    pub fn bot(&self) -> Result<&User, Error> {
        if let Some(bot) = self.bot.get() {
            return Ok(bot);
        }
        let user = self.client.current_user()?;
        Ok(self.bot.get_or_init(|| user))
    }

    pub fn page(&self) -> Page {
        Page::new(self.series, self.events, self.event, self.now)
    }

    /// The nonce key of message `index` of `action`: the same on every machine and every run.
    fn key(&self, action: Action, index: usize) -> String {
        nonce_key(self.series, self.event, action, index)
    }

    fn report(&self, action: Action, outcome: Outcome, detail: impl Into<String>) -> ActionReport {
        ActionReport {
            event: self.event.id.clone(),
            action: Some(action),
            outcome,
            detail: detail.into(),
        }
    }
}

/// The nonce key of message `index` of an event's `action`, e.g. `<guild>/2026-02-17/share/0`.
fn nonce_key(series: &Series, event: &Event, action: Action, index: usize) -> String {
    let guild = series
        .discord
        .guild_id
        .map_or("-".to_string(), |id| id.to_string());
    format!("{guild}/{}/{}/{index}", event.id, action.key())
}

/// Post `contents` to `channel` once. Each message already there (ours, same text) is adopted
/// instead of posted; the rest are posted with their nonce. The record is `Started` on disk
/// before the first request and `Done` after the last.
fn publish(
    ctx: &Ctx,
    held: &mut Held,
    action: Action,
    channel: Snowflake,
    contents: &[String],
    shape: impl Fn(NewMessage) -> NewMessage,
) -> Result<(Record, usize), Error> {
    let existing = own_messages(ctx, channel, contents)?;
    let mut record = Record::new(Outcome::Started, ctx.now);
    record.channel_id = Some(channel.to_string());
    record.nonce = Some(crate::discord::nonce(&ctx.key(action, 0)));
    held.record(action.key(), record.clone())?;
    let mut posted = 0;
    for (index, content) in contents.iter().enumerate() {
        if let Some(found) = &existing[index] {
            record.message_ids.push(found.id.to_string());
            continue;
        }
        let message = shape(NewMessage::new(content.clone(), &ctx.key(action, index)));
        if let Some(created) = ctx.client.create_message(channel, &message)? {
            record.message_ids.push(created.id.to_string());
        }
        posted += 1;
    }
    record.outcome = Outcome::Done;
    record.at = ctx.now;
    held.record(action.key(), record.clone())?;
    Ok((record, posted))
}

/// For each content, the bot's message with exactly that text in the channel's recent history.
fn own_messages(ctx: &Ctx, channel: Snowflake, contents: &[String]) -> Result<Vec<Option<Message>>, Error> {
    let since = ctx.now - LOOK_BACK;
    own_messages_since(ctx, channel, contents, since, LOOK_BACK_MESSAGES)
}

/// For each content, the bot's message with exactly that text among the channel's `cap`
/// newest messages since `since`.
fn own_messages_since(
    ctx: &Ctx,
    channel: Snowflake,
    contents: &[String],
    since: DateTime<Utc>,
    cap: usize,
) -> Result<Vec<Option<Message>>, Error> {
    let bot = ctx.bot()?.id;
    let since = Snowflake::before_time(since);
    let recent = ctx.client.messages_newest_first(channel, Some(since), cap)?;
    Ok(contents
        .iter()
        .map(|content| {
            recent
                .iter()
                .rev()
                .find(|m| m.author.id == bot && m.content == *content)
                .cloned()
        })
        .collect())
}

/// A refusal from Discord is not retried by `tick` (repeating it counts toward an IP ban); a
/// transient failure, or a problem on our side that the organizer can fix (a missing URL, a
/// role not created yet), is retried while the action is useful.
pub fn failure(ctx: &Ctx, held: &mut Held, action: Action, error: &Error) -> ActionReport {
    let mut record = Record::new(Outcome::Failed, ctx.now);
    if action == Action::Share
        && let Some(previous) = held.get(action.key())
    {
        // What reached Discord before the failure: the retry edits those messages, or skips
        // the holders already sent a DM, instead of sending again.
        record.channel_id = previous.channel_id.clone();
        record.message_ids = previous.message_ids.clone();
        record.delivered = previous.delivered.clone();
        record.fingerprint = previous.fingerprint.clone();
    }
    let detail = ctx.client.scrub(&with_hint(error));
    record.detail = Some(detail.clone());
    record.retry = match error {
        Error::Discord(discord) => discord.is_transient(),
        _ => true,
    };
    let _ = held.record(action.key(), record);
    ctx.report(action, Outcome::Failed, detail)
}

/// An error and its fix on one line, for a cron mail.
pub fn with_hint(error: &Error) -> String {
    match error.hint() {
        Some(hint) => format!("{error} (hint: {hint})"),
        None => error.to_string(),
    }
}

/// The Discord message texts of a notice template.
fn texts(ctx: &Ctx, name: &str, page: &Page) -> Result<Vec<String>, Error> {
    render::notice(ctx.templates, name, page).map_err(Error::from)
}
