//! Arguments, environment and clock, resolved once. No command reads `std::env` or the clock.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::cli::{Cli, ColorWhen};
use crate::discord::client::{DEFAULT_API_BASE, Options};
use crate::discord::redact::{self, Kind};
use crate::discord::{Token, TokenSource};
use crate::duration::Span;
use crate::error::Error;
use crate::output::Paint;

#[derive(Debug, Clone)]
pub struct Config {
    pub dir: PathBuf,
    pub json: bool,
    pub now: DateTime<Utc>,
    /// Colors for stderr, where diagnostics go.
    pub paint: Paint,
    /// -1 quiet, 0 normal, 1.. verbose.
    pub verbosity: i8,
    /// `DISCORD_API_BASE`; checked when a command first needs Discord.
    pub api_base: String,
    /// `--token-file`, else `DISCORD_TOKEN`; a file is read only when a command needs Discord.
    pub token: TokenSource,
    /// `--max-wait` / `TSUDOI_MAX_WAIT`: the cap on waiting for Discord in one command.
    pub max_wait: Duration,
    /// `TSUDOI_HTTP_TIMEOUT`: how long one request to Discord may take.
    pub http_timeout: Duration,
    /// When the run started, on the monotonic clock: time budgets count from here.
    pub started: Instant,
}

pub const DEFAULT_DIR: &str = "events";

impl Config {
    pub fn resolve(cli: &Cli) -> Result<Self, Error> {
        let now = match &cli.now {
            Some(text) => parse_now(text)?,
            None => Utc::now(),
        };
        let color = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
            }
        };
        Ok(Self {
            dir: cli.dir.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_DIR)),
            json: cli.json,
            now,
            paint: Paint::new(color),
            verbosity: if cli.quiet { -1 } else { cli.verbose.min(3) as i8 },
            api_base: std::env::var("DISCORD_API_BASE")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_API_BASE.to_string()),
            token: token_source(cli),
            max_wait: match &cli.max_wait {
                Some(text) => parse_max_wait(text)?,
                None => Options::default().max_wait,
            },
            http_timeout: match std::env::var("TSUDOI_HTTP_TIMEOUT") {
                Ok(text) if !text.trim().is_empty() => parse_http_timeout(&text)?,
                _ => Options::default().timeout,
            },
            started: Instant::now(),
        })
    }

    /// An environment variable named in a file (the viewer URL's): the one place commands
    /// reach the environment after start-up.
    pub fn env_var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    /// The client's settings; `dry_run` for the commands that write.
    pub fn discord_options(&self, dry_run: bool) -> Options {
        Options {
            base: self.api_base.clone(),
            max_wait: self.max_wait,
            timeout: self.http_timeout,
            verbosity: self.verbosity,
            dry_run,
            ..Options::default()
        }
    }
}

fn token_source(cli: &Cli) -> TokenSource {
    if let Some(path) = &cli.token_file {
        return TokenSource::File(path.clone());
    }
    match std::env::var("DISCORD_TOKEN")
        .ok()
        .as_deref()
        .and_then(Token::new)
    {
        Some(token) => {
            redact::register(Kind::Token, token.expose());
            TokenSource::Env(token)
        }
        None => TokenSource::Missing,
    }
}

fn parse_max_wait(text: &str) -> Result<Duration, Error> {
    Span::parse(text)
        .map(|span| Duration::from_secs(span.seconds() as u64))
        .map_err(|e| Error::Usage {
            message: format!("--max-wait (or TSUDOI_MAX_WAIT) `{text}`: {e}"),
            hint: "write a duration such as `90s` or `5m`".into(),
        })
}

/// `500ms`, or a duration such as `10s` or `1m`; never zero.
fn parse_http_timeout(text: &str) -> Result<Duration, Error> {
    let duration = match text.trim().strip_suffix("ms") {
        Some(millis) => millis.parse().ok().map(Duration::from_millis),
        None => Span::parse(text)
            .ok()
            .map(|span| Duration::from_secs(span.seconds() as u64)),
    };
    duration.filter(|d| !d.is_zero()).ok_or_else(|| Error::Usage {
        message: format!("TSUDOI_HTTP_TIMEOUT `{text}` is not a duration"),
        hint: "write a duration such as `10s` or `500ms`, or leave it unset for 10s".into(),
    })
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, Error> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Usage {
            message: format!("--now (or TSUDOI_NOW) `{text}` is not an RFC 3339 time: {e}"),
            hint: "write it with its offset, e.g. `2026-02-17T14:45:00+09:00` or `2026-02-17T05:45:00Z`"
                .into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_timeout_takes_milliseconds_or_a_duration() {
        assert_eq!(parse_http_timeout("200ms").unwrap(), Duration::from_millis(200));
        assert_eq!(parse_http_timeout("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_http_timeout("1m").unwrap(), Duration::from_secs(60));
        for bad in ["0s", "0ms", "soon", "-1ms", "ms"] {
            assert!(parse_http_timeout(bad).is_err(), "{bad}");
        }
    }
}
