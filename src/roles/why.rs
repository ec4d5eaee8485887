//! `why`: the decision `roles` makes for one member, and its evidence, reading only what that
//! answer needs: the member, the event role, and the messages under the post until the
//! member's first declaration. The decision itself is [`signup::decide`], as in `roles`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::read::{self, Gathered, Source};
use super::signup_post::PostRef;
use crate::discord::{Client, Cursor, MESSAGES_PER_PAGE, Member, Message, Snowflake, User};
use crate::error::RolesError;
use crate::event::{Approval, Event, Series, SignupMode};
use crate::signup::{self, Decision, Reason};
use crate::state::Ledger;

/// Who USER names.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: Snowflake,
    pub username: String,
    pub global_name: Option<String>,
    pub nick: Option<String>,
}

impl Person {
    fn of(user: &User, nick: Option<&String>) -> Self {
        Self {
            id: user.id,
            username: user.username.clone(),
            global_name: user.global_name.clone(),
            nick: nick.cloned(),
        }
    }

    /// The name people see: the nickname, else the global name, else the username.
    pub fn shown(&self) -> &str {
        self.nick
            .as_deref()
            .or(self.global_name.as_deref())
            .unwrap_or(&self.username)
    }

    fn answers_to(&self, name: &str) -> bool {
        let same = |n: &str| n.to_lowercase() == name.to_lowercase();
        same(&self.username)
            || self.global_name.as_deref().is_some_and(same)
            || self.nick.as_deref().is_some_and(same)
    }
}

/// The member's first declaration under the post.
#[derive(Debug, Clone, Serialize)]
pub struct Declaration {
    pub message_id: String,
    pub link: String,
    pub posted_at: DateTime<Tz>,
    /// The keyword it matched after normalization; none for a reaction sign-up.
    pub keyword: Option<String>,
    pub text: String,
}

/// What the server says of the member now; `None` fields when they left.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub still_member: bool,
    pub bot: bool,
    pub user_avatar: bool,
    pub server_avatar: bool,
    pub booster: bool,
    pub pending: bool,
    pub denied: bool,
    pub role_held: bool,
}

/// The answer: the decision `roles` makes, or why the member is not considered at all.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub event: String,
    pub person: Person,
    /// `None`: not considered (no declaration under the post, not a booster who joins).
    pub decision: Option<Decision>,
    pub reason: Option<Reason>,
    /// Why no declaration counted, when none did.
    pub not_considered: Option<String>,
    pub declaration: Option<Declaration>,
    pub deadline: DateTime<Tz>,
    pub role: String,
    pub role_id: Option<Snowflake>,
    pub standing: Standing,
    /// Requests sent to Discord to answer.
    pub requests: u32,
}

/// How USER is given on the command line.
pub enum Wanted<'a> {
    Id(Snowflake),
    Name(&'a str),
}

impl<'a> Wanted<'a> {
    pub fn parse(user: &'a str) -> Self {
        let user = user.trim().trim_start_matches('@');
        match user.parse::<Snowflake>() {
            Ok(id) if user.len() >= 15 => Self::Id(id),
            _ => Self::Name(user),
        }
    }
}

/// The member behind USER: by id, the member (or, when they left, only the id); by name, a
/// member search (usernames and nicknames) and the authors under the post (global names and
/// people who left). More than one match is an error listing them.
fn resolve(
    client: &Client,
    guild: Snowflake,
    wanted: &Wanted,
    under: &mut Under,
) -> Result<(Snowflake, Option<Member>), RolesError> {
    let name = match wanted {
        Wanted::Id(id) => return Ok((*id, fetch_member(client, guild, *id)?)),
        Wanted::Name(name) => *name,
    };
    let found: Vec<Member> = client
        .search_members(guild, name, 100)?
        .into_iter()
        .filter(|m| {
            m.user
                .as_ref()
                .is_some_and(|u| Person::of(u, m.nick.as_ref()).answers_to(name))
        })
        .collect();
    // Discord's search covers usernames and nicknames; global names (and people who left) are
    // found among the authors under the post.
    let mut people: BTreeMap<Snowflake, Person> = found
        .iter()
        .filter_map(|m| m.user.as_ref().map(|u| (u.id, Person::of(u, m.nick.as_ref()))))
        .collect();
    under.read_all(client)?;
    for message in &under.messages {
        let person = Person::of(&message.author, None);
        if person.answers_to(name) {
            people.entry(person.id).or_insert(person);
        }
    }
    let people: Vec<Person> = people.into_values().collect();
    match people.len() {
        0 => Err(RolesError::UnknownUser {
            user: name.to_string(),
        }),
        1 => {
            let id = people[0].id;
            let member = match found
                .into_iter()
                .find(|m| m.user.as_ref().is_some_and(|u| u.id == id))
            {
                Some(member) => Some(member),
                None => fetch_member(client, guild, id)?,
            };
            Ok((id, member))
        }
        _ => Err(RolesError::AmbiguousUser {
            user: name.to_string(),
            matches: people
                .iter()
                .map(|p| format!("{} ({}, @{})", p.shown(), p.id, p.username))
                .collect(),
        }),
    }
}

fn fetch_member(client: &Client, guild: Snowflake, user: Snowflake) -> Result<Option<Member>, RolesError> {
    match client.member(guild, user) {
        Ok(member) => Ok(Some(member)),
        Err(error) if error.api().is_some_and(|a| a.code == Some(10007)) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The messages under the post read so far, oldest first, page by page.
struct Under {
    post: PostRef,
    /// Every written message read under the post.
    messages: Vec<Message>,
    /// Next page starts after this id; `None` once the channel is read to its end.
    cursor: Option<Snowflake>,
}

impl Under {
    fn new(post: PostRef) -> Self {
        Self {
            post,
            messages: Vec::new(),
            cursor: Some(post.message),
        }
    }

    /// One more page; whether there was one.
    fn next_page(&mut self, client: &Client) -> Result<bool, RolesError> {
        let Some(after) = self.cursor else {
            return Ok(false);
        };
        let mut page = client.messages_page(self.post.channel, Cursor::After(after), MESSAGES_PER_PAGE)?;
        page.sort_by_key(|m| m.id);
        self.cursor = match page.last() {
            Some(last) if page.len() == MESSAGES_PER_PAGE => Some(last.id),
            _ => None,
        };
        self.messages
            .extend(page.into_iter().filter(|m| read::is_under(m, &self.post)));
        Ok(true)
    }

    fn read_all(&mut self, client: &Client) -> Result<(), RolesError> {
        while self.next_page(client)? {}
        Ok(())
    }

    /// The author's first message that declares, reading on only until it is found.
    fn first_declaration(
        &mut self,
        client: &Client,
        author: Snowflake,
        keywords: &[String],
    ) -> Result<Option<Message>, RolesError> {
        let mut looked = 0;
        loop {
            let found = self.messages[looked..]
                .iter()
                .find(|m| m.author.id == author && signup::declares(&m.content, keywords));
            if let Some(found) = found {
                return Ok(Some(found.clone()));
            }
            looked = self.messages.len();
            if !self.next_page(client)? {
                return Ok(None);
            }
        }
    }
}

/// What one `why` needs.
pub struct Ask<'a> {
    pub client: &'a Client,
    pub series: &'a Series,
    pub event: &'a Event,
    pub post: &'a PostRef,
    pub ledger: &'a Ledger,
    pub now: DateTime<Utc>,
}

pub fn explain(ask: &Ask, wanted: &Wanted) -> Result<Explanation, RolesError> {
    let Ask {
        client,
        series,
        event,
        post,
        ..
    } = *ask;
    let policy = &event.policy;
    let guild = series.guild_id()?;
    let mut under = Under::new(*post);
    let (user, member) = resolve(client, guild, wanted, &mut under)?;
    let role_name = event.role_name();
    let role = client
        .roles(guild)?
        .into_iter()
        .filter(|r| r.name == role_name)
        .min_by_key(|r| r.id);
    let (declared, gathered) = declared_by(ask, &mut under, user)?;
    let person = match (&member, &declared) {
        (Some(m), _) if m.user.is_some() => Person::of(m.user.as_ref().expect("checked"), m.nick.as_ref()),
        _ => author_person(&under, user, declared.as_ref()),
    };
    let declared_refs: Vec<&signup::Message> = declared.iter().collect();
    let mut roster: HashMap<Snowflake, Member> = member.iter().map(|m| (user, m.clone())).collect();
    let approved = match (policy.signup_mode, policy.approval) {
        (SignupMode::Reply, Approval::AdminReaction) => Some(super::approvals(
            client,
            guild,
            &gathered,
            &declared_refs,
            event,
            &mut roster,
        )?),
        _ => None,
    };
    let rules = super::rules(event, approved.as_ref());
    let facts: BTreeMap<String, signup::Member> = member
        .iter()
        .map(|m| super::members::facts(m, role.as_ref().map(|r| r.id)))
        .map(|f| (f.user_id.clone(), f))
        .collect();
    let verdict = signup::decide(&rules, &declared_refs, &facts)
        .into_iter()
        .find(|v| v.user_id == user.to_string());
    let zone = event.starts_at.timezone();
    let declaration = declared.as_ref().map(|m| Declaration {
        message_id: m.id.clone(),
        link: format!("https://discord.com/channels/{guild}/{}/{}", post.channel, m.id),
        posted_at: m.posted_at.with_timezone(&zone),
        keyword: signup::matched_keyword(&m.text, &policy.signup_keywords).cloned(),
        text: m.text.clone(),
    });
    let not_considered = verdict
        .is_none()
        .then(|| not_considered(&under, user, policy.signup_mode));
    let standing = standing(member.as_ref(), declared.as_ref(), policy, user, role.as_ref());
    Ok(Explanation {
        event: event.id.clone(),
        person,
        decision: verdict.as_ref().map(|v| v.decision),
        reason: verdict.map(|v| v.reason),
        not_considered,
        declaration,
        deadline: event.signup_closes_at(),
        role: role_name,
        role_id: role.map(|r| r.id),
        standing,
        requests: client.requests_sent(),
    })
}

/// The member's sign-up: their first declaration under the post (reply mode, with where it is
/// for the approvals), or their reaction on the post, timed when the ledger first saw it.
fn declared_by(
    ask: &Ask,
    under: &mut Under,
    user: Snowflake,
) -> Result<(Option<signup::Message>, Gathered), RolesError> {
    let Ask {
        client,
        series,
        event,
        post,
        ledger,
        now,
    } = *ask;
    let policy = &event.policy;
    match policy.signup_mode {
        SignupMode::Interested => {
            // Read-only: a copy of the ledger takes the first-seen times of new names.
            let mut seen = ledger.clone();
            let bot = client.current_user()?.id;
            let gathered = read::interested(client, series.guild_id()?, event, bot, &mut seen, now)?;
            let declared = gathered
                .messages
                .iter()
                .find(|m| m.author_id == user.to_string())
                .cloned();
            Ok((declared, Gathered::default()))
        }
        SignupMode::Reply => {
            let found = under.first_declaration(client, user, &policy.signup_keywords)?;
            read::check_intent(&under.messages)?;
            let mut gathered = Gathered::default();
            if let Some(message) = found {
                gathered.sources.insert(
                    message.id.to_string(),
                    Source {
                        channel: message.channel_id,
                        reactions: message.reactions.clone(),
                    },
                );
                gathered.messages.push(read::candidate(message));
            }
            Ok((gathered.messages.first().cloned(), gathered))
        }
        SignupMode::Reaction => {
            let reacted = client.reactions(post.channel, post.message, &policy.signup_emoji)?;
            let declared = reacted.iter().find(|u| u.id == user).map(|u| signup::Message {
                id: post.message.to_string(),
                author_id: u.id.to_string(),
                author_name: read::display_name(u),
                author_is_bot: u.bot,
                posted_at: ledger.seen.get(&u.id.to_string()).copied().unwrap_or(now),
                text: String::new(),
            });
            Ok((declared, Gathered::default()))
        }
    }
}

/// What the server and the policy say of the member now.
fn standing(
    member: Option<&Member>,
    declared: Option<&signup::Message>,
    policy: &crate::event::Policy,
    user: Snowflake,
    role: Option<&crate::discord::Role>,
) -> Standing {
    let account = member.and_then(|m| m.user.as_ref());
    Standing {
        still_member: member.is_some(),
        bot: account.is_some_and(|u| u.bot) || declared.is_some_and(|m| m.author_is_bot),
        user_avatar: account.is_some_and(|u| u.avatar.is_some()),
        server_avatar: member.is_some_and(|m| m.avatar.is_some()),
        booster: member.is_some_and(|m| m.premium_since.is_some()),
        pending: member.is_some_and(|m| m.pending),
        denied: policy.deny_users.contains(&user.to_string()),
        role_held: role.is_some_and(|r| member.is_some_and(|m| m.roles.contains(&r.id))),
    }
}

/// Who wrote under the post, for a user who is no longer a member.
fn author_person(under: &Under, user: Snowflake, declared: Option<&signup::Message>) -> Person {
    if let Some(message) = under.messages.iter().find(|m| m.author.id == user) {
        return Person::of(&message.author, None);
    }
    Person {
        id: user,
        username: declared.map_or_else(String::new, |m| m.author_name.clone()),
        global_name: None,
        nick: None,
    }
}

/// Why a user without a verdict was not considered.
fn not_considered(under: &Under, user: Snowflake, mode: SignupMode) -> String {
    if mode == SignupMode::Reaction {
        return "did not react to the event post with the sign-up emoji".into();
    }
    let written = under.messages.iter().filter(|m| m.author.id == user).count();
    let place = if under.post.in_thread {
        "in the post's thread"
    } else {
        "replying to the event post"
    };
    match written {
        0 => format!("wrote nothing {place}"),
        n => format!("wrote {n} message(s) {place}, none with a sign-up keyword"),
    }
}
