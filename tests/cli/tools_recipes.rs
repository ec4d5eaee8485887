//! The scheduler recipes in `contrib/` are ready to use: the YAML parses and has the keys its
//! scheduler needs, the unit files have what systemd needs, and every tsudoi command line in
//! them is one the real command line accepts.

use std::path::Path;

use clap::Parser;
use saphyr::{LoadableYamlNode, ScalarOwned, YamlOwned};
use tsudoi::cli::{Cli, Command};

fn recipe(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib").join(path))
        .unwrap_or_else(|e| panic!("contrib/{path}: {e}"))
}

fn yaml(path: &str) -> YamlOwned {
    let mut documents = YamlOwned::load_from_str(&recipe(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(documents.len(), 1, "{path}: one document");
    documents.remove(0)
}

fn get<'a>(node: &'a YamlOwned, path: &[&str]) -> &'a YamlOwned {
    path.iter().fold(node, |node, key| {
        node.as_mapping_get(key)
            .unwrap_or_else(|| panic!("no `{key}` in {path:?}"))
    })
}

fn text(node: &YamlOwned) -> String {
    match node {
        YamlOwned::Value(ScalarOwned::String(s)) => s.clone(),
        YamlOwned::Value(ScalarOwned::Integer(i)) => i.to_string(),
        YamlOwned::Value(ScalarOwned::Boolean(b)) => b.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// Every tsudoi command line in `line`: the words after a word naming the binary, up to a shell
/// operator or a redirection.
fn tsudoi_commands(line: &str) -> Vec<Vec<String>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut commands = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if word.rsplit('/').next() == Some("tsudoi") {
            let args = words[i + 1..]
                .iter()
                .take_while(|w| {
                    !matches!(**w, "&&" | "||" | ";" | "|") && !w.starts_with(">") && !w.starts_with("2>")
                })
                .map(|w| w.to_string());
            commands.push(std::iter::once("tsudoi".to_string()).chain(args).collect());
        }
    }
    commands
}

/// `args` parse with the real command line, and run `tick` with one JSON line per run.
fn assert_tick(args: &[String], origin: &str) {
    let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{origin}: {args:?}: {e}"));
    assert!(matches!(cli.command, Command::Tick(_)), "{origin}: {args:?}");
    assert!(
        cli.json,
        "{origin}: a scheduler's log keeps one JSON record per run"
    );
    assert!(cli.dir.is_some(), "{origin}: names its event directory");
}

#[test]
fn the_github_actions_workflow_runs_every_five_minutes_one_at_a_time() {
    let workflow = yaml("github-actions/tsudoi-tick.yml");
    let on = get(&workflow, &["on"]);
    let schedule = get(on, &["schedule"]).as_sequence_get(0).expect("one schedule");
    assert_eq!(text(get(schedule, &["cron"])), "*/5 * * * *");
    assert!(on.as_mapping_get("workflow_dispatch").is_some());
    let concurrency = get(&workflow, &["concurrency"]);
    assert_eq!(text(get(concurrency, &["group"])), "tsudoi-tick");
    assert_eq!(text(get(concurrency, &["cancel-in-progress"])), "false");
    let steps = get(&workflow, &["jobs", "tick", "steps"]);
    let mut ticks = 0;
    for i in 0.. {
        let Some(step) = steps.as_sequence_get(i) else {
            break;
        };
        let Some(run) = step.as_mapping_get("run") else {
            continue;
        };
        for command in tsudoi_commands(&text(run)) {
            assert_tick(&command, "the workflow");
            let env = get(step, &["env"]);
            assert_eq!(text(get(env, &["DISCORD_TOKEN"])), "${{ secrets.DISCORD_TOKEN }}");
            ticks += 1;
        }
    }
    assert_eq!(ticks, 1);
    assert!(recipe("github-actions/tsudoi-tick.yml").contains("never committed back"));
}

#[test]
fn the_kubernetes_cronjob_never_overlaps_and_has_a_starting_deadline() {
    let job = yaml("kubernetes/cronjob.yaml");
    assert_eq!(text(get(&job, &["apiVersion"])), "batch/v1");
    assert_eq!(text(get(&job, &["kind"])), "CronJob");
    let spec = get(&job, &["spec"]);
    assert_eq!(text(get(spec, &["concurrencyPolicy"])), "Forbid");
    let deadline: i64 = text(get(spec, &["startingDeadlineSeconds"])).parse().unwrap();
    assert!((60..=600).contains(&deadline), "{deadline}");
    assert_eq!(text(get(spec, &["schedule"])).split_whitespace().count(), 5);
    let container = get(spec, &["jobTemplate", "spec", "template", "spec", "containers"])
        .as_sequence_get(0)
        .expect("one container");
    let args = get(container, &["args"]);
    let mut command = vec!["tsudoi".to_string()];
    command.extend((0..).map_while(|i| args.as_sequence_get(i)).map(text));
    assert_tick(&command, "the CronJob");
}

/// `[Section]` → `Key=Value` lines of a unit file.
fn unit(path: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut entries = Vec::new();
    for line in recipe(path).lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{path}: `{line}` is not Key=Value"));
        assert!(!section.is_empty(), "{path}: `{line}` before any section");
        entries.push((section.clone(), key.to_string(), value.to_string()));
    }
    entries
}

fn value(entries: &[(String, String, String)], section: &str, key: &str) -> String {
    entries
        .iter()
        .find(|(s, k, _)| s == section && k == key)
        .map(|(_, _, v)| v.clone())
        .unwrap_or_else(|| panic!("no {key}= in [{section}]"))
}

#[test]
fn the_systemd_units_have_what_systemd_needs() {
    let service = unit("systemd/tsudoi-tick.service");
    assert_eq!(value(&service, "Service", "Type"), "oneshot");
    let exec = value(&service, "Service", "ExecStart");
    assert!(exec.starts_with('/'), "ExecStart needs an absolute path: {exec}");
    let commands = tsudoi_commands(&exec);
    assert_eq!(commands.len(), 1);
    assert_tick(&commands[0], "the service");
    let timer = unit("systemd/tsudoi-tick.timer");
    assert_eq!(value(&timer, "Timer", "Persistent"), "true");
    assert_eq!(value(&timer, "Timer", "Unit"), "tsudoi-tick.service");
    assert!(!value(&timer, "Timer", "OnCalendar").is_empty());
    assert_eq!(value(&timer, "Install", "WantedBy"), "timers.target");
    let sections = ["Unit", "Service", "Timer", "Install"];
    for (section, _, _) in service.iter().chain(&timer) {
        assert!(
            sections.contains(&section.as_str()),
            "unknown section [{section}]"
        );
    }
}

#[test]
fn the_crontab_line_runs_tick_under_flock() {
    let text = recipe("cron/tsudoi.crontab");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let fields: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(&fields[..5], ["*"; 5], "every minute");
    let flock = fields
        .iter()
        .position(|f| *f == "flock")
        .expect("runs under flock");
    assert_eq!(fields[flock + 1], "-n", "skips a minute rather than queueing");
    let commands = tsudoi_commands(lines[0]);
    assert_eq!(commands.len(), 1);
    assert_tick(&commands[0], "the crontab");
}

#[test]
fn the_containerfile_builds_a_static_binary_into_a_small_image() {
    let text = recipe("container/Containerfile");
    let froms: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2, "a build stage and a runtime stage");
    assert!(froms[0].contains("alpine"), "musl: {}", froms[0]);
    assert!(froms[1].contains("distroless/static"), "{}", froms[1]);
    assert!(text.contains("cargo build --locked --release"));
    assert!(text.contains("ENTRYPOINT [\"/usr/local/bin/tsudoi\"]"));
    let rust = froms[0].split(':').nth(1).unwrap().split('-').next().unwrap();
    assert_eq!(
        rust,
        env!("CARGO_PKG_RUST_VERSION"),
        "the image builds with the declared rust-version"
    );
}
