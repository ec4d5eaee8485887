//! `tsudoi show ID`: one event with the series defaults applied and every instant computed.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::print_json;
use crate::cli::ShowArgs;
use crate::config::Config;
use crate::discord::Snowflake;
use crate::error::Error;
use crate::event::{Agenda, Directory, Event, Phase, Policy, Series, ViewerUrlSource};
use crate::output::table;
use crate::publish::Pending;
use crate::render::context::Page;
use crate::render::templates::Templates;
use crate::schedule::timeline::Action;
use crate::schedule::{self, Milestone};
use crate::state::{Outcome, Record, Store};

#[derive(Serialize)]
struct View<'a> {
    id: &'a str,
    path: String,
    title: &'a str,
    date: String,
    weekday: &'static str,
    start: String,
    end: String,
    timezone: &'static str,
    status: Phase,
    role: String,
    viewer_url_from: Option<&'a ViewerUrlSource>,
    post_id: Option<Snowflake>,
    /// What the ledger records of the event post.
    post: Option<Record>,
    /// Edits of the post (and a notice) the next `tick` makes: the files changed since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<Pending>,
    policy: &'a Policy,
    times: Vec<Instant>,
    notes: &'a str,
    agenda: &'a Agenda,
}

#[derive(Serialize)]
struct Instant {
    milestone: Milestone,
    label: &'static str,
    local: String,
    utc: DateTime<Utc>,
}

pub fn run(args: &ShowArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let event = directory.event(&args.id)?;
    let post = Store::new(&config.dir)
        .peek(&event.id)?
        .get(Action::Post.key())
        .cloned();
    let mut view = view(event, series, config.now, post);
    if let Ok(templates) = Templates::load(&config.dir, series.language) {
        let ledger = Store::new(&config.dir).peek(&event.id)?;
        let page = Page::new(series, &directory.events, event, config.now);
        view.pending = crate::publish::pending_changes(&templates, &page, event, &ledger, config.now);
    }
    if config.json {
        print_json(&view);
        return Ok(());
    }
    println!("{}", details(&view, event));
    println!("{}", times(&view));
    Ok(())
}

fn view<'a>(event: &'a Event, series: &'a Series, now: DateTime<Utc>, post: Option<Record>) -> View<'a> {
    let times = schedule::timeline(event)
        .into_iter()
        .map(|m| Instant {
            milestone: m.milestone,
            label: m.milestone.label(),
            local: local(m.at),
            utc: m.at.with_timezone(&Utc),
        })
        .collect();
    View {
        id: &event.id,
        path: event.path.display().to_string(),
        title: event.title.as_deref().unwrap_or(&series.title),
        date: event.date.to_string(),
        weekday: series.language.weekday(event.date.weekday()),
        start: event.start.format("%H:%M").to_string(),
        // An open end shows as `20:00~`: the assumed end is for timed actions only.
        end: if event.open_end {
            String::new()
        } else {
            event.end.format("%H:%M").to_string()
        },
        timezone: series.zone.name(),
        status: event.phase(&now),
        role: event.role_name(),
        viewer_url_from: event.viewer_url.as_ref(),
        post_id: event.post_id,
        post,
        pending: None,
        policy: &event.policy,
        times,
        notes: &event.notes,
        agenda: &event.agenda,
    }
}

fn local(at: DateTime<Tz>) -> String {
    at.format("%Y-%m-%d %H:%M %Z").to_string()
}

fn details(view: &View, event: &Event) -> comfy_table::Table {
    let minutes = event.duration().num_minutes();
    let policy = view.policy;
    let mut rows = vec![
        ("event", view.id.to_string()),
        ("title", view.title.to_string()),
        ("file", view.path.clone()),
        ("date", format!("{} ({})", view.date, view.weekday)),
        (
            "time",
            if view.end.is_empty() {
                format!("{}~ {} (open end)", view.start, view.timezone)
            } else {
                format!("{}-{} {} ({minutes} min)", view.start, view.end, view.timezone)
            },
        ),
        ("status", view.status.as_str().to_string()),
        ("role", view.role.clone()),
        (
            "sign-up",
            format!(
                "reply {} until {}",
                quoted(&policy.signup_keywords),
                deadline(policy)
            ),
        ),
        ("rules", rules(policy)),
        (
            "viewer URL",
            view.viewer_url_from.map_or_else(
                || "not set (set `viewer_url_env` or `viewer_url_file`)".into(),
                |s| format!("read from {s}"),
            ),
        ),
        ("event post", post_state(view, event)),
        ("agenda", format!("{} item(s)", event.agenda.count())),
    ];
    if let Some(pending) = &view.pending {
        let text = format!(
            "{} (the next `tick` or `post {}` does it)",
            pending.summary, view.id
        );
        rows.insert(rows.len() - 1, ("pending edits", text));
    }
    let mut table = table(&[]);
    for (key, value) in rows {
        table.add_row(vec![key.to_string(), value]);
    }
    table
}

/// The event post as the event file and the ledger record it.
fn post_state(view: &View, event: &Event) -> String {
    if let Some(id) = view.post_id {
        return format!("posted by hand (post_id {id})");
    }
    let Some(record) = &view.post else {
        return "not posted".into();
    };
    let at = local(record.at.with_timezone(&event.starts_at.timezone()));
    let messages = match record.message_ids.as_slice() {
        [] => String::new(),
        [one] => format!(" (message {one})"),
        [first, ..] => format!(" (messages {first}, +{})", record.message_ids.len() - 1),
    };
    let detail = record.detail.as_deref().unwrap_or_default();
    match record.outcome {
        Outcome::Done => format!("posted at {at}{messages}"),
        Outcome::Started => format!(
            "started at {at}, not confirmed (`tsudoi post {}` checks Discord and finishes it)",
            view.id
        ),
        Outcome::Skipped => format!("skipped at {at}: {detail}"),
        Outcome::Failed => format!("failed at {at}: {detail}"),
    }
}

fn quoted(keywords: &[String]) -> String {
    keywords
        .iter()
        .map(|k| format!("「{k}」"))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn rules(policy: &Policy) -> String {
    let mut rules = Vec::new();
    if policy.require_avatar {
        rules.push("avatar required".to_string());
    }
    if policy.boosters_join_without_signup {
        rules.push("boosters join without sign-up".to_string());
    }
    if !policy.deny_users.is_empty() {
        rules.push(format!("{} user(s) denied", policy.deny_users.len()));
    }
    if rules.is_empty() {
        "none".into()
    } else {
        rules.join(", ")
    }
}

fn times(view: &View) -> comfy_table::Table {
    let mut table = table(&["WHEN", view.timezone, "UTC"]);
    for instant in &view.times {
        table.add_row(vec![
            instant.label.to_string(),
            instant.local.clone(),
            instant.utc.format("%Y-%m-%d %H:%M UTC").to_string(),
        ]);
    }
    table
}

/// The sign-up deadline in words: `30m after start`, `30m before start`, `-1d@23:59`.
fn deadline(policy: &crate::event::Policy) -> String {
    if let Some(at) = policy.signup_closes {
        let time = at.time.format("%H:%M");
        return match at.days_before {
            0 => format!("{time} on the event's day"),
            1 => format!("{time} the day before the event"),
            n => format!("{time}, {n} days before the event"),
        };
    }
    let span = policy.signup_closes_after_start;
    if span.seconds() < 0 {
        format!("{} before start", span.to_string().trim_start_matches('-'))
    } else {
        format!("{span} after start")
    }
}
