//! The test harness: a temporary event directory and `tsudoi` run with a clean environment.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn shipped_events() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("events")
}

/// The shipped series file, as a base for test directories.
pub fn shipped_series() -> String {
    std::fs::read_to_string(shipped_events().join("tsudoi.toml")).unwrap()
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A temporary event directory.
pub struct Dir {
    pub temp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Self {
            temp: tempfile::tempdir().unwrap(),
        }
    }

    /// A directory with the shipped series file.
    pub fn with_series() -> Self {
        Self::new().file("tsudoi.toml", &shipped_series())
    }

    pub fn file(self, name: &str, contents: &str) -> Self {
        let path = self.temp.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap()
    }

    /// Run tsudoi in this directory with `--dir <this>` and these environment variables.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        let dir = self.path().to_str().unwrap().to_string();
        let mut all = vec!["--dir", dir.as_str()];
        all.extend_from_slice(args);
        run_full("UTC", Some(self.path()), env, &all)
    }

    /// Run tsudoi in this directory with `--dir <this>`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(&[], args)
    }

    /// Copy the shipped `events/` here, as `events/` (for the default directory).
    pub fn with_shipped_events(self) -> Self {
        let target = self.path().join("events");
        copy_tree(&shipped_events(), &target);
        self
    }
}

/// Run tsudoi with an empty environment (TZ fixed to UTC unless given).
pub fn run(args: &[&str]) -> Output {
    run_in_zone("UTC", args)
}

pub fn run_in_zone(zone: &str, args: &[&str]) -> Output {
    run_with(zone, None, args)
}

/// Run tsudoi from `cwd` (a test's temporary directory), where the default `events`
/// directory is found.
pub fn run_at(cwd: &Path, args: &[&str]) -> Output {
    run_with("UTC", Some(cwd), args)
}

fn run_with(zone: &str, cwd: Option<&Path>, args: &[&str]) -> Output {
    run_full(zone, cwd, &[], args)
}

/// Every run has a temporary working directory (a fresh one unless given), so a relative path
/// in a command can never write into the repository.
fn run_full(zone: &str, cwd: Option<&Path>, env: &[(&str, &str)], args: &[&str]) -> Output {
    let scratch = tempfile::tempdir().unwrap();
    let cwd = cwd.unwrap_or(scratch.path());
    assert!(
        cwd.starts_with(std::env::temp_dir()),
        "tests run tsudoi only inside a temporary directory, not in {}",
        cwd.display()
    );
    let mut command = Command::cargo_bin("tsudoi").unwrap();
    command
        .env_clear()
        .env("TZ", zone)
        .envs(env.iter().copied())
        .args(args)
        .current_dir(cwd);
    let output = command.output().unwrap();
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Replace the temporary directory's path with `DIR` so output can be compared exactly.
pub fn scrub(text: &str, dir: &Dir) -> String {
    text.replace(dir.path().to_str().unwrap(), "DIR")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
