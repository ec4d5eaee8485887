//! Discord takes at most 2000 characters a message: split a post at block boundaries, then at
//! top-level list items, then at lines — never inside a line, so never inside a link or an item.

pub const DISCORD_LIMIT: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a line of the post is {length} characters long; a Discord message holds at most {limit}")]
pub struct LineTooLong {
    pub length: usize,
    pub limit: usize,
    pub line: String,
}

fn len(text: &str) -> usize {
    text.chars().count()
}

pub fn split(text: &str, limit: usize) -> Result<Vec<String>, LineTooLong> {
    let text = text.trim_end();
    if len(text) <= limit {
        return Ok(vec![text.to_string()]);
    }
    let mut pieces = Vec::new();
    for block in text.split("\n\n") {
        if len(block) <= limit {
            pieces.push((block.to_string(), "\n\n"));
            continue;
        }
        for group in item_groups(block) {
            if len(&group) <= limit {
                pieces.push((group, "\n"));
                continue;
            }
            for line in group.lines() {
                if len(line) > limit {
                    return Err(LineTooLong {
                        length: len(line),
                        limit,
                        line: line.to_string(),
                    });
                }
                pieces.push((line.to_string(), "\n"));
            }
        }
        if let Some(last) = pieces.last_mut() {
            last.1 = "\n\n";
        }
    }
    Ok(pack(pieces, limit))
}

/// Lines grouped so that each top-level list item keeps its nested items.
fn item_groups(block: &str) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for line in block.lines() {
        match groups.last_mut() {
            Some(group) if line.starts_with(' ') => {
                group.push('\n');
                group.push_str(line);
            }
            _ => groups.push(line.to_string()),
        }
    }
    groups
}

/// Greedy packing; each piece carries the separator that follows it in the original text.
fn pack(pieces: Vec<(String, &str)>, limit: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut current = String::new();
    let mut separator = "";
    for (piece, after) in pieces {
        if !current.is_empty() && len(&current) + len(separator) + len(&piece) > limit {
            messages.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push_str(separator);
        }
        current.push_str(&piece);
        separator = after;
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_posts_are_one_message() {
        assert_eq!(split("hello\n\nworld\n", 2000).unwrap(), ["hello\n\nworld"]);
    }

    #[test]
    fn long_lists_split_between_top_level_items() {
        let item = |i: usize| format!("- item {i}\n  - child {i}");
        let list: Vec<String> = (0..10).map(item).collect();
        let text = format!("# Title\n\n{}", list.join("\n"));
        let messages = split(&text, 60).unwrap();
        assert!(messages.iter().all(|m| len(m) <= 60), "{messages:?}");
        for m in &messages[1..] {
            assert!(m.starts_with("- item"), "{m:?}");
        }
        let joined: String = messages.join("\n");
        let normalize = |s: &str| s.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        assert_eq!(normalize(&joined), normalize(&text));
    }

    #[test]
    fn a_line_longer_than_a_message_is_an_error() {
        let error = split(&"x".repeat(30), 20).unwrap_err();
        assert_eq!(error.length, 30);
    }
}
