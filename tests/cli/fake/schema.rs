//! The JSON Schema keywords the OpenAPI document uses, checked against a value. Objects are
//! closed for requests: a field the schema does not name is an error (see `openapi`); open for
//! the fake's answers, as Discord adds fields.

use serde_json::Value;

use super::openapi::Spec;

impl Spec {
    /// Add every required field `value` lacks, with the plainest value its schema allows
    /// (`null` where allowed), so the fake's answers carry all that Discord documents it sends.
    pub fn complete(&self, schema: &Value, value: &mut Value) {
        let schema = self.resolve(schema);
        for part in schema["allOf"].as_array().into_iter().flatten() {
            self.complete(part, value);
        }
        let branches = schema["oneOf"].as_array().or(schema["anyOf"].as_array());
        if let Some(branches) = branches {
            let fits = branches.iter().find_map(|branch| {
                let mut candidate = value.clone();
                self.complete(branch, &mut candidate);
                self.validate(branch, &candidate, "", false)
                    .is_empty()
                    .then_some(candidate)
            });
            if let Some(fitted) = fits {
                *value = fitted;
            }
        }
        match value {
            Value::Object(object) => {
                let properties = &schema["properties"];
                for name in schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !object.contains_key(name) {
                        object.insert(name.to_string(), self.plainest(&properties[name]));
                    }
                }
                for (key, field) in object.iter_mut() {
                    if let Some(field_schema) = properties.get(key) {
                        self.complete(field_schema, field);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.complete(&schema["items"], item);
                }
            }
            _ => {}
        }
    }

    fn plainest(&self, schema: &Value) -> Value {
        let schema = self.resolve(schema);
        if let Some(constant) = schema.get("const") {
            return constant.clone();
        }
        let branches = schema["oneOf"].as_array().or(schema["anyOf"].as_array());
        if let Some(branches) = branches {
            let null = branches.iter().any(|b| self.resolve(b)["type"] == "null");
            return if null {
                Value::Null
            } else {
                self.plainest(&branches[0])
            };
        }
        let kinds = types(schema).unwrap_or_default();
        if kinds.contains(&"null") {
            return Value::Null;
        }
        match kinds.first().copied() {
            Some("boolean") => Value::Bool(false),
            Some("integer" | "number") => schema.get("minimum").cloned().unwrap_or(Value::from(0)),
            Some("array") => Value::Array(Vec::new()),
            Some("string") if schema["format"] == "date-time" => {
                Value::from("2026-01-01T00:00:00.000000+00:00")
            }
            Some("string") if schema.get("pattern").is_some() => Value::from("0"),
            Some("string") => Value::from(""),
            _ => {
                let mut object = Value::Object(serde_json::Map::new());
                self.complete(schema, &mut object);
                object
            }
        }
    }

    pub(super) fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
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
            Value::Array(items) => errors.extend(self.check_array(schema, items, at, closed)),
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

    fn check_array(&self, schema: &Value, items: &[Value], at: &str, closed: bool) -> Vec<String> {
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
                errors.extend(self.validate(item_schema, item, &format!("{at}[{i}]"), closed));
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
                (Some(field_schema), _) => errors.extend(self.validate(field_schema, field, &here, closed)),
                (None, Some(Value::Bool(true))) => {}
                (None, Some(Value::Bool(false))) => errors.push(format!("{here}: not a documented field")),
                (None, Some(extra)) => errors.extend(self.validate(extra, field, &here, closed)),
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
