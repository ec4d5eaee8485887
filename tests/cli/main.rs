//! The one integration test binary: tsudoi run as a program, exact output asserted.

mod announce;
mod foundation;
mod util;
