//! `announce --format`: each choice reaches its output, as text and as `--json`.

use crate::util::{Dir, Output, tsudoi};

fn announce(dir: &Dir, args: &[&str]) -> Output {
    let mut all = vec!["--now", "2026-02-10T00:00:00Z", "announce", "2026-02-17"];
    all.extend_from_slice(args);
    let out = tsudoi(&all).cwd(dir.path()).run();
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out
}

#[test]
fn each_page_format_is_a_json_document_with_its_name() {
    let dir = Dir::new().with_shipped_events();
    for format in ["rst", "markdown", "text"] {
        let text = announce(&dir, &["--format", format]).stdout;
        let json = announce(&dir, &["--json", "--format", format]).json();
        assert_eq!(
            json,
            serde_json::json!({ "id": "2026-02-17", "format": format, "text": text }),
            "{format}"
        );
    }
    let rst = announce(&dir, &["--format", "rst"]).stdout;
    assert!(rst.contains("\n過去\n"), "{rst}");
    let markdown = announce(&dir, &["--format", "markdown"]).stdout;
    assert!(markdown.contains("# 過去\n"), "{markdown}");
}

#[test]
fn discord_is_the_event_post_as_messages() {
    let dir = Dir::new().with_shipped_events();
    let text = announce(&dir, &["--format", "discord"]).stdout;
    let messages = announce(&dir, &["--json", "--format", "discord"]).json();
    let messages: Vec<String> = serde_json::from_value(messages).unwrap();
    assert!(!messages.is_empty());
    assert!(messages.iter().all(|m| m.chars().count() <= 2000));
    assert_eq!(text, messages.join("\n\n") + "\n");
    let page = announce(&dir, &["--format", "markdown"]).stdout;
    assert_ne!(text, page, "the post is not the page");
}
