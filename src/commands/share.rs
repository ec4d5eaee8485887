//! `tsudoi share ID`: the viewer URL to the role holders, now.

use super::post::{PATIENCE, require_scheduled};
use super::{connect, report_actions};
use crate::actions::{self, Ctx};
use crate::cli::ShareArgs;
use crate::config::Config;
use crate::error::Error;
use crate::event::Directory;
use crate::render::templates::Templates;
use crate::state::{Held, Store};

pub fn run(args: &ShareArgs, config: &Config) -> Result<(), Error> {
    let directory = Directory::load(&config.dir)?;
    let series = directory.series()?;
    let event = directory.event(&args.id)?;
    require_scheduled(event)?;
    // A missing or malformed URL stops here, before the token is even read.
    let url = crate::viewer_url::load(event, |name| config.env_var(name))?;
    let templates = Templates::load(&config.dir, series.language)
        .map_err(|problems| Error::BrokenTemplates { problems })?;
    let client = connect(config, args.dry_run)?;
    client.add_secret(url.expose());
    client.set_reason("share", Some(&event.id));
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
    let report = actions::share(&ctx, &mut held, args.force).map_err(|e| scrubbed(e, &client))?;
    let failed = report.outcome == crate::state::Outcome::Failed;
    report_actions(config, Some(&client), args.dry_run, args.reveal, &[report]);
    if failed {
        Err(Error::Reported { count: 1 })
    } else {
        Ok(())
    }
}

/// An error on its way out must not carry the URL either.
fn scrubbed(error: Error, client: &crate::discord::Client) -> Error {
    match error {
        Error::Discord(_) => error,
        other => {
            let message = client.scrub(&other.to_string());
            Error::Invalid {
                message,
                hint: other.hint(),
            }
        }
    }
}
