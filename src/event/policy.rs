//! The `[policy]` tables: the series over the defaults, an event over the series.

use super::file::{PolicySection, Text};
use super::resolve::Problems;
use super::{AfterEnd, Approval, Policy, ROLE_PLACEHOLDERS, ShareMode, SignupMode};
use crate::discord::Snowflake;
use crate::duration::Span;

fn duration(text: &Option<Text>, into: &mut Span, problems: &mut Problems) {
    let Some(text) = text else { return };
    match Span::parse(text.get_ref()) {
        Ok(span) => *into = span,
        Err(e) => {
            let d = problems.error(text, format!("`{}` is not a duration", text.get_ref()));
            problems.push(d.help(e.to_string()));
        }
    }
}

/// Layer a `[policy]` table over `policy`: the series over the defaults, an event over the series.
pub fn apply(policy: &mut Policy, section: &PolicySection, problems: &mut Problems) {
    // Negative: sign-ups close before the start (`-30m`: 30 minutes before).
    if let Some(text) = &section.signup_closes_after_start {
        match Span::parse_signed(text.get_ref()) {
            Ok(span) => policy.signup_closes_after_start = span,
            Err(e) => {
                let d = problems.error(text, format!("`{}` is not a duration", text.get_ref()));
                problems.push(d.help(format!(
                    "{e}; a deadline before the start is negative, e.g. `-30m`"
                )));
            }
        }
    }
    duration(
        &section.viewer_url_before_start,
        &mut policy.viewer_url_before_start,
        problems,
    );
    duration(
        &section.stream_opens_before_start,
        &mut policy.stream_opens_before_start,
        problems,
    );
    if let Some(text) = &section.signup_closes {
        match super::DayTime::parse(text.get_ref()) {
            Some(at) => policy.signup_closes = Some(at),
            None => {
                let d = problems.error(text, format!("`{}` is not a deadline", text.get_ref()));
                problems.push(d.help(
                    "write days before the event's date and a time: `-1d@23:59` (the day before), `@12:00` (the day itself)",
                ));
            }
        }
        if section.signup_closes_after_start.is_some() {
            let d = problems.error(
                text,
                "both `signup_closes` and `signup_closes_after_start` are set",
            );
            problems.push(d.help("keep one: the deadline is read from one place"));
        }
    }
    if let Some(keywords) = &section.signup_keywords {
        if keywords.get_ref().iter().all(|k| k.trim().is_empty()) {
            let d = problems.error(keywords, "no sign-up keyword: nobody could sign up");
            problems.push(d.help("list at least one, e.g. `signup_keywords = [\"参加します\"]`"));
        } else {
            policy.signup_keywords = keywords
                .get_ref()
                .iter()
                .filter(|k| !k.trim().is_empty())
                .cloned()
                .collect();
        }
    }
    if let Some(v) = section.require_avatar {
        policy.require_avatar = v;
    }
    if let Some(v) = section.boosters_join_without_signup {
        policy.boosters_join_without_signup = v;
    }
    if let Some(pattern) = &section.role_name {
        role_pattern(pattern, problems);
        policy.role_name = pattern.get_ref().clone();
    }
    if let Some(users) = &section.deny_users {
        policy.deny_users = users
            .iter()
            .filter_map(|u| snowflake(Some(u), problems))
            .collect();
    }
    apply_modes(policy, section, problems);
}

/// The keys that choose how sign-ups, approvals and timed actions work.
fn apply_modes(policy: &mut Policy, section: &PolicySection, problems: &mut Problems) {
    let signup_modes = [
        ("reply", SignupMode::Reply),
        ("reaction", SignupMode::Reaction),
        ("interested", SignupMode::Interested),
    ];
    choice(
        &section.signup_mode,
        &signup_modes,
        &mut policy.signup_mode,
        problems,
    );
    let approvals = [
        ("auto", Approval::Auto),
        ("admin-reaction", Approval::AdminReaction),
    ];
    choice(&section.approval, &approvals, &mut policy.approval, problems);
    let share_modes = [("channel", ShareMode::Channel), ("dm", ShareMode::Dm)];
    choice(
        &section.share_mode,
        &share_modes,
        &mut policy.share_mode,
        problems,
    );
    let after_end = [
        ("keep", AfterEnd::Keep),
        ("redact", AfterEnd::Redact),
        ("delete", AfterEnd::Delete),
    ];
    choice(
        &section.viewer_url_after_end,
        &after_end,
        &mut policy.viewer_url_after_end,
        problems,
    );
    emoji(&section.signup_emoji, &mut policy.signup_emoji, problems);
    emoji(&section.accept_emoji, &mut policy.accept_emoji, problems);
    if let Some(users) = &section.organizers {
        policy.organizers = users
            .iter()
            .filter_map(|u| snowflake(Some(u), problems))
            .collect();
    }
    if section.organizer_role_id.is_some() {
        policy.organizer_role_id = snowflake(section.organizer_role_id.as_ref(), problems);
    }
    if section.announce_before_start.is_some() {
        let mut span = Span::from_minutes(0);
        duration(&section.announce_before_start, &mut span, problems);
        policy.announce_before_start = Some(span);
    }
    duration(&section.roles_every, &mut policy.roles_every, problems);
    if let Some(v) = section.onair_notice {
        policy.onair_notice = v;
    }
    if let Some(v) = section.close_notice {
        policy.close_notice = v;
    }
    if let Some(offsets) = &section.remind_before {
        policy.remind_before = reminders(offsets, problems);
    }
    if let Some(text) = &section.role_retention {
        policy.role_retention = match text.get_ref().trim() {
            "keep" => None,
            _ => {
                let mut span = Span::from_minutes(0);
                duration(&section.role_retention, &mut span, problems);
                Some(span)
            }
        };
    }
}

/// `remind_before`: each a duration, longest first, once each.
fn reminders(offsets: &[Text], problems: &mut Problems) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for text in offsets {
        let mut span = Span::from_minutes(0);
        duration(&Some(text.clone()), &mut span, problems);
        if span.seconds() > 0 && !spans.contains(&span) {
            spans.push(span);
        }
    }
    spans.sort_by(|a, b| b.cmp(a));
    spans
}

fn emoji(text: &Option<Text>, into: &mut String, problems: &mut Problems) {
    let Some(text) = text else { return };
    let value = text.get_ref().trim();
    if value.is_empty() || value.chars().count() > 40 || value.contains(char::is_whitespace) {
        let d = problems.error(text, format!("`{value}` is not an emoji"));
        problems.push(d.help("write one Unicode emoji such as `✅`, or a custom one as `name:id`"));
    } else {
        *into = value.to_string();
    }
}

fn choice<T: Copy>(text: &Option<Text>, options: &[(&str, T)], into: &mut T, problems: &mut Problems) {
    let Some(text) = text else { return };
    match options.iter().find(|(name, _)| *name == text.get_ref()) {
        Some((_, value)) => *into = *value,
        None => {
            let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
            let d = problems.error(text, format!("unknown value `{}`", text.get_ref()));
            problems.push(d.help(format!("use one of: {}", names.join(", "))));
        }
    }
}

fn role_pattern(pattern: &Text, problems: &mut Problems) {
    let text = pattern.get_ref();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c + 1);
        let placeholder = &rest[open..close.unwrap_or(rest.len())];
        if !ROLE_PLACEHOLDERS.contains(&placeholder) {
            let d = problems.error(
                pattern,
                format!("unknown placeholder `{placeholder}` in the role name"),
            );
            problems.push(d.help("role names may use `{date}` and `{id}`"));
            return;
        }
        rest = &rest[close.unwrap_or(rest.len())..];
    }
    let sample = super::render_role_name(text, "2026-02-17-b", chrono::NaiveDate::MIN);
    if text.trim().is_empty() || sample.chars().count() > 100 {
        let d = problems.error(
            pattern,
            "a role name must be 1 to 100 characters (Discord's limit)",
        );
        problems.push(d);
    }
}

/// A Discord id, typed: 17 to 20 digits that fit in 64 bits.
pub(super) fn discord_id(text: Option<&Text>, problems: &mut Problems) -> Option<Snowflake> {
    let value = snowflake(text, problems)?;
    match value.parse() {
        Ok(id) => Some(id),
        Err(_) => {
            let text = text.expect("a value was read");
            let d = problems.error(text, format!("`{value}` is not a Discord id"));
            problems.push(d.help("Discord ids fit in 64 bits; copy the id again from Discord"));
            None
        }
    }
}

/// A Discord id: 17 to 20 digits.
pub(super) fn snowflake(text: Option<&Text>, problems: &mut Problems) -> Option<String> {
    let text = text?;
    let value = text.get_ref();
    if (17..=20).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        Some(value.clone())
    } else {
        let d = problems.error(text, format!("`{value}` is not a Discord id"));
        problems.push(d.help(
            "Discord ids are 17-20 digits: enable Developer Mode in Discord, then right-click → Copy ID",
        ));
        None
    }
}
