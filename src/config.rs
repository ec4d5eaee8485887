//! Arguments, environment and clock, resolved once. No command reads `std::env` or the clock.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, LocalResult, NaiveDateTime, Utc};
use chrono_tz::Tz;

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

pub use crate::event::load::DEFAULT_DIR;

impl Config {
    pub fn resolve(cli: &Cli) -> Result<Self, Error> {
        // The directory first: a `--now` without an offset is read in the series' zone.
        let dir = cli.dir.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_DIR));
        let now = match &cli.now {
            Some(text) => parse_now(text, &dir)?,
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
            dir,
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

/// RFC 3339, or a wall-clock time in the series' zone: `2026-02-17 14:45`, `2026-02-17T14:45`
/// (seconds optional).
fn parse_now(text: &str, dir: &Path) -> Result<DateTime<Utc>, Error> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    let Some(wall) = parse_wall_clock(text) else {
        return Err(now_usage(
            format!("--now (or TSUDOI_NOW) `{text}` is not a time"),
            "write `2026-02-17 14:45` (the series' zone) or RFC 3339 with its offset, \
             e.g. `2026-02-17T14:45:00+09:00`",
        ));
    };
    let zone = series_zone(dir).map_err(|why| {
        now_usage(
            format!("--now `{text}` has no offset, and {why}"),
            "give the offset, e.g. `2026-02-17T14:45:00+09:00`, or pass --dir with a tsudoi.toml",
        )
    })?;
    match wall.and_local_timezone(zone) {
        LocalResult::Single(time) | LocalResult::Ambiguous(time, _) => Ok(time.with_timezone(&Utc)),
        LocalResult::None => Err(now_usage(
            format!("--now `{text}` does not exist in {zone} (the clocks skip it)"),
            "pick a time outside the daylight-saving gap, or give the offset",
        )),
    }
}

fn parse_wall_clock(text: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// The `[series] timezone` of the directory's `tsudoi.toml`, read only for `--now`.
fn series_zone(dir: &Path) -> Result<Tz, String> {
    let path = dir.join(crate::event::load::SERIES_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|_| format!("`{}` cannot be read for the series' time zone", path.display()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|_| format!("`{}` is not valid TOML", path.display()))?;
    let name = table
        .get("series")
        .and_then(|s| s.get("timezone"))
        .and_then(|z| z.as_str())
        .ok_or_else(|| format!("`{}` names no `[series] timezone`", path.display()))?;
    name.parse()
        .map_err(|_| format!("`{name}` in `{}` is not an IANA time zone", path.display()))
}

fn now_usage(message: String, hint: &str) -> Error {
    Error::Usage {
        message,
        hint: hint.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_without_an_offset_is_read_in_the_series_zone() {
        let dir = tempfile::tempdir().unwrap();
        let series = "[series]\ntitle = \"t\"\ntimezone = \"Asia/Tokyo\"\n";
        std::fs::write(dir.path().join("tsudoi.toml"), series).unwrap();
        let expected = DateTime::parse_from_rfc3339("2026-02-17T05:45:00Z").unwrap();
        for text in ["2026-02-17 14:45", "2026-02-17T14:45", "2026-02-17T14:45:00"] {
            assert_eq!(parse_now(text, dir.path()).unwrap(), expected, "{text}");
        }
        assert_eq!(parse_now("2026-02-17T05:45:00Z", dir.path()).unwrap(), expected);
        let nowhere = dir.path().join("nowhere");
        let error = parse_now("2026-02-17 14:45", &nowhere).unwrap_err();
        assert!(matches!(error, Error::Usage { .. }), "{error:?}");
        assert!(matches!(parse_now("soon", dir.path()), Err(Error::Usage { .. })));
    }

    #[test]
    fn a_wall_clock_now_in_a_daylight_saving_gap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let series = "[series]\ntitle = \"t\"\ntimezone = \"Europe/Berlin\"\n";
        std::fs::write(dir.path().join("tsudoi.toml"), series).unwrap();
        assert!(parse_now("2026-03-29 02:30", dir.path()).is_err());
        assert!(parse_now("2026-03-29 03:30", dir.path()).is_ok());
    }

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
