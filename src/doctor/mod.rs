//! What `tsudoi doctor` concludes from what Discord returned: one row per check, each failure
//! with its fix. Pure: the command fetches, this judges.

mod channels;
mod roles;

use serde::Serialize;

use crate::discord::models::{VERIFICATION_LEVELS, application_flags as flags};
use crate::discord::{Application, DiscordError, Guild};

pub use channels::{Audience, share_channel, signup_channel};
pub use roles::{EventRole, Seat, bot_role, event_role, manage_roles};

pub const ROLE_CAP: usize = 250;
/// Fewer free roles than this is worth a warning: each event takes one.
const ROLE_HEADROOM_WARN: usize = 10;

/// Every row doctor prints, in order.
pub const CHECKS: [&str; 18] = [
    "token",
    "intents",
    "message content intent",
    "server members intent",
    "server",
    "verification level",
    "role headroom",
    "bot role",
    "manage roles",
    "event role",
    "sign-up channel",
    "sign-up permissions",
    "share channel",
    "share permissions",
    "share privacy",
    "share overwrite",
    "viewer URL",
    "next event",
];

/// Every row, in order: the checks that ran, and a skip for each that could not.
pub fn complete(mut checks: Vec<Check>) -> Vec<Check> {
    let done: Vec<&str> = checks.iter().map(|c| c.check).collect();
    // "intents" only stands in for the two intent rows when the application could not be read.
    let skipped = |name: &str| {
        !done.contains(&name) && name != "intents" && !(done.contains(&"intents") && name.ends_with("intent"))
    };
    let rest: Vec<Check> = CHECKS
        .into_iter()
        .filter(|name| skipped(name))
        .map(|name| Check::skip(name, "not checked: an earlier check failed"))
        .collect();
    checks.extend(rest);
    checks.sort_by_key(|c| CHECKS.iter().position(|name| *name == c.check));
    checks
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    /// Not checked, because an earlier check failed or there is nothing to check.
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warn => "warn",
            Self::Fail => "fail",
            Self::Skip => "skip",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(check: &'static str, detail: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn warn(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn skip(check: &'static str, why: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Skip,
            detail: why.into(),
            fix: None,
        }
    }

    /// A request that failed: Discord's refusal in words, and its fix.
    pub fn error(check: &'static str, error: &DiscordError) -> Self {
        let fix = error
            .hint()
            .unwrap_or_else(|| "run `tsudoi doctor -v` to see the requests".into());
        Self::fail(check, error.to_string(), fix)
    }
}

const PORTAL_INTENTS: &str = "Developer Portal → Applications → your bot → Bot → Privileged Gateway Intents";

/// Both privileged intents tsudoi relies on, each with why it is needed.
pub fn intents(app: &Application) -> [Check; 2] {
    let has = |full: u64, limited: u64| app.flags & (full | limited) != 0;
    let content = if has(
        flags::GATEWAY_MESSAGE_CONTENT,
        flags::GATEWAY_MESSAGE_CONTENT_LIMITED,
    ) {
        Check::ok("message content intent", "on: sign-up messages can be read")
    } else {
        Check::fail(
            "message content intent",
            "off: sign-ups are read from message text, and without this intent every declaration reads as empty",
            format!("{PORTAL_INTENTS} → turn on Message Content Intent"),
        )
    };
    let members = if has(flags::GATEWAY_GUILD_MEMBERS, flags::GATEWAY_GUILD_MEMBERS_LIMITED) {
        Check::ok("server members intent", "on: members can be listed")
    } else {
        Check::fail(
            "server members intent",
            "off: `roles` lists the members to find boosters and to check who is still in the server",
            format!("{PORTAL_INTENTS} → turn on Server Members Intent"),
        )
    };
    [content, members]
}

pub fn verification(guild: &Guild) -> Check {
    let level = usize::from(guild.verification_level);
    let name = VERIFICATION_LEVELS.get(level).copied().unwrap_or("unknown");
    if level >= 4 {
        Check::ok("verification level", name)
    } else {
        Check::warn(
            "verification level",
            format!("`{name}`, below `verified phone`, which the event page asks members for"),
            "Server Settings → Safety Setup → Verification Level → Highest (verified phone)",
        )
    }
}

pub fn role_headroom(guild: &Guild) -> Check {
    let count = guild.roles.len();
    let free = ROLE_CAP.saturating_sub(count);
    let detail = format!("{count} of {ROLE_CAP} roles; room for {free} more");
    let fix = "delete the roles of past events in Server Settings → Roles";
    if free == 0 {
        Check::fail(
            "role headroom",
            format!("{detail}: the next event's role cannot be created"),
            fix,
        )
    } else if free < ROLE_HEADROOM_WARN {
        Check::warn("role headroom", detail, fix)
    } else {
        Check::ok("role headroom", detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(flags: u64) -> Application {
        serde_json::from_value(serde_json::json!({ "id": "1", "flags": flags })).unwrap()
    }

    #[test]
    fn intents_count_in_their_limited_form_too() {
        let statuses = |flags| intents(&app(flags)).map(|c| c.status);
        assert_eq!(statuses(0), [Status::Fail, Status::Fail]);
        let limited = flags::GATEWAY_MESSAGE_CONTENT_LIMITED | flags::GATEWAY_GUILD_MEMBERS_LIMITED;
        assert_eq!(statuses(limited), [Status::Ok, Status::Ok]);
        assert_eq!(statuses(flags::GATEWAY_GUILD_MEMBERS), [Status::Fail, Status::Ok]);
    }

    #[test]
    fn every_row_is_printed_in_order_with_skips_for_the_rest() {
        let done = vec![
            Check::ok("token", "valid"),
            Check::fail("intents", "GET /applications/@me failed", "retry"),
        ];
        let rows = complete(done);
        let names: Vec<&str> = rows.iter().map(|c| c.check).collect();
        assert_eq!(names[..3], ["token", "intents", "server"]);
        assert_eq!(
            rows.len(),
            CHECKS.len() - 2,
            "the two intent rows give way to `intents`"
        );
        assert!(rows[2..].iter().all(|c| c.status == Status::Skip));
    }
}
