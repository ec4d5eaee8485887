//! The Discord scheduled event of an episode (`[discord] scheduled_event = true`): one EXTERNAL
//! event in the server's Events list, made once (the ledger, and a look for ours before
//! creating), kept in step with the file, cancelled with it. Discord starts and completes
//! EXTERNAL events itself; a started or finished one is left alone.

use super::{ActionReport, Ctx};
use crate::discord::Snowflake;
use crate::discord::scheduled_events::{EventFields, ScheduledEvent, status};
use crate::error::Error;
use crate::event::{SignupMode, Status};
use crate::schedule::guild_event;
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};
use crate::time::Language;

const ACTION: Action = Action::ScheduledEvent;
/// Discord's limits on a scheduled event's name and description.
const NAME_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 1000;
/// 10070 Unknown Guild Scheduled Event: deleted by someone on Discord.
const UNKNOWN_EVENT: u64 = 10070;

pub fn scheduled_event(ctx: &Ctx, held: &mut Held) -> Result<ActionReport, Error> {
    let guild = ctx.series.guild_id()?;
    let fields = fields(ctx, held)?;
    let existing = match recorded(ctx, held, guild)? {
        Some(event) => Some(event),
        None => own_event(ctx, guild, &fields)?,
    };
    let cancel = ctx.event.status == Status::Cancelled;
    match existing {
        Some(event) => keep_in_step(ctx, held, guild, &event, &fields),
        None if cancel => {
            let detail = "cancelled; no scheduled event of ours is left on Discord to cancel";
            finish(ctx, held, Outcome::Done, None, detail.to_string())
        }
        None => create(ctx, held, guild, &fields),
    }
}

/// The event the ledger names, as Discord has it now; `None` when there is none (or it was
/// deleted on Discord).
fn recorded(ctx: &Ctx, held: &Held, guild: Snowflake) -> Result<Option<ScheduledEvent>, Error> {
    let id = held
        .get(ACTION.key())
        .and_then(|r| r.guild_event_id.as_deref())
        .and_then(|id| id.parse::<Snowflake>().ok());
    let Some(id) = id else { return Ok(None) };
    match ctx.client.scheduled_event(guild, id) {
        Ok(event) => Ok(Some(event)),
        Err(e) if e.api().is_some_and(|a| a.code == Some(UNKNOWN_EVENT)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Ours among the guild's events: made by the bot, same name, same start (a create that
/// reached Discord but not the ledger, or a lost `.state/`).
fn own_event(ctx: &Ctx, guild: Snowflake, fields: &EventFields) -> Result<Option<ScheduledEvent>, Error> {
    let bot = ctx.bot()?.id;
    Ok(ctx.client.scheduled_events(guild)?.into_iter().find(|e| {
        e.creator_id == Some(bot) && e.name == fields.name && e.scheduled_start_time == fields.start
    }))
}

fn create(ctx: &Ctx, held: &mut Held, guild: Snowflake, fields: &EventFields) -> Result<ActionReport, Error> {
    held.record(ACTION.key(), Record::new(Outcome::Started, ctx.now))?;
    let created = ctx.client.create_scheduled_event(guild, fields)?;
    let Some(created) = created else {
        return Ok(ctx.report(
            ACTION,
            Outcome::Done,
            format!("would create the scheduled event “{}”", fields.name),
        ));
    };
    let detail = format!("created the scheduled event “{}” ({})", fields.name, created.id);
    finish(ctx, held, Outcome::Done, Some(created.id), detail)
}

/// Bring an event Discord has up to date with the file: one PATCH when anything differs
/// (status CANCELED for a cancelled event), none when it already says it all.
fn keep_in_step(
    ctx: &Ctx,
    held: &mut Held,
    guild: Snowflake,
    event: &ScheduledEvent,
    fields: &EventFields,
) -> Result<ActionReport, Error> {
    let cancel = ctx.event.status == Status::Cancelled;
    let id = event.id;
    match event.status {
        status::CANCELED if cancel => {
            return finish(
                ctx,
                held,
                Outcome::Done,
                Some(id),
                format!("the scheduled event {id} is cancelled"),
            );
        }
        status::COMPLETED | status::CANCELED => {
            let detail = format!(
                "the scheduled event {id} has finished on Discord; tsudoi leaves a finished event alone"
            );
            return finish(ctx, held, Outcome::Skipped, Some(id), detail);
        }
        status::ACTIVE => {
            let detail = format!("the scheduled event {id} has started on Discord; left as it is");
            return finish(ctx, held, Outcome::Done, Some(id), detail);
        }
        _ => {}
    }
    if !cancel && fields.matches(event) {
        let detail = format!("the scheduled event {id} already says this; nothing to change");
        return finish(ctx, held, Outcome::Done, Some(id), detail);
    }
    let mut intent = Record::new(Outcome::Started, ctx.now);
    intent.guild_event_id = Some(id.to_string());
    held.record(ACTION.key(), intent)?;
    let new_status = cancel.then_some(status::CANCELED);
    let sent = ctx.client.update_scheduled_event(guild, id, fields, new_status)?;
    let verb = match (sent.is_some(), cancel) {
        (true, true) => "cancelled",
        (true, false) => "updated",
        (false, true) => "would cancel",
        (false, false) => "would update",
    };
    finish(
        ctx,
        held,
        Outcome::Done,
        Some(id),
        format!("{verb} the scheduled event {id}"),
    )
}

/// Record what Discord now says, with the revision sent, and report it.
fn finish(
    ctx: &Ctx,
    held: &mut Held,
    outcome: Outcome,
    id: Option<Snowflake>,
    detail: String,
) -> Result<ActionReport, Error> {
    let mut record = Record::new(outcome, ctx.now);
    record.guild_event_id = id.map(|id| id.to_string());
    record.fingerprint = Some(guild_event::revision(ctx.event, &held.ledger));
    record.detail = Some(detail.clone());
    held.record(ACTION.key(), record)?;
    Ok(ctx.report(ACTION, outcome, detail))
}

/// What the event should say: the file's title and times, where, and how to sign up.
fn fields(ctx: &Ctx, held: &Held) -> Result<EventFields, Error> {
    let page = ctx.page();
    let name = format!(
        "{} ({}) {}",
        page.event.date_long, page.event.weekday, page.event.title
    );
    Ok(EventFields {
        name: name.chars().take(NAME_MAX).collect(),
        description: description(ctx, held)?.chars().take(DESCRIPTION_MAX).collect(),
        location: location(ctx)?,
        start: ctx.event.starts_at.to_utc(),
        end: ctx.event.ends_at.to_utc(),
    })
}

/// The series' location, else `Discord #<sign-up channel>`; never the viewer URL.
fn location(ctx: &Ctx) -> Result<String, Error> {
    let set = ctx
        .event
        .scheduled_event
        .as_ref()
        .and_then(|s| s.location.clone());
    if let Some(location) = set {
        // The scrubber knows every viewer URL of the run: one in the location is refused.
        if ctx.client.scrub(&location) != location {
            return Err(Error::ViewerUrlInLocation {
                series: ctx.series.path.clone(),
            });
        }
        return Ok(location);
    }
    let channel = ctx.client.channel(ctx.series.signup_channel_id()?)?;
    let name = channel.name.unwrap_or_else(|| channel.id.to_string());
    Ok(format!("Discord #{name}").chars().take(NAME_MAX).collect())
}

/// How to sign up, in a line, and the link to the event post.
fn description(ctx: &Ctx, held: &Held) -> Result<String, Error> {
    let event = ctx.event;
    let policy = &event.policy;
    let page = ctx.page();
    let deadline = &page.event.signup_closes_time;
    let keyword = policy.signup_keywords.first().cloned().unwrap_or_default();
    let emoji = &policy.signup_emoji;
    let ja = ctx.series.language == Language::Ja;
    let mut rule = match (policy.signup_mode, ja) {
        (SignupMode::Reply, true) => {
            format!("参加方法: イベント投稿に「{keyword}」と返信 (締切 {deadline})。")
        }
        (SignupMode::Reaction, true) => {
            format!("参加方法: イベント投稿に {emoji} でリアクション (締切 {deadline})。")
        }
        (SignupMode::Interested, true) => {
            format!("参加方法: このイベントの「興味あり」を押す (締切 {deadline})。")
        }
        (SignupMode::Reply, false) => format!("Sign up: reply “{keyword}” to the event post by {deadline}."),
        (SignupMode::Reaction, false) => format!("Sign up: react {emoji} to the event post by {deadline}."),
        (SignupMode::Interested, false) => {
            format!("Sign up: press “Interested” on this event by {deadline}.")
        }
    };
    if policy.require_avatar {
        rule.push_str(if ja {
            "アイコン画像が必要です。"
        } else {
            " A profile picture is required."
        });
    }
    let Some((channel, message)) = guild_event::post_link(event, &held.ledger) else {
        return Ok(rule);
    };
    let guild = ctx.series.guild_id()?;
    let channel = match channel {
        Some(channel) => channel,
        None => ctx.series.signup_channel_id()?.to_string(),
    };
    let label = if ja { "イベント投稿" } else { "Event post" };
    Ok(format!(
        "{rule}\n{label}: https://discord.com/channels/{guild}/{channel}/{message}"
    ))
}
