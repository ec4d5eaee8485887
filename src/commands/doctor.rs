//! `tsudoi doctor`: check the Discord setup, one row per check, each failure with its fix.

use serde::Serialize;

use super::{connect, print_json};
use crate::config::Config;
use crate::discord::{Channel, Client, Snowflake, redact};
use crate::doctor::{self, Audience, Check, EventRole, Seat, Status};
use crate::error::Error;
use crate::event::{Directory, Event, Phase, Series, UnsetId};
use crate::output::table;
use crate::privacy;
use crate::readiness;
use crate::state::Store;

#[derive(Serialize)]
struct DoctorView<'a> {
    ok: bool,
    checks: &'a [Check],
}

pub fn run(config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let next = directory
        .events
        .iter()
        .find(|e| matches!(e.phase(&config.now), Phase::Upcoming | Phase::Live));
    let next_role = next.map(|e| (e.id.clone(), e.role_name()));
    let next_role = next_role.as_ref().map(|(event, name)| EventRole { event, name });
    let audience = next.map(|e| {
        let role = e.role_name();
        let ended = privacy::ended_roles(&directory.events, &role, &config.now);
        Audience {
            event: e.id.clone(),
            ended: ended.into_keys().collect(),
            role,
        }
    });
    let mut checks = match connect(config, false) {
        Ok(client) => examine(&client, series, next_role, audience.as_ref()),
        Err(Error::Discord(error)) => vec![Check::error("token", &error)],
        Err(error) => return Err(error),
    };
    // These need no Discord: they run whatever the token.
    checks.extend(next_event(config, next));
    report(config, &doctor::complete(checks))
}

fn examine(
    client: &Client,
    series: &Series,
    next_role: Option<EventRole<'_>>,
    audience: Option<&Audience>,
) -> Vec<Check> {
    let bot = match client.current_user() {
        Ok(bot) => bot,
        Err(error) => return vec![Check::error("token", &error)],
    };
    let mut checks = vec![Check::ok(
        "token",
        format!("valid: the bot `{}` ({})", bot.username, bot.id),
    )];
    match client.current_application() {
        Ok(app) => checks.extend(doctor::intents(&app)),
        Err(error) => checks.push(Check::error("intents", &error)),
    }
    let guild = match guild_id(series).map(|id| client.guild(id).map_err(Error::from)) {
        Ok(Ok(guild)) => guild,
        Ok(Err(error)) | Err(error) => {
            checks.push(fail_from("server", &error));
            return checks;
        }
    };
    checks.push(Check::ok("server", format!("`{}` ({})", guild.name, guild.id)));
    checks.push(doctor::verification(&guild));
    checks.push(doctor::role_headroom(&guild));
    let member = match client.member(guild.id, bot.id) {
        Ok(member) => member,
        Err(error) => {
            checks.push(Check::error("bot role", &error));
            return checks;
        }
    };
    let seat = Seat {
        guild: &guild,
        bot: &bot,
        member: &member,
    };
    checks.push(doctor::bot_role(&seat));
    checks.push(doctor::manage_roles(&seat));
    checks.push(doctor::event_role(&seat, next_role));
    let signup = channel(client, series.signup_channel_id());
    match signup {
        Ok(channel) => checks.extend(doctor::signup_channel(&seat, &channel)),
        Err(error) => checks.push(fail_from("sign-up channel", &error)),
    }
    let share = channel(client, series.share_channel_id());
    match share {
        Ok(channel) => checks.extend(doctor::share_channel(&seat, &channel, audience)),
        Err(error) => checks.push(fail_from("share channel", &error)),
    }
    checks
}

/// The next event's viewer URL source (present, an http(s) URL; never printed) and, when it is
/// near, whether its event post is recorded.
fn next_event(config: &Config, next: Option<&Event>) -> [Check; 2] {
    let Some(event) = next else {
        let none = "no upcoming scheduled event";
        return [Check::skip("viewer URL", none), Check::skip("next event", none)];
    };
    let env = |name: &str| config.env_var(name);
    let url = match crate::viewer_url::load(event, env) {
        Ok(_) => {
            let source = event
                .viewer_url
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            Check::ok(
                "viewer URL",
                format!("`{}`: read from {source}, an http(s) URL (not shown)", event.id),
            )
        }
        Err(error) => {
            let (detail, fix) = (
                format!("`{}`: {error}", event.id),
                error.hint().unwrap_or_default(),
            );
            // The variable may be set only where cron or CI runs tsudoi.
            if readiness::only_env_missing(event, env) {
                Check::warn("viewer URL", detail, fix)
            } else {
                Check::fail("viewer URL", detail, fix)
            }
        }
    };
    let ledger = Store::new(&config.dir).peek(&event.id).unwrap_or_default();
    let post = match readiness::post_warning(event, &ledger, config.now) {
        Some(warning) if readiness::is_near(event, config.now) => {
            Check::warn("next event", warning.message, warning.fix)
        }
        _ => Check::ok(
            "next event",
            format!(
                "`{}` at {}",
                event.id,
                event.starts_at.format("%Y-%m-%d %H:%M %Z")
            ),
        ),
    };
    [url, post]
}

fn guild_id(series: &Series) -> Result<Snowflake, Error> {
    Ok(series.guild_id()?)
}

fn channel(client: &Client, id: Result<Snowflake, UnsetId>) -> Result<Channel, Error> {
    Ok(client.channel(id?)?)
}

fn fail_from(check: &'static str, error: &Error) -> Check {
    match error {
        Error::Discord(error) => Check::error(check, error),
        other => Check::fail(check, other.to_string(), other.hint().unwrap_or_default()),
    }
}

fn report(config: &Config, checks: &[Check]) -> Result<(), Error> {
    let failures = checks.iter().filter(|c| c.status == Status::Fail).count();
    if config.json {
        print_json(&DoctorView {
            ok: failures == 0,
            checks,
        });
    } else {
        let mut rows = table(&["CHECK", "STATUS", "DETAIL"]);
        for check in checks {
            let mut detail = check.detail.clone();
            if let Some(fix) = &check.fix {
                detail.push_str(&format!("\nfix: {fix}"));
            }
            rows.add_row(vec![
                check.check.to_string(),
                check.status.as_str().to_string(),
                detail,
            ]);
        }
        println!("{}", redact::scrub(&rows.to_string()));
    }
    if config.verbosity >= 0 {
        let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
        eprintln!(
            "doctor: {} ok, {} warning(s), {} failure(s), {} skipped",
            count(Status::Ok),
            count(Status::Warn),
            failures,
            count(Status::Skip)
        );
    }
    if failures > 0 {
        Err(Error::Reported { count: failures })
    } else {
        Ok(())
    }
}
