//! Guild scheduled events as Discord documents them (resources/Guild_Scheduled_Event): EXTERNAL
//! events need a location and an end; creating one needs CREATE_EVENTS (MANAGE_EVENTS alone no
//! longer lets a bot create), changing one the bot made needs CREATE_EVENTS or MANAGE_EVENTS;
//! at most 100 open (scheduled or active) events per guild (30038); status moves only
//! SCHEDULED → ACTIVE → COMPLETED or SCHEDULED → CANCELED, and a finished event cannot be
//! changed at all (180000); the "Interested" users page by user id, 100 at most, with their
//! member object when `with_member=true`.

use serde_json::{Value, json};

use super::routes::{Answer, Call, error};
use super::state::*;

pub const CREATE_EVENTS: u64 = 1 << 44;
pub const MANAGE_EVENTS: u64 = 1 << 33;

pub const SCHEDULED: u8 = 1;
pub const ACTIVE: u8 = 2;
pub const COMPLETED: u8 = 3;
pub const CANCELED: u8 = 4;

const OPEN_MAX: usize = 100;

#[derive(Debug, Clone)]
pub struct ScheduledEvent {
    pub id: u64,
    pub creator: u64,
    pub name: String,
    pub description: Option<String>,
    pub start: String,
    pub end: Option<String>,
    pub location: String,
    pub status: u8,
    /// Users who pressed "Interested", in any order.
    pub interested: Vec<u64>,
}

impl ScheduledEvent {
    pub fn is_open(&self) -> bool {
        matches!(self.status, SCHEDULED | ACTIVE)
    }
}

impl State {
    /// An EXTERNAL event made by `creator` (someone else's, or the bot's from an earlier run).
    pub fn scheduled_event(&mut self, creator: u64, name: &str, start: &str, end: &str) -> u64 {
        let id = self.next_id();
        let event = ScheduledEvent {
            id,
            creator,
            name: name.into(),
            description: None,
            start: start.into(),
            end: Some(end.into()),
            location: "somewhere".into(),
            status: SCHEDULED,
            interested: Vec::new(),
        };
        self.scheduled_events.insert(id, event);
        id
    }

    pub fn scheduled_event_json(&self, event: &ScheduledEvent) -> Value {
        json!({
            "id": event.id.to_string(), "guild_id": GUILD.to_string(), "channel_id": null,
            "creator_id": event.creator.to_string(), "creator": self.user_json(event.creator),
            "name": event.name, "description": event.description, "image": null,
            "scheduled_start_time": event.start, "scheduled_end_time": event.end,
            "status": event.status, "entity_type": 3, "entity_id": null,
            "entity_metadata": { "location": event.location }, "privacy_level": 2,
            "user_count": event.interested.len(),
        })
    }
}

pub fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    match (call.method, call.template) {
        ("GET", "/guilds/{guild_id}/scheduled-events") => {
            let all: Vec<Value> = state
                .scheduled_events
                .values()
                .map(|e| state.scheduled_event_json(e))
                .collect();
            ok(json!(all))
        }
        ("POST", "/guilds/{guild_id}/scheduled-events") => create(state, call),
        ("GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}") => {
            match state.scheduled_events.get(&event_id(call)) {
                Some(event) => ok(state.scheduled_event_json(event)),
                None => unknown(),
            }
        }
        ("PATCH", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}") => modify(state, call),
        ("GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users") => users(state, call),
        _ => error(404, 0, "404: Not Found"),
    }
}

fn ok(body: Value) -> Answer {
    Answer {
        status: 200,
        body: Some(body),
    }
}

fn unknown() -> Answer {
    error(404, 10070, "Unknown Guild Scheduled Event")
}

fn event_id(call: &Call<'_>) -> u64 {
    call.params
        .iter()
        .find(|(n, _)| n == "guild_scheduled_event_id")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

fn form_error(field: &str, message: &str) -> Answer {
    let errors = json!({ field: { "_errors": [{ "code": "BASE_TYPE_REQUIRED", "message": message }] } });
    Answer {
        status: 400,
        body: Some(json!({ "message": "Invalid Form Body", "code": 50035, "errors": errors })),
    }
}

fn create(state: &mut State, call: &Call<'_>) -> Answer {
    if state.bot_permissions(None) & CREATE_EVENTS == 0 {
        return error(403, 50013, "Missing Permissions");
    }
    if state.scheduled_events.values().filter(|e| e.is_open()).count() >= OPEN_MAX {
        return error(
            400,
            30038,
            "Maximum number of guild scheduled events reached (100)",
        );
    }
    let body = call.body.cloned().unwrap_or_default();
    let Some(location) = body["entity_metadata"]["location"].as_str() else {
        return form_error("entity_metadata.location", "This field is required");
    };
    let Some(end) = body["scheduled_end_time"].as_str() else {
        return form_error("scheduled_end_time", "This field is required");
    };
    let id = state.next_id();
    let event = ScheduledEvent {
        id,
        creator: BOT,
        name: body["name"].as_str().unwrap_or_default().into(),
        description: body["description"].as_str().map(str::to_string),
        start: body["scheduled_start_time"].as_str().unwrap_or_default().into(),
        end: Some(end.into()),
        location: location.into(),
        status: SCHEDULED,
        interested: Vec::new(),
    };
    state.scheduled_events.insert(id, event);
    ok(state.scheduled_event_json(&state.scheduled_events[&id]))
}

fn modify(state: &mut State, call: &Call<'_>) -> Answer {
    let id = event_id(call);
    let Some(event) = state.scheduled_events.get(&id) else {
        return unknown();
    };
    let own = event.creator == BOT;
    let have = state.bot_permissions(None);
    if have & MANAGE_EVENTS == 0 && !(own && have & CREATE_EVENTS != 0) {
        return error(403, 50013, "Missing Permissions");
    }
    if !event.is_open() {
        return error(400, 180_000, "Cannot update a finished event");
    }
    let body = call.body.cloned().unwrap_or_default();
    if let Some(status) = body["status"].as_u64() {
        let allowed = matches!(
            (event.status, status as u8),
            (SCHEDULED, ACTIVE) | (SCHEDULED, CANCELED) | (ACTIVE, COMPLETED)
        );
        if !allowed {
            return form_error("status", "Invalid status transition");
        }
    }
    let event = state.scheduled_events.get_mut(&id).unwrap();
    if let Some(status) = body["status"].as_u64() {
        event.status = status as u8;
    }
    if let Some(name) = body["name"].as_str() {
        event.name = name.into();
    }
    if let Some(description) = body.get("description") {
        event.description = description.as_str().map(str::to_string);
    }
    if let Some(start) = body["scheduled_start_time"].as_str() {
        event.start = start.into();
    }
    if let Some(end) = body["scheduled_end_time"].as_str() {
        event.end = Some(end.into());
    }
    if let Some(location) = body["entity_metadata"]["location"].as_str() {
        event.location = location.into();
    }
    ok(state.scheduled_event_json(&state.scheduled_events[&id]))
}

fn users(state: &State, call: &Call<'_>) -> Answer {
    let Some(event) = state.scheduled_events.get(&event_id(call)) else {
        return unknown();
    };
    let query = |name: &str| {
        call.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let limit = query("limit").and_then(|v| v.parse().ok()).unwrap_or(100usize);
    let after: u64 = query("after").and_then(|v| v.parse().ok()).unwrap_or(0);
    let with_member = query("with_member") == Some("true");
    let mut ids = event.interested.clone();
    ids.sort_unstable();
    let page: Vec<Value> = ids
        .into_iter()
        .filter(|u| *u > after)
        .take(limit)
        .map(|u| {
            let mut value = json!({
                "guild_scheduled_event_id": event.id.to_string(), "user_id": u.to_string(),
                "user": state.user_json(u), "response": 1,
            });
            if let Some(member) = state.members.get(&u).filter(|_| with_member) {
                value["member"] = state.member_json(member);
            }
            value
        })
        .collect();
    ok(json!(page))
}
