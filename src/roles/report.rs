//! What a role run found and did: one row per user considered, the writes, the failures.
//! The command prints it as a table or as JSON; `tick` keeps it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::members::Fetch;
use super::signup_post::PostRef;
use crate::signup::Reason;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantOutcome {
    Granted,
    /// In a dry run: would be granted.
    WouldGrant,
    AlreadyHad,
    Rejected,
    Failed,
}

impl GrantOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::WouldGrant => "would grant",
            Self::AlreadyHad => "already had",
            Self::Rejected => "rejected",
            Self::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub user_id: String,
    pub name: String,
    pub decision: GrantOutcome,
    /// In words, e.g. `late by 12m 3s`.
    pub reason: String,
    /// The same, for scripts.
    pub why: Reason,
    /// The declaration that counted, if any.
    pub message_id: Option<String>,
    /// What went wrong for this user, if anything did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub considered: usize,
    pub granted: usize,
    pub already_had: usize,
    pub rejected: usize,
    pub failed: usize,
}

/// The writes sent (or, in a dry run, planned).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Writes {
    pub role_created: bool,
    pub overwrite_added: bool,
    pub reactions: usize,
    pub grants: usize,
    /// Newer roles of the event's name merged into the oldest and deleted.
    pub roles_deleted: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// `grant`, `reaction`, `overwrite`, `closing the share channel`.
    pub action: &'static str,
    pub user_id: Option<String>,
    pub error: String,
    pub hint: Option<String>,
}

/// A role of an ended event the share channel was closed to (in a dry run: would be).
#[derive(Debug, Clone, Serialize)]
pub struct Closed {
    /// `#viewers`.
    pub channel: String,
    pub role: String,
    pub role_id: String,
    /// The ended event the role is named for.
    pub event: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleState {
    pub name: String,
    /// `None` only in a dry run that would create it.
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RolesReport {
    pub event: String,
    pub role: RoleState,
    pub post: PostRef,
    pub deadline: DateTime<Utc>,
    pub members: Fetch,
    pub dry_run: bool,
    pub users: Vec<Row>,
    pub counts: Counts,
    pub writes: Writes,
    pub failures: Vec<Failure>,
    /// The roles of ended events the share channel was closed to.
    pub closed: Vec<Closed>,
    /// Things worth saying that are not failures (e.g. no share channel configured).
    pub notes: Vec<String>,
}

impl RolesReport {
    /// One line per role of an ended event the share channel was closed to.
    pub fn closed_lines(&self) -> Vec<String> {
        let verb = if self.dry_run { "would close" } else { "closed" };
        self.closed
            .iter()
            .map(|c| {
                format!(
                    "{verb} {} to `{}` (the event `{}` has ended)",
                    c.channel, c.role, c.event
                )
            })
            .collect()
    }

    /// Every intended write was done.
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }

    pub fn count(&mut self) {
        let of = |o: &[GrantOutcome]| self.users.iter().filter(|r| o.contains(&r.decision)).count();
        self.counts = Counts {
            considered: self.users.len(),
            granted: of(&[GrantOutcome::Granted, GrantOutcome::WouldGrant]),
            already_had: of(&[GrantOutcome::AlreadyHad]),
            rejected: of(&[GrantOutcome::Rejected]),
            failed: of(&[GrantOutcome::Failed]),
        };
    }
}
