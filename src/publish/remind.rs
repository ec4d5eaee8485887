//! Reminders (`remind_before`): a short reply to the event post (in its thread for a forum
//! post) pinging the event role, with the start as a relative timestamp. Once per offset;
//! skipped, and recorded so, when nobody holds the role. Never the viewer URL.

use super::{ActionReport, Ctx, publish_since, texts};
use crate::discord::{DiscordError, Snowflake};
use crate::error::Error;
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};

pub fn remind(ctx: &Ctx, held: &mut Held, action: Action) -> Result<ActionReport, Error> {
    let key = action.record_key();
    if let Some(done) = held.get(&key).filter(|r| r.outcome == Outcome::Done) {
        return Ok(ctx.report(
            action,
            Outcome::Done,
            format!("already posted at {}", done.at.to_rfc3339()),
        ));
    }
    let guild = ctx.series.guild_id()?;
    let role = crate::roles::event_role(ctx.client, ctx.series, guild, &ctx.event.role_name())?;
    let holders = match &role {
        Some(role) => holders(ctx, guild, role.id)?,
        None => Some(0),
    };
    let Some(role) = role.filter(|_| holders != Some(0)) else {
        let reason = format!("nobody holds the role `{}` yet", ctx.event.role_name());
        let mut record = Record::new(Outcome::Skipped, ctx.now);
        record.detail = Some(reason.clone());
        held.record(&key, record)?;
        return Ok(ctx.report(action, Outcome::Skipped, reason));
    };
    let post = crate::roles::resolve_post(ctx.client, ctx.series, ctx.event, &held.ledger)?;
    let mut page = ctx.page();
    page.share.role_mention = format!("<@&{}>", role.id);
    let contents = texts(ctx, "remind.j2", &page)?;
    let Action::Remind(before) = action else {
        unreachable!("only reminders are sent here")
    };
    let due = (ctx.event.starts_at - before.delta()).to_utc();
    let (_, posted) = publish_since(ctx, held, action, post.channel, &contents, due, |mut m| {
        m.mentions.roles = vec![role.id];
        m.reply_to = Some(post.message);
        m
    })?;
    let verb = if ctx.dry_run { "would post" } else { "posted" };
    let detail = match posted {
        0 => format!("already in channel {}; adopted it", post.channel),
        _ => format!("{verb} the {before} reminder to channel {}", post.channel),
    };
    Ok(ctx.report(action, Outcome::Done, detail))
}

/// How many members hold `role`; `None` when the member list is closed to the bot (the
/// reminder is then sent, as nobody can tell).
fn holders(ctx: &Ctx, guild: Snowflake, role: Snowflake) -> Result<Option<usize>, Error> {
    match ctx.client.members(guild) {
        Ok(members) => Ok(Some(members.iter().filter(|m| m.roles.contains(&role)).count())),
        Err(error) if is_missing_access(&error) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

fn is_missing_access(error: &DiscordError) -> bool {
    error.api().is_some_and(|a| a.code == Some(50001))
}
