//! `tsudoi post ID`: the event post in the sign-up channel, once.

use super::{connect, report_actions};
use crate::actions::{self, Ctx};
use crate::cli::PostArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::{Directory, Event, Status};
use crate::render::templates::Templates;
use crate::state::{Held, Store};

/// How long a command waits for another tsudoi (a tick) working on the same event.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

pub fn run(args: &PostArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let event = directory.event(&args.id)?;
    require_scheduled(event)?;
    let templates = Templates::load(&config.dir, series.language)
        .map_err(|problems| Error::BrokenTemplates { problems })?;
    let client = connect(config, args.dry_run)?;
    client.set_reason("post", Some(&event.id));
    let mut held = Held::open(Store::new(&config.dir), &event.id, PATIENCE, args.dry_run)?;
    let ctx = Ctx::new(
        config,
        series,
        &directory.events,
        event,
        &client,
        &templates,
        args.dry_run,
    );
    let report = actions::post(&ctx, &mut held)?;
    report_actions(config, Some(&client), args.dry_run, false, &[report]);
    Ok(())
}

/// Drafts and cancelled events are never published.
pub fn require_scheduled(event: &Event) -> Result<(), Error> {
    match event.status {
        Status::Scheduled => Ok(()),
        Status::Draft => Err(Error::invalid(
            format!("`{}` is a draft; nothing was sent", event.id),
            format!(
                "set `status = \"scheduled\"` in {} when it is ready",
                event.path.display()
            ),
        )),
        Status::Cancelled => Err(Error::invalid(
            format!("`{}` is cancelled; nothing was sent", event.id),
            "a cancelled event is never announced",
        )),
    }
}
