//! `tsudoi post ID`: the event post in the sign-up channel, once. Also the shared frame of the
//! one-event write commands (`post`, `share`): load, check, lock, act, report.

use super::{RunKind, connect, report_actions};
use crate::actions::{self, Ctx, Report};
use crate::cli::PostArgs;
use crate::config::Config;
use crate::discord::Client;
use crate::error::Error;
use crate::event::{Directory, Event, Status};
use crate::render::templates::Templates;
use crate::state::{Held, Outcome, Store};

/// How long a command waits for another tsudoi (a tick) working on the same event.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

pub fn run(args: &PostArgs, config: &Config) -> Result<(), Error> {
    let frame = Frame {
        id: &args.id,
        command: "post",
        dry_run: args.dry_run,
        reveal: false,
    };
    frame.run(config, |_| Ok(None), actions::post)
}

/// One write command on one event.
pub struct Frame<'a> {
    pub id: &'a str,
    pub command: &'static str,
    pub dry_run: bool,
    /// Let secrets through in the output (`share --reveal`).
    pub reveal: bool,
}

impl Frame<'_> {
    /// `check` runs on the event before the token is read and may return a secret that no
    /// output may show; `act` does the work under the event's lock.
    pub fn run(
        &self,
        config: &Config,
        check: impl FnOnce(&Event) -> Result<Option<String>, Error>,
        act: impl FnOnce(&Ctx, &mut Held) -> Result<Report, Error>,
    ) -> Result<(), Error> {
        let directory = Directory::load(&config.dir)?;
        let series = directory.series()?;
        let event = directory.event(self.id)?;
        require_scheduled(event)?;
        crate::viewer_url::register_all(&directory.events, |name| config.env_var(name));
        let secret = check(event)?;
        let templates = Templates::load(&config.dir, series.language)
            .map_err(|problems| Error::BrokenTemplates { problems })?;
        let client = connect(config, self.dry_run)?;
        if let Some(secret) = &secret {
            client.add_secret(secret);
        }
        client.set_reason(self.command, Some(&event.id));
        let mut held = Held::open(Store::new(&config.dir), &event.id, PATIENCE, self.dry_run)?;
        let ctx = Ctx::new(
            config,
            series,
            &directory.events,
            event,
            &client,
            &templates,
            self.dry_run,
        );
        let report = act(&ctx, &mut held).map_err(|e| scrubbed(e, &client))?;
        let failed = report.outcome == Outcome::Failed;
        let run = RunKind {
            dry_run: self.dry_run,
            reveal: self.reveal,
            one_line: false,
        };
        report_actions(config, Some(&client), run, &[report]);
        if failed {
            Err(Error::Reported { count: 1 })
        } else {
            Ok(())
        }
    }
}

/// Drafts and cancelled events are never published.
pub fn require_scheduled(event: &Event) -> Result<(), Error> {
    match event.status {
        Status::Scheduled => Ok(()),
        Status::Draft => Err(Error::invalid(
            format!("`{}` is a draft; nothing was sent", event.id),
            format!(
                "set `status = \"scheduled\"` in {} when it is ready",
                event.path.display()
            ),
        )),
        Status::Cancelled => Err(Error::invalid(
            format!("`{}` is cancelled; nothing was sent", event.id),
            "a cancelled event is never announced",
        )),
    }
}

/// An error on its way out must not carry a secret either.
fn scrubbed(error: Error, client: &Client) -> Error {
    match error {
        Error::Discord(_) => error,
        other => {
            let message = client.scrub(&other.to_string());
            Error::Invalid {
                message,
                hint: other.hint(),
            }
        }
    }
}
