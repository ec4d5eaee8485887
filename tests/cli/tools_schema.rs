//! The JSON Schemas: the shipped files pass the file schemas and broken ones fail them; `init`
//! writes them for editors; every command's `--json` document passes its own schema.

use serde_json::Value;

use crate::fake::FakeDiscord;
use crate::fake::state::TOKEN;
use crate::roles::{AFTER, builder, configured, post};
use crate::tools_util::{RunIn, run};
use crate::util::{Dir, Output, shipped_events};

fn schema_of(args: &[&str]) -> Value {
    let mut all = vec!["schema"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).expect("the schema is a valid 2020-12 schema")
}

/// A TOML file as the JSON a schema-aware editor checks.
fn toml_json(text: &str) -> Value {
    let table: toml::Table = text.parse().unwrap();
    tsudoi::schema::toml_to_json(&toml::Value::Table(table))
}

fn errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    validator
        .iter_errors(&toml_json(text))
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn every_shipped_file_passes_its_schema() {
    let series = validator(&schema_of(&["series"]));
    let event = validator(&schema_of(&["event"]));
    let mut checked = 0;
    for entry in std::fs::read_dir(shipped_events()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let schema = if path.ends_with("tsudoi.toml") {
            &series
        } else {
            &event
        };
        assert_eq!(errors(schema, &text), Vec::<String>::new(), "{}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 7, "the series file and six events");
}

#[test]
fn the_broken_files_of_the_check_tests_fail_the_schema() {
    let event = validator(&schema_of(&["event"]));
    let broken = [
        ("an unknown key", "date = \"2026-03-01\"\nstrat = \"15:00\"\n"),
        (
            "a time out of range",
            "date = \"2026-03-01\"\nstart = \"25:00\"\n",
        ),
        ("a time of the wrong type", "date = \"2026-03-01\"\nstart = 15\n"),
        (
            "an unknown status",
            "date = \"2026-03-01\"\nstatus = \"sheduled\"\n",
        ),
        ("no date", "start = \"15:00\"\n"),
        (
            "a duration in words",
            "date = \"2026-03-01\"\n[policy]\nsignup_closes_after_start = \"30 minutes\"\n",
        ),
        (
            "a user id that is a name",
            "date = \"2026-03-01\"\n[policy]\ndeny_users = [\"alice\"]\n",
        ),
        (
            "an unknown share mode",
            "date = \"2026-03-01\"\n[policy]\nshare_mode = \"email\"\n",
        ),
        (
            "a post id that is a link",
            "date = \"2026-03-01\"\n[discord]\npost_id = \"https://discord.com/x\"\n",
        ),
    ];
    for (what, text) in broken {
        assert!(
            !errors(&event, text).is_empty(),
            "{what} passed the schema:\n{text}"
        );
    }
    let series = validator(&schema_of(&["series"]));
    let typo = crate::util::shipped_series().replace("[policy]", "[policy]\nrequire_avtar = true");
    assert!(!errors(&series, &typo).is_empty(), "a typo in tsudoi.toml passed");
    let language = crate::util::shipped_series().replace("language = \"ja\"", "language = \"fr\"");
    assert!(
        !errors(&series, &language).is_empty(),
        "an unknown language passed"
    );
}

#[test]
fn the_schema_states_types_defaults_and_descriptions() {
    let series = schema_of(&["series"]);
    assert_eq!(series["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let policy = &series["properties"]["policy"]["properties"];
    assert_eq!(policy["viewer_url_before_start"]["default"], "15m");
    assert_eq!(
        policy["viewer_url_before_start"]["description"],
        "The viewer URL is shared this long before start."
    );
    assert_eq!(
        policy["approval"]["enum"],
        serde_json::json!(["auto", "admin-reaction"])
    );
    let event = schema_of(&["event"]);
    assert_eq!(
        event["properties"]["status"]["enum"],
        serde_json::json!(["draft", "scheduled", "cancelled", "tentative"])
    );
}

#[test]
fn init_writes_the_schemas_and_names_them_in_each_file() {
    let dir = Dir::new();
    let out = dir.run(&["--now", "2026-02-01T00:00:00Z", "init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(dir.read(".schema/series.json"), run(&["schema", "series"]).stdout);
    assert_eq!(dir.read(".schema/event.json"), run(&["schema", "event"]).stdout);
    let series = dir.read("tsudoi.toml");
    assert!(series.starts_with("#:schema ./.schema/series.json\n"), "{series}");
    let event = dir.read("2026-02-15.toml");
    assert!(event.starts_with("#:schema ./.schema/event.json\n"), "{event}");
    // The commented template passes its schema, and the comments are the schema's descriptions.
    assert!(errors(&validator(&schema_of(&["series"])), &series).is_empty());
    assert!(errors(&validator(&schema_of(&["event"])), &event).is_empty());
    assert!(
        series.contains(
            "# The viewer URL is shared this long before start.\nviewer_url_before_start = \"15m\""
        )
    );
}

/// `out`'s stdout passes the schema of `command`'s `--json` document.
fn assert_valid(command: &str, out: &Output) {
    let schema = schema_of(&["json", command]);
    let document = out.json();
    let problems: Vec<String> = validator(&schema)
        .iter_errors(&document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{command}: {problems:#?}\n{}", out.stdout);
    assert_eq!(document["version"], 1, "{command}");
}

#[test]
fn every_commands_json_passes_its_schema() {
    let events = shipped_events();
    let events = events.to_str().unwrap();
    let at = |args: &[&str]| {
        let mut all = vec!["--dir", events, "--now", "2026-02-17T14:00:00+09:00", "--json"];
        all.extend_from_slice(args);
        run(&all)
    };
    for (command, args) in [
        ("list", &["list"][..]),
        ("show", &["show", "2026-02-17"]),
        ("check", &["check"]),
        ("plan", &["plan"]),
        ("announce", &["announce", "-f", "rst"]),
        ("announce", &["announce", "-f", "text"]),
        ("announce", &["announce", "-f", "discord"]),
        ("doctor", &["doctor"]),
        ("tick", &["tick", "--dry-run"]),
        ("error", &["show", "2026-02-18"]),
    ] {
        assert_valid(command, &at(args));
    }
    let dir = Dir::with_series();
    assert_valid("create", &dir.run(&["--json", "create", "--date", "2026-05-22"]));
    let out = dir.run(&[
        "--json",
        "--now",
        "2026-05-01T00:00:00Z",
        "announce",
        "2026-05-22",
        "-o",
        "page.rst",
    ]);
    let dir_path = dir.path().to_str().unwrap();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_valid("announce", &out);
    assert!(
        out.json()["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("page.rst")),
        "{}",
        out.stdout
    );
    let fresh = Dir::new();
    assert_valid(
        "init",
        &fresh.run(&["--json", "--now", "2026-02-01T00:00:00Z", "init"]),
    );
    assert!(!dir_path.is_empty());
}

#[test]
fn the_discord_commands_json_passes_its_schema() {
    let fake: FakeDiscord = builder().start();
    let posted = post(&fake);
    let dir = configured(&format!("\n[discord]\npost_id = \"{posted}\"\n"));
    let env = [
        ("DISCORD_API_BASE", fake.base()),
        ("DISCORD_TOKEN", TOKEN.to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = |args: &[&str]| {
        let mut all = vec!["--json", "--now", AFTER];
        all.extend_from_slice(args);
        dir.run_env(&env, &all)
    };
    assert_valid("post", &run(&["post", "2026-02-17", "--dry-run"]));
    assert_valid("requests", &run(&["roles", "2026-02-17", "--dry-run"]));
    assert_valid("roles", &run(&["roles", "2026-02-17"]));
    assert_valid("doctor", &run(&["doctor"]));
    assert_valid("tick", &run(&["tick"]));
}

#[test]
fn tick_json_is_one_line() {
    let events = shipped_events();
    let out = run(&[
        "--dir",
        events.to_str().unwrap(),
        "--now",
        "2026-02-17T14:50:00+09:00",
        "--json",
        "tick",
        "--dry-run",
    ]);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(out.json()["actions"].is_array());
    // Its failure too: one record per run.
    let failed = run(&["--dir", "/nonexistent/events", "--json", "tick"]);
    assert_eq!(failed.code, 1);
    assert_eq!(failed.stdout.lines().count(), 1, "{}", failed.stdout);
    assert_valid("error", &failed);
}

#[test]
fn show_and_list_say_the_same_status() {
    let events = shipped_events();
    let at = |args: &[&str]| {
        let mut all = vec![
            "--dir",
            events.to_str().unwrap(),
            "--now",
            "2026-02-10T00:00:00Z",
            "--json",
        ];
        all.extend_from_slice(args);
        run(&all).json()
    };
    let list = at(&["list"]);
    let listed = list["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "2026-02-17")
        .unwrap()
        .clone();
    assert_eq!(listed["status"], "scheduled");
    assert_eq!(at(&["show", "2026-02-17"])["status"], "scheduled");
}

#[test]
fn the_schemas_under_docs_are_the_ones_tsudoi_prints() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let read =
        |path: &str| std::fs::read_to_string(docs.join(path)).unwrap_or_else(|e| panic!("docs/{path}: {e}"));
    let regenerate = "regenerate: for c in ...; do tsudoi schema json $c > docs/json/$c.json; done";
    assert_eq!(
        read("schema/series.json"),
        run(&["schema", "series"]).stdout,
        "{regenerate}"
    );
    assert_eq!(
        read("schema/event.json"),
        run(&["schema", "event"]).stdout,
        "{regenerate}"
    );
    for command in tsudoi::schema::COMMANDS {
        let printed = run(&["schema", "json", command]).stdout;
        assert_eq!(
            read(&format!("json/{command}.json")),
            printed,
            "{command}: {regenerate}"
        );
    }
}

#[test]
fn create_names_the_schema_where_init_left_it() {
    let dir = Dir::new();
    assert_eq!(dir.run(&["--now", "2026-02-01T00:00:00Z", "init"]).code, 0);
    let out = dir.run(&["create", "--date", "2026-03-03"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = dir.read("2026-03-03.toml");
    assert!(text.starts_with("#:schema ./.schema/event.json\n"), "{text}");
    assert!(errors(&validator(&schema_of(&["event"])), &text).is_empty());
    let man = dir.run(&["--json", "man", "-o", "man"]);
    assert_valid("man", &man);
}
