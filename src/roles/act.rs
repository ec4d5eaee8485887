//! The writes of a role run: the role when missing, the share channel's overwrite when missing,
//! then per accepted user the bot's reaction and the grant. Reactions and grants alternate, so
//! the two rate-limit buckets drain side by side instead of one after the other.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::report::{Failure, GrantOutcome, Row, Writes};
use crate::discord::{Client, DiscordError, Permissions, Role, Snowflake};
use crate::error::RolesError;
use crate::privacy::SHARE_ALLOW;

/// The role's id (unknown only in a dry run that would create it) and whether it was created.
pub fn ensure_role(
    client: &Client,
    guild: Snowflake,
    name: &str,
    existing: Option<&Role>,
) -> Result<(Option<Snowflake>, bool), RolesError> {
    if let Some(role) = existing {
        return Ok((Some(role.id), false));
    }
    let created = client.create_role(guild, name).map_err(|e| e.about_role(name))?;
    Ok((created.map(|r| r.id), true))
}

/// Let the role read the share channel, unless the channel already has an overwrite for it.
/// `Ok(true)` when one was added (or, in a dry run, planned).
pub fn ensure_overwrite(
    client: &Client,
    share: Snowflake,
    role: Option<Snowflake>,
    name: &str,
) -> Result<bool, DiscordError> {
    let channel = client.channel(share)?;
    if role.is_some_and(|role| channel.permission_overwrites.iter().any(|o| o.id == role)) {
        return Ok(false);
    }
    // In a dry run a role still to be created has no id yet: `0` stands for it in the plan.
    let role = role.unwrap_or(Snowflake(0));
    client
        .put_role_overwrite(share, role, SHARE_ALLOW, Permissions::NONE)
        .map_err(|e| e.about_role(name))?;
    Ok(true)
}

/// One user's writes: the reaction on their declaration, then the grant.
#[derive(Debug, Clone)]
pub struct Step {
    /// Index into the report's rows.
    pub row: usize,
    /// (channel, message) to react to.
    pub react: Option<(Snowflake, Snowflake)>,
    pub grant: bool,
}

#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub guild: Snowflake,
    pub role: Option<Snowflake>,
    pub role_name: &'a str,
    pub emoji: &'a str,
}

/// What [`apply`] did.
pub struct Applied {
    pub writes: Writes,
    pub failures: Vec<Failure>,
    /// Grants not done because the role is gone (404 10011): another machine merged it into an
    /// older role of the same name. Each with the failure to report if no role is left.
    pub orphaned: Vec<(Step, Failure)>,
}

/// Send every step; a failure for one user does not stop the others, but a refusal (403) of
/// one kind of write stops that kind: the rest would be refused too, and 403s count toward an
/// IP ban. Once the role turns out deleted, the grants left are kept for the role that
/// replaced it.
pub fn apply(
    client: &Client,
    target: &Target<'_>,
    steps: &[Step],
    rows: &mut [Row],
    progress: bool,
) -> Applied {
    let bar = progress_bar(progress, steps);
    let mut writes = Writes::default();
    let mut failures = Vec::new();
    let mut orphaned = Vec::new();
    let (mut reactions_refused, mut grants_refused) = (None::<String>, None::<String>);
    let mut role_gone = None::<Failure>;
    for step in steps {
        let row = &mut rows[step.row];
        if let Some((channel, message)) = step.react {
            let result = match &reactions_refused {
                Some(why) => Err(not_attempted(why)),
                None => client.create_reaction(channel, message, target.emoji),
            };
            match result {
                Ok(()) => writes.reactions += 1,
                Err(error) => {
                    if reactions_refused.is_none() && refused(&error) {
                        reactions_refused = Some(error.to_string());
                    }
                    failures.push(failure("reaction", row, &error));
                    row.error = Some(error.to_string());
                }
            }
            tick(&bar);
        }
        if step.grant {
            // In a dry run of a role still to be created, `0` stands for its id in the plan.
            let role = target.role.unwrap_or(Snowflake(0));
            if let Some(gone) = &role_gone {
                let failure = Failure {
                    user_id: Some(row.user_id.clone()),
                    ..gone.clone()
                };
                orphaned.push((step.clone(), failure));
                row.decision = GrantOutcome::Failed;
                tick(&bar);
                continue;
            }
            let result = match &grants_refused {
                Some(why) => Err(not_attempted(why)),
                None => client.add_member_role(target.guild, parse(&row.user_id), role),
            };
            match result.map_err(|e| e.about_role(target.role_name)) {
                Err(error) if is_unknown_role(&error) => {
                    let failure = failure("grant", row, &error);
                    role_gone = Some(failure.clone());
                    orphaned.push((step.clone(), failure));
                    row.decision = GrantOutcome::Failed;
                }
                Ok(()) => {
                    writes.grants += 1;
                    row.decision = if client.is_dry_run() {
                        GrantOutcome::WouldGrant
                    } else {
                        GrantOutcome::Granted
                    };
                }
                Err(error) => {
                    if grants_refused.is_none() && refused(&error) {
                        grants_refused = Some(error.to_string());
                    }
                    failures.push(failure("grant", row, &error));
                    row.decision = GrantOutcome::Failed;
                    row.error = Some(error.to_string());
                }
            }
            tick(&bar);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Applied {
        writes,
        failures,
        orphaned,
    }
}

fn is_unknown_role(error: &DiscordError) -> bool {
    error
        .api()
        .is_some_and(|a| a.status == 404 && a.code == Some(10011))
}

fn parse(user: &str) -> Snowflake {
    user.parse().expect("user ids are snowflakes")
}

fn refused(error: &DiscordError) -> bool {
    error.api().is_some_and(|a| a.status == 403)
}

fn not_attempted(why: &str) -> DiscordError {
    DiscordError::Stopped {
        route: "(not sent)".into(),
        why: format!("an earlier one was refused: {why}"),
    }
}

fn failure(action: &'static str, row: &Row, error: &DiscordError) -> Failure {
    Failure {
        action,
        user_id: Some(row.user_id.clone()),
        error: error.to_string(),
        hint: error.hint(),
    }
}

fn progress_bar(progress: bool, steps: &[Step]) -> Option<ProgressBar> {
    let total: usize = steps
        .iter()
        .map(|s| usize::from(s.react.is_some()) + usize::from(s.grant))
        .sum();
    if !progress || total == 0 {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} roles [{bar:30}] {pos}/{len} writes ({eta} left)")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    Some(bar)
}

fn tick(bar: &Option<ProgressBar>) {
    if let Some(bar) = bar {
        bar.inc(1);
    }
}
