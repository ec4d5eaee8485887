//! The `--json` document of every command, as a JSON Schema: what scripts may rely on.
//! Every document is one object with `version` (see `JSON_VERSION`); a failed command
//! prints the `error` document instead.

use serde_json::{Value, json};

/// The commands with a `--json` document, and `error` (what any of them prints on failure)
/// and `requests` (what a `--dry-run` of `post`, `share` or `roles` prints).
pub const COMMANDS: &[&str] = &[
    "init",
    "man",
    "create",
    "list",
    "show",
    "check",
    "announce",
    "doctor",
    "roles",
    "post",
    "share",
    "tick",
    "plan",
    "error",
    "requests",
    "cancel",
    "move",
    "why",
    "attendees",
];

pub fn output_schema(command: &str) -> Option<Value> {
    let (description, properties, required): (&str, Value, &[&str]) = match command {
        "init" | "man" => (
            "The directory and the files written in it.",
            json!({ "dir": string(), "files": array(string()) }),
            &["dir", "files"],
        ),
        "create" => (
            "The event file written.",
            json!({
                "id": id(), "path": string(), "date": date(), "weekday": string(),
                "status": { "enum": ["draft", "scheduled", "cancelled"] },
            }),
            &["id", "path", "date", "weekday", "status"],
        ),
        "list" => (
            "Every event, oldest first; a broken file is listed with its problem.",
            json!({ "events": array(list_row()) }),
            &["events"],
        ),
        "show" => (
            "One event, resolved.",
            show(),
            &["id", "path", "date", "status", "times", "policy"],
        ),
        "check" => (
            "Every problem of every file.",
            json!({
                "ok": boolean(), "events": count(), "errors": count(), "warnings": count(),
                "diagnostics": array(open_object()),
            }),
            &["ok", "events", "errors", "warnings", "diagnostics"],
        ),
        "announce" => (
            "The announcement: its text (and, for `discord`, its messages), or where `-o` wrote it.",
            json!({
                "id": id(),
                "format": { "enum": ["rst", "markdown", "text", "discord", "ics"] },
                "events": array(id()),
                "text": string(),
                "messages": array(json!({ "type": "string", "maxLength": 2000 })),
                "path": string(),
            }),
            &["format"],
        ),
        "why" => (
            "One member's decision for an event, with its evidence.",
            open_properties(),
            &[],
        ),
        "attendees" => (
            "Who holds or was granted the event role and why, and who was turned away (ids; names with --names).",
            json!({ "event": id(), "role_id": nullable(string()), "members": array(open_object()) }),
            &["event", "members"],
        ),
        "doctor" => (
            "Each check of the Discord setup, with its fix.",
            json!({ "ok": boolean(), "checks": array(doctor_check()) }),
            &["ok", "checks"],
        ),
        "roles" => (
            "Every sign-up decision and the writes done.",
            json!({
                "event": id(), "role": open_object(), "post": open_object(), "deadline": string(),
                "members": { "enum": ["each", "list"], "description": "How members were read: one by one, or the whole list." },
                "dry_run": boolean(), "users": array(open_object()),
                "counts": open_object(), "writes": open_object(), "failures": array(open_object()),
                "closed": array(open_object()), "notes": array(string()),
            }),
            &["event", "dry_run", "users", "counts", "failures"],
        ),
        "post" | "share" | "tick" | "cancel" | "move" => (
            "One report per action (a dry run adds the requests not sent). `tick` prints it on one line.",
            json!({ "actions": array(action_report()), "requests": array(request()) }),
            &["actions"],
        ),
        "plan" => (
            "The timed actions of the events ahead, by time.",
            json!({ "timeline": array(plan_row()) }),
            &["timeline"],
        ),
        "error" => (
            "What any command prints with --json when it fails (exit 1 or 2).",
            json!({ "error": {
                "type": "object",
                "properties": { "message": string(), "hint": nullable(string()), "problems": array(open_object()) },
                "required": ["message", "hint", "problems"],
            }}),
            &["error"],
        ),
        "requests" => (
            "The requests a dry run did not send.",
            json!({ "requests": array(request()) }),
            &["requests"],
        ),
        _ => return None,
    };
    let mut properties = properties;
    properties["version"] =
        json!({ "const": super::JSON_VERSION, "description": "The version of this document's shape." });
    let mut required = required.to_vec();
    required.insert(0, "version");
    Some(json!({
        "$schema": super::DIALECT,
        "title": format!("tsudoi {command} --json"),
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
    }))
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

fn count() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

fn id() -> Value {
    json!({ "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}(-[A-Za-z0-9_-]+)?$" })
}

fn date() -> Value {
    json!({ "type": "string", "pattern": super::DATE_PATTERN })
}

fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

fn open_properties() -> Value {
    json!({})
}

fn open_object() -> Value {
    json!({ "type": "object" })
}

const PHASES: [&str; 6] = ["draft", "scheduled", "live", "held", "cancelled", "broken"];

fn list_row() -> Value {
    json!({
        "type": "object",
        "properties": {
            "id": string(), "date": nullable(date()), "weekday": nullable(string()),
            "time": nullable(string()), "status": { "enum": PHASES }, "role": nullable(string()),
            "next": nullable(open_object()), "problem": string(), "path": string(),
        },
        "required": ["id", "status", "path"],
    })
}

fn show() -> Value {
    json!({
        "id": id(), "path": string(), "title": string(), "date": date(), "weekday": string(),
        "start": string(), "end": string(), "timezone": string(),
        "status": { "enum": &PHASES[..5] }, "role": string(),
        "viewer_url_from": nullable(open_object()), "post_id": nullable(string()),
        "post": nullable(open_object()), "policy": open_object(),
        "times": array(json!({
            "type": "object",
            "properties": { "milestone": string(), "label": string(), "local": string(), "utc": string() },
            "required": ["milestone", "local", "utc"],
        })),
        "notes": string(), "agenda": {},
    })
}

fn doctor_check() -> Value {
    json!({
        "type": "object",
        "properties": {
            "check": string(), "status": { "enum": ["ok", "warn", "fail", "skip"] },
            "detail": string(), "fix": nullable(string()),
        },
        "required": ["check", "status", "detail", "fix"],
    })
}

fn action_report() -> Value {
    json!({
        "type": "object",
        "properties": {
            "event": id(), "action": nullable(string()),
            "outcome": { "enum": ["started", "done", "skipped", "failed"] }, "detail": string(),
        },
        "required": ["event", "action", "outcome", "detail"],
    })
}

fn request() -> Value {
    json!({
        "type": "object",
        "properties": { "method": string(), "route": string() },
        "required": ["method", "route"],
    })
}

fn plan_row() -> Value {
    json!({
        "type": "object",
        "properties": {
            "at": nullable(string()), "local": string(), "until": string(), "event": id(),
            "action": string(), "state": string(),
        },
        "required": ["at", "local", "until", "event", "action", "state"],
    })
}
