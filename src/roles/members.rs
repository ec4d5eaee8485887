//! Member data for the rules, fetched the cheaper way: one `GET member` per author when they
//! are fewer than the pages of the member list, else the list 1000 at a time. Boosters who did
//! not sign up are only found in the list.

use std::collections::HashMap;

use serde::Serialize;

use crate::discord::{Client, DiscordError, MEMBERS_PER_PAGE, Member, Snowflake};
use crate::error::RolesError;
use crate::signup;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fetch {
    /// `GET /guilds/{guild}/members/{user}` for the bot and each author.
    Each,
    /// `GET /guilds/{guild}/members?limit=1000`, page after page.
    List,
}

/// The list when it is needed (boosters) or takes fewer requests than one per author (+ the
/// bot); `member_count` is the guild's approximate count.
pub fn choose(authors: usize, member_count: Option<u64>, need_all: bool) -> Fetch {
    let pages = member_count.map_or(usize::MAX, |n| (n as usize).div_ceil(MEMBERS_PER_PAGE).max(1));
    if need_all || pages <= authors + 1 {
        Fetch::List
    } else {
        Fetch::Each
    }
}

/// The members among `wanted` (all of them with `Fetch::List`), by user id; who is missing has
/// left the server.
pub fn load(
    client: &Client,
    guild: Snowflake,
    wanted: &[Snowflake],
    fetch: Fetch,
    need_all: bool,
) -> Result<(Fetch, HashMap<Snowflake, Member>), RolesError> {
    if fetch == Fetch::List {
        match client.members(guild) {
            Ok(list) => return Ok((Fetch::List, by_id(list))),
            Err(error) if is_missing_access(&error) && !need_all => {}
            Err(error) if is_missing_access(&error) => return Err(RolesError::MembersIntent),
            Err(error) => return Err(error.into()),
        }
    }
    let mut found = HashMap::new();
    for user in wanted {
        if found.contains_key(user) {
            continue;
        }
        match client.member(guild, *user) {
            Ok(member) => {
                found.insert(*user, member);
            }
            Err(error) if error.api().is_some_and(|a| a.code == Some(10007)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok((Fetch::Each, found))
}

fn is_missing_access(error: &DiscordError) -> bool {
    error.api().is_some_and(|a| a.code == Some(50001))
}

fn by_id(list: Vec<Member>) -> HashMap<Snowflake, Member> {
    list.into_iter()
        .filter_map(|m| m.user.as_ref().map(|u| u.id).map(|id| (id, m)))
        .collect()
}

/// What the rules need to know of a member.
pub fn facts(member: &Member, role: Option<Snowflake>) -> signup::Member {
    let user = member.user.as_ref();
    let name = member
        .nick
        .clone()
        .or_else(|| user.and_then(|u| u.global_name.clone()))
        .or_else(|| user.map(|u| u.username.clone()))
        .unwrap_or_default();
    signup::Member {
        user_id: user.map(|u| u.id.to_string()).unwrap_or_default(),
        name,
        is_bot: user.is_some_and(|u| u.bot),
        has_avatar: member.avatar.is_some() || user.is_some_and(|u| u.avatar.is_some()),
        pending: member.pending,
        booster: member.premium_since.is_some(),
        has_role: role.is_some_and(|r| member.roles.contains(&r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_when_boosters_count_or_it_is_cheaper() {
        assert_eq!(choose(3, Some(50_000), false), Fetch::Each);
        assert_eq!(choose(3, Some(50_000), true), Fetch::List);
        assert_eq!(choose(800, Some(1000), false), Fetch::List);
        assert_eq!(choose(0, Some(10), false), Fetch::List);
        assert_eq!(choose(49, Some(50_000), false), Fetch::List);
        assert_eq!(choose(48, Some(50_000), false), Fetch::Each);
        assert_eq!(choose(5, None, false), Fetch::Each);
    }

    #[test]
    fn a_server_avatar_counts_as_an_avatar() {
        let member = |avatar: &str, user_avatar: &str| -> Member {
            serde_json::from_value(serde_json::json!({
                "user": {"id": "5", "username": "u", "avatar": serde_json::from_str::<serde_json::Value>(user_avatar).unwrap()},
                "avatar": serde_json::from_str::<serde_json::Value>(avatar).unwrap(),
                "roles": ["7"], "premium_since": null,
            }))
            .unwrap()
        };
        assert!(facts(&member("null", "\"a\""), None).has_avatar);
        assert!(facts(&member("\"g\"", "null"), None).has_avatar);
        assert!(!facts(&member("null", "null"), None).has_avatar);
        assert!(facts(&member("null", "null"), Some(Snowflake(7))).has_role);
    }
}
