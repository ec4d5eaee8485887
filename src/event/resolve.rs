//! From files as written to the resolved model, collecting every problem on the way.

use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use chrono_tz::Tz;
use toml::Spanned;

use super::file::{DiscordSection, EventFile, SeriesFile, Text};
use super::outline::Agenda;
use super::policy::{self, discord_id};
use super::source::{Source, suggest};
use super::{DiscordIds, Event, GuildEventSettings, Policy, Series, SignupMode, Status, ViewerUrlSource};
use crate::diag::Diagnostic;
use crate::rst_check::text as text_check;
use crate::time::{self, Language};

/// Collects the problems of one file, each located in its source.
pub struct Problems<'a> {
    pub path: &'a Path,
    pub source: &'a Source,
    pub found: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    pub fn new(path: &'a Path, source: &'a Source) -> Self {
        Self {
            path,
            source,
            found: Vec::new(),
        }
    }

    pub fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.path, message).at(&self.source.text, at.span())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.found.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.found.iter().any(Diagnostic::is_error)
    }
}

pub fn series(path: &Path, source: &Source, file: SeriesFile, problems: &mut Problems) -> Option<Series> {
    one_line_title(&file.series.title, problems);
    let zone = zone(&file.series.timezone, problems);
    let language = match &file.series.language {
        None => Some(Language::Ja),
        Some(text) => Language::parse(text.get_ref()).or_else(|| {
            let d = problems.error(text, format!("unknown language `{}`", text.get_ref()));
            problems.push(d.help("use `ja` or `en`"));
            None
        }),
    };
    let start = file.defaults.start.as_ref().map(|t| time_of_day(t, problems));
    let open_end = file.defaults.end.as_ref().is_some_and(|t| t.get_ref().is_empty());
    let end = file
        .defaults
        .end
        .as_ref()
        .filter(|_| !open_end)
        .map(|t| time_of_day(t, problems));
    if let (Some(Some(s)), Some(Some(e)), Some(at)) = (start, end, file.defaults.end.as_ref())
        && e <= s
    {
        let message = format!(
            "the default end {} is not after the default start {}",
            hm(e),
            hm(s)
        );
        let d = problems.error(at, message);
        problems.push(d.help("events end on the day they start; set `end` later than `start`"));
    }
    let viewer_url = viewer_url(
        path,
        file.defaults.viewer_url_env.as_ref(),
        file.defaults.viewer_url_file.as_ref(),
        problems,
    );
    let mut policy = Policy::defaults(language.unwrap_or(Language::Ja));
    policy::apply(&mut policy, &file.policy, problems);
    let discord = DiscordIds {
        guild_id: discord_id(file.discord.guild_id.as_ref(), problems),
        signup_channel_id: discord_id(file.discord.signup_channel_id.as_ref(), problems),
        share_channel_id: discord_id(file.discord.share_channel_id.as_ref(), problems),
    };
    let page_url = public_url(file.series.page_url.as_ref(), problems);
    let calendar_url = public_url(file.series.calendar_url.as_ref(), problems);
    let scheduled_event = guild_event_settings(&file.discord, problems);
    interested_needs_event(
        &policy,
        file.policy.signup_mode.as_ref(),
        scheduled_event.as_ref(),
        problems,
    );
    let adornments = adornments(file.series.rst_adornments.as_ref(), problems);
    let pages = pages(&file.pages, problems);
    let _ = source;
    if problems.has_errors() {
        return None;
    }
    Some(Series {
        path: path.to_path_buf(),
        title: file.series.title.into_inner(),
        zone: zone?,
        language: language?,
        start: start.flatten(),
        end: end.flatten(),
        open_end,
        viewer_url,
        policy,
        discord,
        scheduled_event,
        allow_rst_directives: file
            .series
            .allow_rst_directives
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        page_url,
        calendar_url,
        rst_adornments: adornments,
        pages,
    })
}

/// `page_url` / `calendar_url`: a public http(s) address, written into pages and feeds as is.
fn public_url(text: Option<&Text>, problems: &mut Problems) -> Option<String> {
    let text = text?;
    let url = text.get_ref().trim();
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if scheme_ok
        && url.len() > "https://".len()
        && !url.contains(|c: char| c.is_whitespace() || c.is_control())
    {
        return Some(url.to_string());
    }
    let d = problems.error(text, format!("`{url}` is not an http(s) address"));
    problems.push(d.help("write the public address, e.g. `https://example.org/events/`"));
    None
}

/// `[[pages]]`: unique names, a template file name, a relative output path, real dates.
fn pages(sections: &[super::file::PageSection], problems: &mut Problems) -> Vec<super::PageDef> {
    let mut pages: Vec<super::PageDef> = Vec::new();
    for section in sections {
        let name = section.name.get_ref().trim().to_string();
        if name.is_empty() || pages.iter().any(|p| p.name == name) {
            let d = problems.error(
                &section.name,
                format!("page name `{name}` is empty or used twice"),
            );
            problems.push(d.help("give every `[[pages]]` entry its own `name`"));
        }
        let template = section.template.get_ref().clone();
        let plain = |t: &str| !t.is_empty() && !t.contains(['/', '\\']) && t != "." && t != "..";
        if !plain(&template) || !template.ends_with(".j2") {
            let d = problems.error(
                &section.template,
                format!("`{template}` is not a template file name"),
            );
            problems.push(d.help("name a `.j2` file in the `templates/` folder, e.g. `archive.j2`"));
        }
        let output = PathBuf::from(section.output.get_ref());
        let relative = output
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !relative || section.output.get_ref().is_empty() {
            let d = problems.error(
                &section.output,
                format!("`{}` is not a relative file path", output.display()),
            );
            problems.push(d.help(
                "write the file name under the `-o DIR` of `announce --all-pages`, e.g. `archive.rst`",
            ));
        }
        let date = |text: &Option<Text>, problems: &mut Problems| {
            text.as_ref().and_then(|t| {
                time::parse_date(t.get_ref())
                    .map_err(|e| {
                        let d = problems.error(t, e.to_string());
                        problems.push(d);
                    })
                    .ok()
            })
        };
        let held_before = date(&section.held_before, problems);
        let held_since = date(&section.held_since, problems);
        pages.push(super::PageDef {
            name,
            template,
            output,
            held_before,
            held_since,
        });
    }
    pages
}

/// Four distinct rst adornment characters, one per heading level.
fn adornments(text: Option<&Text>, problems: &mut Problems) -> String {
    let Some(text) = text else {
        return super::RST_ADORNMENTS.to_string();
    };
    let chars: Vec<char> = text.get_ref().chars().collect();
    let distinct = chars.iter().collect::<std::collections::HashSet<_>>().len() == chars.len();
    let valid = chars.len() == 4
        && distinct
        && chars
            .iter()
            .all(|c| "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".contains(*c));
    if !valid {
        let d = problems.error(
            text,
            format!("`{}` are not four heading adornments", text.get_ref()),
        );
        problems
            .push(d.help("write four different punctuation characters for levels 1 to 4, e.g. `\"#=-~\"`"));
    }
    text.get_ref().clone()
}

/// A title is one line: a line break would end the page heading and start markup of its own.
fn one_line_title(title: &Text, problems: &mut Problems) {
    if title.get_ref().trim().contains(['\n', '\r']) {
        let d = problems.error(title, "the title spans several lines; titles are one line");
        problems.push(d.help("write the title on one line; put longer text in `notes`"));
    }
}

/// Markup in `notes` or `agenda` that would escape its place on the page.
fn event_text(key: &str, text: Option<&Text>, allowed: &[String], problems: &mut Problems) {
    let Some(text) = text else { return };
    let base = problems.source.value_offset(&text.span(), text.get_ref());
    let exact = base != text.span().start;
    for found in text_check::check(text.get_ref(), allowed) {
        let span = if exact {
            base + found.span.start..base + found.span.end
        } else {
            text.span()
        };
        let message = format!("{key}: {}", found.message);
        let d = if found.warning {
            Diagnostic::warning(problems.path, message)
        } else {
            Diagnostic::error(problems.path, message)
        };
        problems.push(d.at(&problems.source.text, span).help(found.help));
    }
}

fn zone(text: &Text, problems: &mut Problems) -> Option<Tz> {
    text.get_ref()
        .parse::<Tz>()
        .map_err(|_| {
            let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
            let d = problems.error(text, format!("unknown time zone `{}`", text.get_ref()));
            let help = match suggest(text.get_ref(), &names) {
                Some(name) => format!("did you mean `{name}`? zones are IANA names"),
                None => "use an IANA zone name such as `Asia/Tokyo` or `America/New_York`".to_string(),
            };
            problems.push(d.help(help));
        })
        .ok()
}

fn time_of_day(text: &Text, problems: &mut Problems) -> Option<NaiveTime> {
    time::parse_time(text.get_ref())
        .map_err(|e| {
            let d = problems.error(text, e.to_string());
            problems.push(d);
        })
        .ok()
}

fn viewer_url(
    dir_of: &Path,
    env: Option<&Text>,
    file: Option<&Text>,
    problems: &mut Problems,
) -> Option<ViewerUrlSource> {
    match (env, file) {
        (Some(_), Some(file)) => {
            let d = problems.error(file, "both `viewer_url_env` and `viewer_url_file` are set");
            problems.push(d.help("keep one: the URL is read from one place"));
            None
        }
        (Some(env), None) => {
            let name = env.get_ref();
            let valid = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                let d = problems.error(env, format!("`{name}` is not an environment variable name"));
                problems.push(d.help("use capitals, digits and `_`, e.g. `SHIGURADIO_VIEWER_URL`; the URL itself never goes in a file"));
                return None;
            }
            Some(ViewerUrlSource::Env(name.clone()))
        }
        (None, Some(file)) => {
            let base = dir_of.parent().unwrap_or(Path::new("."));
            Some(ViewerUrlSource::File(base.join(PathBuf::from(file.get_ref()))))
        }
        (None, None) => None,
    }
}

/// An event file over its series. `series` is `None` when `tsudoi.toml` is broken: the file is
/// still checked on its own.
pub fn event(
    id: &str,
    path: &Path,
    file: EventFile,
    series: Option<&Series>,
    problems: &mut Problems,
) -> Option<Event> {
    let date = time::parse_date(file.date.get_ref())
        .map_err(|e| {
            let d = problems.error(&file.date, e.to_string());
            problems.push(d);
        })
        .ok();
    let named = id.get(..10).unwrap_or(id);
    if date.is_some_and(|date| date.to_string() != named) {
        let d = problems.error(
            &file.date,
            format!(
                "the date {} does not match the file name `{id}.toml`",
                file.date.get_ref()
            ),
        );
        problems.push(d.help(format!(
            "rename the file to `{}.toml`, or set `date = \"{named}\"`",
            file.date.get_ref()
        )));
    }
    let start = file.start.as_ref().map(|t| time_of_day(t, problems));
    let own_open_end = file.end.as_ref().map(|t| t.get_ref().is_empty());
    let end = file
        .end
        .as_ref()
        .filter(|t| !t.get_ref().is_empty())
        .map(|t| time_of_day(t, problems));
    let status = status(file.status.as_ref(), problems);
    let tentative = tentative_text(file.tentative.as_ref(), status, &file.date, problems);
    event_text("body", file.body.as_ref(), &[], problems);
    let agenda = agenda(file.agenda.as_ref(), problems);
    let allowed = series.map_or(&[][..], |s| s.allow_rst_directives.as_slice());
    event_text("notes", file.notes.as_ref(), allowed, problems);
    if agenda.is_some() {
        event_text("agenda", file.agenda.as_ref(), allowed, problems);
    }
    if let Some(title) = &file.title {
        one_line_title(title, problems);
    }
    let title = file
        .title
        .as_ref()
        .map(|t| t.get_ref().trim().to_string())
        .filter(|t| !t.is_empty());
    let viewer_url = viewer_url(
        path,
        file.viewer_url_env.as_ref(),
        file.viewer_url_file.as_ref(),
        problems,
    );
    let post_id = file
        .discord
        .as_ref()
        .and_then(|d| discord_id(d.post_id.as_ref(), problems));
    let series = series?;
    let mut policy = series.policy.clone();
    if let Some(section) = &file.policy {
        policy::apply(&mut policy, section, problems);
        let mode = section.signup_mode.as_ref();
        interested_needs_event(&policy, mode, series.scheduled_event.as_ref(), problems);
    }
    let start = resolved_time(start, series.start, "start", &file.date, problems)?;
    let open_end = own_open_end.unwrap_or(end.is_none() && series.open_end);
    let end = if open_end {
        start + crate::event::OPEN_END_ASSUMED
    } else {
        resolved_time(end, series.end, "end", &file.date, problems)?
    };
    let end_span = file.end.as_ref().or(file.start.as_ref()).unwrap_or(&file.date);
    if end <= start && !open_end {
        let d = problems.error(
            end_span,
            format!(
                "the event ends at {}, not after it starts at {}",
                hm(end),
                hm(start)
            ),
        );
        problems.push(d.help("events end on the day they start; set `end` later than `start`"));
    }
    let date = date?;
    let at = |t: NaiveTime, span: &Text, problems: &mut Problems| {
        time::instant(series.zone, date, t)
            .map_err(|e| {
                let d = problems.error(span, e.to_string());
                problems.push(d.help("pick a time that exists on that day"));
            })
            .ok()
    };
    let starts_at = at(start, file.start.as_ref().unwrap_or(&file.date), problems);
    let ends_at = if open_end {
        starts_at.map(|s| s + crate::event::OPEN_END_ASSUMED)
    } else {
        at(end, file.end.as_ref().unwrap_or(&file.date), problems)
    };
    if problems.has_errors() {
        return None;
    }
    Some(Event {
        id: id.to_string(),
        path: path.to_path_buf(),
        date,
        start,
        end,
        starts_at: starts_at?,
        ends_at: ends_at?,
        title,
        status: status?,
        reason: file
            .reason
            .map(|r| r.into_inner().trim().to_string())
            .unwrap_or_default(),
        notes: file
            .notes
            .map(|n| n.into_inner().trim().to_string())
            .unwrap_or_default(),
        agenda: agenda?,
        body: file
            .body
            .map(|b| b.into_inner().trim().to_string())
            .unwrap_or_default(),
        open_end,
        heading_weekday: file.heading_weekday.unwrap_or(false),
        tentative,
        viewer_url: viewer_url.or_else(|| series.viewer_url.clone()),
        policy,
        post_id,
        scheduled_event: series.scheduled_event.clone(),
        date_location: None,
    })
}

/// `signup_mode = "interested"` reads the "Interested" list of the episode's scheduled event:
/// without one, nobody could sign up.
fn interested_needs_event(
    policy: &Policy,
    mode: Option<&Text>,
    settings: Option<&GuildEventSettings>,
    problems: &mut Problems,
) {
    if let Some(mode) = mode
        && policy.signup_mode == SignupMode::Interested
        && settings.is_none()
    {
        let d = problems.error(
            mode,
            "`interested` sign-ups need the episode's Discord scheduled event",
        );
        problems.push(d.help("set `scheduled_event = true` under `[discord]` in tsudoi.toml"));
    }
}

/// `scheduled_event` and its location: a location needs the key, and fits Discord's 100
/// characters on one line.
fn guild_event_settings(section: &DiscordSection, problems: &mut Problems) -> Option<GuildEventSettings> {
    let location = section.scheduled_event_location.as_ref();
    if let Some(text) = location {
        let value = text.get_ref();
        if value.trim().is_empty() || value.contains(['\n', '\r']) || value.chars().count() > 100 {
            let d = problems.error(
                text,
                "the scheduled event's location is one line of 1 to 100 characters",
            );
            problems.push(d.help("e.g. `scheduled_event_location = \"Discord #event\"`"));
        }
        if section.scheduled_event != Some(true) {
            let d = problems.error(
                text,
                "`scheduled_event_location` without `scheduled_event = true`",
            );
            problems.push(d.help("set `scheduled_event = true` in `[discord]`, or remove the location"));
        }
    }
    (section.scheduled_event == Some(true)).then(|| GuildEventSettings {
        location: location.map(|t| t.get_ref().trim().to_string()),
    })
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The event's own time, else the series default; a time nobody gave is a problem.
fn resolved_time(
    own: Option<Option<NaiveTime>>,
    default: Option<NaiveTime>,
    key: &str,
    at: &Text,
    problems: &mut Problems,
) -> Option<NaiveTime> {
    match own {
        Some(parsed) => parsed,
        None => default.or_else(|| {
            let d = problems.error(at, format!("the event has no {key} time"));
            problems.push(d.help(format!(
                "set `{key} = \"HH:MM\"` here, or a default `{key}` under `[defaults]` in tsudoi.toml"
            )));
            None
        }),
    }
}

fn status(text: Option<&Text>, problems: &mut Problems) -> Option<Status> {
    let Some(text) = text else {
        return Some(Status::Scheduled);
    };
    Status::parse(text.get_ref()).or_else(|| {
        let d = problems.error(text, format!("unknown status `{}`", text.get_ref()));
        let help = match suggest(text.get_ref(), &Status::NAMES) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("use one of: {}", Status::NAMES.join(", ")),
        };
        problems.push(d.help(help));
        None
    })
}

/// A tentative event says on the page what is known of its date instead of the date.
fn tentative_text(
    text: Option<&Text>,
    status: Option<Status>,
    date: &Text,
    problems: &mut Problems,
) -> Option<String> {
    match (text, status) {
        (Some(text), Some(Status::Tentative)) => Some(text.get_ref().trim().to_string()),
        (Some(text), _) => {
            let d = problems.error(
                text,
                "`tentative` is set but the event is not `status = \"tentative\"`",
            );
            problems
                .push(d.help("remove `tentative` once the date is fixed, or set `status = \"tentative\"`"));
            None
        }
        (None, Some(Status::Tentative)) => {
            let d = problems.error(
                date,
                "a tentative event needs the words the page shows instead of the date",
            );
            problems.push(d.help("add e.g. `tentative = \"4 月末の予定\"`"));
            None
        }
        _ => None,
    }
}

fn agenda(text: Option<&Text>, problems: &mut Problems) -> Option<Agenda> {
    let Some(text) = text else {
        return Some(Agenda::default());
    };
    Agenda::parse(text.get_ref())
        .map_err(|errors| {
            let base = problems.source.value_offset(&text.span(), text.get_ref());
            let exact = base != text.span().start;
            for e in errors {
                let span = if exact {
                    base + e.span.start..base + e.span.end
                } else {
                    text.span()
                };
                let d = Diagnostic::error(problems.path, format!("agenda: {}", e.message))
                    .at(&problems.source.text, span);
                problems.push(d);
            }
        })
        .ok()
}
