//! The share as a direct message to each holder of the event role. A holder is messaged only
//! when neither the ledger nor their DM channel shows our message with this text: a crash
//! mid-loop, or a lost ledger, never sends a DM twice.

use super::{Share, key};
use crate::discord::{NewMessage, Snowflake};
use crate::error::Error;
use crate::publish::{ActionReport, Ctx, own_messages};
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};

/// How one holder's DM went.
enum Sent {
    Sent,
    /// Already in their DM channel (a run that died before writing the ledger).
    Found,
}

/// One direct message per holder; a closed DM (50007) is reported for that user and the others
/// still get theirs. Holders already reached with this URL are skipped on a re-run.
pub(super) fn share(
    ctx: &Ctx,
    held: &mut Held,
    guild: Snowflake,
    share: &Share,
    contents: &[String],
) -> Result<ActionReport, Error> {
    let action = Action::Share;
    let mut record = held
        .get(action.key())
        .cloned()
        .unwrap_or_else(|| Record::new(Outcome::Started, ctx.now));
    if record.fingerprint.as_deref() != Some(share.fingerprint) {
        // Reached with another URL (or unknown which): each holder gets this one.
        record.delivered.clear();
        record.fingerprint = Some(share.fingerprint.to_string());
    }
    record.outcome = Outcome::Started;
    held.record(action.key(), record.clone())?;
    let holders: Vec<Snowflake> = ctx
        .client
        .members(guild)?
        .into_iter()
        .filter(|m| m.roles.contains(&share.role.id))
        .filter_map(|m| m.user.map(|u| u.id))
        .collect();
    let mut closed = Vec::new();
    let (mut sent, mut found) = (0, 0);
    let pending: Vec<Snowflake> = holders
        .iter()
        .copied()
        .filter(|u| !record.delivered.contains(&u.to_string()))
        .collect();
    for user in pending {
        match send_dm(ctx, user, share, contents) {
            Ok(how) => {
                match how {
                    Sent::Sent => sent += 1,
                    Sent::Found => found += 1,
                }
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
    let verb = if ctx.dry_run { "would send" } else { "sent" };
    let mut detail = format!(
        "{}{verb} the viewer URL by DM to {sent} of {} holder(s) of `{}`",
        if share.changed { "updated: " } else { "" },
        holders.len(),
        share.role.name
    );
    if found > 0 {
        detail.push_str(&format!("; {found} already had it in their DMs (not sent again)"));
    }
    if !closed.is_empty() {
        detail.push_str(&format!(
            "; {} have DMs closed: {}",
            closed.len(),
            closed.join(", ")
        ));
    }
    Ok(ctx.report(action, record.outcome, detail))
}

/// The DM channel is Discord's one channel with the user; what we sent there before is in its
/// history, whatever the ledger says.
fn send_dm(ctx: &Ctx, user: Snowflake, share: &Share, contents: &[String]) -> Result<Sent, Error> {
    let Some(dm) = ctx.client.create_dm(user)? else {
        return Ok(Sent::Sent);
    };
    let existing = own_messages(ctx, dm.id, contents)?;
    if existing.iter().all(Option::is_some) {
        return Ok(Sent::Found);
    }
    for (index, content) in contents.iter().enumerate() {
        if existing[index].is_some() {
            continue;
        }
        let nonce = key(ctx, share, &format!("/dm/{user}"), index);
        ctx.client
            .create_message(dm.id, &NewMessage::new(content.clone(), &nonce))?;
    }
    Ok(Sent::Sent)
}
