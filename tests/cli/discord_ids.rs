//! `[discord]` ids are parsed once, at load: one that does not fit Discord's 64 bits is a
//! located problem in the file, not an error (or a silent skip) when a command needs it.

use crate::util::{Dir, shipped_series};

/// 20 digits, as Discord ids may be, but above the largest 64-bit number.
const TOO_BIG: &str = "99999999999999999999";

#[test]
fn a_series_id_too_big_for_64_bits_is_a_located_problem_at_load() {
    let series = shipped_series().replace("# guild_id = \"...\"", &format!("guild_id = \"{TOO_BIG}\""));
    let dir = Dir::new().file("tsudoi.toml", &series);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("tsudoi.toml:26:12: error: `99999999999999999999` is not a Discord id"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Discord ids fit in 64 bits"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_post_id_too_big_for_64_bits_is_a_located_problem_at_load() {
    let event = format!("date = \"2026-03-03\"\ntitle = \"x\"\n\n[discord]\npost_id = \"{TOO_BIG}\"\n");
    let dir = Dir::with_series().file("2026-03-03.toml", &event);
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("2026-03-03.toml:5:11: error: `99999999999999999999` is not a Discord id"),
        "{}",
        out.stderr
    );
}
