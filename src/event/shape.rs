//! Every unknown key, missing key and value of the wrong type in a file, found in one pass over
//! the parsed TOML against the key table. serde stops at the first; `check` names them all.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::source::suggest;
use crate::diag::Diagnostic;
use crate::schema::keys::{self, Kind, Table};

/// Which file: its tables and the keys each holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Series,
    Event,
}

impl FileKind {
    /// The table a `[name]` holds, or `None` when there is no such table in this file.
    fn sub_table(self, name: &str) -> Option<Table> {
        match (self, name) {
            (Self::Series, "series") => Some(Table::Series),
            (Self::Series, "defaults") => Some(Table::Defaults),
            (Self::Series, "discord") => Some(Table::Discord),
            (Self::Event, "discord") => Some(Table::EventDiscord),
            (_, "policy") => Some(Table::Policy),
            _ => None,
        }
    }

    fn tables(self) -> &'static [&'static str] {
        match self {
            Self::Series => &["series", "defaults", "policy", "discord"],
            Self::Event => &["policy", "discord"],
        }
    }
}

/// The problems of `text`'s shape; empty when it has none (or does not parse as TOML at all).
pub fn problems(path: &Path, text: &str, kind: FileKind) -> Vec<Diagnostic> {
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let walker = Walker { path, text };
    let root = root.into_inner();
    let top = match kind {
        FileKind::Series => None,
        FileKind::Event => Some(Table::Event),
    };
    for (key, value) in &root {
        let name = key.get_ref().as_ref();
        if let Some(table) = kind.sub_table(name) {
            walker.table(name, table, value, &mut found);
            continue;
        }
        match top.and_then(|t| find(t, name)) {
            Some(known) => walker.value(known, value, &mut found),
            None => found.push(walker.unknown(name, key.span(), top, kind.tables())),
        }
    }
    // The parsed tables keep no order: report in the file's.
    found.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
    walker.missing(&root, top, kind, &mut found);
    found
}

fn find(table: Table, name: &str) -> Option<&'static keys::Key> {
    keys::in_table(table).find(|k| k.name == name)
}

struct Walker<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Walker<'_> {
    fn table(&self, name: &str, table: Table, value: &Spanned<DeValue>, found: &mut Vec<Diagnostic>) {
        let DeValue::Table(entries) = value.get_ref() else {
            let d = Diagnostic::error(
                self.path,
                format!("`{name}` must be a table, not {}", type_name(value.get_ref())),
            );
            found.push(
                d.at(self.text, value.span())
                    .help(format!("write it as a section: `[{name}]`")),
            );
            return;
        };
        for (key, value) in entries {
            match find(table, key.get_ref().as_ref()) {
                Some(known) => self.value(known, value, found),
                None => found.push(self.unknown(key.get_ref().as_ref(), key.span(), Some(table), &[])),
            }
        }
    }

    fn value(&self, key: &keys::Key, value: &Spanned<DeValue>, found: &mut Vec<Diagnostic>) {
        if fits(key.kind, value.get_ref()) {
            return;
        }
        let message = format!(
            "`{}` must be {}, not {}",
            key.name,
            expected(key.kind),
            type_name(value.get_ref())
        );
        let d = Diagnostic::error(self.path, message).at(self.text, value.span());
        found.push(d.help(example(key)));
    }

    fn unknown(&self, name: &str, span: Range<usize>, table: Option<Table>, tables: &[&str]) -> Diagnostic {
        let mut names: Vec<&str> = table
            .map(|t| keys::in_table(t).map(|k| k.name).collect())
            .unwrap_or_default();
        names.extend_from_slice(tables);
        let d = Diagnostic::error(self.path, format!("unknown key `{name}`")).at(self.text, span);
        match suggest(name, &names) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help(format!("the keys allowed here are: {}", names.join(", "))),
        }
    }

    fn missing(&self, root: &DeTable, top: Option<Table>, kind: FileKind, found: &mut Vec<Diagnostic>) {
        let has = |name: &str| root.keys().any(|k| k.get_ref().as_ref() == name);
        let required = match (kind, top) {
            (FileKind::Event, Some(table)) => keys::in_table(table)
                .filter(|k| k.required)
                .map(|k| k.name)
                .collect(),
            _ => vec!["series"],
        };
        for name in required.into_iter().filter(|n| !has(n)) {
            let d = Diagnostic::error(self.path, format!("missing key `{name}`"));
            found.push(d.help(format!("add `{name} = ...`")));
        }
    }
}

fn fits(kind: Kind, value: &DeValue) -> bool {
    let strings = |value: &DeValue| match value {
        DeValue::Array(items) => items.iter().all(|i| matches!(i.get_ref(), DeValue::String(_))),
        _ => false,
    };
    match kind {
        Kind::Bool => matches!(value, DeValue::Boolean(_)),
        // A bare TOML date or time is taken as written; its value is checked later.
        Kind::Date | Kind::Time => matches!(value, DeValue::String(_) | DeValue::Datetime(_)),
        Kind::Texts | Kind::Snowflakes => strings(value),
        Kind::Text | Kind::Duration | Kind::Snowflake | Kind::Zone | Kind::OneOf(_) => {
            matches!(value, DeValue::String(_))
        }
    }
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Bool => "true or false",
        Kind::Date => "a date",
        Kind::Time => "a time",
        Kind::Texts | Kind::Snowflakes => "a list of strings",
        Kind::Text | Kind::Duration | Kind::Snowflake | Kind::Zone | Kind::OneOf(_) => "a string",
    }
}

fn example(key: &keys::Key) -> String {
    let value = match key.kind {
        Kind::Bool => "true",
        Kind::Date => "\"2026-02-17\"",
        Kind::Time => "\"15:00\"",
        Kind::Duration => "\"30m\"",
        Kind::Snowflake => "\"123456789012345678\"",
        Kind::Snowflakes => "[\"123456789012345678\"]",
        Kind::Texts => "[\"...\"]",
        Kind::Zone => "\"Asia/Tokyo\"",
        Kind::OneOf(names) => {
            return format!(
                "one of {}, quoted: `{} = \"{}\"`",
                names.join(", "),
                key.name,
                names[0]
            );
        }
        Kind::Text => "\"...\"",
    };
    format!("write it as `{} = {value}`", key.name)
}

fn type_name(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str, kind: FileKind) -> Vec<String> {
        problems(Path::new("x.toml"), text, kind)
            .into_iter()
            .map(|d| format!("{}:{}", d.location.map_or(0, |l| l.line), d.message))
            .collect()
    }

    #[test]
    fn every_type_error_of_an_event_file_at_once() {
        let text = "date = 2026-03-03\nstart = 15\ntitle = 3\nstrat = \"x\"\n[policy]\nrequire_avatar = \"yes\"\ndeny_users = [1]\n";
        assert_eq!(
            messages(text, FileKind::Event),
            [
                "2:`start` must be a time, not a number",
                "3:`title` must be a string, not a number",
                "4:unknown key `strat`",
                "6:`require_avatar` must be true or false, not a string",
                "7:`deny_users` must be a list of strings, not a list",
            ]
        );
    }

    #[test]
    fn a_series_file_without_series_and_with_a_stray_table() {
        let text = "[serie]\ntitle = \"x\"\n[policy]\nrole_name = 1\n";
        assert_eq!(
            messages(text, FileKind::Series),
            [
                "1:unknown key `serie`",
                "4:`role_name` must be a string, not a number",
                "0:missing key `series`",
            ]
        );
    }

    #[test]
    fn the_shipped_files_have_no_shape_problems() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let kind = if path.ends_with("tsudoi.toml") {
                    FileKind::Series
                } else {
                    FileKind::Event
                };
                assert_eq!(messages(&text, kind), Vec::<String>::new(), "{}", path.display());
            }
        }
    }
}
