//! `tsudoi post ID`: the event post in the sign-up channel, once. Also the shared frame of the
//! one-event write commands (`post`, `share`): load, check, lock, act, report.

use super::{RunKind, connect, report_actions};
use crate::cli::PostArgs;
use crate::config::Config;
use crate::discord::Client;
use crate::error::Error;
use crate::event::{Directory, Event, Status};
use crate::publish::{self, ActionReport, Ctx, Shared};
use crate::render::templates::Templates;
use crate::schedule::timeline::Action;
use crate::state::{Held, LOCK_PATIENCE, Outcome, Store};

pub fn run(args: &PostArgs, config: &Config) -> Result<(), Error> {
    let frame = Frame {
        id: &args.id,
        command: "post",
        dry_run: args.dry_run,
        reveal: false,
    };
    let repost = args.repost;
    frame.run_all(
        config,
        |_| Ok(None),
        |ctx, held| post_and_event(ctx, held, repost),
    )
}

/// The event post (or, once posted, its edits), then the scheduled event when the series keeps
/// one (it links to the post).
fn post_and_event(ctx: &Ctx, held: &mut Held, repost: bool) -> Result<Vec<ActionReport>, Error> {
    let mut reports = vec![post_or_sync(ctx, held, repost)?];
    if ctx.event.scheduled_event.is_some() {
        let action = Action::ScheduledEvent;
        reports.push(
            publish::scheduled_event(ctx, held)
                .unwrap_or_else(|error| publish::failure(ctx, held, action, &error)),
        );
    }
    Ok(reports)
}

/// The event post: posted once, then kept in step with the files; a post deleted on Discord is
/// posted anew only with `--repost`.
fn post_or_sync(ctx: &Ctx, held: &mut Held, repost: bool) -> Result<ActionReport, Error> {
    if repost {
        forget_post(held)?;
    } else if held.get(Action::Post.key()).is_some_and(|r| r.gone) {
        return Ok(ActionReport {
            event: ctx.event.id.clone(),
            action: Some(Action::Post),
            outcome: Outcome::Failed,
            detail: format!(
                "the event post was deleted on Discord (hint: run `tsudoi post {} --repost` to post it \
                     anew)",
                ctx.event.id
            ),
        });
    }
    // Posted already: bring it up to date with the files (edits, notices).
    if let Some(report) = publish::sync_post(ctx, held)? {
        return Ok(report);
    }
    require_scheduled(ctx.event)?;
    publish::post(ctx, held)
}

/// After `cancel` or `move` changed the event file: the event's later actions settled, and its
/// post (when tsudoi made one) edited with its notice, as the next `tick` would.
pub fn update(config: &Config, id: &str, command: &'static str) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let event = directory.event(id)?;
    let store = Store::new(&config.dir);
    let posted = store
        .peek(id)?
        .get(Action::Post.key())
        .is_some_and(|r| r.outcome == Outcome::Done && !r.message_ids.is_empty());
    if !posted || event.post_id.is_some() {
        let mut held = Held::open(store, id, LOCK_PATIENCE, false)?;
        crate::publish::settle_status(&mut held, event, config.now)?;
        let report = ActionReport {
            event: id.to_string(),
            action: Some(Action::Post),
            outcome: Outcome::Done,
            detail: "not posted by tsudoi; nothing to edit".into(),
        };
        let run = RunKind {
            dry_run: false,
            reveal: false,
            one_line: false,
        };
        report_actions(config, None, run, &[report]);
        return Ok(());
    }
    let frame = Frame {
        id,
        command,
        dry_run: false,
        reveal: false,
    };
    frame.run(
        config,
        |_| Ok(None),
        |ctx, held| {
            crate::publish::settle_status(held, ctx.event, ctx.now)?;
            Ok(match publish::sync_post(ctx, held)? {
                Some(report) => report,
                None => ActionReport {
                    event: ctx.event.id.clone(),
                    action: Some(Action::Post),
                    outcome: Outcome::Done,
                    detail: "already up to date".into(),
                },
            })
        },
    )
}

/// `--repost`: forget the post recorded (gone from Discord) so it is posted anew.
fn forget_post(held: &mut Held) -> Result<(), Error> {
    held.ledger.actions.remove(Action::Post.key());
    held.save()
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
        self.run_all(config, check, |ctx, held| act(ctx, held).map(|r| vec![r]))
    }

    /// [`Frame::run`] for a command that does several actions, reported in order.
    pub fn run_all(
        &self,
        config: &Config,
        check: impl FnOnce(&Event) -> Result<Option<String>, Error>,
        act: impl FnOnce(&Ctx, &mut Held) -> Result<Vec<ActionReport>, Error>,
    ) -> Result<(), Error> {
        let directory = Directory::load(&config.dir)?;
        let series = directory.series()?;
        let event = directory.event(self.id)?;
        // A cancelled event's post is still edited to say so (`post ID` run again).
        if !(matches!(self.command, "post" | "cancel" | "move") && event.status == Status::Cancelled) {
            require_scheduled(event)?;
        }
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
        let reports = act(&ctx, &mut held).map_err(|e| scrubbed(e, &client))?;
        let failed = reports.iter().filter(|r| r.outcome == Outcome::Failed).count();
        let run = RunKind {
            dry_run: self.dry_run,
            reveal: self.reveal,
            one_line: false,
        };
        report_actions(config, Some(&client), run, &reports);
        if failed > 0 {
            Err(Error::Reported { count: failed })
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
