//! The test harness: a temporary event directory, a series file built from the shipped one, and
//! `tsudoi` run with a clean environment.
//!
//! ```ignore
//! let dir = Dir::new()
//!     .series(Series::shipped().discord(GUILD, SIGNUP, SHARE).policy("close_notice = true"))
//!     .shipped_event("2026-02-17");
//! let out = dir.tsudoi(["tick"]).now("2026-02-17T05:45:00Z").env("DISCORD_TOKEN", TOKEN).run();
//! ```

use std::path::{Path, PathBuf};

use std::process::{Child, Command, Stdio};

pub fn shipped_events() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("events")
}

/// The shipped series file, as text (for the few tests that need its exact layout).
pub fn shipped_series() -> String {
    std::fs::read_to_string(shipped_events().join("tsudoi.toml")).unwrap()
}

/// A series file, edited as TOML rather than as text (comments are not kept).
#[derive(Clone)]
pub struct Series {
    table: toml::Table,
}

impl Series {
    /// The shipped `events/tsudoi.toml`.
    pub fn shipped() -> Self {
        Self {
            table: shipped_series().parse().expect("the shipped series is TOML"),
        }
    }

    /// The shipped series wired to the fake Discord: its guild, sign-up and share channels.
    pub fn for_fake() -> Self {
        use crate::fake::state::{GUILD, SHARE, SIGNUP};
        Self::shipped().discord(GUILD, SIGNUP, SHARE)
    }

    /// `[discord]` with these ids.
    pub fn discord(self, guild: u64, signup: u64, share: u64) -> Self {
        self.set(
            "discord",
            &format!(
                "guild_id = \"{guild}\"\nsignup_channel_id = \"{signup}\"\nshare_channel_id = \"{share}\""
            ),
        )
    }

    /// `[policy]` keys, as TOML: `"close_notice = true"`.
    pub fn policy(self, keys: &str) -> Self {
        self.set("policy", keys)
    }

    /// `[series]` keys, as TOML: `"language = \"en\""`.
    pub fn series(self, keys: &str) -> Self {
        self.set("series", keys)
    }

    /// Set keys of one section (created if missing), replacing those already there.
    pub fn set(mut self, section: &str, keys: &str) -> Self {
        let keys: toml::Table = keys
            .parse()
            .unwrap_or_else(|e| panic!("`{keys}` is not TOML keys: {e}"));
        let entry = self
            .table
            .entry(section)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let table = entry
            .as_table_mut()
            .unwrap_or_else(|| panic!("`{section}` is not a section"));
        table.extend(keys);
        self
    }

    pub fn text(&self) -> String {
        toml::to_string(&self.table).unwrap()
    }
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

    /// `tsudoi.toml` from this series.
    pub fn series(self, series: Series) -> Self {
        self.file("tsudoi.toml", &series.text())
    }

    /// `<name>.toml` with these contents.
    pub fn event(self, name: &str, contents: &str) -> Self {
        self.file(&format!("{name}.toml"), contents)
    }

    /// The shipped `events/<name>.toml`, copied here.
    pub fn shipped_event(self, name: &str) -> Self {
        let path = shipped_events().join(format!("{name}.toml"));
        self.event(name, &std::fs::read_to_string(path).unwrap())
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

    /// tsudoi run in this directory with `--dir <this>`.
    pub fn tsudoi<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let dir = self.path().to_str().unwrap();
        let mut run = tsudoi(["--dir", dir]).cwd(self.path());
        run.args.extend(args.into_iter().map(|a| a.as_ref().to_string()));
        run
    }

    /// Copy the shipped `events/` here, as `events/` (for the default directory).
    pub fn with_shipped_events(self) -> Self {
        let target = self.path().join("events");
        copy_tree(&shipped_events(), &target);
        self
    }
}

/// tsudoi with these arguments, from a fresh temporary working directory unless `cwd` is given.
pub fn tsudoi<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    Run {
        args: args.into_iter().map(|a| a.as_ref().to_string()).collect(),
        cwd: None,
        zone: "UTC".to_string(),
        env: Vec::new(),
    }
}

/// One run of tsudoi, built up then started with [`Run::run`]: an empty environment but for
/// `TZ` (UTC unless [`Run::zone`]) and what [`Run::env`] adds.
#[must_use = "a Run does nothing until `.run()`"]
pub struct Run {
    args: Vec<String>,
    cwd: Option<PathBuf>,
    zone: String,
    env: Vec<(String, String)>,
}

impl Run {
    /// `--now <time>`, before the other arguments.
    pub fn now(mut self, time: &str) -> Self {
        self.args.splice(0..0, ["--now".to_string(), time.to_string()]);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn envs(self, vars: &[(&str, &str)]) -> Self {
        vars.iter().fold(self, |run, (k, v)| run.env(k, v))
    }

    /// The `TZ` of the run.
    pub fn zone(mut self, zone: &str) -> Self {
        self.zone = zone.to_string();
        self
    }

    /// The working directory (a temporary one: a test's directory, where the default `events`
    /// directory is found).
    pub fn cwd(mut self, cwd: &Path) -> Self {
        self.cwd = Some(cwd.to_path_buf());
        self
    }

    /// Every run has a temporary working directory (a fresh one unless given), so a relative
    /// path in a command can never write into the repository.
    pub fn run(self) -> Output {
        let scratch = tempfile::tempdir().unwrap();
        let cwd = self.cwd.clone().unwrap_or(scratch.path().to_path_buf());
        let output = self.command(&cwd).output().unwrap();
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Start the run and leave it running, its output piped, to race another. From a [`Dir`]
    /// (or with [`Run::cwd`]): the working directory must outlive the process.
    pub fn spawn(self) -> Child {
        let cwd = self
            .cwd
            .clone()
            .expect("spawn a run from a Dir, or give it a cwd");
        self.command(&cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    fn command(self, cwd: &Path) -> Command {
        assert!(
            cwd.starts_with(std::env::temp_dir()),
            "tests run tsudoi only inside a temporary directory, not in {}",
            cwd.display()
        );
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("tsudoi"));
        command
            .env_clear()
            .env("TZ", &self.zone)
            .envs(self.env)
            .args(&self.args)
            .current_dir(cwd);
        command
    }
}

/// Replace the temporary directory's path with `DIR` so output can be compared exactly.
pub fn scrub(text: &str, dir: &Dir) -> String {
    text.replace(dir.path().to_str().unwrap(), "DIR")
}

/// The `path:line:col: error: ...` lines of a run's stderr, in order, with `DIR` for the
/// temporary directory.
pub fn error_headlines(out: &Output, dir: &Dir) -> Vec<String> {
    out.stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(|l| scrub(l, dir))
        .collect()
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
