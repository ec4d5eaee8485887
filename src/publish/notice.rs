//! Short notices from templates: on air (to the share channel, pinging the role) and
//! sign-ups closed (a reply to the event post in the sign-up channel).

use super::{ActionReport, Ctx, publish, texts};
use crate::error::Error;
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome};

/// The notices, a closed set: each is one timed action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The stream is open: to the share channel, pinging the event role.
    Onair,
    /// Sign-ups are closed: a reply to the event post.
    Close,
}

impl Notice {
    pub fn action(self) -> Action {
        match self {
            Self::Onair => Action::Onair,
            Self::Close => Action::Close,
        }
    }
}

pub fn notice(ctx: &Ctx, held: &mut Held, notice: Notice) -> Result<ActionReport, Error> {
    let action = notice.action();
    if let Some(done) = held.get(action.key()).filter(|r| r.outcome == Outcome::Done) {
        return Ok(ctx.report(
            action,
            Outcome::Done,
            format!("already posted at {}", done.at.to_rfc3339()),
        ));
    }
    let series = ctx.series;
    let mut page = ctx.page();
    let (channel, contents, role, reply_to) = match notice {
        Notice::Onair => {
            let guild = series.guild_id()?;
            let role = super::share::event_role(ctx, guild)?;
            page.share.role_mention = format!("<@&{}>", role.id);
            let channel = series.share_channel_id()?;
            (channel, texts(ctx, "onair.j2", &page)?, Some(role.id), None)
        }
        Notice::Close => {
            let (channel, post) = post_location(ctx, held)?;
            (channel, texts(ctx, "closed.j2", &page)?, None, post)
        }
    };
    let (_, posted) = publish(ctx, held, action, channel, &contents, |mut m| {
        m.mentions.roles = role.into_iter().collect();
        m.reply_to = reply_to;
        m
    })?;
    let verb = if ctx.dry_run { "would post" } else { "posted" };
    let detail = match posted {
        0 => format!("already in channel {channel}; adopted it"),
        _ => format!("{verb} the {} to channel {channel}", action.label()),
    };
    Ok(ctx.report(action, Outcome::Done, detail))
}

/// Where the event post is: its channel (a thread for a forum post) and its first message.
fn post_location(
    ctx: &Ctx,
    held: &Held,
) -> Result<(crate::discord::Snowflake, Option<crate::discord::Snowflake>), Error> {
    let series = ctx.series;
    let signup = series.signup_channel_id()?;
    if let Some(id) = ctx.event.post_id {
        return Ok((signup, Some(id)));
    }
    let record = held
        .get(Action::Post.key())
        .filter(|r| r.outcome == Outcome::Done);
    let channel = record
        .and_then(|r| r.channel_id.as_deref())
        .and_then(|c| c.parse().ok())
        .unwrap_or(signup);
    let message = record
        .and_then(|r| r.message_ids.first())
        .and_then(|m| m.parse().ok());
    Ok((channel, message))
}
