//! `tsudoi why ID USER`: the decision `roles` makes for one member, and its evidence.

use super::{connect, print_json};
use crate::cli::WhyArgs;
use crate::config::Config;
use crate::discord::redact;
use crate::error::Error;
use crate::event::Directory;
use crate::roles::why::{self, Explanation, Wanted};
use crate::signup::Decision;
use crate::state::Store;

pub fn run(args: &WhyArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let event = directory.event(&args.id)?;
    let ledger = Store::new(&config.dir).peek(&event.id)?;
    crate::roles::signup_post::known(event, &ledger)?;
    let client = connect(config, false)?;
    let post = crate::roles::resolve_post(&client, series, event, &ledger)?;
    let ask = why::Ask {
        client: &client,
        series,
        event,
        post: &post,
        ledger: &ledger,
        now: config.now,
    };
    let explanation = why::explain(&ask, &Wanted::parse(&args.user))?;
    if config.verbosity >= 1 {
        eprintln!("tsudoi: {} request(s) sent", explanation.requests);
    }
    if config.json {
        print_json(&explanation);
    } else {
        print!("{}", redact::scrub(&render(&explanation)));
    }
    Ok(())
}

fn yes(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

fn render(e: &Explanation) -> String {
    let time = |t: &chrono::DateTime<chrono_tz::Tz>| t.format("%Y-%m-%d %H:%M:%S %Z").to_string();
    let mut text = format!(
        "{} ({}, @{}) for {}\n",
        e.person.shown(),
        e.person.id,
        e.person.username,
        e.event
    );
    let decision = match (e.decision, &e.reason) {
        (Some(Decision::Grant), Some(reason)) => format!("gets the role: {reason}"),
        (Some(Decision::AlreadyHas), Some(reason)) => format!("holds the role: {reason}"),
        (Some(Decision::Reject), Some(reason)) => format!("turned away: {reason}"),
        _ => format!(
            "not considered: {}",
            e.not_considered.as_deref().unwrap_or("no declaration")
        ),
    };
    text.push_str(&format!("  decision      {decision}\n"));
    match &e.declaration {
        Some(d) => {
            text.push_str(&format!("  declaration   {}\n", d.link));
            text.push_str(&format!(
                "  posted        {} (sign-ups closed {})\n",
                time(&d.posted_at),
                time(&e.deadline)
            ));
            if let Some(keyword) = &d.keyword {
                text.push_str(&format!("  keyword       {keyword}\n"));
            }
        }
        None => text.push_str(&format!(
            "  declaration   none (sign-ups closed {})\n",
            time(&e.deadline)
        )),
    }
    let s = &e.standing;
    let avatar = match (s.user_avatar, s.server_avatar) {
        (_, true) if !s.user_avatar => "server avatar only",
        (true, _) => "yes",
        _ => "none",
    };
    text.push_str(&format!("  member        {}\n", yes(s.still_member)));
    text.push_str(&format!("  avatar        {avatar}\n"));
    text.push_str(&format!("  booster       {}\n", yes(s.booster)));
    text.push_str(&format!("  pending       {}\n", yes(s.pending)));
    text.push_str(&format!("  deny list     {}\n", yes(s.denied)));
    text.push_str(&format!("  bot           {}\n", yes(s.bot)));
    let role = match e.role_id {
        Some(id) => format!(
            "{} ({id}): {}",
            e.role,
            if s.role_held { "held now" } else { "not held" }
        ),
        None => format!("{}: does not exist yet", e.role),
    };
    text.push_str(&format!("  role          {role}\n"));
    text
}
