//! The event post: the `discord` announcement in the sign-up channel — messages in a text
//! channel, or a forum post (a thread whose first message is the announcement).

use chrono::{DateTime, TimeDelta, Utc};

use super::{ActionReport, Ctx, own_messages_since, publish};
use crate::discord::models::channel_type;
use crate::discord::{Channel, NewMessage, Snowflake};
use crate::error::Error;
use crate::render;
use crate::schedule::timeline::{Action, ROLES_LEAD};
use crate::state::{Held, Outcome, Record};

pub fn post(ctx: &Ctx, held: &mut Held) -> Result<ActionReport, Error> {
    let action = Action::Post;
    if let Some(id) = &ctx.event.post_id {
        return Ok(ctx.report(
            action,
            Outcome::Done,
            format!("posted by hand (post_id {id}); nothing to do"),
        ));
    }
    if let Some(done) = held.get(action.key()).filter(|r| r.outcome == Outcome::Done) {
        let detail = format!(
            "already posted at {} (message {})",
            done.at.to_rfc3339(),
            done.message_ids.join(", ")
        );
        return Ok(ctx.report(action, Outcome::Done, detail));
    }
    let series = ctx.series;
    let channel_id = series.signup_channel_id()?;
    let contents = render::post(ctx.templates, &ctx.page()).map_err(Error::from)?;
    let channel = ctx.client.channel(channel_id)?;
    match channel.kind {
        channel_type::GUILD_FORUM => forum(ctx, held, channel_id, &contents),
        channel_type::GUILD_TEXT | channel_type::GUILD_ANNOUNCEMENT => {
            let (record, posted) = publish(ctx, held, action, channel_id, &contents, |m| m)?;
            Ok(ctx.report(
                action,
                Outcome::Done,
                summary(ctx, posted, contents.len(), channel_id, &record),
            ))
        }
        kind => Err(Error::SignupChannelKind {
            channel: channel_id,
            kind: channel_type::name(kind),
        }),
    }
}

fn summary(ctx: &Ctx, posted: usize, total: usize, channel: Snowflake, record: &Record) -> String {
    let adopted = total - posted;
    let verb = if ctx.dry_run { "would post" } else { "posted" };
    let mut text = format!("{verb} {posted} message(s) to channel {channel}");
    if adopted > 0 {
        text.push_str(&format!(", found {adopted} already there"));
    }
    if let Some(first) = record.message_ids.first() {
        text.push_str(&format!(" (message {first})"));
    }
    text
}

/// A forum post cannot carry a nonce: before starting one, look among the guild's active
/// threads for ours (same forum, same name, started by the bot) and adopt it. When an earlier
/// attempt may have reached Discord and nothing is found, stop rather than risk a double.
fn forum(ctx: &Ctx, held: &mut Held, forum: Snowflake, contents: &[String]) -> Result<ActionReport, Error> {
    let action = Action::Post;
    let name = thread_name(ctx);
    if let Some(thread) = own_thread(ctx, forum)? {
        let mut record = Record::new(Outcome::Done, ctx.now);
        record.channel_id = Some(thread.id.to_string());
        record.message_ids.push(thread.id.to_string());
        held.record(action.key(), record)?;
        return Ok(ctx.report(
            action,
            Outcome::Done,
            format!(
                "found the forum post “{name}” already there (thread {}); adopted it",
                thread.id
            ),
        ));
    }
    if held
        .get(action.key())
        .is_some_and(|r| r.outcome == Outcome::Started)
    {
        return Err(Error::ForumPostInDoubt {
            event_file: ctx.event.path.clone(),
            ledger: crate::state::Store::new(&ctx.config.dir).path(&ctx.event.id),
        });
    }
    let mut record = Record::new(Outcome::Started, ctx.now);
    record.channel_id = Some(forum.to_string());
    held.record(action.key(), record.clone())?;
    let first = NewMessage::new(contents[0].clone(), &ctx.key(action, 0));
    let thread = ctx.client.start_forum_thread(forum, &name, &first)?;
    let Some(thread) = thread else {
        return Ok(ctx.report(
            action,
            Outcome::Done,
            format!("would start the forum post “{name}”"),
        ));
    };
    record.channel_id = Some(thread.id.to_string());
    record.message_ids.push(thread.id.to_string());
    for (index, content) in contents.iter().enumerate().skip(1) {
        let message = NewMessage::new(content.clone(), &ctx.key(action, index));
        if let Some(created) = ctx.client.create_message(thread.id, &message)? {
            record.message_ids.push(created.id.to_string());
        }
    }
    record.outcome = Outcome::Done;
    held.record(action.key(), record)?;
    Ok(ctx.report(
        action,
        Outcome::Done,
        format!("started the forum post “{name}” (thread {})", thread.id),
    ))
}

/// Our forum post among the guild's active threads: same forum, same name, started by the bot.
fn own_thread(ctx: &Ctx, forum: Snowflake) -> Result<Option<Channel>, Error> {
    let name = thread_name(ctx);
    let series = ctx.series;
    let guild = series.guild_id()?;
    let bot = ctx.bot()?.id;
    Ok(ctx.client.active_threads(guild)?.into_iter().find(|t| {
        t.parent_id == Some(forum) && t.name.as_deref() == Some(name.as_str()) && t.owner_id == Some(bot)
    }))
}

/// How many of the sign-up channel's newest messages are searched for a post missing from the
/// ledger: the sign-ups under it can be hundreds.
const FIND_MESSAGES: usize = 1000;

/// The earliest a post of this event can have been made: a day before `tick` would post it,
/// else as early as `tick` reads the event.
fn posted_after(ctx: &Ctx) -> DateTime<Utc> {
    let event = ctx.event;
    let lead = event
        .policy
        .announce_before_start
        .map_or(ROLES_LEAD, |before| before.delta() + TimeDelta::days(1));
    (event.starts_at - lead).to_utc().min(ctx.now - super::LOOK_BACK)
}

/// The event post on Discord when the ledger lacks it (a lost `.state/`): our own messages
/// with the post's text in a text channel (what `post` looks for before posting), or our
/// thread in a forum. A post found is recorded as adopted, at the time Discord made it, so
/// later steps and later ticks use it; `None` when there is none.
pub fn find(ctx: &Ctx, held: &mut Held) -> Result<Option<ActionReport>, Error> {
    let action = Action::Post;
    let series = ctx.series;
    let signup = series.signup_channel_id()?;
    let found = if ctx.client.channel(signup)?.kind == channel_type::GUILD_FORUM {
        own_thread(ctx, signup)?.map(|thread| (thread.id, vec![thread.id]))
    } else {
        let contents = render::post(ctx.templates, &ctx.page()).map_err(Error::from)?;
        let messages: Vec<Snowflake> =
            own_messages_since(ctx, signup, &contents, posted_after(ctx), FIND_MESSAGES)?
                .into_iter()
                .map_while(|m| m.map(|m| m.id))
                .collect();
        (!messages.is_empty()).then_some((signup, messages))
    };
    let Some((channel, messages)) = found else {
        return Ok(None);
    };
    let mut record = Record::new(Outcome::Done, messages[0].timestamp());
    record.channel_id = Some(channel.to_string());
    record.message_ids = messages.iter().map(ToString::to_string).collect();
    record.detail = Some("adopted: found on Discord, missing from the ledger".into());
    held.record(action.key(), record)?;
    Ok(Some(ctx.report(
        action,
        Outcome::Done,
        format!(
            "found on Discord (message {}), missing from the ledger; adopted it",
            messages[0]
        ),
    )))
}

/// `2026 年 2 月 17 日 (火) SHIGURADIO…`, within Discord's 100 characters.
fn thread_name(ctx: &Ctx) -> String {
    let page = ctx.page();
    let name = format!(
        "{} ({}) {}",
        page.event.date_long, page.event.weekday, page.event.title
    );
    name.chars().take(100).collect()
}
