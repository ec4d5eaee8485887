//! `tsudoi doctor`: check the Discord setup, one row per check, each failure with its fix.

use serde::Serialize;

use super::{connect, discord_id, print_json};
use crate::config::Config;
use crate::discord::{Channel, Client, Snowflake};
use crate::doctor::{self, Audience, Check, Seat, Status};
use crate::error::Error;
use crate::event::{Directory, Phase, Series};
use crate::output::table;
use crate::privacy;

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    checks: &'a [Check],
}

pub fn run(config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let audience = directory
        .events
        .iter()
        .find(|e| matches!(e.phase(&config.now), Phase::Upcoming | Phase::Live))
        .map(|e| {
            let role = e.role_name();
            let ended = privacy::ended_roles(&directory.events, &role, &config.now);
            Audience {
                event: e.id.clone(),
                ended: ended.into_keys().collect(),
                role,
            }
        });
    let checks = match connect(config, false) {
        Ok(client) => examine(&client, series, audience.as_ref()),
        Err(Error::Discord(error)) => vec![Check::error("token", &error)],
        Err(error) => return Err(error),
    };
    report(config, &doctor::complete(checks))
}

fn examine(client: &Client, series: &Series, audience: Option<&Audience>) -> Vec<Check> {
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
    checks.push(doctor::event_role(&seat, audience.map(|a| a.role.as_str())));
    let signup = channel(
        client,
        series,
        "signup_channel_id",
        &series.discord.signup_channel_id,
    );
    match signup {
        Ok(channel) => checks.extend(doctor::signup_channel(&seat, &channel)),
        Err(error) => checks.push(fail_from("sign-up channel", &error)),
    }
    let share = channel(
        client,
        series,
        "share_channel_id",
        &series.discord.share_channel_id,
    );
    match share {
        Ok(channel) => checks.extend(doctor::share_channel(&seat, &channel, audience)),
        Err(error) => checks.push(fail_from("share channel", &error)),
    }
    checks
}

fn guild_id(series: &Series) -> Result<Snowflake, Error> {
    discord_id(series, "guild_id", &series.discord.guild_id)
}

fn channel(
    client: &Client,
    series: &Series,
    key: &'static str,
    value: &Option<String>,
) -> Result<Channel, Error> {
    let id = discord_id(series, key, value)?;
    Ok(client.channel(id)?)
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
        print_json(&Report {
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
        println!("{rows}");
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
