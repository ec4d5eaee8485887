//! The Discord client as a library, against the fake: no `tsudoi` process, `fake.client()`
//! called directly.

// The fake is shared with the `cli` test binary, which uses other parts of it; what one
// binary leaves unused is not dead.
#[allow(dead_code)]
#[path = "../cli/fake/mod.rs"]
mod fake;

mod calls;
mod deterministic_rate_limits;
mod resilience;
