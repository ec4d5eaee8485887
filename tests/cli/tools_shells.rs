//! Shell completions (event ids from the event directory) and man pages.

use assert_cmd::Command;

use crate::tools_util::{RunIn, run};
use crate::util::Dir;

#[test]
fn completions_register_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("tsudoi"), "{shell}: {}", out.stdout);
        assert!(out.stdout.contains("COMPLETE"), "{shell}: {}", out.stdout);
    }
    assert_eq!(run(&["completions", "tcsh"]).code, 2);
}

/// What the shell gets back for the words typed so far (fish's protocol: one per line).
fn complete(cwd: &Dir, env: &[(&str, &str)], words: &[&str]) -> Vec<String> {
    let output = Command::cargo_bin("tsudoi")
        .unwrap()
        .env_clear()
        .env("COMPLETE", "fish")
        .envs(env.iter().copied())
        .arg("--")
        .arg("tsudoi")
        .args(words)
        .current_dir(cwd.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn event_ids_complete_from_the_directory_on_the_line() {
    let dir = Dir::new().with_shipped_events();
    let events = dir.path().join("events");
    let events = events.to_str().unwrap();
    let newest_first = [
        "2026-02-17",
        "2025-07-08",
        "2024-07-09",
        "2024-01-16",
        "2023-04-18",
        "2022-12-06",
    ];
    let all = complete(&dir, &[], &["--dir", events, "show", ""]);
    let ids: Vec<&String> = all.iter().filter(|c| !c.starts_with('-')).collect();
    assert_eq!(ids, newest_first, "{all:?}");
    assert_eq!(
        complete(&dir, &[], &["--dir", events, "roles", "2024"]),
        ["2024-07-09", "2024-01-16"]
    );
    // From ./events, the default, and from TSUDOI_DIR.
    assert_eq!(complete(&dir, &[], &["share", "2026"]), ["2026-02-17"]);
    let elsewhere = Dir::new();
    assert_eq!(
        complete(&elsewhere, &[("TSUDOI_DIR", events)], &["post", "2025"]),
        ["2025-07-08"]
    );
    assert_eq!(complete(&dir, &[], &["create", "--from", "2023"]), ["2023-04-18"]);
}

#[test]
fn man_writes_one_page_per_subcommand() {
    let dir = Dir::new();
    let out = dir.run(&["man", "-o", "man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pages: Vec<String> = out
        .stdout
        .lines()
        .map(|l| l.rsplit('/').next().unwrap().to_string())
        .collect();
    for page in [
        "tsudoi.1",
        "tsudoi-create.1",
        "tsudoi-tick.1",
        "tsudoi-completions.1",
        "tsudoi-schema.1",
    ] {
        assert!(pages.iter().any(|p| p == page), "{page} not in {pages:?}");
    }
    let create = std::fs::read_to_string(dir.path().join("man/tsudoi-create.1")).unwrap();
    assert!(create.starts_with(".ie \\n(.g .ds Aq"), "{create}");
    assert!(create.contains("\\-\\-date"), "{create}");
    let written = std::fs::read_dir(dir.path().join("man")).unwrap().count();
    assert_eq!(written, pages.len());
}

/// `tsudoi --json list | head -c 16`: the reader goes away early; tsudoi ends quietly (exit 0,
/// no panic report), as Unix tools do. The listing is larger than a pipe holds, so tsudoi is
/// still writing when the reader leaves.
#[test]
fn a_reader_that_goes_away_early_gets_no_panic() {
    use std::io::Read;
    let mut dir = crate::util::Dir::with_series();
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 7).unwrap();
    for week in 0..600 {
        let date = start + chrono::Duration::weeks(week);
        dir = dir.file(&format!("{date}.toml"), &format!("date = \"{date}\"\n"));
    }
    let mut child = dir.tsudoi(["--json", "list"]).spawn();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}
