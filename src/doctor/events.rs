//! The checks for `[discord] scheduled_event = true`: the bot may create events, and the
//! server has room for one more open event.

use super::{Check, Seat};
use crate::discord::Permissions;

/// CREATE_EVENTS: since 2024, MANAGE_EVENTS alone no longer lets a bot create events.
pub const CREATE_EVENTS: Permissions = Permissions(1 << 44);
pub const MANAGE_EVENTS: Permissions = Permissions(1 << 33);
/// Discord allows this many scheduled or active events per server (error 30038 beyond).
pub const EVENTS_CAP: usize = 100;
/// Fewer free places than this is worth a warning.
const EVENTS_HEADROOM_WARN: usize = 5;

pub fn create_events(seat: &Seat<'_>) -> Check {
    let base = seat.base();
    if base.contains(CREATE_EVENTS) {
        return Check::ok(
            "create events",
            "the bot may create and edit its scheduled events",
        );
    }
    let why = if base.contains(MANAGE_EVENTS) {
        "the bot has Manage Events but not Create Events, which bots now need to create an event"
    } else {
        "the bot lacks Create Events, so it cannot make the episode's scheduled event"
    };
    Check::fail(
        "create events",
        why,
        format!(
            "give `{}` the Create Events permission in Server Settings → Roles \
             (or set `scheduled_event = false`)",
            seat.highest_name()
        ),
    )
}

/// `open`: how many of the server's events are scheduled or active.
pub fn events_cap(open: usize) -> Check {
    let free = EVENTS_CAP.saturating_sub(open);
    let detail = format!("{open} of {EVENTS_CAP} open scheduled events; room for {free} more");
    let fix = "cancel or delete events that will not happen in the server's Events list";
    if free == 0 {
        Check::fail(
            "events cap",
            format!("{detail}: Discord refuses the next one (30038)"),
            fix,
        )
    } else if free < EVENTS_HEADROOM_WARN {
        Check::warn("events cap", detail, fix)
    } else {
        Check::ok("events cap", detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Status;

    #[test]
    fn the_cap_warns_near_and_fails_at_a_hundred() {
        assert_eq!(events_cap(3).status, Status::Ok);
        assert_eq!(events_cap(96).status, Status::Warn);
        assert_eq!(events_cap(100).status, Status::Fail);
    }
}
