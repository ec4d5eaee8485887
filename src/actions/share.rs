//! The viewer URL, to the event role's holders only: one message in the share channel that
//! pings the role, or a direct message to each holder.

use super::{Ctx, Report, publish, texts};
use crate::commands::discord_id;
use crate::discord::{NewMessage, Role, Snowflake};
use crate::error::Error;
use crate::event::ShareMode;
use crate::schedule::actions::Action;
use crate::state::{Held, Outcome, Record};
use crate::viewer_url;

/// Share now. Without `force`, a share already done is not repeated; with it, the message is
/// posted again unless the very same message is already in the channel.
pub fn share(ctx: &Ctx, held: &mut Held, force: bool) -> Result<Report, Error> {
    let action = Action::Share;
    // Read and check the URL before anything is sent, and keep it out of every log line.
    let url = viewer_url::load(ctx.event, |name| ctx.config.env_var(name))?;
    ctx.client.add_secret(url.expose());
    if !force && let Some(done) = held.get(action.key()).filter(|r| r.outcome == Outcome::Done) {
        return Ok(ctx.report(
            action,
            Outcome::Done,
            format!("already shared at {}", done.at.to_rfc3339()),
        ));
    }
    let series = ctx.series;
    let guild = discord_id(series, "guild_id", &series.discord.guild_id)?;
    let role = event_role(ctx, guild)?;
    let mut page = ctx.page();
    page.share.role_mention = format!("<@&{}>", role.id);
    page.share.url = url.expose().to_string();
    match ctx.event.policy.share_mode {
        ShareMode::Channel => {
            let channel = discord_id(series, "share_channel_id", &series.discord.share_channel_id)?;
            let contents = texts(ctx, "share.j2", &page)?;
            let (_, posted) = publish(ctx, held, action, channel, &contents, |mut m| {
                m.mentions.roles = vec![role.id];
                m
            })?;
            let verb = if ctx.dry_run { "would share" } else { "shared" };
            let detail = match posted {
                0 => format!("the URL message is already in channel {channel}; adopted it"),
                _ => format!(
                    "{verb} the viewer URL in channel {channel}, pinging `{}`",
                    role.name
                ),
            };
            Ok(ctx.report(action, Outcome::Done, detail))
        }
        ShareMode::Dm => {
            page.share.role_mention = String::new();
            let contents = texts(ctx, "share.j2", &page)?;
            direct(ctx, held, guild, &role, &contents)
        }
    }
}

/// The event role, which `roles` creates: sharing before it exists would reach nobody. Roles of
/// its name made by two machines at once are merged into the oldest first.
pub fn event_role(ctx: &Ctx, guild: Snowflake) -> Result<Role, Error> {
    let name = ctx.event.role_name();
    crate::roles::event_role(ctx.client, ctx.series, guild, &name)
        .map_err(Error::from)?
        .ok_or_else(|| {
            Error::invalid(
                format!("the role `{name}` does not exist yet, so nobody would receive the URL"),
                format!("run `tsudoi roles {}` first", ctx.event.id),
            )
        })
}

/// One direct message per holder; a closed DM (50007) is reported for that user and the others
/// still get theirs. Holders already reached are skipped on a re-run.
fn direct(
    ctx: &Ctx,
    held: &mut Held,
    guild: Snowflake,
    role: &Role,
    contents: &[String],
) -> Result<Report, Error> {
    let action = Action::Share;
    let mut record = held
        .get(action.key())
        .cloned()
        .unwrap_or_else(|| Record::new(Outcome::Started, ctx.now));
    record.outcome = Outcome::Started;
    held.record(action.key(), record.clone())?;
    let holders: Vec<Snowflake> = ctx
        .client
        .members(guild)?
        .into_iter()
        .filter(|m| m.roles.contains(&role.id))
        .filter_map(|m| m.user.map(|u| u.id))
        .collect();
    let mut closed = Vec::new();
    let mut sent = 0;
    let pending: Vec<Snowflake> = holders
        .iter()
        .copied()
        .filter(|u| !record.delivered.contains(&u.to_string()))
        .collect();
    for user in pending {
        match send_dm(ctx, user, contents) {
            Ok(()) => {
                sent += 1;
                if !ctx.dry_run {
                    record.delivered.push(user.to_string());
                    held.record(action.key(), record.clone())?;
                }
            }
            Err(Error::Discord(e)) if e.api().is_some_and(|a| a.code == Some(50007)) => {
                closed.push(user.to_string())
            }
            Err(e) => return Err(e),
        }
    }
    record.outcome = if closed.is_empty() {
        Outcome::Done
    } else {
        Outcome::Failed
    };
    record.at = ctx.now;
    record.detail = (!closed.is_empty()).then(|| format!("DMs closed: {}", closed.join(", ")));
    held.record(action.key(), record.clone())?;
    let mut detail = format!(
        "sent the viewer URL by DM to {sent} of {} holder(s) of `{}`",
        holders.len(),
        role.name
    );
    if !closed.is_empty() {
        detail.push_str(&format!(
            "; {} have DMs closed: {}",
            closed.len(),
            closed.join(", ")
        ));
    }
    Ok(ctx.report(action, record.outcome, detail))
}

fn send_dm(ctx: &Ctx, user: Snowflake, contents: &[String]) -> Result<(), Error> {
    let Some(dm) = ctx.client.create_dm(user)? else {
        return Ok(());
    };
    for (index, content) in contents.iter().enumerate() {
        let key = format!("{}/dm/{user}/{index}", ctx.key(Action::Share, 0));
        ctx.client
            .create_message(dm.id, &NewMessage::new(content.clone(), &key))?;
    }
    Ok(())
}
