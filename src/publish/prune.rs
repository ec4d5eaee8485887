//! Deleting an event's role once it is no longer needed (`role_retention` after the end, or
//! `roles prune`): only a role tsudoi created, recorded in the ledger; never an adopted one, and
//! never one another event that is not retired yet uses by name. Exactly once: the ledger
//! records the deletion, and a role already gone counts as deleted.

use chrono::{DateTime, Utc};

use super::{ActionReport, Ctx};
use crate::discord::Snowflake;
use crate::error::Error;
use crate::event::{Event, ROLE_PLACEHOLDERS, Status};
use crate::schedule::timeline::Action;
use crate::state::{Held, Outcome, Record};

const ACTION: Action = Action::RolePrune;

pub fn prune(ctx: &Ctx, held: &mut Held) -> Result<ActionReport, Error> {
    let event = ctx.event;
    let Some(mut role) = held.ledger.role.clone() else {
        return settle(
            ctx,
            held,
            Outcome::Done,
            "no event role recorded: nothing to delete".into(),
        );
    };
    if let Some(at) = role.pruned_at {
        return Ok(ctx.report(ACTION, Outcome::Done, format!("deleted at {}", at.to_rfc3339())));
    }
    let name = event.role_name();
    if !role.created_by_tsudoi {
        return settle(
            ctx,
            held,
            Outcome::Done,
            format!("kept `{name}`: tsudoi did not create it"),
        );
    }
    if !ROLE_PLACEHOLDERS
        .iter()
        .any(|p| event.policy.role_name.contains(p))
    {
        let why = format!("kept `{name}`: every event's role has this name (`role_name` has no placeholder)");
        return settle(ctx, held, Outcome::Done, why);
    }
    let guild = ctx.series.guild_id()?;
    let id: Snowflake = role.id.parse().map_err(|_| Error::DamagedLedger {
        path: std::path::PathBuf::from(format!(".state/{}.toml", event.id)),
        reason: format!("role id `{}` is not a Discord id", role.id),
    })?;
    let roles = ctx.client.roles(guild)?;
    let found = roles.iter().find(|r| r.id == id);
    if let Some(found) = found
        && let Some(other) = sharing(ctx.events, event, &found.name, ctx.now)
    {
        let why = format!(
            "kept `{}`: it is also the role of {other}, which is not retired yet",
            found.name
        );
        return settle(ctx, held, Outcome::Skipped, why);
    }
    let detail = match found {
        None => format!("`{name}` ({id}) was already gone"),
        Some(_) => {
            held.record(&ACTION.record_key(), Record::new(Outcome::Started, ctx.now))?;
            match ctx.client.delete_role(guild, id) {
                Err(e) if e.api().is_some_and(|a| a.code == Some(10011)) => {}
                result => result?,
            }
            let verb = if ctx.dry_run { "would delete" } else { "deleted" };
            format!("{verb} `{name}` ({id})")
        }
    };
    role.pruned_at = Some(ctx.now);
    held.ledger.role = Some(role);
    settle(ctx, held, Outcome::Done, detail)
}

/// Another event, not retired yet, whose role has this name.
fn sharing<'e>(events: &'e [Event], event: &Event, name: &str, now: DateTime<Utc>) -> Option<&'e str> {
    events
        .iter()
        .filter(|e| e.id != event.id && e.status != Status::Cancelled)
        .filter(|e| e.role_name() == name)
        .find(|e| !retired(e, now))
        .map(|e| e.id.as_str())
}

/// An event whose role may go: ended, and its retention passed.
pub fn retired(event: &Event, now: DateTime<Utc>) -> bool {
    event
        .policy
        .role_retention
        .is_some_and(|keep| event.ends_at + keep.delta() <= now)
}

fn settle(ctx: &Ctx, held: &mut Held, outcome: Outcome, detail: String) -> Result<ActionReport, Error> {
    let mut record = Record::new(outcome, ctx.now);
    record.detail = Some(detail.clone());
    held.record(&ACTION.record_key(), record)?;
    Ok(ctx.report(ACTION, outcome, detail))
}
