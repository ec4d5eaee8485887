//! `tsudoi share ID`: the viewer URL to the role holders, now.

use super::post::Frame;
use crate::cli::ShareArgs;
use crate::config::Config;
use crate::error::Error;
use crate::publish;

pub fn run(args: &ShareArgs, config: &Config) -> Result<(), Error> {
    let frame = Frame {
        id: &args.id,
        command: "share",
        dry_run: args.dry_run,
        reveal: args.reveal,
    };
    frame.run(
        config,
        // A missing or malformed URL stops here, before the token is even read.
        |event| {
            Ok(Some(
                crate::viewer_url::load(event, |name| config.env_var(name))?
                    .expose()
                    .to_string(),
            ))
        },
        |ctx, held| publish::share(ctx, held, args.force),
    )
}
