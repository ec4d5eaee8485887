//! The viewer URL, to the event role's holders only: one message in the share channel that
//! pings the role, or a direct message to each holder. A changed URL reaches them too.

mod channel;
mod dm;

use super::{ActionReport, Ctx, nonce_key, texts};
use crate::config::Config;
use crate::discord::{Role, Snowflake};
use crate::error::Error;
use crate::event::{Event, Series, ShareMode};
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};
use crate::viewer_url::{self, ViewerUrl};

/// Share now. Without `force`, a share already done with this very URL is not repeated; with
/// it, the channel is looked at again. A URL that changed since the share is shared again:
/// the earlier channel message is edited in place, or each holder gets a new DM.
pub fn share(ctx: &Ctx, held: &mut Held, force: bool) -> Result<ActionReport, Error> {
    let action = Action::Share;
    // Read and check the URL before anything is sent, and keep it out of every log line.
    let url = viewer_url::load(ctx.event, |name| ctx.config.env_var(name))?;
    ctx.client.add_secret(url.expose());
    let fingerprint = fingerprint(ctx.series, ctx.event, &url);
    if !force && let Some(done) = held.get(action.key()).filter(|r| shared(r, &fingerprint)) {
        return Ok(ctx.report(
            action,
            Outcome::Done,
            format!("already shared at {}", done.at.to_rfc3339()),
        ));
    }
    let series = ctx.series;
    let guild_id = series.guild_id()?;
    let mut guild = ctx.client.guild(guild_id)?;
    // Roles of the event's name made by two machines at once are merged into the oldest first.
    let merged =
        crate::roles::event_role_among(ctx.client, series, guild_id, &ctx.event.role_name(), &guild.roles)?;
    if !merged.deleted.is_empty() {
        guild = ctx.client.guild(guild_id)?;
    }
    let role = merged.keep.ok_or_else(|| no_role(ctx))?;
    let mut page = ctx.page();
    page.share.url = url.expose().to_string();
    let share = Share {
        role: &role,
        fingerprint: &fingerprint,
        // The URL was shared before, and this one is another.
        changed: held
            .get(action.key())
            .and_then(|r| r.fingerprint.as_deref())
            .is_some_and(|f| f != fingerprint),
    };
    match ctx.event.policy.share_mode {
        ShareMode::Channel => {
            page.share.role_mention = format!("<@&{}>", role.id);
            let contents = texts(ctx, "share.j2", &page)?;
            channel::share(ctx, held, &guild, &share, &contents)
        }
        ShareMode::Dm => {
            let contents = texts(ctx, "share.j2", &page)?;
            dm::share(ctx, held, guild_id, &share, &contents)
        }
    }
}

/// What is being shared, beside the text.
struct Share<'a> {
    role: &'a Role,
    fingerprint: &'a str,
    changed: bool,
}

/// Whether the URL source now gives another URL than the one the done share carried: `tick`
/// shares again then, until the event ends. Quiet when the URL cannot be read (a done share
/// stays done) and for ledgers from before fingerprints.
pub fn url_changed(config: &Config, series: &Series, event: &Event, record: &Record) -> bool {
    let Some(shared) = record.fingerprint.as_deref() else {
        return false;
    };
    record.outcome == Outcome::Done
        && viewer_url::load(event, |name| config.env_var(name))
            .is_ok_and(|url| fingerprint(series, event, &url) != shared)
}

fn fingerprint(series: &Series, event: &Event, url: &ViewerUrl) -> String {
    url.fingerprint(&nonce_key(series, event, Action::Share, 0))
}

/// A done share of this URL (a ledger from before fingerprints counts as this URL).
fn shared(record: &Record, fingerprint: &str) -> bool {
    record.outcome == Outcome::Done && record.fingerprint.as_deref().is_none_or(|f| f == fingerprint)
}

/// The event role, which `roles` creates: sharing before it exists would reach nobody. Roles of
/// its name made by two machines at once are merged into the oldest first.
pub fn event_role(ctx: &Ctx, guild: Snowflake) -> Result<Role, Error> {
    crate::roles::event_role(ctx.client, ctx.series, guild, &ctx.event.role_name())?
        .ok_or_else(|| no_role(ctx))
}

fn no_role(ctx: &Ctx) -> Error {
    Error::NoEventRole {
        role: ctx.event.role_name(),
        event: ctx.event.id.clone(),
    }
}

/// The nonce key of message `index` of this share: a changed URL gets other nonces, so
/// Discord never hands back the message that carried the old one.
fn key(ctx: &Ctx, share: &Share, scope: &str, index: usize) -> String {
    let short = &share.fingerprint[..16];
    format!("{}{scope}/{index}/{short}", ctx.key(Action::Share, 0))
}
