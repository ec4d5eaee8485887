//! What a role run leaves in the ledger for `attendees` and role pruning: the event role (and
//! whether tsudoi created it), who got it and why, who was turned away and why. Ids only.

use chrono::{DateTime, Utc};

use super::report::{GrantOutcome, RolesReport};
use crate::discord::Snowflake;
use crate::signup::{self, Reason};
use crate::state::{Attendance, Ledger, RoleRecord};

/// Record the run's outcome; an earlier grant stays, whatever later runs decide.
pub fn record(
    ledger: &mut Ledger,
    report: &RolesReport,
    messages: &[signup::Message],
    role: Option<(Snowflake, bool)>,
    now: DateTime<Utc>,
) {
    if let Some((id, created)) = role {
        let id = id.to_string();
        match &mut ledger.role {
            Some(known) if known.id == id => known.created_by_tsudoi |= created,
            slot => {
                *slot = Some(RoleRecord {
                    id,
                    created_by_tsudoi: created,
                    pruned_at: None,
                })
            }
        }
    }
    for row in &report.users {
        let declared_at = row
            .message_id
            .as_ref()
            .and_then(|id| {
                messages
                    .iter()
                    .find(|m| &m.id == id && m.author_id == row.user_id)
            })
            .map(|m| m.posted_at);
        let entry = |reason: String| Attendance {
            reason,
            declared_at,
            at: now,
        };
        match row.decision {
            GrantOutcome::Granted => {
                ledger.turned_away.remove(&row.user_id);
                let reason = match row.why {
                    Reason::Booster => "booster",
                    _ => "declared",
                };
                ledger
                    .granted
                    .entry(row.user_id.clone())
                    .or_insert_with(|| entry(reason.into()));
            }
            GrantOutcome::AlreadyHad => {
                ledger.turned_away.remove(&row.user_id);
                ledger
                    .granted
                    .entry(row.user_id.clone())
                    .or_insert_with(|| entry("already had it".into()));
            }
            GrantOutcome::Rejected if !ledger.granted.contains_key(&row.user_id) => {
                ledger
                    .turned_away
                    .insert(row.user_id.clone(), entry(row.reason.clone()));
            }
            GrantOutcome::Rejected | GrantOutcome::WouldGrant | GrantOutcome::Failed => {}
        }
    }
}
