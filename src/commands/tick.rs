//! `tsudoi tick`: everything due now, for every event, exactly once. The cron entry point:
//! silent when nothing is due, one line per action otherwise, exit 1 when one failed or was
//! skipped as pointless (once: the skip is recorded).

use std::cell::{Cell, OnceCell};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::{RunKind, connect_with, report_actions};
use crate::cli::TickArgs;
use crate::config::Config;
use crate::discord::Client;
use crate::error::Error;
use crate::event::{Directory, Event, Series, Status};
use crate::publish::{self, ActionReport, Ctx, Grants, Notice, Shared};
use crate::render::templates::Templates;
use crate::schedule::timeline::{self, Action, PRUNE_WINDOW, ROLES_LEAD, State, Step};
use crate::state::{Held, LOCK_PATIENCE, Outcome, Record, Store};

/// One timed write to Discord, done under the event's lock.
type Write = fn(&Ctx, &mut Held, Action) -> Result<ActionReport, Error>;

/// Events further back than this are left alone: their skips were recorded long ago.
const KEEP_LOOKING: TimeDelta = TimeDelta::days(1);

/// How long one tick may talk to Discord, counted from its start: it ends well within the cron
/// minute (a request in flight is cut to end by then too), and the next tick does what is left.
pub const BUDGET: Duration = Duration::from_secs(45);

const NOT_ATTEMPTED: &str = "not attempted: time budget used up, the next tick retries";

pub fn run(args: &TickArgs, config: &Config) -> Result<(), Error> {
    let now = config.now;
    // Nothing of an event ending before yesterday can be due, and no action starts more than a
    // year (the longest policy duration) ahead: the files outside are not read at all.
    let today = now.date_naive();
    let (from, to) = (today - TimeDelta::days(2), today + TimeDelta::days(367));
    let mut directory = Directory::load_dated(&config.dir, |date| (from..=to).contains(&date))?;
    // Event roles are deleted `role_retention` after the end: those events are read too.
    if let Some(keep) = directory.series()?.policy.role_retention {
        let from = from - keep.delta() - PRUNE_WINDOW - TimeDelta::days(1);
        directory = Directory::load_dated(&config.dir, |date| (from..=to).contains(&date))?;
    }
    let mut reports = broken_reports(&directory, now);
    // Before any request: a URL this run does not share may still be read back (-vv) or
    // echoed in an error.
    let window = directory.events.iter().filter(|e| in_window(e, now));
    crate::viewer_url::register_all(window, |name| config.env_var(name));
    let tick = Tick {
        config,
        directory: &directory,
        templates: OnceCell::new(),
        client: OnceCell::new(),
        dry_run: args.dry_run,
        not_attempted: Cell::new(0),
    };
    let store = Store::new(&config.dir);
    for event in directory.events.iter().filter(|e| in_window(e, now)) {
        // Out of time, the ledger is still read (to report what is due) but no lock is waited for.
        let patience = if tick.out_of_time() {
            Duration::ZERO
        } else {
            LOCK_PATIENCE
        };
        let mut held = match Held::open(store.clone(), &event.id, patience, args.dry_run) {
            Ok(held) => held,
            // Another tick (or a command run by hand) is on it: it will report what it did.
            Err(busy @ Error::Busy { .. }) => {
                explain(config, &busy.to_string());
                continue;
            }
            // A damaged or unreadable ledger must not hide the event's actions in silence.
            Err(e) => {
                reports.push(ActionReport {
                    event: event.id.clone(),
                    action: None,
                    outcome: Outcome::Failed,
                    detail: publish::with_hint(&e),
                });
                continue;
            }
        };
        if let Some(report) = tick.live(event, &mut held)? {
            reports.push(report);
        }
        let steps = tick.steps(event, &mut held, &mut reports)?;
        let after_post = waits_for_post(&steps, Action::ScheduledEvent);
        for step in steps {
            if let Some(report) = tick.act(event, &mut held, &step)? {
                reports.push(report);
            }
        }
        // The scheduled event links to the event post: when this tick made the post, it follows.
        if after_post
            && let Some(step) = timeline::steps(event, &held.ledger, now)
                .into_iter()
                .find(|s| s.action == Action::ScheduledEvent && s.state == State::Due)
            && let Some(report) = tick.act(event, &mut held, &step)?
        {
            reports.push(report);
        }
    }
    if !reports.is_empty() || config.json {
        let run = RunKind {
            dry_run: args.dry_run,
            reveal: false,
            one_line: true,
        };
        report_actions(config, tick.client.get(), run, &reports);
    }
    if tick.out_of_time() {
        let left = match tick.not_attempted.get() {
            0 => String::new(),
            n => format!("; {n} due action(s) not attempted"),
        };
        eprintln!(
            "tsudoi: the time budget of {}s was used up{left}; the next tick retries what is left",
            BUDGET.as_secs()
        );
    }
    // A skip is as red as a failure: an action that will never happen is news for the cron
    // mail. It is reported once, since the ledger records it.
    // A reminder skipped (the event started, or nobody holds the role) is no news.
    let bad = reports
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed | Outcome::Skipped))
        .filter(|r| !(r.outcome == Outcome::Skipped && matches!(r.action, Some(Action::Remind(_)))))
        .count();
    if bad > 0 {
        Err(Error::Reported { count: bad })
    } else {
        Ok(())
    }
}

fn waits_for_post(steps: &[Step], action: Action) -> bool {
    steps
        .iter()
        .any(|s| s.action == action && s.state == State::WaitingForPost)
}

/// Whether an event may have anything to do or to record now; most have not, and are not read.
fn in_window(event: &Event, now: DateTime<Utc>) -> bool {
    let pruning = event
        .policy
        .role_retention
        .is_some_and(|keep| now < event.ends_at + keep.delta() + PRUNE_WINDOW + KEEP_LOOKING);
    // A cancelled event is still read: its post says so, its notice goes out, and its later
    // actions are recorded as not needed.
    if event.status == Status::Draft || (now >= event.ends_at + KEEP_LOOKING && !pruning) {
        return false;
    }
    let announce = event
        .policy
        .announce_before_start
        .map(|b| event.starts_at - b.delta());
    let earliest = [Some(event.starts_at - ROLES_LEAD), announce]
        .into_iter()
        .flatten()
        .min();
    earliest.is_some_and(|at| now >= at)
}

/// One tick over the directory: the client and templates are made only when an action is due.
struct Tick<'a> {
    config: &'a Config,
    directory: &'a Directory,
    templates: OnceCell<Templates>,
    client: OnceCell<Client>,
    dry_run: bool,
    /// Due actions left for the next tick because the budget was used up.
    not_attempted: Cell<usize>,
}

impl Tick<'_> {
    fn client(&self) -> Result<&Client, Error> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let options = crate::discord::Options {
            deadline: Some(self.config.started + BUDGET),
            ..self.config.discord_options(self.dry_run)
        };
        let client = connect_with(self.config, options)?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Whether the budget is used up; only a client that talked to Discord can have used it.
    fn out_of_time(&self) -> bool {
        self.client.get().is_some_and(Client::out_of_time)
    }

    fn templates(&self) -> Result<&Templates, Error> {
        if let Some(templates) = self.templates.get() {
            return Ok(templates);
        }
        let series = self.directory.series()?;
        let templates = Templates::load(&self.config.dir, series.language)
            .map_err(|problems| Error::BrokenTemplates { problems })?;
        Ok(self.templates.get_or_init(|| templates))
    }

    /// The event's steps, decided on a true ledger: when it lacks the event post, the post is
    /// looked for on Discord first. When the look fails, nothing that depends on the post is
    /// decided this tick.
    fn steps(
        &self,
        event: &Event,
        held: &mut Held,
        reports: &mut Vec<ActionReport>,
    ) -> Result<Vec<Step>, Error> {
        let now = self.config.now;
        let mut steps = timeline::steps(event, &held.ledger, now);
        if !timeline::post_lookup_due(event, &held.ledger, &steps, now) {
            return Ok(steps);
        }
        match self.find_post(event, held) {
            Ok(Some(report)) => {
                reports.push(report);
                steps = timeline::steps(event, &held.ledger, now);
            }
            Ok(None) => {
                held.ledger.post_searched_at = Some(now);
                held.save()?;
            }
            Err(error) => {
                let mut report = failed(event, Action::Post, &error);
                report.detail = format!("could not look on Discord for the event post: {}", report.detail);
                reports.push(report);
                steps.retain(|s| !s.action.follows_post());
            }
        }
        Ok(steps)
    }

    /// The event post kept in step with the files (edits, notices), and a cancellation's
    /// later actions settled. Nothing is asked of Discord unless the post changed.
    fn live(&self, event: &Event, held: &mut Held) -> Result<Option<ActionReport>, Error> {
        let now = self.config.now;
        publish::settle_status(held, event, now)?;
        let posted = held
            .get(Action::Post.key())
            .is_some_and(|r| r.outcome == Outcome::Done && !r.message_ids.is_empty() && !r.gone);
        let edit = posted && event.post_id.is_none() && now < event.ends_at;
        let after_end = publish::after_end_due(event, held, now);
        if !(edit || after_end) || self.out_of_time() {
            return Ok(None);
        }
        let series = self.directory.series()?;
        let (client, templates) = match (self.client(), self.templates()) {
            (Ok(client), Ok(templates)) => (client, templates),
            (Err(e), _) | (_, Err(e)) => return Ok(Some(failed(event, Action::Post, &e))),
        };
        client.set_reason("tick", Some(&event.id));
        let ctx = self.shared(series, client, templates).ctx(event);
        let result = match after_end {
            true => publish::after_end(&ctx, held),
            false => publish::sync_post(&ctx, held),
        };
        Ok(match result {
            Ok(report) => report,
            Err(error) => {
                let mut report = failed(event, Action::Post, &error);
                report.detail = format!(
                    "could not update the event post: {}",
                    client.scrub(&report.detail)
                );
                Some(report)
            }
        })
    }

    fn find_post(&self, event: &Event, held: &mut Held) -> Result<Option<ActionReport>, Error> {
        let (client, templates) = (self.client()?, self.templates()?);
        client.set_reason("tick", Some(&event.id));
        let series = self.directory.series()?;
        publish::find_post(&self.shared(series, client, templates).ctx(event), held)
    }

    fn act(&self, event: &Event, held: &mut Held, step: &Step) -> Result<Option<ActionReport>, Error> {
        let config = self.config;
        let action = step.action;
        match &step.state {
            State::WaitingForPost => {
                explain(
                    config,
                    &format!("{} {}: waiting for the event post", event.id, action.label()),
                );
                Ok(None)
            }
            State::Lapsed => {
                explain(config, &format!("{} {}: window closed", event.id, action.label()));
                Ok(None)
            }
            State::Waiting => {
                let at = step.due_at.map(|at| at.format("%Y-%m-%d %H:%M %Z").to_string());
                let at = at.unwrap_or_default();
                explain(
                    config,
                    &format!("{} {}: waiting until {at}", event.id, action.label()),
                );
                Ok(None)
            }
            // The URL source gives another URL than the one shared: share it again (edits the
            // channel message in place) while the event is on.
            State::Done { .. } if action == Action::Share && self.url_changed(event, held) => {
                self.due(event, held, action)
            }
            State::Done { at } => {
                explain(
                    config,
                    &format!("{} {}: done at {}", event.id, action.label(), at.to_rfc3339()),
                );
                Ok(None)
            }
            State::Skipped { reason, .. } | State::Failed { detail: reason, .. } => {
                explain(config, &format!("{} {}: {reason}", event.id, action.label()));
                Ok(None)
            }
            State::Missed => {
                let until = step.until.format("%Y-%m-%d %H:%M %Z");
                let reason = format!("missed: not done by {until}, when it stopped being useful");
                let mut record = Record::new(Outcome::Skipped, config.now);
                record.detail = Some(reason.clone());
                held.record(&action.record_key(), record)?;
                Ok(Some(ActionReport {
                    event: event.id.clone(),
                    action: Some(action),
                    outcome: Outcome::Skipped,
                    detail: reason,
                }))
            }
            State::Due => self.due(event, held, action),
        }
    }

    fn url_changed(&self, event: &Event, held: &Held) -> bool {
        let config = self.config;
        let (Ok(series), Some(record)) = (self.directory.series(), held.get(Action::Share.key())) else {
            return false;
        };
        config.now < event.ends_at && publish::url_changed(config, series, event, record)
    }

    fn shared<'a>(&'a self, series: &'a Series, client: &'a Client, templates: &'a Templates) -> Shared<'a> {
        Shared {
            config: self.config,
            series,
            events: &self.directory.events,
            client,
            templates,
            dry_run: self.dry_run,
        }
    }

    fn due(&self, event: &Event, held: &mut Held, action: Action) -> Result<Option<ActionReport>, Error> {
        // A ledger left by a file renamed by hand: its post may be this event's, under the old
        // id. No new post until `tsudoi move` carries it over.
        if action == Action::Post
            && let Some((id, ledger)) = publish::orphans(&self.config.dir).into_iter().next()
        {
            return Ok(Some(failed(event, action, &Error::OrphanLedger { id, ledger })));
        }
        let write: Write = match action {
            Action::Post => |ctx, held, _| publish::post(ctx, held),
            Action::Share => |ctx, held, _| publish::share(ctx, held, false),
            Action::Onair => |ctx, held, _| publish::notice(ctx, held, Notice::Onair),
            Action::Close => |ctx, held, _| publish::notice(ctx, held, Notice::Close),
            Action::Remind(_) => publish::remind,
            Action::RolePrune => |ctx, held, _| publish::prune(ctx, held),
            Action::ScheduledEvent => |ctx, held, _| publish::scheduled_event(ctx, held),
            Action::Roles | Action::RolesFinal => return self.grants(event, held, action),
        };
        let directory = self.directory;
        if self.out_of_time() {
            return Ok(Some(self.not_attempted(event, action)));
        }
        let series = directory.series()?;
        let (client, templates) = match (self.client(), self.templates()) {
            (Ok(client), Ok(templates)) => (client, templates),
            (Err(e), _) | (_, Err(e)) => return Ok(Some(failed(event, action, &e))),
        };
        client.set_reason("tick", Some(&event.id));
        let ctx = self.shared(series, client, templates).ctx(event);
        Ok(Some(match write(&ctx, held, action) {
            Ok(report) => report,
            Err(error) => publish::failure(&ctx, held, action, &error),
        }))
    }

    /// The role grants: every `roles_every` while sign-ups are open, and once more at the
    /// deadline. A run that changed nothing prints nothing.
    fn grants(&self, event: &Event, held: &mut Held, action: Action) -> Result<Option<ActionReport>, Error> {
        let config = self.config;
        let say = |why: &str| explain(config, &format!("{} {}: {why}", event.id, action.label()));
        if let Some(why) = publish::grants_wait(event, held, action, config.now) {
            say(&why);
            return Ok(None);
        }
        if self.out_of_time() {
            return Ok(Some(self.not_attempted(event, action)));
        }
        let client = match self.client() {
            Ok(client) => client,
            Err(e) => return Ok(Some(failed(event, action, &e))),
        };
        let history = Directory::load(&config.dir)?;
        let grants = Grants {
            client,
            series: self.directory.series()?,
            history: &history.events,
            now: config.now,
        };
        let granted = grants.run(event, held, action)?;
        if granted.quiet {
            say(&granted.report.detail);
            return Ok(None);
        }
        Ok(Some(granted.report))
    }
}

impl Tick<'_> {
    /// A due action left alone because the budget is used up. Nothing is recorded: the ledger
    /// still shows it due (or failed and to retry) to the next tick.
    fn not_attempted(&self, event: &Event, action: Action) -> ActionReport {
        self.not_attempted.set(self.not_attempted.get() + 1);
        ActionReport {
            event: event.id.clone(),
            action: Some(action),
            outcome: Outcome::Failed,
            detail: NOT_ATTEMPTED.to_string(),
        }
    }
}

fn failed(event: &Event, action: Action, error: &Error) -> ActionReport {
    ActionReport {
        event: event.id.clone(),
        action: Some(action),
        outcome: Outcome::Failed,
        detail: publish::with_hint(error),
    }
}

/// A broken event file near its date may hide an action: say so every tick until it is fixed.
fn broken_reports(directory: &Directory, now: DateTime<Utc>) -> Vec<ActionReport> {
    let today = now.date_naive();
    directory
        .broken
        .iter()
        .filter(|b| b.date.is_none_or(|d| d >= today - TimeDelta::days(1)))
        .map(|b| ActionReport {
            event: b.id.clone(),
            action: None,
            outcome: Outcome::Failed,
            detail: format!("{}: {} (run `tsudoi check`)", b.path.display(), b.problem),
        })
        .collect()
}

fn explain(config: &Config, message: &str) {
    if config.verbosity >= 1 {
        eprintln!("tsudoi: {}", crate::discord::redact::scrub(message));
    }
}
