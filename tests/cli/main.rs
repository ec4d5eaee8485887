//! The one integration test binary: tsudoi run as a program, exact output asserted.

mod announce;
mod client;
mod deterministic_rate_limits;
mod doctor;
mod fake;
mod foundation;
mod hermetic;
mod markup_escape;
mod resilience;
mod roles;
mod roles_failures;
mod rst_validity;
mod timed;
mod util;
