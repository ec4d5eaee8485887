//! What templates see: plain values computed from the resolved series and events.

use chrono::{DateTime, Datelike, Timelike, Utc};
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Serde, Value};
use serde::Serialize;

use crate::duration::Span;
use crate::event::{Agenda, Event, Policy, Series, Status};
use crate::time::Language;

#[derive(Debug, Serialize)]
pub struct Page {
    pub series: SeriesView,
    /// The rules of the event the page is about: the numbers `roles` and `tick` act on.
    pub policy: PolicyView,
    pub event: EventView,
    /// The event the page announces; empty when nothing is scheduled yet (then `event` is the
    /// last one held, and it is in `past` too).
    pub next: Option<EventView>,
    /// The instant the page is rendered, in the series zone (RFC 3339).
    pub now: String,
    /// Every earlier event that was held, newest first.
    pub past: Past,
    /// For the share and on-air messages only.
    pub share: ShareView,
}

/// The held events a page lists, newest first. Templates read them as a list, but each event
/// becomes a template value only when a template reads it: the notices and the post, which
/// never look at years of past events, do not pay for them.
#[derive(Debug, Default, Clone)]
pub struct Past(Arc<PastList>);

#[derive(Debug, Default, Clone)]
struct PastList(Vec<EventView>);

impl Past {
    fn of(held: &[&Event], series: &Series) -> Self {
        Self(Arc::new(PastList(
            held.iter().map(|e| EventView::new(e, series)).collect(),
        )))
    }

    fn list(&mut self) -> &mut Vec<EventView> {
        &mut Arc::make_mut(&mut self.0).0
    }
}

impl Serialize for Past {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Within a template render this hands the list over as it is; elsewhere it is written
        // out event by event.
        Value::from_dyn_object(Arc::clone(&self.0)).serialize(serializer)
    }
}

impl Object for PastList {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(|view| Value::from(Serde(view)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

/// What only the share and on-air messages see.
#[derive(Debug, Default, Serialize)]
pub struct ShareView {
    /// `<@&id>`: the event role, which the message pings (and only it).
    pub role_mention: String,
    /// The viewer URL (in `share.j2` only).
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct SeriesView {
    pub title: String,
    pub timezone: String,
    pub language: Language,
    pub start: Option<String>,
    pub end: Option<String>,
    /// The public address of the calendar feed (`[series] calendar_url`), if set.
    pub calendar_url: Option<String>,
    /// The public address of the series page (`[series] page_url`), if set.
    pub page_url: Option<String>,
    /// The rst heading adornments of levels 1 to 4 (`#=-~`).
    pub rst_adornments: String,
}

#[derive(Debug, Serialize)]
pub struct PolicyView {
    pub signup_closes_after_start: SpanView,
    /// The absolute deadline as the page says it (`前日 23:59`); empty without `signup_closes`.
    pub signup_closes: String,
    pub viewer_url_before_start: SpanView,
    pub stream_opens_before_start: SpanView,
    pub keywords: Vec<String>,
    pub keyword: String,
    pub require_avatar: bool,
    pub boosters_join_without_signup: bool,
}

#[derive(Debug, Serialize)]
pub struct SpanView {
    /// Negative for a deadline before the start.
    pub minutes: i64,
    /// `minutes` without its sign, for "開始 30 分前まで".
    pub abs_minutes: i64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub id: String,
    pub title: String,
    pub date: String,
    /// `2026 年 2 月 17 日` / `February 17, 2026`
    pub date_long: String,
    pub weekday: &'static str,
    pub start: String,
    pub end: String,
    /// `15:00-17:00`
    pub time: String,
    pub minutes: i64,
    pub role: String,
    pub notes: String,
    /// The agenda outline in tsudoi markup (shared with the event, not copied).
    #[serde(serialize_with = "agenda_source")]
    pub agenda: Agenda,
    /// The event's blocks in tsudoi markup (empty unless the file has `body`).
    pub body: String,
    /// No end time: `time` is `20:00~` and `end` is empty.
    pub open_end: bool,
    /// The event file's `heading_weekday`: whether its heading names the weekday.
    pub heading_weekday: bool,
    /// What the page shows instead of the date of a tentative event (empty otherwise).
    pub tentative: String,
    pub status: Status,
    /// Why the event is cancelled (`reason` in the file); empty when not said.
    pub reason: String,
    /// `status == "cancelled"`, for templates.
    pub cancelled: bool,
    /// Unix seconds, for Discord timestamps (`<t:…:F>`).
    pub starts_at: i64,
    pub ends_at: i64,
    pub signup_closes_at: i64,
    pub viewer_url_at: i64,
    pub stream_opens_at: i64,
    /// Wall-clock `HH:MM` in the series zone.
    pub signup_closes_time: String,
    pub viewer_url_time: String,
    pub stream_opens_time: String,
}

impl Page {
    pub fn new(series: &Series, events: &[Event], event: &Event, now: DateTime<Utc>) -> Self {
        let past = Past::of(&held_before(events, event, now), series);
        Self::with_past(series, event, now, past)
    }

    fn with_past(series: &Series, event: &Event, now: DateTime<Utc>, past: Past) -> Self {
        Self {
            next: Some(EventView::new(event, series)),
            now: now.with_timezone(&series.zone).to_rfc3339(),
            series: SeriesView {
                title: series.title.clone(),
                timezone: series.zone.name().to_string(),
                language: series.language,
                start: series.start.map(|t| t.format("%H:%M").to_string()),
                end: series.end.map(|t| t.format("%H:%M").to_string()),
                calendar_url: series.calendar_url.clone(),
                page_url: series.page_url.clone(),
                rst_adornments: series.rst_adornments.clone(),
            },
            policy: PolicyView::new(&event.policy, series.language),
            event: EventView::new(event, series),
            past,
            share: ShareView::default(),
        }
    }
}

/// The events a page about `event` lists as held, newest first.
fn held_before<'a>(events: &'a [Event], event: &Event, now: DateTime<Utc>) -> Vec<&'a Event> {
    let mut past: Vec<&Event> = events
        .iter()
        // Cancelled ones too: the template shows them as such (`past.cancelled`) or leaves them out.
        .filter(|e| e.status != Status::Draft && e.starts_at < event.starts_at && e.ends_at <= now)
        .collect();
    past.sort_by_key(|e| std::cmp::Reverse(e.starts_at));
    past
}

/// Pages about several events of one directory (`check` renders one per event to come): the
/// ones that list the same held events share their views instead of building them again.
#[derive(Default)]
pub struct Pages<'a> {
    last: Option<(Vec<&'a str>, Past)>,
}

impl<'a> Pages<'a> {
    pub fn page(&mut self, series: &Series, events: &'a [Event], event: &Event, now: DateTime<Utc>) -> Page {
        let held = held_before(events, event, now);
        let ids: Vec<&'a str> = held.iter().map(|e| e.id.as_str()).collect();
        let past = match &self.last {
            Some((last, past)) if *last == ids => past.clone(),
            _ => Past::of(&held, series),
        };
        self.last = Some((ids, past.clone()));
        Page::with_past(series, event, now, past)
    }
}

impl Page {
    /// The page with nothing scheduled yet: `next` is empty, every held event is in `past`,
    /// and `event` (for templates that do not look at `next`) is the last one held.
    pub fn nothing_scheduled(series: &Series, events: &[Event], last: &Event, now: DateTime<Utc>) -> Self {
        let mut page = Self::new(series, events, last, now);
        page.next = None;
        page.past.list().insert(0, EventView::new(last, series));
        page
    }
}

impl Page {
    /// Every agenda the page's templates can show: the event's, the next one's, the held ones'.
    pub fn agendas(&self) -> impl Iterator<Item = &Agenda> {
        std::iter::once(&self.event)
            .chain(&self.next)
            .chain(self.past.0.0.iter())
            .map(|view| &view.agenda)
    }

    /// Only the held events a `[[pages]]` entry keeps.
    pub fn keep_past(&mut self, holds: impl Fn(chrono::NaiveDate) -> bool) {
        self.past
            .list()
            .retain(|e| e.date.parse::<chrono::NaiveDate>().is_ok_and(&holds));
    }
}

impl PolicyView {
    fn new(policy: &Policy, language: crate::time::Language) -> Self {
        let span = |s: Span| SpanView {
            minutes: s.minutes(),
            abs_minutes: s.minutes().abs(),
            text: s.to_string(),
        };
        Self {
            signup_closes_after_start: span(policy.signup_closes_after_start),
            signup_closes: policy
                .signup_closes
                .map(|at| at.text(language))
                .unwrap_or_default(),
            viewer_url_before_start: span(policy.viewer_url_before_start),
            stream_opens_before_start: span(policy.stream_opens_before_start),
            keyword: policy.signup_keywords.first().cloned().unwrap_or_default(),
            keywords: policy.signup_keywords.clone(),
            require_avatar: policy.require_avatar,
            boosters_join_without_signup: policy.boosters_join_without_signup,
        }
    }
}

impl EventView {
    pub fn new(event: &Event, series: &Series) -> Self {
        // Each instant once: every one is a time zone lookup.
        let (closes, url_at, opens) = (
            event.signup_closes_at(),
            event.viewer_url_at(),
            event.stream_opens_at(),
        );
        Self {
            id: event.id.clone(),
            title: event.title.clone().unwrap_or_else(|| series.title.clone()),
            date: event.date.to_string(),
            date_long: date_long(series.language, event.date),
            weekday: series.language.weekday(event.date.weekday()),
            start: hm(event.start),
            end: if event.open_end {
                String::new()
            } else {
                hm(event.end)
            },
            time: if event.open_end {
                format!("{}~", hm(event.start))
            } else {
                format!("{}-{}", hm(event.start), hm(event.end))
            },
            minutes: event.duration().num_minutes(),
            role: event.role_name(),
            notes: event.notes.clone(),
            agenda: event.agenda.clone(),
            body: event.body.clone(),
            open_end: event.open_end,
            heading_weekday: event.heading_weekday,
            tentative: event.tentative.clone().unwrap_or_default(),
            status: event.status,
            reason: event.reason.clone(),
            cancelled: event.status == Status::Cancelled,
            starts_at: event.starts_at.timestamp(),
            ends_at: event.ends_at.timestamp(),
            signup_closes_at: closes.timestamp(),
            viewer_url_at: url_at.timestamp(),
            stream_opens_at: opens.timestamp(),
            signup_closes_time: hm(closes),
            viewer_url_time: hm(url_at),
            stream_opens_time: hm(opens),
        }
    }
}

/// Templates see an agenda as its text.
fn agenda_source<S: serde::Serializer>(agenda: &Agenda, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(agenda.source())
}

/// `15:00`: written directly, not through a format string read again for every event.
fn hm(at: impl Timelike) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

pub fn date_long(language: Language, date: chrono::NaiveDate) -> String {
    match language {
        Language::Ja => format!("{} 年 {} 月 {} 日", date.year(), date.month(), date.day()),
        Language::En => date.format("%B %-d, %Y").to_string(),
    }
}
