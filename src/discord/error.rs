//! Everything that can go wrong talking to Discord, with the words and the fix.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

/// An error response from the API: what Discord said, where, and which fields it blamed.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    /// Discord's JSON error code (e.g. 50013), when the body had one.
    pub code: Option<u64>,
    pub message: String,
    /// `METHOD /path` as sent.
    pub route: String,
    /// For form errors (50035): `field.path: message` for each rejected field.
    pub fields: Vec<String>,
    /// The role the request was about, when the caller knows its name.
    pub role: Option<String>,
}

impl ApiError {
    /// Parse a JSON error body; `None` when the body is not Discord's error, an object with a
    /// numeric `code` and a `message` (a proxy's or an edge page's answer is not).
    pub fn parse(status: u16, route: String, body: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let object = value.as_object()?;
        if !object.get("code").is_some_and(Value::is_u64)
            || !object.get("message").is_some_and(Value::is_string)
        {
            return None;
        }
        let mut fields = Vec::new();
        if let Some(errors) = object.get("errors") {
            collect_fields(errors, String::new(), &mut fields);
        }
        Some(Self {
            status,
            code: object.get("code").and_then(Value::as_u64),
            message: object
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            route,
            fields,
            role: None,
        })
    }

    /// What went wrong, in words.
    pub fn explanation(&self) -> String {
        let what = match (self.status, self.code) {
            (401, _) => "the token was refused: it is wrong, revoked or reset".to_string(),
            (_, Some(50001)) => "the bot cannot see this channel or server (Missing Access)".to_string(),
            (_, Some(50013)) if self.is_role_route() => {
                let role = self.role.as_deref().unwrap_or("the event role");
                format!("the bot may not manage `{role}` (Missing Permissions)")
            }
            (_, Some(50013)) => "the bot lacks a permission this needs (Missing Permissions)".to_string(),
            (_, Some(10003)) => "the channel does not exist or the bot cannot see it".to_string(),
            (_, Some(10004)) => "the server does not exist or the bot is not in it".to_string(),
            (_, Some(10007)) => "the user is not a member of the server (any more)".to_string(),
            (_, Some(10008)) => "the message does not exist (deleted?)".to_string(),
            (_, Some(10011)) => "the role does not exist (deleted?)".to_string(),
            (_, Some(10013)) => "the user does not exist".to_string(),
            (_, Some(10014)) => "the emoji does not exist or the bot cannot use it".to_string(),
            (_, Some(50007)) => "the user does not accept direct messages from the bot".to_string(),
            (_, Some(50035)) => format!(
                "Discord rejected the request's fields: {}",
                self.fields.join("; ")
            ),
            (_, Some(30005)) => "the server has reached its limit of 250 roles".to_string(),
            (_, Some(30038)) => "the server has reached its limit of 100 open scheduled events".to_string(),
            (_, Some(180_000)) => "the scheduled event has finished and can no longer be changed".to_string(),
            _ => format!("Discord answered {}", self.message),
        };
        let code = self
            .code
            .filter(|c| *c != 0)
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let verb = if self.status >= 500 { "failed" } else { "refused" };
        format!("{} {verb} ({}{code}): {what}", self.route, self.status)
    }

    /// The next step for a person.
    pub fn fix(&self) -> Option<String> {
        let fix = match (self.status, self.code) {
            (401, _) => "check DISCORD_TOKEN (or --token-file); reset the token in the Developer Portal → \
                         Bot → Reset Token if it leaked"
                .to_string(),
            (_, Some(50001)) => {
                "add the bot to the server, and allow it View Channel on the channel".to_string()
            }
            (_, Some(50013)) if self.is_role_route() => {
                let role = self.role.as_deref().unwrap_or("the event role");
                format!(
                    "move the bot's role above `{role}` in Server Settings → Roles, and give it Manage Roles"
                )
            }
            (_, Some(50013)) => {
                "give the bot's role the permission in Server Settings → Roles or the channel's permissions; \
                 `tsudoi doctor` names the missing one"
                    .to_string()
            }
            (_, Some(10003 | 10004)) => {
                "check the ids under `[discord]` in tsudoi.toml (Developer Mode → right click → Copy ID)"
                    .to_string()
            }
            (_, Some(10008)) => {
                "remove the recorded message id, or set `post_id` to the current post".to_string()
            }
            (_, Some(10011)) => "run the command again: the role is created when missing".to_string(),
            (_, Some(10007 | 10013)) => "nothing to do for this user".to_string(),
            (_, Some(10014)) => "use a standard emoji or one from this server".to_string(),
            (_, Some(50007)) => "ask the member to allow direct messages from server members".to_string(),
            (_, Some(30005)) => "delete roles of past events in Server Settings → Roles".to_string(),
            (_, Some(30038)) => {
                "cancel or delete events that will not happen in the server's Events list".to_string()
            }
            (_, Some(180_000)) => "nothing to do: tsudoi leaves a finished event alone".to_string(),
            (_, Some(50035)) => "this is a bug in tsudoi; please report it with the fields above".to_string(),
            _ => return None,
        };
        Some(fix)
    }

    fn is_role_route(&self) -> bool {
        self.route.contains("/roles") || self.role.is_some()
    }
}

/// `{"content": {"_errors": [{"message": ".."}]}}` → `content: ..`, nested paths joined by dots.
fn collect_fields(value: &Value, path: String, out: &mut Vec<String>) {
    let Some(object) = value.as_object() else { return };
    for (key, child) in object {
        if key == "_errors" {
            for error in child.as_array().into_iter().flatten() {
                let message = error.get("message").and_then(Value::as_str).unwrap_or("invalid");
                out.push(format!(
                    "{}: {message}",
                    if path.is_empty() { "(body)" } else { &path }
                ));
            }
        } else {
            let next = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            collect_fields(child, next, out);
        }
    }
}

fn out_of_time(waiting: &Option<(Duration, &'static str)>) -> String {
    match waiting {
        Some((wait, why)) => format!(
            "waiting {} for {why} would pass the time budget of this run",
            seconds(*wait)
        ),
        None => "the time budget of this run is used up".to_string(),
    }
}

fn seconds(duration: Duration) -> String {
    format!("{:.1}s", duration.as_secs_f64())
}

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("no Discord bot token")]
    MissingToken,

    #[error("cannot read the token file `{}`: {source}", path.display())]
    TokenFile { path: PathBuf, source: std::io::Error },

    #[error("the token file `{}` is empty", path.display())]
    EmptyTokenFile { path: PathBuf },

    #[error("DISCORD_API_BASE `{base}` is not a versioned Discord API URL")]
    BadBase { base: String },

    #[error("{}", .0.explanation())]
    Api(ApiError),

    #[error(
        "{route} was answered by {what} ({status}), not by Discord's API: a proxy or Cloudflare's \
             edge answered (it blocks after too many invalid requests); stopping this run"
    )]
    EdgeBlocked {
        status: u16,
        route: String,
        /// What came instead, e.g. `an HTML page`.
        what: String,
    },

    /// A success status whose answer is not Discord's JSON (a captive portal, an outage page).
    #[error("{route} was answered by {what} ({status}), not by Discord's API")]
    NotDiscord {
        status: u16,
        route: String,
        what: String,
    },

    /// Discord's API never redirects; a redirect comes from something else on the way.
    #[error(
        "{route} was redirected ({status}) to `{}`; Discord's API never redirects, so tsudoi \
             sent nothing there and stopped this run",
        location.as_deref().unwrap_or("nowhere named")
    )]
    Redirect {
        status: u16,
        route: String,
        /// The host (and port) the `Location` header named; never its path.
        location: Option<String>,
    },

    #[error(
        "{route}: answer too large (over {} MiB, more than any Discord answer tsudoi reads); not read",
        limit / (1024 * 1024)
    )]
    TooLarge { route: String, limit: u64 },

    #[error("{route} not sent: {}", out_of_time(waiting))]
    OutOfTime {
        route: String,
        waiting: Option<(Duration, &'static str)>,
    },

    #[error("{route}: {detail}")]
    Network { route: String, detail: String },

    #[error(
        "{route}: waiting {} more for {why} would pass the wait cap of {} (already waited {})",
        seconds(*needed),
        seconds(*cap),
        seconds(*waited)
    )]
    WaitCap {
        route: String,
        why: &'static str,
        waited: Duration,
        needed: Duration,
        cap: Duration,
    },

    #[error(
        "stopped after {count} refused requests (401, 403 or 429) in this run; Discord bans IPs that \
             keep sending them"
    )]
    TooManyInvalid { count: u32 },

    #[error("{route} not sent: an earlier request stopped this run ({why})")]
    Stopped { route: String, why: String },

    #[error("{route}: unexpected answer from Discord (cut short, or not Discord's): {detail}")]
    Decode { route: String, detail: String },
}

impl DiscordError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::MissingToken => Some("set DISCORD_TOKEN or pass --token-file".into()),
            Self::TokenFile { .. } | Self::EmptyTokenFile { .. } => {
                Some("put the bot token (Developer Portal → Bot → Reset Token) in the file, alone".into())
            }
            Self::BadBase { .. } => Some("leave DISCORD_API_BASE unset, or end it with the version, e.g. `https://discord.com/api/v10`".into()),
            Self::Api(error) => error.fix(),
            Self::EdgeBlocked { .. } => Some("if it persists, wait an hour before trying again; `tsudoi doctor` checks the setup with few requests".into()),
            Self::NotDiscord { .. } | Self::Decode { .. } | Self::TooLarge { .. } => Some(
                "nothing is given up: `tick` retries at its next run, or run the command again; if it persists, \
                 check DISCORD_API_BASE and any proxy on the way"
                    .into(),
            ),
            Self::Redirect { .. } => Some(
                "leave DISCORD_API_BASE unset, or point it at Discord's API itself; check any proxy on the way"
                    .into(),
            ),
            Self::OutOfTime { .. } => Some("the next `tick` continues where this one stopped".into()),
            Self::Network { .. } => Some("check the network connection, then run the command again".into()),
            Self::WaitCap { .. } => Some("run the command again later, or raise the cap with --max-wait (or TSUDOI_MAX_WAIT)".into()),
            Self::TooManyInvalid { .. } => Some("fix what the earlier errors name (`tsudoi doctor` helps), then run again".into()),
            Self::Stopped { .. } => None,
        }
    }

    /// Worth trying again later: the network, a server error, a wait past the cap or the time
    /// budget, and any answer that is not Discord's (an edge or proxy page, a redirect, cut or
    /// unparsable JSON, a huge body). Discord's own refusal (400, 401, 403, 404 with its JSON
    /// error) is not: repeating it only counts toward an IP ban.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network { .. }
            | Self::WaitCap { .. }
            | Self::Stopped { .. }
            | Self::OutOfTime { .. }
            | Self::EdgeBlocked { .. }
            | Self::NotDiscord { .. }
            | Self::Redirect { .. }
            | Self::TooLarge { .. }
            | Self::Decode { .. } => true,
            Self::Api(error) => error.status >= 500 || error.status == 429,
            Self::MissingToken
            | Self::TokenFile { .. }
            | Self::EmptyTokenFile { .. }
            | Self::BadBase { .. }
            | Self::TooManyInvalid { .. } => false,
        }
    }

    /// The API error, if Discord answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Name the role a failed request was about, so the fix can name it too.
    pub fn about_role(mut self, name: &str) -> Self {
        if let Self::Api(error) = &mut self {
            error.role = Some(name.to_string());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str, route: &str) -> ApiError {
        ApiError::parse(status, route.into(), body.as_bytes()).unwrap()
    }

    #[test]
    fn every_documented_code_is_explained_with_a_fix() {
        let grant = "PUT /guilds/1/members/2/roles/3";
        let cases = [
            (
                401,
                r#"{"message":"401: Unauthorized","code":0}"#,
                "the token was refused",
                "Reset Token",
            ),
            (
                403,
                r#"{"message":"Missing Access","code":50001}"#,
                "Missing Access",
                "View Channel",
            ),
            (
                404,
                r#"{"message":"Unknown Channel","code":10003}"#,
                "channel does not exist",
                "[discord]",
            ),
            (
                404,
                r#"{"message":"Unknown Guild","code":10004}"#,
                "server does not exist",
                "[discord]",
            ),
            (
                404,
                r#"{"message":"Unknown Member","code":10007}"#,
                "not a member",
                "nothing to do",
            ),
            (
                404,
                r#"{"message":"Unknown Message","code":10008}"#,
                "message does not exist",
                "post_id",
            ),
            (
                404,
                r#"{"message":"Unknown Role","code":10011}"#,
                "role does not exist",
                "created",
            ),
            (
                404,
                r#"{"message":"Unknown User","code":10013}"#,
                "user does not exist",
                "nothing to do",
            ),
            (
                400,
                r#"{"message":"Unknown Emoji","code":10014}"#,
                "emoji",
                "standard emoji",
            ),
            (
                403,
                r#"{"message":"Cannot send","code":50007}"#,
                "direct messages",
                "allow direct",
            ),
            (
                400,
                r#"{"message":"Max roles","code":30005}"#,
                "250 roles",
                "delete roles",
            ),
        ];
        for (status, body, words, fix) in cases {
            let error = api(status, body, "GET /x");
            assert!(
                error.explanation().contains(words),
                "{body}: {}",
                error.explanation()
            );
            assert!(error.fix().unwrap().contains(fix), "{body}: {:?}", error.fix());
        }
        let error = DiscordError::Api(api(
            403,
            r#"{"message":"Missing Permissions","code":50013}"#,
            grant,
        ))
        .about_role("2026-02-17");
        assert_eq!(
            error.hint().unwrap(),
            "move the bot's role above `2026-02-17` in Server Settings → Roles, and give it Manage Roles"
        );
        assert_eq!(
            error.to_string(),
            "PUT /guilds/1/members/2/roles/3 refused (403 50013): the bot may not manage `2026-02-17` \
             (Missing Permissions)"
        );
    }

    #[test]
    fn form_errors_name_each_field() {
        let body = r#"{"code":50035,"message":"Invalid Form Body","errors":{
            "content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 2000 or fewer in length."}]},
            "message_reference":{"message_id":{"_errors":[{"code":"X","message":"Unknown message"}]}}}}"#;
        let error = api(400, body, "POST /channels/1/messages");
        assert_eq!(
            error.fields,
            [
                "content: Must be 2000 or fewer in length.",
                "message_reference.message_id: Unknown message"
            ]
        );
        assert!(error.explanation().contains("content: Must be 2000"));
    }

    #[test]
    fn html_is_not_an_api_error() {
        assert!(ApiError::parse(403, "GET /x".into(), b"<!DOCTYPE html><title>Blocked</title>").is_none());
    }

    #[test]
    fn json_without_discords_code_and_message_is_not_an_api_error() {
        for body in [
            r#"{"error":"not found"}"#,
            r#"{"message":"x"}"#,
            r#"{"code":"1","message":"x"}"#,
            "[]",
        ] {
            assert!(
                ApiError::parse(404, "GET /x".into(), body.as_bytes()).is_none(),
                "{body}"
            );
        }
    }

    #[test]
    fn answers_that_are_not_discords_are_transient_refusals_are_not() {
        let route = || "GET /x".to_string();
        let transient = [
            DiscordError::NotDiscord {
                status: 200,
                route: route(),
                what: "an HTML page".into(),
            },
            DiscordError::EdgeBlocked {
                status: 404,
                route: route(),
                what: "an HTML page".into(),
            },
            DiscordError::Redirect {
                status: 307,
                route: route(),
                location: None,
            },
            DiscordError::TooLarge {
                route: route(),
                limit: 1,
            },
            DiscordError::Decode {
                route: route(),
                detail: "EOF".into(),
            },
            DiscordError::OutOfTime {
                route: route(),
                waiting: None,
            },
        ];
        for error in transient {
            assert!(error.is_transient(), "{error}");
        }
        let refused = api(404, r#"{"message":"Unknown Channel","code":10003}"#, "GET /x");
        assert!(!DiscordError::Api(refused).is_transient());
    }
}
