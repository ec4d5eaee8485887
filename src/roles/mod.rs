//! `roles`: who gets the event role, and giving it to them. Reads the sign-ups under the event
//! post, decides with the pure rules in [`crate::signup`], then makes the few writes still
//! needed: the role when missing, the share channel's overwrite when missing, the bot's
//! reaction on each accepted declaration, and the grants. Nothing is printed here but the
//! progress bar; the command (and `tick`) print the [`RolesReport`].

mod act;
mod attendance;
mod converge;
pub(crate) mod members;
mod read;
pub(crate) mod report;
pub(crate) mod share_channel;
pub(crate) mod signup_post;
pub(crate) mod why;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::discord::{Client, Guild, Member, Role, Snowflake, User};
use crate::event::{Approval, Event, Series, SignupMode};
use crate::signup::{self, Decision, Verdict};
use crate::state::Ledger;

pub use crate::error::RolesError;
pub use converge::{event_role, event_role_among};
pub use report::{Closed, Counts, Failure, GrantOutcome, RolesReport, Row, Writes};
pub use share_channel::close_ended;
pub use signup_post::{PostRef, resolve as resolve_post};

use act::{Applied, Step, Target};
use read::Gathered;

/// What one role run is for: the event, its post, and the client to write with.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub client: &'a Client,
    pub series: &'a Series,
    pub event: &'a Event,
    pub post: &'a PostRef,
    pub now: DateTime<Utc>,
    /// Draw a bar on stderr; only when stderr is a terminal.
    pub progress: bool,
}

/// One role run for `run.event`, whose post is `run.post`. The caller holds the event's lock
/// and owns the ledger (reaction sign-ups record when each user was first seen in it).
pub fn run(run: &Run, ledger: &mut Ledger) -> Result<RolesReport, RolesError> {
    let Run {
        client,
        series,
        event,
        post,
        now,
        progress,
    } = *run;
    client.set_reason("roles", Some(&event.id));
    let guild_id = series.guild_id()?;
    let policy = &event.policy;
    let role_name = event.role_name();
    let bot = client.current_user()?;
    let guild = client.guild_with_counts(guild_id)?;
    let gathered = match policy.signup_mode {
        SignupMode::Reply => read::replies(client, post)?,
        SignupMode::Reaction => read::reactions(client, post, bot.id, policy, ledger, now)?,
        SignupMode::Interested => read::interested(client, guild_id, event, bot.id, ledger, now)?,
    };
    let declared: Vec<&signup::Message> = match policy.signup_mode {
        SignupMode::Reply => signup::declarations(&gathered.messages, &policy.signup_keywords),
        SignupMode::Reaction | SignupMode::Interested => gathered.messages.iter().collect(),
    };
    let share = converge::share_channel(series);
    let merged = converge::merge(client, guild_id, &role_name, share, &guild.roles)?;
    let existing = guild
        .roles
        .iter()
        .filter(|r| r.name == role_name && !merged.deleted.contains(&r.id))
        .min_by_key(|r| r.id);
    let (fetch, mut roster) = load_members(
        client,
        &guild,
        &bot,
        &declared,
        policy.boosters_join_without_signup,
    )?;
    let bot_member = match roster.get(&bot.id) {
        Some(member) => member.clone(),
        None => client.member(guild_id, bot.id)?,
    };
    check_hierarchy(&guild, &bot, &bot_member, existing)?;
    let approved = match (policy.signup_mode, policy.approval) {
        (SignupMode::Reply, Approval::AdminReaction) => Some(approvals(
            client,
            guild_id,
            &gathered,
            &declared,
            event,
            &mut roster,
        )?),
        _ => None,
    };
    let rules = rules(event, approved.as_ref());
    let facts: BTreeMap<String, signup::Member> = roster
        .values()
        .map(|m| members::facts(m, existing.map(|r| r.id)))
        .map(|f| (f.user_id.clone(), f))
        .collect();
    let verdicts = signup::decide(&rules, &declared, &facts);

    let (role_id, role_created) = act::ensure_role(client, guild_id, &role_name, existing)?;
    let (role_id, merged_after) = match role_id.filter(|_| role_created) {
        Some(created) => converge::settle(client, guild_id, &role_name, share, created)?,
        None => (role_id, converge::Merged::default()),
    };
    let mut report = RolesReport {
        event: event.id.clone(),
        role: report::RoleState {
            name: role_name.clone(),
            id: role_id.map(|r| r.to_string()),
        },
        post: *post,
        deadline: rules.deadline,
        members: fetch,
        dry_run: client.is_dry_run(),
        users: verdicts.iter().map(row).collect(),
        counts: Counts::default(),
        writes: Writes::default(),
        failures: Vec::new(),
        closed: Vec::new(),
        notes: [&merged, &merged_after]
            .iter()
            .filter_map(|m| m.note(&role_name, client.is_dry_run()))
            .collect(),
    };
    let overwrite_added = share_overwrite(client, series, role_id, &role_name, &mut report);
    let emoji = &policy.accept_emoji;
    let reacts = policy.signup_mode == SignupMode::Reply && policy.approval == Approval::Auto;
    let steps = steps(&verdicts, &gathered, reacts.then_some(emoji.as_str()));
    let target = Target {
        guild: guild_id,
        role: role_id,
        role_name: &role_name,
        emoji,
    };
    let applied = act::apply(client, &target, &steps, &mut report.users, progress);
    let applied = regrant(client, series, target, applied, &mut report);
    report.writes = Writes {
        role_created,
        overwrite_added: overwrite_added || applied.writes.overwrite_added,
        roles_deleted: merged.deleted.len() + merged_after.deleted.len(),
        ..applied.writes
    };
    report.failures.extend(applied.failures);
    report.count();
    let role = report.role.id.as_deref().and_then(|id| id.parse().ok());
    attendance::record(
        ledger,
        &report,
        &gathered.messages,
        role.map(|id| (id, role_created)),
        now,
    );
    Ok(report)
}

/// Grants refused with Unknown Role: another machine merged the role this run uses into an
/// older one of the same name and deleted it. Carry on with the oldest.
fn regrant(
    client: &Client,
    series: &Series,
    target: Target<'_>,
    mut applied: Applied,
    report: &mut RolesReport,
) -> Applied {
    let orphaned = std::mem::take(&mut applied.orphaned);
    if orphaned.is_empty() {
        return applied;
    }
    let role = event_role(client, series, target.guild, target.role_name);
    let Some(role) = role.ok().flatten().filter(|r| Some(r.id) != target.role) else {
        for (step, failure) in orphaned {
            report.users[step.row].error = Some(failure.error.clone());
            applied.failures.push(failure);
        }
        return applied;
    };
    report.role.id = Some(role.id.to_string());
    applied.writes.overwrite_added |=
        share_overwrite(client, series, Some(role.id), target.role_name, report);
    let target = Target {
        role: Some(role.id),
        ..target
    };
    let steps: Vec<Step> = orphaned
        .into_iter()
        .map(|(step, _)| Step { react: None, ..step })
        .collect();
    let again = act::apply(client, &target, &steps, &mut report.users, false);
    applied.writes.grants += again.writes.grants;
    applied.failures.extend(again.failures);
    applied
        .failures
        .extend(again.orphaned.into_iter().map(|(_, failure)| failure));
    applied
}

fn load_members(
    client: &Client,
    guild: &Guild,
    bot: &User,
    declared: &[&signup::Message],
    need_all: bool,
) -> Result<(members::Fetch, HashMap<Snowflake, Member>), RolesError> {
    let mut wanted = vec![bot.id];
    wanted.extend(
        declared
            .iter()
            .filter_map(|m| m.author_id.parse::<Snowflake>().ok()),
    );
    let fetch = members::choose(declared.len(), guild.approximate_member_count, need_all);
    members::load(client, guild.id, &wanted, fetch, need_all)
}

/// Stop before any write when the bot could not grant the existing role.
fn check_hierarchy(
    guild: &Guild,
    bot: &User,
    member: &Member,
    role: Option<&Role>,
) -> Result<(), RolesError> {
    let Some(role) = role else { return Ok(()) };
    if role.managed {
        return Err(RolesError::RoleManaged {
            role: role.name.clone(),
        });
    }
    if guild.owner_id == bot.id {
        return Ok(());
    }
    let top = guild
        .roles
        .iter()
        .filter(|r| member.roles.contains(&r.id))
        .max_by_key(|r| (r.position, std::cmp::Reverse(r.id)));
    let (bot_role, bot_position) = top.map_or(("@everyone".to_string(), 0), |r| (r.name.clone(), r.position));
    if role.position >= bot_position {
        return Err(RolesError::RoleAboveBot {
            role: role.name.clone(),
            position: role.position,
            bot_role,
            bot_position,
        });
    }
    Ok(())
}

/// Declarations an organizer (a configured user, or a member of the organizer role) reacted to
/// with the accept emoji.
pub(crate) fn approvals(
    client: &Client,
    guild: Snowflake,
    gathered: &Gathered,
    declared: &[&signup::Message],
    event: &Event,
    roster: &mut HashMap<Snowflake, Member>,
) -> Result<HashSet<String>, RolesError> {
    let policy = &event.policy;
    let reactors = read::reactors(client, gathered, declared, &policy.accept_emoji)?;
    let organizers: HashSet<&str> = policy.organizers.iter().map(String::as_str).collect();
    let organizer_role: Option<Snowflake> = policy.organizer_role_id.as_deref().and_then(|r| r.parse().ok());
    let mut approved = HashSet::new();
    for (message, users) in reactors {
        for user in users {
            let named = organizers.contains(user.to_string().as_str());
            if named || holds(client, guild, user, organizer_role, roster)? {
                approved.insert(message.clone());
                break;
            }
        }
    }
    Ok(approved)
}

/// Whether `user` holds `role` (none configured: no), asking Discord when not yet known.
fn holds(
    client: &Client,
    guild: Snowflake,
    user: Snowflake,
    role: Option<Snowflake>,
    roster: &mut HashMap<Snowflake, Member>,
) -> Result<bool, RolesError> {
    let Some(role) = role else { return Ok(false) };
    if let std::collections::hash_map::Entry::Vacant(slot) = roster.entry(user) {
        match client.member(guild, user) {
            Ok(member) => {
                slot.insert(member);
            }
            Err(e) if e.api().is_some_and(|a| a.code == Some(10007)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(roster.get(&user).is_some_and(|m| m.roles.contains(&role)))
}

/// The share channel's overwrite for the role; a failure is reported, not fatal.
fn share_overwrite(
    client: &Client,
    series: &Series,
    role: Option<Snowflake>,
    role_name: &str,
    report: &mut RolesReport,
) -> bool {
    let Some(share) = series.discord.share_channel_id else {
        report
            .notes
            .push("no `share_channel_id` under [discord]: the role was not let into a share channel".into());
        return false;
    };
    match act::ensure_overwrite(client, share, role, role_name) {
        Ok(added) => added,
        Err(error) => {
            report.failures.push(Failure {
                action: "overwrite",
                user_id: None,
                error: error.to_string(),
                hint: error.hint(),
            });
            false
        }
    }
}

fn row(verdict: &Verdict) -> Row {
    let decision = match verdict.decision {
        // Settled by `act::apply` once the grant is sent.
        Decision::Grant => GrantOutcome::Failed,
        Decision::AlreadyHas => GrantOutcome::AlreadyHad,
        Decision::Reject => GrantOutcome::Rejected,
    };
    Row {
        user_id: verdict.user_id.clone(),
        name: verdict.name.clone(),
        decision,
        reason: verdict.reason.to_string(),
        why: verdict.reason.clone(),
        message_id: verdict.message_id.clone(),
        error: None,
    }
}

/// Per accepted user: the reaction (when `react_with` is set and the bot has not reacted yet),
/// then the grant (unless they hold the role).
fn steps(verdicts: &[Verdict], gathered: &Gathered, react_with: Option<&str>) -> Vec<Step> {
    verdicts
        .iter()
        .enumerate()
        .filter(|(_, v)| v.decision != Decision::Reject)
        .map(|(index, v)| {
            let react = react_with.and_then(|emoji| {
                let id = v.message_id.as_ref()?;
                let source = gathered.sources.get(id)?;
                let message = id.parse().ok()?;
                (!source.bot_reacted(emoji)).then_some((source.channel, message))
            });
            Step {
                row: index,
                react,
                grant: v.decision == Decision::Grant,
            }
        })
        .filter(|s| s.react.is_some() || s.grant)
        .collect()
}

/// The event's sign-up rules, as `roles` and `why` both apply them.
fn rules<'a>(event: &'a Event, approved: Option<&'a HashSet<String>>) -> signup::Rules<'a> {
    let policy = &event.policy;
    signup::Rules {
        deadline: event.signup_closes_at().with_timezone(&Utc),
        require_avatar: policy.require_avatar,
        boosters_join_without_signup: policy.boosters_join_without_signup,
        deny_users: &policy.deny_users,
        approved,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_role_must_sit_below_the_bots_highest_role() {
        let guild: Guild = serde_json::from_value(json!({
            "id": "1", "name": "g", "owner_id": "99", "verification_level": 4,
            "roles": [
                {"id": "1", "name": "@everyone", "position": 0, "permissions": "0"},
                {"id": "5", "name": "tsudoi", "position": 3, "permissions": "268435456"},
                {"id": "6", "name": "2026-02-17", "position": 3, "permissions": "0"},
                {"id": "7", "name": "2026-03-03", "position": 2, "permissions": "0"},
                {"id": "8", "name": "2026-03-17", "position": 1, "permissions": "0", "managed": true},
            ],
        }))
        .unwrap();
        let bot: User = serde_json::from_value(json!({"id": "9", "username": "bot", "bot": true})).unwrap();
        let member: Member = serde_json::from_value(json!({"roles": ["5"]})).unwrap();
        let check =
            |id: u64| check_hierarchy(&guild, &bot, &member, guild.roles.iter().find(|r| r.id.0 == id));
        assert!(check(0).is_ok(), "a missing role is created below the bot");
        assert!(check(7).is_ok());
        assert!(matches!(
            check(6),
            Err(RolesError::RoleAboveBot {
                position: 3,
                bot_position: 3,
                ..
            })
        ));
        assert!(matches!(check(8), Err(RolesError::RoleManaged { .. })));
    }
}
