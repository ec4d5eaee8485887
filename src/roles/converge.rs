//! Two machines that run `roles` at the same minute (host cron and a CI backstop, each with its
//! own ledger) may both create the event role. Without talking to each other they settle on the
//! same one: the oldest (lowest id) of the roles with the event's name that no integration
//! manages. The newer ones' holders are granted the oldest first, the share channel lets the
//! oldest in, and only then are the newer ones deleted. Every step can be repeated, and a 404
//! on a newer role or its overwrite means the other machine got there first.

use crate::discord::{Client, DiscordError, Permissions, Role, Snowflake};
use crate::error::RolesError;
use crate::event::Series;
use crate::privacy::SHARE_ALLOW;

const UNKNOWN_MEMBER: u64 = 10007;
const UNKNOWN_OVERWRITE: u64 = 10009;
const UNKNOWN_ROLE: u64 = 10011;
const MISSING_ACCESS: u64 = 50001;

/// The roles taken for the event role `name`: every role of exactly that name that no
/// integration manages, oldest first.
pub fn candidates<'a>(roles: &'a [Role], name: &str) -> Vec<&'a Role> {
    let mut found: Vec<&Role> = roles.iter().filter(|r| r.name == name && !r.managed).collect();
    found.sort_by_key(|r| r.id);
    found
}

/// What a merge found and did.
#[derive(Debug, Default)]
pub struct Merged {
    /// The oldest role of the name, the one to use; `None` when there is none.
    pub keep: Option<Role>,
    /// Newer roles deleted (in a dry run: to be deleted), or found already deleted.
    pub deleted: Vec<Snowflake>,
    /// Holders of a newer role who were granted the oldest.
    pub moved: usize,
}

impl Merged {
    /// What was done, in words, when there was anything to merge.
    pub fn note(&self, name: &str, dry_run: bool) -> Option<String> {
        let keep = self.keep.as_ref()?;
        if self.deleted.is_empty() {
            return None;
        }
        let (grant, delete) = if dry_run {
            ("would grant", "would delete")
        } else {
            ("granted", "deleted")
        };
        Some(format!(
            "{} roles were named `{name}`: kept the oldest ({}), {grant} it to {} holder(s) of the \
             newer, {delete} {}",
            self.deleted.len() + 1,
            keep.id,
            self.moved,
            ids(&self.deleted)
        ))
    }
}

/// The event role `name` among `roles` once the newer duplicates are merged into the oldest;
/// `share` is the share channel whose overwrite moves with them.
pub fn merge(
    client: &Client,
    guild: Snowflake,
    name: &str,
    share: Option<Snowflake>,
    roles: &[Role],
) -> Result<Merged, RolesError> {
    let found = candidates(roles, name);
    let Some((keep, newer)) = found.split_first() else {
        return Ok(Merged::default());
    };
    let newer: Vec<Snowflake> = newer.iter().map(|r| r.id).collect();
    let mut merged = Merged {
        keep: Some((*keep).clone()),
        ..Merged::default()
    };
    if newer.is_empty() {
        return Ok(merged);
    }
    merged.moved =
        move_holders(client, guild, keep.id, &newer).map_err(|e| refused(e, name, keep.id, &newer))?;
    if let Some(share) = share {
        move_overwrite(client, share, keep.id, &newer).map_err(|e| e.about_role(name))?;
    }
    for role in newer {
        gone(client.delete_role(guild, role), UNKNOWN_ROLE).map_err(|e| e.about_role(name))?;
        merged.deleted.push(role);
    }
    Ok(merged)
}

/// The event role `name`: the oldest role of that name, once the newer ones are merged into
/// it; `None` when there is none.
pub fn event_role(
    client: &Client,
    series: &Series,
    guild: Snowflake,
    name: &str,
) -> Result<Option<Role>, RolesError> {
    let roles = client.roles(guild)?;
    Ok(event_role_among(client, series, guild, name, &roles)?.keep)
}

/// The event role `name` among `roles` (already read), once the newer ones are merged into
/// the oldest; `deleted` tells the caller that what it read of the guild is out of date.
pub fn event_role_among(
    client: &Client,
    series: &Series,
    guild: Snowflake,
    name: &str,
    roles: &[Role],
) -> Result<Merged, RolesError> {
    merge(client, guild, name, share_channel(series), roles)
}

/// After creating `created`, read the roles again: when another machine created one at the
/// same time, both settle on the oldest, which may be the other's.
pub fn settle(
    client: &Client,
    guild: Snowflake,
    name: &str,
    share: Option<Snowflake>,
    created: Snowflake,
) -> Result<(Option<Snowflake>, Merged), RolesError> {
    let roles = client.roles(guild)?;
    let merged = merge(client, guild, name, share, &roles)?;
    let keep = merged.keep.as_ref().map_or(created, |r| r.id);
    Ok((Some(keep), merged))
}

/// The share channel, when configured (`share_overwrite` reports otherwise).
pub fn share_channel(series: &Series) -> Option<Snowflake> {
    series.discord.share_channel_id
}

/// Grant `keep` to every member who holds one of `newer` but not `keep`.
fn move_holders(
    client: &Client,
    guild: Snowflake,
    keep: Snowflake,
    newer: &[Snowflake],
) -> Result<usize, DiscordError> {
    let mut moved = 0;
    for member in client.members(guild)? {
        let Some(user) = member.user.as_ref().map(|u| u.id) else {
            continue;
        };
        if member.roles.contains(&keep) || !newer.iter().any(|r| member.roles.contains(r)) {
            continue;
        }
        gone(client.add_member_role(guild, user, keep), UNKNOWN_MEMBER)?;
        moved += 1;
    }
    Ok(moved)
}

/// Where a newer role has an overwrite in the share channel: let `keep` in, then remove theirs.
fn move_overwrite(
    client: &Client,
    share: Snowflake,
    keep: Snowflake,
    newer: &[Snowflake],
) -> Result<(), DiscordError> {
    let channel = client.channel(share)?;
    let has = |id: Snowflake| channel.permission_overwrites.iter().any(|o| o.id == id);
    let stale: Vec<Snowflake> = newer.iter().copied().filter(|r| has(*r)).collect();
    if stale.is_empty() {
        return Ok(());
    }
    if !has(keep) {
        client.put_role_overwrite(share, keep, SHARE_ALLOW, Permissions::NONE)?;
    }
    for role in stale {
        gone(client.delete_overwrite(share, role), UNKNOWN_OVERWRITE)?;
    }
    Ok(())
}

/// A 404 with `code`: already gone, as wanted.
fn gone(result: Result<(), DiscordError>, code: u64) -> Result<(), DiscordError> {
    match result {
        Err(e) if e.api().is_some_and(|a| a.status == 404 && a.code == Some(code)) => Ok(()),
        other => other,
    }
}

/// Without the member list the newer roles' holders cannot be found, so nothing is deleted.
fn refused(error: DiscordError, name: &str, keep: Snowflake, newer: &[Snowflake]) -> RolesError {
    if error.api().is_some_and(|a| a.code == Some(MISSING_ACCESS)) {
        return RolesError::MergeNeedsMembers {
            role: name.to_string(),
            keep: keep.to_string(),
            newer: ids(newer),
        };
    }
    error.about_role(name).into()
}

fn ids(roles: &[Snowflake]) -> String {
    roles
        .iter()
        .map(Snowflake::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(id: u64, name: &str, managed: bool) -> Role {
        serde_json::from_value(serde_json::json!({
            "id": id.to_string(), "name": name, "position": 1, "permissions": "0", "managed": managed,
        }))
        .unwrap()
    }

    #[test]
    fn the_oldest_unmanaged_role_of_the_exact_name_comes_first() {
        let roles = [
            role(9, "2026-02-17", false),
            role(3, "2026-02-17", true),
            role(7, "2026-02-17", false),
            role(5, "2026-02-17 ", false),
        ];
        let ids: Vec<u64> = candidates(&roles, "2026-02-17").iter().map(|r| r.id.0).collect();
        assert_eq!(ids, [7, 9]);
    }

    #[test]
    fn the_note_says_what_was_kept_and_deleted() {
        let merged = Merged {
            keep: Some(role(7, "x", false)),
            deleted: vec![Snowflake(9)],
            moved: 2,
        };
        assert_eq!(
            merged.note("x", false).unwrap(),
            "2 roles were named `x`: kept the oldest (7), granted it to 2 holder(s) of the newer, deleted 9"
        );
        assert_eq!(Merged::default().note("x", false), None);
    }
}
