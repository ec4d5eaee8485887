//! JSON Schemas (2020-12): for the files people write (`tsudoi schema series|event`, written by
//! `init` for editors), and for every command's `--json` document (`tsudoi schema json COMMAND`).

pub mod keys;
mod output;

use serde_json::{Map, Value, json};

pub use output::{COMMANDS, output_schema};

use keys::{Key, Kind, Table};

/// The version of every command's `--json` document (`tsudoi schema json COMMAND`): it grows
/// when a field changes meaning or goes away, not when one is added.
pub const JSON_VERSION: u32 = 1;

pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Where `init` writes the file schemas, relative to the event directory, and what the
/// `#:schema` line of each file it creates names.
pub const SERIES_SCHEMA_PATH: &str = ".schema/series.json";
pub const EVENT_SCHEMA_PATH: &str = ".schema/event.json";

pub const DATE_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}$";
/// `HH:MM`; an empty end is an open end (`20:00~`).
pub const TIME_PATTERN: &str = r"^(([01]\d|2[0-3]):[0-5]\d)?$";
pub const DURATION_PATTERN: &str = r"^\s*(\d+[dD])?(\d+[hH])?(\d+[mM])?(\d+[sS])?\s*$";
pub const SNOWFLAKE_PATTERN: &str = r"^\d{17,20}$";

/// The schema of `tsudoi.toml`.
pub fn series() -> Value {
    let mut properties = Map::new();
    properties.insert(
        "series".into(),
        table(Table::Series, "The series: its name, zone and language."),
    );
    properties.insert(
        "defaults".into(),
        table(Table::Defaults, "What an event that sets nothing else gets."),
    );
    properties.insert(
        "policy".into(),
        table(
            Table::Policy,
            "The rules of the series: they drive `roles` and `tick`, and the page states the same numbers.",
        ),
    );
    properties.insert(
        "discord".into(),
        table(Table::Discord, "The Discord server and channels."),
    );
    properties.insert(
        "pages".into(),
        json!({
            "type": "array",
            "description": "More pages besides the default one (`announce --page`, `--all-pages`).",
            "items": table(Table::Pages, "One page: its template, its file, which held events."),
        }),
    );
    document(
        "tsudoi.toml",
        "tsudoi series settings: one file per event directory.",
        properties,
        &["series"],
    )
}

/// The schema of an event file, `<id>.toml`.
pub fn event() -> Value {
    let mut properties = top_level(Table::Event);
    properties.insert(
        "policy".into(),
        table(Table::Policy, "Overrides of the series' [policy] for this event."),
    );
    properties.insert(
        "discord".into(),
        table(Table::EventDiscord, "Discord ids of this event."),
    );
    let required: Vec<&str> = keys::in_table(Table::Event)
        .filter(|k| k.required)
        .map(|k| k.name)
        .collect();
    document(
        "event file",
        "One event: `<id>.toml`, the id being its date (YYYY-MM-DD) with an optional suffix.",
        properties,
        &required,
    )
}

fn document(title: &str, description: &str, properties: Map<String, Value>, required: &[&str]) -> Value {
    json!({
        "$schema": DIALECT,
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn top_level(table: Table) -> Map<String, Value> {
    keys::in_table(table)
        .map(|k| (k.name.to_string(), property(k)))
        .collect()
}

fn table(table: Table, description: &str) -> Value {
    let required: Vec<&str> = keys::in_table(table)
        .filter(|k| k.required)
        .map(|k| k.name)
        .collect();
    json!({
        "type": "object",
        "description": description,
        "properties": top_level(table),
        "required": required,
        "additionalProperties": false,
    })
}

fn property(key: &Key) -> Value {
    let mut schema = match shape(key.kind) {
        Value::Object(map) => map,
        _ => unreachable!("shapes are objects"),
    };
    schema.insert("description".into(), key.doc.into());
    if let Some(default) = key.default.and_then(toml_value) {
        schema.insert("default".into(), default);
    }
    Value::Object(schema)
}

fn shape(kind: Kind) -> Value {
    let string = |pattern: &str| json!({ "type": "string", "pattern": pattern });
    match kind {
        Kind::Text => json!({ "type": "string" }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Date => string(DATE_PATTERN),
        Kind::Time => string(TIME_PATTERN),
        Kind::Duration => string(DURATION_PATTERN),
        Kind::Snowflake => string(SNOWFLAKE_PATTERN),
        Kind::Zone => json!({ "type": "string", "pattern": r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$" }),
        Kind::OneOf(names) => json!({ "type": "string", "enum": names }),
        Kind::Texts => json!({ "type": "array", "items": { "type": "string" } }),
        Kind::Snowflakes => json!({ "type": "array", "items": string(SNOWFLAKE_PATTERN) }),
    }
}

/// A default written as a TOML value, as JSON.
fn toml_value(literal: &str) -> Option<Value> {
    let table: toml::Table = format!("v = {literal}").parse().ok()?;
    serde_json::to_value(table.get("v")?).ok()
}

/// A TOML document as JSON, to check it against a schema: dates and times become the strings
/// they are written as.
pub fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_files_accept_is_in_the_schemas() {
        let series = series();
        let event = event();
        for name in crate::event::file::KNOWN_KEYS {
            let text = format!("{series}{event}");
            assert!(
                text.contains(&format!("\"{name}\"")),
                "`{name}` is not in a schema"
            );
        }
    }

    #[test]
    fn defaults_are_json_values() {
        let series = series();
        let policy = &series["properties"]["policy"]["properties"];
        assert_eq!(policy["signup_closes_after_start"]["default"], "30m");
        assert_eq!(policy["require_avatar"]["default"], false);
        assert_eq!(policy["deny_users"]["default"], json!([]));
    }
}
