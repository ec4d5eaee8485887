//! Small edits of a file a person wrote (`move`, `cancel`): top-level keys set or removed in
//! place, every other line (comments, `[policy]`, the agenda) kept byte for byte. The one
//! writer (`write.rs`) makes new files; it would drop what this keeps.

/// `text` with each top-level `key` set to the TOML string `value`, or removed when `None`.
/// A key not there is added after `date`. `Err` names a key whose value spans lines.
pub fn set_keys(text: &str, keys: &[(&str, Option<&str>)]) -> Result<String, String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut added = 0;
    for (key, value) in keys {
        let top = lines
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .unwrap_or(lines.len());
        let found = lines[..top].iter().position(|l| key_of(l) == Some(key));
        let line = value.map(|v| format!("{key} = {}", toml::Value::String(v.to_string())));
        match (found, line) {
            (Some(at), _) if spans_lines(&lines[at]) => {
                return Err(format!("`{key}` spans several lines; edit it by hand"));
            }
            (Some(at), Some(line)) => lines[at] = line,
            (Some(at), None) => {
                lines.remove(at);
            }
            (None, Some(line)) => {
                let after = lines[..top]
                    .iter()
                    .position(|l| key_of(l) == Some("date"))
                    .map_or(0, |at| at + 1);
                lines.insert(after + added, line);
                added += 1;
            }
            (None, None) => {}
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

fn spans_lines(line: &str) -> bool {
    let value = line.split_once('=').map_or("", |(_, v)| v.trim());
    value.starts_with("\"\"\"") || value.starts_with("'''")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_set_in_place_and_the_rest_is_kept() {
        let text = "# header\ndate = \"2026-02-17\" # the day\nstart = \"15:00\"\nnotes = \"\"\"\nstart = \"x\"\n\"\"\"\n\n[policy]\nstatus = 1\n";
        let out = set_keys(
            text,
            &[
                ("date", Some("2026-02-24")),
                ("status", Some("cancelled")),
                ("start", None),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "# header\ndate = \"2026-02-24\"\nstatus = \"cancelled\"\nnotes = \"\"\"\nstart = \"x\"\n\"\"\"\n\n[policy]\nstatus = 1\n"
        );
    }

    #[test]
    fn a_multiline_value_is_not_touched() {
        let text = "date = \"2026-02-17\"\nreason = \"\"\"\nrain\n\"\"\"\n";
        assert!(set_keys(text, &[("reason", Some("snow"))]).is_err());
    }
}
