//! Every request the fake receives is checked against Discord's OpenAPI document
//! (tests/fixtures/discord/openapi.json): the route and method exist, the query parameters are
//! documented and well-typed, and the JSON body matches the request schema.
//!
//! The validator covers the keywords that document uses: `$ref`, `type` (with `null`), `const`,
//! `enum`, `oneOf`/`anyOf` (a value must match a branch), `allOf`, `properties`, `required`,
//! `additionalProperties`, `min`/`maxLength`, `min`/`maxItems`, `uniqueItems`,
//! `minimum`/`maximum`, `maxProperties`, and its two `pattern`s. Objects are closed: a field the
//! schema does not name is an error, because a field Discord would ignore is a bug in tsudoi.

use std::sync::OnceLock;

use serde_json::Value;

pub struct Spec {
    doc: Value,
    /// Path templates split into segments, e.g. `["channels", "{channel_id}", "messages"]`.
    paths: Vec<(String, Vec<String>)>,
}

const PREFIX: &str = "/api/v10";

impl Spec {
    pub fn get() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/discord/openapi.json");
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let paths = doc["paths"]
                .as_object()
                .unwrap()
                .keys()
                .map(|t| {
                    (
                        t.clone(),
                        t.trim_start_matches('/').split('/').map(str::to_string).collect(),
                    )
                })
                .collect();
            Spec { doc, paths }
        })
    }

    /// The documented template a concrete path matches, literal segments preferred.
    pub fn template(&self, path: &str) -> Option<(&str, Vec<(String, String)>)> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        self.paths
            .iter()
            .filter(|(_, t)| t.len() == segments.len())
            .filter_map(|(template, t)| {
                let mut params = Vec::new();
                for (want, got) in t.iter().zip(&segments) {
                    if want.starts_with('{') {
                        params.push((
                            want.trim_matches(|c| c == '{' || c == '}').to_string(),
                            decode(got),
                        ));
                    } else if want != got {
                        return None;
                    }
                }
                Some((template.as_str(), params))
            })
            .min_by_key(|(_, params)| params.len())
    }

    /// Everything wrong with one request, or nothing.
    pub fn check(
        &self,
        method: &str,
        full_path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Vec<String> {
        let Some(path) = full_path.strip_prefix(PREFIX) else {
            return vec![format!("{full_path} is not under {PREFIX}")];
        };
        let Some((template, params)) = self.template(path) else {
            return vec![format!("no documented route matches {path}")];
        };
        let item = &self.doc["paths"][template];
        let Some(op) = item.get(method.to_lowercase()) else {
            return vec![format!("{method} is not documented for {template}")];
        };
        let declared: Vec<&Value> = [&item["parameters"], &op["parameters"]]
            .into_iter()
            .filter_map(Value::as_array)
            .flatten()
            .collect();
        let mut errors = Vec::new();
        for (name, value) in &params {
            match declared
                .iter()
                .find(|p| p["in"] == "path" && p["name"] == name.as_str())
            {
                Some(p) => errors.extend(self.validate_text(&p["schema"], value, &format!("path {name}"))),
                None => errors.push(format!("{template}: path parameter {name} is not declared")),
            }
        }
        for (name, value) in query {
            match declared
                .iter()
                .find(|p| p["in"] == "query" && p["name"] == name.as_str())
            {
                Some(p) => errors.extend(self.validate_text(&p["schema"], value, &format!("query {name}"))),
                None => errors.push(format!("{method} {template}: unknown query parameter `{name}`")),
            }
        }
        errors.extend(self.check_body(op, body));
        errors
            .into_iter()
            .map(|e| format!("{method} {template}: {e}"))
            .collect()
    }

    fn check_body(&self, op: &Value, body: Option<&Value>) -> Vec<String> {
        let request_body = op.get("requestBody");
        let schema = request_body
            .and_then(|b| b["content"].get("application/json"))
            .map(|c| &c["schema"]);
        match (schema, body) {
            (None, Some(_)) => vec!["a JSON body was sent, but the route takes none".into()],
            (Some(_), None) if request_body.is_some_and(|b| b["required"] == true) => {
                vec!["the route requires a JSON body".into()]
            }
            (Some(schema), Some(body)) => self.validate(schema, body, "body", true),
            _ => Vec::new(),
        }
    }

    /// Query and path values arrive as text; read them as the schema's type first.
    fn validate_text(&self, schema: &Value, text: &str, at: &str) -> Vec<String> {
        let schema = self.resolve(schema);
        let value = match schema["type"].as_str() {
            Some("integer") => match text.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => return vec![format!("{at}: `{text}` is not an integer")],
            },
            Some("boolean") => match text {
                "true" | "false" => Value::Bool(text == "true"),
                _ => return vec![format!("{at}: `{text}` is not a boolean")],
            },
            _ => Value::String(text.to_string()),
        };
        self.validate(schema, &value, at, true)
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.strip_prefix('#').expect("local references only");
                self.resolve(
                    self.doc
                        .pointer(pointer)
                        .unwrap_or_else(|| panic!("dangling {reference}")),
                )
            }
            None => schema,
        }
    }

    /// `closed`: unknown object fields are errors (off inside `allOf`, which checks the union).
    pub fn validate(&self, schema: &Value, value: &Value, at: &str, closed: bool) -> Vec<String> {
        let schema = self.resolve(schema);
        let mut errors = Vec::new();
        if let Some(all) = schema["allOf"].as_array() {
            for part in all {
                errors.extend(self.validate(part, value, at, false));
            }
            if closed && let Some(object) = value.as_object() {
                let known: Vec<String> = all.iter().flat_map(|p| self.property_names(p)).collect();
                for key in object.keys().filter(|k| !known.contains(k)) {
                    errors.push(format!("{at}.{key}: not a documented field"));
                }
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(branches) = schema[keyword].as_array()
                && !branches
                    .iter()
                    .any(|b| self.validate(b, value, at, closed).is_empty())
            {
                errors.push(format!(
                    "{at}: matches none of the {keyword} branches ({})",
                    short(value)
                ));
            }
        }
        if let Some(types) = types(schema)
            && !types.iter().any(|t| has_type(value, t))
        {
            errors.push(format!(
                "{at}: expected {}, got {}",
                types.join(" or "),
                short(value)
            ));
            return errors;
        }
        if let Some(constant) = schema.get("const")
            && constant != value
        {
            errors.push(format!("{at}: must be {constant}"));
        }
        if let Some(options) = schema["enum"].as_array()
            && !options.contains(value)
        {
            errors.push(format!(
                "{at}: {} is not one of {}",
                short(value),
                Value::from(options.clone())
            ));
        }
        match value {
            Value::String(text) => errors.extend(check_string(schema, text, at)),
            Value::Number(_) => errors.extend(check_number(schema, value, at)),
            Value::Array(items) => errors.extend(self.check_array(schema, items, at)),
            Value::Object(_) => errors.extend(self.check_object(schema, value, at, closed)),
            _ => {}
        }
        errors
    }

    fn property_names(&self, schema: &Value) -> Vec<String> {
        let schema = self.resolve(schema);
        let mut names: Vec<String> = schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        for part in schema["allOf"].as_array().into_iter().flatten() {
            names.extend(self.property_names(part));
        }
        names
    }

    fn check_array(&self, schema: &Value, items: &[Value], at: &str) -> Vec<String> {
        let mut errors = Vec::new();
        if let Some(max) = schema["maxItems"].as_u64().filter(|m| items.len() as u64 > *m) {
            errors.push(format!("{at}: more than {max} items"));
        }
        if let Some(min) = schema["minItems"].as_u64().filter(|m| (items.len() as u64) < *m) {
            errors.push(format!("{at}: fewer than {min} items"));
        }
        if schema["uniqueItems"] == true && items.iter().enumerate().any(|(i, a)| items[..i].contains(a)) {
            errors.push(format!("{at}: items are not unique"));
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                errors.extend(self.validate(item_schema, item, &format!("{at}[{i}]"), true));
            }
        }
        errors
    }

    fn check_object(&self, schema: &Value, value: &Value, at: &str, closed: bool) -> Vec<String> {
        let object = value.as_object().unwrap();
        let properties = schema["properties"].as_object();
        let mut errors = Vec::new();
        for name in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                errors.push(format!("{at}.{name}: required"));
            }
        }
        if let Some(max) = schema["maxProperties"]
            .as_u64()
            .filter(|m| object.len() as u64 > *m)
        {
            errors.push(format!("{at}: more than {max} fields"));
        }
        for (key, field) in object {
            let here = format!("{at}.{key}");
            match (
                properties.and_then(|p| p.get(key)),
                schema.get("additionalProperties"),
            ) {
                (Some(field_schema), _) => errors.extend(self.validate(field_schema, field, &here, true)),
                (None, Some(Value::Bool(true))) => {}
                (None, Some(Value::Bool(false))) => errors.push(format!("{here}: not a documented field")),
                (None, Some(extra)) => errors.extend(self.validate(extra, field, &here, true)),
                (None, None) if closed && properties.is_some() => {
                    errors.push(format!("{here}: not a documented field"))
                }
                (None, None) => {}
            }
        }
        errors
    }
}

fn types(schema: &Value) -> Option<Vec<&str>> {
    match &schema["type"] {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(ts) => Some(ts.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("unknown type {other} in the spec"),
    }
}

fn check_string(schema: &Value, text: &str, at: &str) -> Vec<String> {
    let length = text.chars().count() as u64;
    let mut errors = Vec::new();
    if let Some(max) = schema["maxLength"].as_u64().filter(|m| length > *m) {
        errors.push(format!("{at}: longer than {max} characters"));
    }
    if let Some(min) = schema["minLength"].as_u64().filter(|m| length < *m) {
        errors.push(format!("{at}: shorter than {min} characters"));
    }
    match schema["pattern"].as_str() {
        None => {}
        Some("^(0|[1-9][0-9]*)$") => {
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            if !digits || (text.len() > 1 && text.starts_with('0')) {
                errors.push(format!("{at}: `{text}` is not a snowflake"));
            }
        }
        Some("^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$") => {
            let hex = text
                .strip_prefix('#')
                .filter(|h| matches!(h.len(), 3 | 6) && h.bytes().all(|b| b.is_ascii_hexdigit()));
            if hex.is_none() {
                errors.push(format!("{at}: `{text}` is not a color"));
            }
        }
        Some(other) => errors.push(format!("{at}: the fake cannot check the pattern {other}")),
    }
    errors
}

fn check_number(schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let n = value.as_f64().unwrap();
    let mut errors = Vec::new();
    if let Some(max) = schema["maximum"].as_f64().filter(|m| n > *m) {
        errors.push(format!("{at}: above the maximum {max}"));
    }
    if let Some(min) = schema["minimum"].as_f64().filter(|m| n < *m) {
        errors.push(format!("{at}: below the minimum {min}"));
    }
    errors
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

pub fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Spec;

    fn check(
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<serde_json::Value>,
    ) -> Vec<String> {
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Spec::get().check(method, &format!("/api/v10{path}"), &query, body.as_ref())
    }

    #[test]
    fn good_requests_pass() {
        assert_eq!(check("GET", "/users/@me", &[], None), Vec::<String>::new());
        assert_eq!(
            check(
                "GET",
                "/channels/1/messages",
                &[("before", "5"), ("limit", "100")],
                None
            ),
            Vec::<String>::new()
        );
        let message = json!({"content": "hi", "nonce": "t1", "enforce_nonce": true,
            "allowed_mentions": {"parse": [], "users": [], "roles": [], "replied_user": false},
            "message_reference": {"message_id": "9", "fail_if_not_exists": false}});
        assert_eq!(
            check("POST", "/channels/1/messages", &[], Some(message)),
            Vec::<String>::new()
        );
        assert_eq!(
            check("PUT", "/guilds/1/members/2/roles/3", &[], None),
            Vec::<String>::new()
        );
        let overwrite = json!({"type": 0, "allow": 1024, "deny": 0});
        assert_eq!(
            check("PUT", "/channels/1/permissions/2", &[], Some(overwrite)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn mismatches_are_caught() {
        let cases = [
            check("GET", "/nowhere/1", &[], None),
            check("DELETE", "/users/@me/channels", &[], None),
            check("GET", "/channels/1/messages", &[("limit", "101")], None),
            check("GET", "/channels/1/messages", &[("page", "2")], None),
            check("GET", "/channels/abc/messages", &[], None),
            check(
                "POST",
                "/channels/1/messages",
                &[],
                Some(json!({"content": "x".repeat(4001)})),
            ),
            check(
                "POST",
                "/channels/1/messages",
                &[],
                Some(json!({"content": "x", "nonce": "n".repeat(26)})),
            ),
            check(
                "POST",
                "/channels/1/messages",
                &[],
                Some(json!({"contents": "typo"})),
            ),
            check(
                "POST",
                "/guilds/1/roles",
                &[],
                Some(json!({"name": "r", "permissions": "0"})),
            ),
            check("POST", "/guilds/1/roles", &[], None),
            check("PUT", "/channels/1/permissions/2", &[], Some(json!({"type": 2}))),
            check(
                "POST",
                "/channels/1/threads",
                &[],
                Some(json!({"name": "t", "message": {"nonce": "x"}})),
            ),
            check("GET", "/users/@me", &[], Some(json!({}))),
        ];
        for (i, errors) in cases.iter().enumerate() {
            assert!(!errors.is_empty(), "case {i} passed");
        }
    }
}
