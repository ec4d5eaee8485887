//! Link the `tsudoi` binary as a position-dependent executable on Linux (GNU).
//!
//! A position-independent executable is relocated by the dynamic loader at every start: for
//! tsudoi that is about 41,000 pointers (time zone tables, vtables), written into 1.2 MB of
//! pages that are then copied on write. That cost a cron `tick` about 1 ms of its 4. Linked
//! at a fixed address the binary needs no such relocations; the stack, the heap and the
//! shared libraries are still placed at random addresses. Only the binaries are linked so:
//! libraries, tests and proc-macros keep the compiler's defaults.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
