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
    pub(super) doc: Value,
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

    /// Fill in and check one of the fake's own success answers against the documented response,
    /// so the models are tested on all that Discord sends. Objects are open here: Discord adds
    /// fields.
    pub fn answer(&self, method: &str, template: &str, status: u16, body: &mut Value) -> Vec<String> {
        let op = &self.doc["paths"][template][method.to_lowercase()];
        let Some(content) = op["responses"][status.to_string()]["content"].get("application/json") else {
            return vec![format!(
                "the fake answered {method} {template} with an undocumented {status}"
            )];
        };
        self.complete(&content["schema"], body);
        let errors = self.validate(&content["schema"], body, "answer", false);
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
