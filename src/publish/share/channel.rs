//! The share as one message in the share channel, pinging the role: only after the channel
//! is checked to be readable by the role, the bot and administrators alone. Our message
//! already there is adopted; an earlier one with another URL is edited in place.

use super::{Share, key, shared};
use crate::discord::models::channel_type;
use crate::discord::{Channel, DiscordError, Guild, Mentions, Message, NewMessage, Snowflake};
use crate::error::Error;
use crate::privacy;
use crate::publish::{ActionReport, Ctx, own_messages};
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};

/// What each message of the share came to.
#[derive(Debug, Default)]
struct Tally {
    adopted: usize,
    edited: usize,
    posted: usize,
}

pub(super) fn share(
    ctx: &Ctx,
    held: &mut Held,
    guild: &Guild,
    share: &Share,
    contents: &[String],
) -> Result<ActionReport, Error> {
    let action = Action::Share;
    let series = ctx.series;
    let channel = series.share_channel_id()?;
    guard(ctx, guild, share, channel)?;
    let previous = held.get(action.key()).cloned();
    let earlier = previous
        .as_ref()
        .filter(|r| r.channel_id.as_deref() == Some(&channel.to_string()))
        .map(|r| r.message_ids.clone())
        .unwrap_or_default();
    // Earlier messages that may carry another URL (or whose edit was cut short) are edited
    // straight away: reading the channel back would only fetch the former URL.
    let direct =
        earlier.len() == contents.len() && !previous.as_ref().is_some_and(|r| shared(r, share.fingerprint));
    let existing = if direct {
        vec![None; contents.len()]
    } else {
        own_messages(ctx, channel, contents)?
    };
    // Until done, the record keeps the fingerprint of what the earlier messages carry.
    let mut record = Record::new(Outcome::Started, ctx.now);
    record.channel_id = Some(channel.to_string());
    record.nonce = Some(crate::discord::nonce(&key(ctx, share, "", 0)));
    record.fingerprint = previous.and_then(|r| r.fingerprint);
    record.message_ids = earlier.clone();
    held.record(action.key(), record.clone())?;
    let (ids, tally) = send(ctx, channel, &earlier, &existing, share, contents)?;
    record.message_ids = ids;
    record.fingerprint = Some(share.fingerprint.to_string());
    record.outcome = Outcome::Done;
    record.at = ctx.now;
    held.record(action.key(), record)?;
    Ok(ctx.report(action, Outcome::Done, detail(ctx, share, channel, &tally)))
}

/// Each message of the share: adopted when it is there as it should read, else delivered.
/// The ids of the messages that carry the share now, and what came of each.
fn send(
    ctx: &Ctx,
    channel: Snowflake,
    earlier: &[String],
    existing: &[Option<Message>],
    share: &Share,
    contents: &[String],
) -> Result<(Vec<String>, Tally), Error> {
    let mentions = Mentions {
        roles: vec![share.role.id],
        users: Vec::new(),
    };
    let mut tally = Tally::default();
    let mut ids = Vec::new();
    for (index, content) in contents.iter().enumerate() {
        let id = if let Some(found) = &existing[index] {
            tally.adopted += 1;
            Some(found.id)
        } else {
            let before = earlier.get(index).and_then(|id| id.parse().ok());
            deliver(
                ctx,
                channel,
                before,
                (index, content),
                share,
                &mentions,
                &mut tally,
            )?
        };
        ids.extend(id.map(|id| id.to_string()));
    }
    Ok((ids, tally))
}

/// One message of the share that is not in the channel as it should read: the earlier
/// message edited if there is one, else a new message. The message Discord returns for a
/// nonce is checked: one with other text is ours from before, and is edited too.
fn deliver(
    ctx: &Ctx,
    channel: Snowflake,
    earlier: Option<Snowflake>,
    (index, content): (usize, &String),
    share: &Share,
    mentions: &Mentions,
    tally: &mut Tally,
) -> Result<Option<Snowflake>, Error> {
    let client = ctx.client;
    if let Some(id) = earlier {
        match client.edit_message(channel, id, content, mentions) {
            Ok(_) => {
                tally.edited += 1;
                return Ok(Some(id));
            }
            // Deleted since: post anew.
            Err(e) if unknown_message(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut message = NewMessage::new(content.clone(), &key(ctx, share, "", index));
    message.mentions = mentions.clone();
    let Some(created) = client.create_message(channel, &message)? else {
        tally.posted += 1;
        return Ok(None);
    };
    if created.content == *content {
        tally.posted += 1;
    } else {
        client.edit_message(channel, created.id, content, mentions)?;
        tally.edited += 1;
    }
    Ok(Some(created.id))
}

fn unknown_message(error: &DiscordError) -> bool {
    error.api().is_some_and(|a| a.code == Some(10008))
}

/// The report line: exactly what reached the channel.
fn detail(ctx: &Ctx, share: &Share, channel: Snowflake, tally: &Tally) -> String {
    let would = |done: &str, dry: &str| if ctx.dry_run { dry } else { done }.to_string();
    let updated = if share.changed { "updated: " } else { "" };
    let role = &share.role.name;
    match tally {
        Tally {
            edited: 0, posted: 0, ..
        } => format!("the URL message is already in channel {channel}; adopted it"),
        Tally { posted: 0, .. } => format!(
            "{updated}{} the earlier share message in channel {channel} in place with the current viewer \
             URL (an edit pings no one)",
            would("edited", "would edit")
        ),
        Tally { edited: 0, .. } => format!(
            "{updated}{} the viewer URL in channel {channel}, pinging `{role}`",
            would("shared", "would share")
        ),
        Tally { edited, posted, .. } => format!(
            "{updated}{} {edited} earlier share message(s) in channel {channel} in place and posted {posted} \
             new, pinging `{role}`",
            would("edited", "would edit")
        ),
    }
}

/// Refuse, sending nothing, when anyone but the event role, the bot and administrators can
/// read the channel (for a thread: its parent).
fn guard(ctx: &Ctx, guild: &Guild, share: &Share, id: Snowflake) -> Result<(), Error> {
    let channel = ctx.client.channel(id)?;
    if channel.guild_id != Some(guild.id) {
        return Err(Error::ShareChannelElsewhere {
            channel: id,
            guild: guild.name.clone(),
        });
    }
    let parent = parent(ctx, &channel)?;
    let place = privacy::place(&channel, parent.as_ref());
    let server = privacy::Server {
        guild_id: guild.id,
        owner_id: guild.owner_id,
        roles: &guild.roles,
        bot: ctx.bot()?.id,
        event_role: Some(share.role.id),
    };
    let overwrites = &parent.as_ref().unwrap_or(&channel).permission_overwrites;
    let readers = privacy::outsiders(&server, overwrites);
    if readers.is_empty() {
        return Ok(());
    }
    Err(Error::SharePrivacy {
        why: readers.iter().map(|r| r.describe(&place)).collect(),
        fixes: readers.iter().map(|r| r.fix(&place)).collect(),
    })
}

/// A thread's parent channel, whose overwrites decide who reads the thread.
fn parent(ctx: &Ctx, channel: &Channel) -> Result<Option<Channel>, Error> {
    if !channel_type::is_thread(channel.kind) {
        return Ok(None);
    }
    let Some(parent) = channel.parent_id else {
        return Err(Error::ShareThreadOrphan { thread: channel.id });
    };
    Ok(Some(ctx.client.channel(parent)?))
}
