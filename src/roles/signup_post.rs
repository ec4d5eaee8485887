//! Where the event post is: `post_id` in the event file (a post made by hand in the sign-up
//! channel), else the `post` record the `post` command wrote in the ledger.

use serde::Serialize;

use crate::discord::models::channel_type;
use crate::discord::{Client, Snowflake};
use crate::error::RolesError;
use crate::event::{Event, Series};
use crate::state::Ledger;

/// The event post: the channel it lives in, its message, and whether that channel is the post's
/// own thread (a forum post) rather than the sign-up text channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PostRef {
    pub channel: Snowflake,
    pub message: Snowflake,
    pub in_thread: bool,
}

/// Where a post is known from, before Discord is asked anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// From the ledger: the channel (the thread for a forum post) and the first message.
    Recorded { channel: Snowflake, message: Snowflake },
    /// `post_id` by hand: a message in the sign-up channel, or a forum post's thread id.
    ByHand { message: Snowflake },
}

/// Read what the files say, without Discord: `post_id` wins over the ledger.
pub fn known(event: &Event, ledger: &Ledger) -> Result<Known, RolesError> {
    if let Some(message) = event.post_id {
        return Ok(Known::ByHand { message });
    }
    let record = ledger.get("post");
    let channel = record
        .and_then(|r| r.channel_id.as_deref())
        .and_then(|c| c.parse().ok());
    let message = record
        .and_then(|r| r.message_ids.first())
        .and_then(|m| m.parse().ok());
    match (channel, message) {
        (Some(channel), Some(message)) => Ok(Known::Recorded { channel, message }),
        _ => Err(RolesError::NoPost { id: event.id.clone() }),
    }
}

/// The post, asking Discord only when `post_id` was set by hand: in a forum sign-up channel the
/// post id is its thread's id (the thread's starter message has the same id).
pub fn resolve(
    client: &Client,
    series: &Series,
    event: &Event,
    ledger: &Ledger,
) -> Result<PostRef, RolesError> {
    match known(event, ledger)? {
        Known::Recorded { channel, message } => Ok(PostRef {
            channel,
            message,
            in_thread: channel == message,
        }),
        Known::ByHand { message } => {
            let signup = series.signup_channel_id()?;
            let forum = client.channel(signup)?.kind == channel_type::GUILD_FORUM;
            Ok(PostRef {
                channel: if forum { message } else { signup },
                message,
                in_thread: forum,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::state::{Outcome, Record};

    #[test]
    fn post_id_wins_then_the_ledger_then_a_clear_error() {
        let mut event = crate::event::sample(chrono_tz::Asia::Tokyo, "2026-02-17", "15:00", "17:00");
        let mut ledger = Ledger::default();
        let error = known(&event, &ledger).unwrap_err();
        assert!(
            error.hint().unwrap().contains("tsudoi post 2026-02-17"),
            "{error}"
        );
        let mut record = Record::new(Outcome::Done, Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap());
        record.channel_id = Some("70".into());
        record.message_ids = vec!["71".into(), "72".into()];
        ledger.set("post", record);
        assert_eq!(
            known(&event, &ledger).unwrap(),
            Known::Recorded {
                channel: Snowflake(70),
                message: Snowflake(71)
            }
        );
        event.post_id = Some(Snowflake(99));
        assert_eq!(
            known(&event, &ledger).unwrap(),
            Known::ByHand {
                message: Snowflake(99)
            }
        );
    }
}
