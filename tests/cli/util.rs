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

    /// Run tsudoi with `--dir <this>` and these environment variables.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        let dir = self.path().to_str().unwrap().to_string();
        let mut all = vec!["--dir", dir.as_str()];
        all.extend_from_slice(args);
        run_env(env, &all)
    }

    /// Run tsudoi in this directory's parent with `--dir <this>`.
    pub fn run(&self, args: &[&str]) -> Output {
        let dir = self.path().to_str().unwrap().to_string();
        let mut all = vec!["--dir", dir.as_str()];
        all.extend_from_slice(args);
        run(&all)
    }
}

/// Run tsudoi with an empty environment (TZ fixed to UTC unless given).
pub fn run(args: &[&str]) -> Output {
    run_in_zone("UTC", args)
}

pub fn run_in_zone(zone: &str, args: &[&str]) -> Output {
    run_with(zone, None, args)
}

/// Run tsudoi from `cwd`, where the default `events` directory is found.
pub fn run_at(cwd: &str, args: &[&str]) -> Output {
    run_with("UTC", Some(cwd), args)
}

/// Run tsudoi with these environment variables (and nothing else but TZ=UTC).
pub fn run_env(env: &[(&str, &str)], args: &[&str]) -> Output {
    run_full("UTC", None, env, args)
}

fn run_with(zone: &str, cwd: Option<&str>, args: &[&str]) -> Output {
    run_full(zone, cwd, &[], args)
}

fn run_full(zone: &str, cwd: Option<&str>, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::cargo_bin("tsudoi").unwrap();
    command
        .env_clear()
        .env("TZ", zone)
        .envs(env.iter().copied())
        .args(args);
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
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
