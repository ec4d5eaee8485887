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
    atomic::create_new(&series_path, &series_text(language, zone))?;
    atomic::create_new(
        &event_path,
        &event_text(language, date, language.weekday(date.weekday())),
    )?;
    let files = vec![
        series_path.display().to_string(),
        event_path.display().to_string(),
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

fn series_text(language: Language, zone: Tz) -> String {
    let (title, keyword) = match language {
        Language::Ja => ("オンライン勉強会", "参加します"),
        Language::En => ("Online study group", "I'm in"),
    };
    format!(
        r#"# tsudoi series settings: one file per event directory.
# Times in this directory are wall-clock times in `timezone`. `tsudoi check` validates everything.

[series]
title = "{title}"
timezone = "{zone}"      # an IANA zone name; daylight saving time is handled
language = "{lang}"               # weekday names and default texts: "ja" or "en"
# rst directives that read files or pass raw output (include, raw, csv-table with :file:) are
# refused in event text; list here the ones this series really needs, e.g. ["raw"].
# allow_rst_directives = []

[defaults]
# Each event may set its own start and end; these apply when it does not.
start = "{start}"
end = "{end}"
# Where `share` reads the viewer URL when it is time. The URL itself never goes in these files,
# so this directory can live in a public repository.
# viewer_url_env = "VIEWER_URL"

[policy]
# These numbers drive `roles` and `tick`, and the announcement states the same numbers.
signup_closes_after_start = "30m"     # sign-ups are accepted until start + this
viewer_url_before_start = "15m"       # the viewer URL is shared this long before start
stream_opens_before_start = "5m"      # the stream opens this long before start
signup_keywords = ["{keyword}"]          # a reply containing one of these is a sign-up
require_avatar = true                 # only members who set an avatar get the role
boosters_join_without_signup = true   # server boosters get the role without signing up
role_name = "{{date}}"                  # the event role; {{date}} and {{id}} are filled in
deny_users = []                       # Discord user ids that never get the role

[discord]
# Copy ids with Developer Mode on (User Settings → Advanced), then right-click → Copy ID.
# guild_id = ""
# signup_channel_id = ""   # where the event post goes and members sign up
# share_channel_id = ""    # where role holders read the viewer URL
"#,
        lang = language.code(),
        start = DEFAULT_START.format("%H:%M"),
        end = DEFAULT_END.format("%H:%M"),
    )
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
    write::to_toml(&event, &comments)
}
