//! What the process benchmarks share.

use std::process::Command;

/// Peak resident set size in KiB, from GNU time, where the machine has it.
pub fn peak_rss(program: &str, args: &[&str]) -> Option<u64> {
    let output = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(args)
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}
