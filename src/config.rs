//! Arguments, environment and clock, resolved once. No command reads `std::env` or the clock.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::cli::{Cli, ColorWhen};
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
        })
    }
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
