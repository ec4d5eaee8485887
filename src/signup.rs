//! Who gets the event role, and why. Pure: facts in, one verdict per user out.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::duration::humanize;

/// Text folded for matching: NFKC (full-width → ASCII, compatibility forms), lower case,
/// every whitespace removed.
pub fn normalize(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether `text` declares with one of `keywords`: the keyword followed by the end of the text
/// or by something that is not a letter or digit (punctuation, emoji, a new sentence).
/// 「参加します！」「参加します 🙏」「参加 します」 match; 「参加しません」「参加しますか？」 do not.
pub fn declares(text: &str, keywords: &[String]) -> bool {
    let text = normalize(text);
    keywords
        .iter()
        .map(|k| normalize(k))
        .filter(|k| !k.is_empty())
        .any(|keyword| {
            text.match_indices(&keyword).any(|(at, found)| {
                text[at + found.len()..]
                    .chars()
                    .next()
                    .is_none_or(|next| !next.is_alphanumeric())
            })
        })
}

/// A message that may be a declaration.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub author_is_bot: bool,
    pub posted_at: DateTime<Utc>,
    pub text: String,
}

/// What the server says about a user, when they are still a member.
#[derive(Debug, Clone, Default)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    pub is_bot: bool,
    /// A user avatar or a server avatar.
    pub has_avatar: bool,
    /// Still in membership screening.
    pub pending: bool,
    pub booster: bool,
    pub has_role: bool,
}

/// The rules that decide, taken from the event's policy.
#[derive(Debug, Clone)]
pub struct Rules<'a> {
    pub deadline: DateTime<Utc>,
    pub require_avatar: bool,
    pub boosters_join_without_signup: bool,
    pub deny_users: &'a [String],
    /// In `admin-reaction` approval: the declarations (message ids) an organizer approved.
    /// `None` when the rules alone decide.
    pub approved: Option<&'a HashSet<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Gets the role.
    Grant,
    /// Holds the role already: nothing to do.
    AlreadyHas,
    Reject,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Declared,
    Booster,
    Late {
        by_seconds: i64,
    },
    NoAvatar,
    Bot,
    Denied,
    Pending,
    LeftServer,
    /// No organizer has approved the declaration (yet).
    NotApproved,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Declared => f.write_str("declared in time"),
            Self::Booster => f.write_str("booster"),
            Self::Late { by_seconds } => write!(f, "late by {}", humanize(TimeDelta::seconds(*by_seconds))),
            Self::NoAvatar => f.write_str("no avatar"),
            Self::Bot => f.write_str("bot"),
            Self::Denied => f.write_str("on deny list"),
            Self::Pending => f.write_str("pending screening"),
            Self::LeftServer => f.write_str("left the server"),
            Self::NotApproved => f.write_str("not approved by an organizer"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub user_id: String,
    pub name: String,
    pub decision: Decision,
    pub reason: Reason,
    /// The declaration that counted (the user's earliest), if any.
    pub message_id: Option<String>,
}

/// The earliest matching declaration of each user, in posting order.
pub fn declarations<'a>(messages: &'a [Message], keywords: &[String]) -> Vec<&'a Message> {
    let mut earliest: BTreeMap<&str, &Message> = BTreeMap::new();
    for message in messages.iter().filter(|m| declares(&m.text, keywords)) {
        let slot = earliest.entry(&message.author_id).or_insert(message);
        if (message.posted_at, &message.id) < (slot.posted_at, &slot.id) {
            *slot = message;
        }
    }
    let mut found: Vec<&Message> = earliest.into_values().collect();
    found.sort_by_key(|m| (m.posted_at, m.id.clone()));
    found
}

/// One verdict for every declarer and, when boosters join without signing up, every booster.
/// `members` holds what is known of the declarers and boosters who are still members.
pub fn decide(rules: &Rules, declared: &[&Message], members: &BTreeMap<String, Member>) -> Vec<Verdict> {
    let denied: HashSet<&str> = rules.deny_users.iter().map(String::as_str).collect();
    let mut verdicts = Vec::new();
    let mut seen = HashSet::new();
    for message in declared {
        seen.insert(message.author_id.as_str());
        let member = members.get(&message.author_id);
        let reason = declarer_reason(rules, &denied, message, member);
        let name = member.map_or_else(|| message.author_name.clone(), |m| m.name.clone());
        verdicts.push(verdict(
            &message.author_id,
            name,
            reason,
            member,
            Some(&message.id),
        ));
    }
    if rules.boosters_join_without_signup {
        for member in members
            .values()
            .filter(|m| m.booster && !seen.contains(m.user_id.as_str()))
        {
            let reason = if member.is_bot {
                Reason::Bot
            } else if denied.contains(member.user_id.as_str()) {
                Reason::Denied
            } else if member.pending {
                Reason::Pending
            } else {
                Reason::Booster
            };
            verdicts.push(verdict(
                &member.user_id,
                member.name.clone(),
                reason,
                Some(member),
                None,
            ));
        }
    }
    verdicts
}

fn declarer_reason(
    rules: &Rules,
    denied: &HashSet<&str>,
    message: &Message,
    member: Option<&Member>,
) -> Reason {
    if message.author_is_bot || member.is_some_and(|m| m.is_bot) {
        return Reason::Bot;
    }
    if denied.contains(message.author_id.as_str()) {
        return Reason::Denied;
    }
    let Some(member) = member else {
        return Reason::LeftServer;
    };
    if member.pending {
        return Reason::Pending;
    }
    if member.booster && rules.boosters_join_without_signup {
        return Reason::Booster;
    }
    if message.posted_at > rules.deadline {
        return Reason::Late {
            by_seconds: (message.posted_at - rules.deadline).num_seconds().max(1),
        };
    }
    if rules.require_avatar && !member.has_avatar {
        return Reason::NoAvatar;
    }
    if rules
        .approved
        .is_some_and(|approved| !approved.contains(&message.id))
    {
        return Reason::NotApproved;
    }
    Reason::Declared
}

fn verdict(
    user_id: &str,
    name: String,
    reason: Reason,
    member: Option<&Member>,
    message: Option<&String>,
) -> Verdict {
    let accepted = matches!(reason, Reason::Declared | Reason::Booster);
    let decision = match (accepted, member.is_some_and(|m| m.has_role)) {
        (true, true) => Decision::AlreadyHas,
        (true, false) => Decision::Grant,
        (false, _) => Decision::Reject,
    };
    Verdict {
        user_id: user_id.to_string(),
        name,
        decision,
        reason,
        message_id: message.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn keywords() -> Vec<String> {
        vec!["参加します".to_string()]
    }

    #[test]
    fn declarations_are_matched_after_normalization() {
        let cases = [
            ("参加します", true),
            ("参加します！", true),
            ("参加します!", true),
            ("参加します 🙏", true),
            ("参加 します", true),
            ("参加\u{3000}します", true),
            ("ｻﾝｶ", false),
            ("参加します。よろしくお願いします", true),
            ("よろしくお願いします、参加します〜", true),
            ("参加しません", false),
            ("参加しますか？", false),
            ("参加しますか", false),
            ("", false),
            ("参加", false),
        ];
        for (text, expected) in cases {
            assert_eq!(declares(text, &keywords()), expected, "{text:?}");
        }
        let latin = vec!["I'm in".to_string()];
        assert!(declares("ＩＭ ＩＮ? no: I'M IN!", &latin));
        assert!(!declares("I'm into it", &latin));
    }

    fn at(minute: u32, second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 17, 6, minute, second).unwrap()
    }

    fn message(id: &str, author: &str, posted_at: DateTime<Utc>, text: &str) -> Message {
        Message {
            id: id.into(),
            author_id: author.into(),
            author_name: format!("user{author}"),
            author_is_bot: false,
            posted_at,
            text: text.into(),
        }
    }

    fn member(id: &str) -> Member {
        Member {
            user_id: id.into(),
            name: format!("member{id}"),
            has_avatar: true,
            ..Member::default()
        }
    }

    #[test]
    fn each_author_is_decided_for_a_reason() {
        let deny = vec!["6".to_string()];
        let rules = Rules {
            deadline: at(30, 0),
            require_avatar: true,
            boosters_join_without_signup: true,
            deny_users: &deny,
            approved: None,
        };
        let mut bot = message("m3", "3", at(1, 0), "参加します");
        bot.author_is_bot = true;
        let messages = vec![
            message("m1", "1", at(30, 0), "参加します"),
            message("m2", "2", at(30, 1), "参加します"),
            bot,
            message("m4", "4", at(2, 0), "参加します"),
            message("m5", "5", at(3, 0), "参加します"),
            message("m6", "6", at(4, 0), "参加します"),
            message("m7", "7", at(5, 0), "参加します"),
            message("m8", "8", at(40, 0), "参加します"),
            message("m9", "1", at(0, 1), "参加します！"),
            message("m10", "10", at(6, 0), "参加しません"),
            message("m11", "11", at(7, 0), "参加します"),
        ];
        let mut members: BTreeMap<String, Member> = ["1", "2", "3", "5", "6", "7", "8", "11", "12"]
            .iter()
            .map(|id| (id.to_string(), member(id)))
            .collect();
        members.get_mut("3").unwrap().is_bot = true;
        members.get_mut("5").unwrap().has_avatar = false;
        members.get_mut("7").unwrap().pending = true;
        members.get_mut("8").unwrap().booster = true;
        members.get_mut("11").unwrap().has_role = true;
        members.get_mut("12").unwrap().booster = true;
        let declared = declarations(&messages, &keywords());
        let verdicts = decide(&rules, &declared, &members);
        let got: Vec<(String, Decision, String, Option<String>)> = verdicts
            .iter()
            .map(|v| {
                (
                    v.user_id.clone(),
                    v.decision,
                    v.reason.to_string(),
                    v.message_id.clone(),
                )
            })
            .collect();
        let want = [
            ("1", Decision::Grant, "declared in time", Some("m9")),
            ("3", Decision::Reject, "bot", Some("m3")),
            ("4", Decision::Reject, "left the server", Some("m4")),
            ("5", Decision::Reject, "no avatar", Some("m5")),
            ("6", Decision::Reject, "on deny list", Some("m6")),
            ("7", Decision::Reject, "pending screening", Some("m7")),
            ("11", Decision::AlreadyHas, "declared in time", Some("m11")),
            ("2", Decision::Reject, "late by 1s", Some("m2")),
            ("8", Decision::Grant, "booster", Some("m8")),
            ("12", Decision::Grant, "booster", None),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(u, d, r, m)| (u.to_string(), *d, r.to_string(), m.map(str::to_string)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn exactly_at_the_deadline_is_in_time() {
        let rules = Rules {
            deadline: at(30, 0),
            require_avatar: false,
            boosters_join_without_signup: false,
            deny_users: &[],
            approved: None,
        };
        let messages = vec![message("m1", "1", at(30, 0), "参加します")];
        let members = BTreeMap::from([("1".to_string(), member("1"))]);
        let verdicts = decide(&rules, &declarations(&messages, &keywords()), &members);
        assert_eq!(verdicts[0].decision, Decision::Grant);
    }

    #[test]
    fn only_approved_declarations_get_in_when_organizers_approve() {
        let approved = HashSet::from(["m1".to_string()]);
        let rules = Rules {
            deadline: at(30, 0),
            require_avatar: false,
            boosters_join_without_signup: false,
            deny_users: &[],
            approved: Some(&approved),
        };
        let messages = vec![
            message("m1", "1", at(1, 0), "参加します"),
            message("m2", "2", at(2, 0), "参加します"),
        ];
        let members = BTreeMap::from([("1".to_string(), member("1")), ("2".to_string(), member("2"))]);
        let verdicts = decide(&rules, &declarations(&messages, &keywords()), &members);
        assert_eq!(verdicts[0].reason, Reason::Declared);
        assert_eq!(
            (verdicts[1].decision, &verdicts[1].reason),
            (Decision::Reject, &Reason::NotApproved)
        );
    }
}
