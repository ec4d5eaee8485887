//! How the client is set up: where it connects, how it introduces itself, how patient it is.

use std::time::{Duration, Instant};

use super::error::DiscordError;

pub const DEFAULT_API_BASE: &str = "https://discord.com/api/v10";

/// Where tsudoi lives, named in the User-Agent: the one place to change when it moves.
/// (Cargo.toml has no `repository` key until the project has a public home.) A macro so that
/// `concat!` can take it too.
macro_rules! project_url {
    () => {
        "https://github.com/tsudoi/tsudoi"
    };
}

/// `DiscordBot (url, version)`, the form Discord requires of bots.
pub const USER_AGENT: &str = concat!(
    "DiscordBot (",
    project_url!(),
    ", ",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// How long one request may take by default: long enough for Discord on a slow link, short
/// enough that four tries of a dead server fit in a cron minute.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How patient and how persistent the client is.
#[derive(Debug, Clone)]
pub struct Options {
    pub base: String,
    /// Per request: connecting, sending and reading the whole answer.
    pub timeout: Duration,
    /// No request starts after this instant (on the client's clock), no wait runs past it, and
    /// a request's timeout shrinks to end by it. `None`: no deadline (a command run by hand,
    /// which may wait out rate limits up to `max_wait`).
    pub deadline: Option<Instant>,
    /// Total time one command may spend waiting for rate limits and retries.
    pub max_wait: Duration,
    /// Tries per request for network errors and 5xx, the first included.
    pub max_attempts: u32,
    pub backoff: Duration,
    pub backoff_cap: Duration,
    /// Refused requests (401, 403, 429) after which the run stops.
    pub max_invalid: u32,
    pub verbosity: i8,
    /// Send GETs, record every other request instead of sending it.
    pub dry_run: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base: DEFAULT_API_BASE.to_string(),
            timeout: DEFAULT_TIMEOUT,
            deadline: None,
            max_wait: Duration::from_secs(120),
            max_attempts: 4,
            backoff: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(8),
            max_invalid: 10,
            verbosity: 0,
            dry_run: false,
        }
    }
}

/// Time as the client sees it; tests of the waiting logic can bring their own.
pub trait Clock {
    fn now(&self) -> Instant;
    fn sleep(&self, duration: Duration);
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

pub(crate) fn versioned_base(base: &str) -> Result<String, DiscordError> {
    let trimmed = base.trim_end_matches('/');
    let version = trimmed.rsplit('/').next().unwrap_or_default();
    let versioned = version.len() > 1
        && version.starts_with('v')
        && version[1..].bytes().all(|b| b.is_ascii_digit())
        && (trimmed.starts_with("https://") || trimmed.starts_with("http://"));
    if versioned {
        Ok(trimmed.to_string())
    } else {
        Err(DiscordError::BadBase {
            base: base.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_must_name_an_api_version() {
        assert_eq!(
            versioned_base("https://discord.com/api/v10/").unwrap(),
            DEFAULT_API_BASE
        );
        assert!(versioned_base("http://127.0.0.1:9/api/v10").is_ok());
        for bad in [
            "https://discord.com/api",
            "discord.com/api/v10",
            "https://x/v",
            "https://x/vx",
        ] {
            assert!(versioned_base(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn user_agent_has_the_required_form() {
        assert!(
            USER_AGENT.starts_with(concat!("DiscordBot (", project_url!(), ", ")),
            "{USER_AGENT}"
        );
        assert!(USER_AGENT.ends_with(&format!(", {})", env!("CARGO_PKG_VERSION"))));
    }
}
