//! tsudoi run as a program, exact output asserted. (The Discord client as a library is tested
//! in the `client` binary, `tests/client/`.)
//!
//! A new test goes in a module named by the behaviour it checks. `util` builds its directory
//! (`Dir::new().series(Series::for_fake().policy("..")).shipped_event("2026-02-17")`) and runs
//! tsudoi (`dir.tsudoi(["tick"]).now("..").env("K", "V").run()`); `fake` is the Discord server.

mod announce;
mod announce_formats;
mod architecture;
mod calendar_feed;
mod check_diagnostics;
mod create_and_init;
mod discord_ids;
mod doctor;
// Shared with the `client` test binary, which uses other parts of it; what one binary leaves
// unused is not dead.
#[allow(dead_code)]
mod fake;
mod hermetic;
mod hostile_files;
mod hostile_server;
mod import;
mod list_and_show;
mod live_edits;
mod markup_escape;
mod members;
mod no_leaks;
mod page_blocks;
mod past_roles;
mod roles;
mod roles_failures;
mod rst_validity;
mod scenario;
mod scheduled_events;
mod share_trust;
mod timed;
mod tools_check;
mod tools_help;
mod tools_recipes;
mod tools_schema;
mod tools_shells;
mod tools_tables;
mod tools_usage;
mod tools_util;
mod true_states;
mod two_machines;
mod util;
mod written_event_files;
