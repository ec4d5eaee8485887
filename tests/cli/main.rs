//! The one integration test binary: tsudoi run as a program, exact output asserted.

mod announce;
mod client;
mod doctor;
mod fake;
mod foundation;
mod past_roles;
mod resilience;
mod roles;
mod roles_failures;
mod share_trust;
mod timed;
mod util;
