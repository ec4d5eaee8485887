//! The one integration test binary: tsudoi run as a program, exact output asserted.

mod announce;
mod client;
mod deterministic_rate_limits;
mod doctor;
mod fake;
mod foundation;
mod hermetic;
mod hostile_files;
mod hostile_server;
mod markup_escape;
mod no_leaks;
mod past_roles;
mod resilience;
mod roles;
mod roles_failures;
mod rst_validity;
mod share_trust;
mod timed;
mod tools_help;
mod tools_recipes;
mod tools_schema;
mod tools_shells;
mod tools_usage;
mod true_states;
mod two_machines;
mod util;
