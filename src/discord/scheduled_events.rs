//! Guild scheduled events (the server's Events list): the EXTERNAL kind tsudoi keeps, one per
//! episode, and the members who pressed "Interested" on one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::client::{Client, Request};
use super::error::DiscordError;
use super::models::{Member, User};
use super::route::{Method, Route};
use super::snowflake::Snowflake;

/// `entity_type` EXTERNAL: somewhere else than a voice or stage channel; needs a location.
pub const EXTERNAL: u8 = 3;
/// `privacy_level` GUILD_ONLY, the only level Discord accepts.
pub const GUILD_ONLY: u8 = 2;
/// How many users Discord returns per page of an event's "Interested" list at most.
pub const EVENT_USERS_PER_PAGE: usize = 100;

/// Where a scheduled event stands; Discord starts and completes EXTERNAL events itself.
pub mod status {
    pub const SCHEDULED: u8 = 1;
    pub const ACTIVE: u8 = 2;
    pub const COMPLETED: u8 = 3;
    pub const CANCELED: u8 = 4;
}

/// Error 180000: a finished (completed or canceled) event cannot be changed any more.
pub const FINISHED_EVENT: u64 = 180_000;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ScheduledEvent {
    pub id: Snowflake,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub creator_id: Option<Snowflake>,
    pub scheduled_start_time: DateTime<Utc>,
    #[serde(default)]
    pub scheduled_end_time: Option<DateTime<Utc>>,
    pub status: u8,
    pub entity_type: u8,
    #[serde(default)]
    pub entity_metadata: Option<EntityMetadata>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct EntityMetadata {
    #[serde(default)]
    pub location: Option<String>,
}

/// One user who answered an event, with their member object (`with_member=true`; absent for
/// someone who left the server).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventUser {
    pub user: User,
    #[serde(default)]
    pub member: Option<Member>,
}

/// The fields tsudoi sets on its EXTERNAL events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    pub name: String,
    pub description: String,
    pub location: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl EventFields {
    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": self.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "scheduled_end_time": self.end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "privacy_level": GUILD_ONLY,
            "entity_type": EXTERNAL,
            "entity_metadata": { "location": self.location },
        })
    }

    /// Whether `event` on Discord already says all of this.
    pub fn matches(&self, event: &ScheduledEvent) -> bool {
        event.name == self.name
            && event.description.as_deref().unwrap_or_default() == self.description
            && event.scheduled_start_time == self.start
            && event.scheduled_end_time == Some(self.end)
            && event.entity_metadata.as_ref().and_then(|m| m.location.as_deref())
                == Some(self.location.as_str())
    }
}

fn route(method: Method, template: &'static str, values: &[&str]) -> Request {
    Request::new(Route::new(method, template, values))
}

impl Client {
    /// The guild's scheduled events (scheduled and active ones; Discord drops finished ones).
    pub fn scheduled_events(&self, guild: Snowflake) -> Result<Vec<ScheduledEvent>, DiscordError> {
        self.get(route(
            Method::Get,
            "/guilds/{guild_id}/scheduled-events",
            &[&guild.to_string()],
        ))
    }

    pub fn scheduled_event(
        &self,
        guild: Snowflake,
        event: Snowflake,
    ) -> Result<ScheduledEvent, DiscordError> {
        let values = [guild.to_string(), event.to_string()];
        self.get(route(
            Method::Get,
            "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}",
            &[&values[0], &values[1]],
        ))
    }

    /// An EXTERNAL, server-only event. Creates take no nonce: look with
    /// [`Client::scheduled_events`] first.
    pub fn create_scheduled_event(
        &self,
        guild: Snowflake,
        fields: &EventFields,
    ) -> Result<Option<ScheduledEvent>, DiscordError> {
        let request = route(
            Method::Post,
            "/guilds/{guild_id}/scheduled-events",
            &[&guild.to_string()],
        );
        self.write(request.body(fields.to_json()))
    }

    /// Set every field tsudoi owns, and the status when given (only CANCELED is ever sent).
    pub fn update_scheduled_event(
        &self,
        guild: Snowflake,
        event: Snowflake,
        fields: &EventFields,
        status: Option<u8>,
    ) -> Result<Option<ScheduledEvent>, DiscordError> {
        let values = [guild.to_string(), event.to_string()];
        let request = route(
            Method::Patch,
            "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}",
            &[&values[0], &values[1]],
        );
        let mut body = fields.to_json();
        if let Some(status) = status {
            body["status"] = json!(status);
        }
        self.write(request.body(body))
    }

    /// Everyone who pressed "Interested", with their member object, 100 at a time by user id.
    pub fn scheduled_event_users(
        &self,
        guild: Snowflake,
        event: Snowflake,
    ) -> Result<Vec<EventUser>, DiscordError> {
        let values = [guild.to_string(), event.to_string()];
        let mut all: Vec<EventUser> = Vec::new();
        let mut after = Snowflake(0);
        loop {
            let request = route(
                Method::Get,
                "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users",
                &[&values[0], &values[1]],
            )
            .query("with_member", true)
            .query("limit", EVENT_USERS_PER_PAGE)
            .query("after", after);
            let page: Vec<EventUser> = self.get(request)?;
            let full = page.len() == EVENT_USERS_PER_PAGE;
            let Some(last) = page.iter().map(|u| u.user.id).max() else {
                break;
            };
            all.extend(page);
            if !full {
                break;
            }
            after = last;
        }
        all.dedup_by_key(|u| u.user.id);
        Ok(all)
    }
}
