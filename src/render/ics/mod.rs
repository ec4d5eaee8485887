//! The calendar feed (`announce --format ics`): one VCALENDAR (RFC 5545) with a VEVENT per
//! event. Times are UTC instants, so no VTIMEZONE is needed and every calendar shows the event
//! at the right moment in its reader's own zone. Pure: `SEQUENCE`, `LAST-MODIFIED` and
//! `DTSTAMP` come from the ledger ([`revision`]), never from a clock.

pub(crate) mod line;
pub(crate) mod revision;

use chrono::{DateTime, Utc};

use crate::event::{Event, Policy, Series, SignupMode, Status};
use crate::state::CalendarRecord;
use crate::time::Language;
use line::Property;

pub const PRODID: &str = "-//tsudoi//tsudoi//EN";

/// What the feed says of one event, apart from what the ledger gives (`DTSTAMP`,
/// `LAST-MODIFIED`, `SEQUENCE`).
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    uid: String,
    /// Start, end and status: what makes a new `SEQUENCE`.
    pub schedule: String,
    properties: Vec<Property>,
    alarm: Vec<Property>,
}

impl Entry {
    pub fn new(series: &Series, event: &Event) -> Self {
        let title = event.title.clone().unwrap_or_else(|| series.title.clone());
        let status = match event.status {
            Status::Cancelled => "CANCELLED",
            // Not in a feed (see `commands::calendar`); RFC 5545 has the word all the same.
            Status::Tentative => "TENTATIVE",
            Status::Scheduled | Status::Draft => "CONFIRMED",
        };
        let mut properties = vec![
            Property::raw("DTSTART", utc(event.starts_at.with_timezone(&Utc))),
            Property::raw("DTEND", utc(event.ends_at.with_timezone(&Utc))),
            Property::text("SUMMARY", &title),
            Property::text("DESCRIPTION", &description(series, event)),
            Property::text("LOCATION", "Discord"),
            Property::raw("STATUS", status),
        ];
        if let Some(url) = &series.page_url {
            properties.push(Property::raw("URL", url.clone()));
        }
        // The reminder comes when the viewer URL is shared: the moment to open Discord.
        let alarm = match event.status {
            Status::Cancelled | Status::Tentative => Vec::new(),
            Status::Scheduled | Status::Draft => vec![
                Property::raw("ACTION", "DISPLAY"),
                Property::raw("TRIGGER", before(event.policy.viewer_url_before_start.delta())),
                Property::text("DESCRIPTION", &title),
            ],
        };
        Self {
            id: event.id.clone(),
            uid: uid(series, event),
            schedule: format!(
                "{}/{}/{}",
                utc(event.starts_at.with_timezone(&Utc)),
                utc(event.ends_at.with_timezone(&Utc)),
                status
            ),
            properties,
            alarm,
        }
    }

    /// A digest of everything the entry says: an agenda or title edit changes it.
    pub fn content(&self) -> String {
        let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
        digest.update(self.uid.as_bytes());
        for property in self.properties.iter().chain(&self.alarm) {
            digest.update(property.name.as_bytes());
            digest.update(b":");
            digest.update(property.value.as_bytes());
            digest.update(b"\n");
        }
        digest.finish().as_ref()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn write(&self, revision: &CalendarRecord, out: &mut String) {
        Property::raw("BEGIN", "VEVENT").write(out);
        Property::raw("UID", self.uid.clone()).write(out);
        let stamp = utc(revision.modified);
        Property::raw("DTSTAMP", stamp.clone()).write(out);
        Property::raw("LAST-MODIFIED", stamp).write(out);
        Property::raw("SEQUENCE", revision.sequence.to_string()).write(out);
        for property in &self.properties {
            property.write(out);
        }
        if !self.alarm.is_empty() {
            Property::raw("BEGIN", "VALARM").write(out);
            for property in &self.alarm {
                property.write(out);
            }
            Property::raw("END", "VALARM").write(out);
        }
        Property::raw("END", "VEVENT").write(out);
    }
}

/// The whole VCALENDAR: the entries in the order given, each with its ledger record.
pub fn calendar(series: &Series, entries: &[(Entry, CalendarRecord)]) -> String {
    let mut out = String::new();
    for property in [
        Property::raw("BEGIN", "VCALENDAR"),
        Property::raw("VERSION", "2.0"),
        Property::raw("PRODID", PRODID),
        Property::raw("CALSCALE", "GREGORIAN"),
        Property::raw("METHOD", "PUBLISH"),
        Property::text("X-WR-CALNAME", &series.title),
    ] {
        property.write(&mut out);
    }
    for (entry, revision) in entries {
        entry.write(revision, &mut out);
    }
    Property::raw("END", "VCALENDAR").write(&mut out);
    out
}

/// `2026-02-17@shiguradio`: the event id and the series, so two series' feeds never collide
/// in one calendar, and the same event keeps its UID from one feed to the next.
pub fn uid(series: &Series, event: &Event) -> String {
    format!("{}@{}", event.id, series_slug(&series.title))
}

/// The ASCII words of the series title, lowercased and joined by `-`; a title with none (all
/// Japanese, say) is named by a digest of itself instead.
fn series_slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if !words.is_empty() {
        return words.join("-");
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, title.as_bytes());
    let hex: String = digest.as_ref()[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("series-{hex}")
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A negative DURATION (RFC 5545 §3.3.6): `-PT15M`.
fn before(span: chrono::TimeDelta) -> String {
    let seconds = span.num_seconds();
    match seconds {
        0 => "PT0S".to_string(),
        s if s % 60 == 0 => format!("-PT{}M", s / 60),
        s => format!("-PT{s}S"),
    }
}

/// How to join, in the series language: the same policy values the page states.
fn description(series: &Series, event: &Event) -> String {
    let policy = &event.policy;
    let deadline = event.signup_closes_at().format("%Y-%m-%d %H:%M");
    let zone = series.zone.name();
    let role = event.role_name();
    let url_minutes = policy.viewer_url_before_start.minutes();
    let mut lines = Vec::new();
    match series.language {
        Language::Ja => {
            if event.status == Status::Cancelled {
                lines.push("この回は中止になりました。".to_string());
            }
            lines.push(format!("申込: {}", how_ja(policy)));
            lines.push(format!("締切: {deadline} ({zone})"));
            lines.push(format!(
                "ロール: {role} (視聴用 URL は開始 {url_minutes} 分前にこのロールを持つ方へ共有します)"
            ));
            if let Some(url) = &series.page_url {
                lines.push(format!("詳細: {url}"));
            }
        }
        Language::En => {
            if event.status == Status::Cancelled {
                lines.push("This event is cancelled.".to_string());
            }
            lines.push(format!("Sign up: {}", how_en(policy)));
            lines.push(format!("Deadline: {deadline} ({zone})"));
            lines.push(format!(
                "Role: {role} (the viewer URL is shared with its holders {url_minutes} minutes before the start)"
            ));
            if let Some(url) = &series.page_url {
                lines.push(format!("Details: {url}"));
            }
        }
    }
    lines.join("\n")
}

fn how_ja(policy: &Policy) -> String {
    let avatar = if policy.require_avatar {
        " (アイコンの設定が必要です)"
    } else {
        ""
    };
    let on_the_post = "Discord のイベント用チャンネルにあるイベントの投稿に";
    match policy.signup_mode {
        SignupMode::Reply => format!("{on_the_post}「{}」と返信してください{avatar}", keyword(policy)),
        SignupMode::Reaction => format!(
            "{on_the_post}{} でリアクションしてください{avatar}",
            policy.signup_emoji
        ),
        SignupMode::Interested => {
            format!("Discord のサーバーのイベント一覧でこの回の「興味あり」を押してください{avatar}")
        }
    }
}

fn how_en(policy: &Policy) -> String {
    let avatar = if policy.require_avatar {
        " (an avatar is required)"
    } else {
        ""
    };
    let to_the_post = "the event post in the server's event channel";
    match policy.signup_mode {
        SignupMode::Reply => format!("reply \"{}\" to {to_the_post}{avatar}", keyword(policy)),
        SignupMode::Reaction => format!("react with {} to {to_the_post}{avatar}", policy.signup_emoji),
        SignupMode::Interested => {
            format!("press \"Interested\" on this episode in the server's Events list{avatar}")
        }
    }
}

fn keyword(policy: &Policy) -> &str {
    policy.signup_keywords.first().map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_the_ascii_words() {
        assert_eq!(
            series_slug("時雨堂 不定期オンライン雑談配信 (SHIGURADIO)"),
            "shiguradio"
        );
        assert_eq!(series_slug("Rust Night, Tokyo"), "rust-night-tokyo");
        assert!(series_slug("雑談配信").starts_with("series-"));
    }

    #[test]
    fn triggers_are_negative_durations() {
        assert_eq!(before(chrono::TimeDelta::minutes(15)), "-PT15M");
        assert_eq!(before(chrono::TimeDelta::seconds(90)), "-PT90S");
        assert_eq!(before(chrono::TimeDelta::zero()), "PT0S");
    }
}
