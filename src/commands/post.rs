//! `tsudoi post ID`: the event post in the sign-up channel, once. Also the shared frame of the
//! one-event write commands (`post`, `share`): load, check, lock, act, report.

use super::{connect, report_actions};
use crate::cli::PostArgs;
use crate::config::Config;
use crate::discord::Client;
use crate::error::Error;
use crate::event::{Directory, Event, Status};
use crate::publish::{self, ActionReport, Ctx, Shared};
use crate::render::templates::Templates;
use crate::state::{Held, LOCK_PATIENCE, Outcome, Store};

pub fn run(args: &PostArgs, config: &Config) -> Result<(), Error> {
    let frame = Frame {
        id: &args.id,
        command: "post",
        dry_run: args.dry_run,
        reveal: false,
    };
    frame.run(config, |_| Ok(None), publish::post)
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
        act: impl FnOnce(&Ctx, &mut Held) -> Result<ActionReport, Error>,
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
        let mut held = Held::open(Store::new(&config.dir), &event.id, LOCK_PATIENCE, self.dry_run)?;
        let shared = Shared {
            config,
            series,
            events: &directory.events,
            client: &client,
            templates: &templates,
            dry_run: self.dry_run,
        };
        let ctx = shared.ctx(event);
        let report = act(&ctx, &mut held).map_err(|e| scrubbed(e, &client))?;
        let failed = report.outcome == Outcome::Failed;
        report_actions(config, Some(&client), self.dry_run, self.reveal, &[report]);
        if failed {
            Err(Error::Reported { count: 1 })
        } else {
            Ok(())
        }
    }
}

/// Drafts, tentative and cancelled events are never published.
pub fn require_scheduled(event: &Event) -> Result<(), Error> {
    match event.status {
        Status::Scheduled => Ok(()),
        Status::Draft | Status::Tentative => Err(Error::Draft {
            id: event.id.clone(),
            path: event.path.clone(),
            status: if event.status == Status::Draft {
                "a draft"
            } else {
                "tentative (its date is not fixed)"
            },
        }),
        Status::Cancelled => Err(Error::Cancelled { id: event.id.clone() }),
    }
}

/// An error on its way out must not carry a secret either.
fn scrubbed(error: Error, client: &Client) -> Error {
    match error {
        Error::Discord(_) => error,
        other => {
            let message = client.scrub(&other.to_string());
            Error::Scrubbed {
                message,
                hint: other.hint(),
            }
        }
    }
}
