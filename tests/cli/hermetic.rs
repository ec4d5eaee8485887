//! Tests own their files: a command run by a test works inside the test's temporary directory,
//! so a relative path never writes into the repository.

use std::path::Path;

use crate::util::{Dir, tsudoi};

#[test]
fn a_relative_init_lands_in_the_test_directory() {
    let dir = Dir::new();
    let out = dir
        .tsudoi(["--now", "2026-11-25T12:00:00Z", "init", "elsewhere"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.path().join("elsewhere/tsudoi.toml").is_file());
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        !repository.join("elsewhere").exists(),
        "a test wrote into the repository"
    );
}

#[test]
fn the_default_directory_is_the_test_directorys_events() {
    let dir = Dir::new().with_shipped_events();
    let out = tsudoi(["--now", "2026-02-01T00:00:00Z", "list", "--json"])
        .cwd(dir.path())
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["events"].as_array().unwrap().len(), 6);
}
