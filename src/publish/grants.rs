//! The role grants as a timed action: every `roles_every` while sign-ups are open, and once
//! more at the deadline (see [`crate::roles`] for the run itself). Each run is recorded in the
//! ledger; a failed one is retried after `roles_every`.

use chrono::{DateTime, Utc};

use super::{ActionReport, with_hint};
use crate::discord::Client;
use crate::error::Error;
use crate::event::{Event, Series};
use crate::roles::{self, RolesReport};
use crate::schedule::timeline::{self, Action};
use crate::state::{Held, Outcome, Record};

/// Why the grants `action` of `event` is not to run now, in words; `None` when it is.
pub fn grants_wait(event: &Event, held: &Held, action: Action, now: DateTime<Utc>) -> Option<String> {
    let retry_later = held
        .get(action.key())
        .is_some_and(|r| r.outcome == Outcome::Failed && now < r.at + event.policy.roles_every.delta());
    if (action == Action::Roles && !timeline::roles_due(event, &held.ledger, now)) || retry_later {
        return Some(format!("ran less than {} ago", event.policy.roles_every));
    }
    if roles::signup_post::known(event, &held.ledger).is_err() {
        return Some("waiting for the event post".to_string());
    }
    None
}

/// What the grants of one tick share.
#[derive(Clone, Copy)]
pub struct Grants<'a> {
    pub client: &'a Client,
    pub series: &'a Series,
    /// Every event, not only those near now: last week's role is one to close.
    pub history: &'a [Event],
    pub now: DateTime<Utc>,
}

/// A grants run, recorded: its line, and whether it is quiet (changed nothing worth a line).
pub struct Granted {
    pub report: ActionReport,
    pub quiet: bool,
}

impl Grants<'_> {
    /// Run the grants `action` (`Roles` or `RolesFinal`) of `event` and record how it went.
    pub fn run(&self, event: &Event, held: &mut Held, action: Action) -> Result<Granted, Error> {
        let (client, series, now) = (self.client, self.series, self.now);
        let result = roles::resolve_post(client, series, event, &held.ledger).and_then(|post| {
            let run = roles::Run {
                client,
                series,
                event,
                post: &post,
                now,
                progress: false,
            };
            roles::run(&run, &mut held.ledger)
        });
        let (outcome, detail, quiet) = match result {
            Ok(mut report) => {
                roles::close_ended(client, series, self.history, now, &mut report);
                let quiet = report.ok()
                    && report.counts.granted == 0
                    && report.writes.roles_deleted == 0
                    && report.closed.is_empty()
                    && action == Action::Roles;
                let outcome = if report.ok() {
                    Outcome::Done
                } else {
                    Outcome::Failed
                };
                (outcome, detail(&report, event), quiet)
            }
            Err(error) => (Outcome::Failed, with_hint(&Error::from(error)), false),
        };
        let mut record = Record::new(outcome, now);
        record.detail = Some(detail.clone());
        record.retry = outcome == Outcome::Failed;
        held.record(action.key(), record)?;
        let report = ActionReport {
            event: event.id.clone(),
            action: Some(action),
            outcome,
            detail,
        };
        Ok(Granted { report, quiet })
    }
}

/// The run in one line: the counts, the failures, merges and closings.
fn detail(report: &RolesReport, event: &Event) -> String {
    let c = &report.counts;
    let verb = if report.dry_run { "would grant" } else { "granted" };
    let mut detail = format!(
        "{verb} {}, {} already had, {} rejected",
        c.granted, c.already_had, c.rejected
    );
    if !report.ok() {
        detail.push_str(&format!(
            ", {} failed (run `tsudoi roles {}` for each)",
            report.failures.len(),
            event.id
        ));
    }
    if report.writes.roles_deleted > 0 {
        detail.push_str(&format!(
            ", merged {} newer role(s) named `{}` into the oldest",
            report.writes.roles_deleted, report.role.name
        ));
    }
    for line in report.closed_lines() {
        detail.push_str(&format!("; {line}"));
    }
    detail
}
