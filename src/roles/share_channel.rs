//! Closing the share channel to the roles of events that have ended. `roles` lets each event's
//! role read the share channel and nothing else takes that back, so by the next event the last
//! one's holders could read its viewer URL (and the share is refused for it). Only overwrites of
//! roles named for this series' ended events go: any other overwrite is the organizer's, which
//! the share refuses while it lets readers in and `doctor` explains.

use chrono::{DateTime, Utc};

use super::report::{Closed, Failure, RolesReport};
use crate::discord::{Channel, Client, DiscordError, OverwriteType, Permissions, Role, Snowflake};
use crate::event::{Event, Series};
use crate::privacy;

/// Remove from the share channel the overwrite that lets in a role of an event of `events` that
/// has ended (see [`privacy::ended_roles`]); each removal (in a dry run, each planned one) is
/// listed in `report.closed`. A failure is reported, not fatal. Sends nothing when there is
/// nothing to close, so a second run writes nothing.
pub fn close_ended(
    client: &Client,
    series: &Series,
    events: &[Event],
    now: DateTime<Utc>,
    report: &mut RolesReport,
) {
    let Some(share) = series.discord.share_channel_id else {
        // The role run has said so in its notes.
        return;
    };
    let ended = privacy::ended_roles(events, &report.role.name, &now);
    if ended.is_empty() {
        return;
    }
    let audience = report.role.id.as_deref().and_then(|id| id.parse().ok());
    let result = client.channel(share).and_then(|channel| {
        let open = letting_in(&channel, audience);
        if open.is_empty() {
            return Ok(Vec::new());
        }
        let roles = match channel.guild_id {
            Some(guild) => client.roles(guild)?,
            None => Vec::new(),
        };
        let label = privacy::place(&channel, None);
        Ok(open
            .into_iter()
            .filter_map(|id| roles.iter().find(|r| r.id == id))
            .filter_map(|role| {
                let event = ended.get(&role.name)?;
                Some((role.clone(), closed(&label, role, event)))
            })
            .collect())
    });
    match result {
        Ok(targets) => remove(client, share, targets, report),
        Err(error) => report.failures.push(failure(&error)),
    }
}

/// The roles other than the audience whose overwrite lets them view the channel.
fn letting_in(channel: &Channel, audience: Option<Snowflake>) -> Vec<Snowflake> {
    channel
        .permission_overwrites
        .iter()
        .filter(|o| o.kind == OverwriteType::Role && Some(o.id) != audience)
        .filter(|o| o.allow.contains(Permissions::VIEW_CHANNEL))
        .map(|o| o.id)
        .collect()
}

fn remove(client: &Client, share: Snowflake, targets: Vec<(Role, Closed)>, report: &mut RolesReport) {
    for (role, closed) in targets {
        match client
            .delete_overwrite(share, role.id)
            .map_err(|e| e.about_role(&role.name))
        {
            Ok(()) => report.closed.push(closed),
            Err(error) => report.failures.push(failure(&error)),
        }
    }
}

fn closed(channel: &str, role: &Role, event: &str) -> Closed {
    Closed {
        channel: channel.to_string(),
        role: role.name.clone(),
        role_id: role.id.to_string(),
        event: event.to_string(),
    }
}

fn failure(error: &DiscordError) -> Failure {
    Failure {
        action: "closing the share channel",
        user_id: None,
        error: error.to_string(),
        hint: error.hint(),
    }
}
