//! `tsudoi init [DIR]`: a commented `tsudoi.toml` and one example event; never overwrites.

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta};
use chrono_tz::Tz;
use serde::Serialize;

use super::print_json;
use crate::atomic;
use crate::cli::InitArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::load::SERIES_FILE;
use crate::event::write::{self, Comments, EventFields};
use crate::schema::{self, keys, keys::Table};
use crate::time::Language;

/// The default times the scaffolded series sets, which the example event takes.
const DEFAULT_START: NaiveTime = NaiveTime::from_hms_opt(15, 0, 0).expect("a time of day");
const DEFAULT_END: NaiveTime = NaiveTime::from_hms_opt(17, 0, 0).expect("a time of day");

#[derive(Serialize)]
struct Initialized {
    dir: String,
    files: Vec<String>,
}

pub fn run(args: &InitArgs, config: &Config) -> Result<(), Error> {
    let dir = args.path.clone().unwrap_or_else(|| config.dir.clone());
    let zone: Tz = args.timezone.parse().map_err(|_| Error::NotATimeZone {
        zone: args.timezone.clone(),
    })?;
    let language = Language::parse(&args.language).unwrap_or(Language::Ja);
    let series_path = dir.join(SERIES_FILE);
    if series_path.exists() {
        return Err(Error::Exists {
            path: series_path,
            hint: Some("this directory is already set up; `tsudoi check` validates it".into()),
        });
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    let date = (config.now.with_timezone(&zone) + TimeDelta::days(14)).date_naive();
    let event_path = dir.join(format!("{date}.toml"));
    let series_schema = dir.join(schema::SERIES_SCHEMA_PATH);
    let event_schema = dir.join(schema::EVENT_SCHEMA_PATH);
    write_schema(&series_schema, &schema::series())?;
    write_schema(&event_schema, &schema::event())?;
    atomic::create_new(&series_path, &series_text(language, zone))?;
    atomic::create_new(
        &event_path,
        &event_text(language, date, language.weekday(date.weekday())),
    )?;
    let files = vec![
        series_path.display().to_string(),
        event_path.display().to_string(),
        series_schema.display().to_string(),
        event_schema.display().to_string(),
    ];
    if config.json {
        print_json(&Initialized {
            dir: dir.display().to_string(),
            files,
        });
    } else {
        for file in &files {
            println!("{file}");
        }
        if config.verbosity >= 0 {
            eprintln!(
                "next: edit {SERIES_FILE} (title, Discord ids), then `tsudoi --dir {} list`",
                dir.display()
            );
        }
    }
    Ok(())
}

/// The schemas editors read (Taplo, Even Better TOML): rewritten on every `init`, they follow
/// the version of tsudoi that wrote them.
fn write_schema(path: &std::path::Path, document: &serde_json::Value) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    atomic::replace(path, &(super::schema::pretty(document) + "\n"))
}

/// `# <what the key does>`, from the key table the schemas use too.
fn doc(table: Table, name: &str) -> String {
    format!("# {}", keys::doc(table, name))
}

fn series_text(language: Language, zone: Tz) -> String {
    let (title, keyword) = match language {
        Language::Ja => ("オンライン勉強会", "参加します"),
        Language::En => ("Online study group", "I'm in"),
    };
    use Table::{Defaults, Discord, Policy, Series};
    let lines = [
        format!("#:schema ./{}", schema::SERIES_SCHEMA_PATH),
        "# tsudoi series settings: one file per event directory. `tsudoi check` validates everything;".into(),
        "# `tsudoi schema series` describes every key.".into(),
        String::new(),
        "[series]".into(),
        doc(Series, "title"),
        format!("title = \"{title}\""),
        doc(Series, "timezone"),
        format!("timezone = \"{zone}\""),
        doc(Series, "language"),
        format!("language = \"{}\"", language.code()),
        doc(Series, "allow_rst_directives"),
        "# allow_rst_directives = []".into(),
        doc(Series, "page_url"),
        "# page_url = \"https://example.org/events/\"".into(),
        doc(Series, "calendar_url"),
        "# calendar_url = \"https://example.org/events/calendar.ics\"".into(),
        String::new(),
        "[defaults]".into(),
        doc(Defaults, "start"),
        format!("start = \"{}\"", DEFAULT_START.format("%H:%M")),
        doc(Defaults, "end"),
        format!("end = \"{}\"", DEFAULT_END.format("%H:%M")),
        doc(Defaults, "viewer_url_env"),
        "# viewer_url_env = \"VIEWER_URL\"".into(),
        String::new(),
        "[policy]".into(),
        "# These numbers drive `roles` and `tick`, and the announcement states the same numbers.".into(),
        doc(Policy, "signup_closes_after_start"),
        "signup_closes_after_start = \"30m\"".into(),
        doc(Policy, "viewer_url_before_start"),
        "viewer_url_before_start = \"15m\"".into(),
        doc(Policy, "stream_opens_before_start"),
        "stream_opens_before_start = \"5m\"".into(),
        doc(Policy, "signup_keywords"),
        format!("signup_keywords = [\"{keyword}\"]"),
        doc(Policy, "require_avatar"),
        "require_avatar = true".into(),
        doc(Policy, "boosters_join_without_signup"),
        "boosters_join_without_signup = true".into(),
        doc(Policy, "role_name"),
        "role_name = \"{date}\"".into(),
        doc(Policy, "deny_users"),
        "deny_users = []".into(),
        String::new(),
        "[discord]".into(),
        doc(Discord, "guild_id"),
        "# guild_id = \"\"".into(),
        doc(Discord, "signup_channel_id"),
        "# signup_channel_id = \"\"".into(),
        doc(Discord, "share_channel_id"),
        "# share_channel_id = \"\"".into(),
    ];
    lines.join("\n") + "\n"
}

/// The example event: a draft with notes and an agenda to copy from.
fn event_text(language: Language, date: NaiveDate, weekday: &str) -> String {
    let (notes, agenda) = match language {
        Language::Ja => (
            "はじめての回です。質問はチャットにどうぞ。\n",
            "- 近況\n- 話題\n  - 参考リンク <https://example.com/>\n- 質問コーナー\n",
        ),
        Language::En => (
            "Our first session. Questions go in the chat.\n",
            "- News\n- Topics\n  - A reference link <https://example.com/>\n- Questions\n",
        ),
    };
    let event = EventFields {
        notes: notes.to_string(),
        agenda: agenda.to_string(),
        ..EventFields::draft(date)
    };
    let comments = Comments {
        header: vec![format!(
            "An example event, {date} ({weekday}). Copy it, or run `tsudoi create --date YYYY-MM-DD`."
        )],
        default_start: Some(DEFAULT_START),
        default_end: Some(DEFAULT_END),
    };
    format!(
        "#:schema ./{}\n{}",
        schema::EVENT_SCHEMA_PATH,
        write::to_toml(&event, &comments)
    )
}
