//! `list`, `check`, `plan`, `announce` and `tick` (nothing due) over generated weekly series of
//! 10, 202 (200 held), 1,000 and 10,000 events, each timed next to `cat` of the same files in one
//! run (the two alternate), with the targets of issue 11. Run: `cargo bench --bench commands`.
//! `TSUDOI_BENCH_RUNS` sets the runs per figure (default 15); the median is shown.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};

/// The instant of every run: the last event was held 4 days ago, the next two are 35 and 42
/// days ahead, so `tick` has nothing due (role grants start 30 days before an event).
const NOW: &str = "2026-06-01T00:00:00Z";
const COUNTS: [usize; 4] = [10, 202, 1000, 10_000];
const COMMANDS: [&str; 5] = ["list", "check", "plan", "announce", "tick"];

fn main() {
    let runs: usize = std::env::var("TSUDOI_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let tsudoi = env!("CARGO_BIN_EXE_tsudoi");
    println!(
        "tsudoi next to `cat` of the same files ({runs} alternating runs each, median; peak RSS from /usr/bin/time)\n"
    );
    println!(
        "{:<9} {:>6} {:>5} {:>11} {:>9} {:>7} {:>10} {:>10}  result",
        "command", "events", "past", "tsudoi ms", "cat ms", "ratio", "RSS", "target"
    );
    let mut failed = 0;
    for count in COUNTS {
        let dir = tempfile::tempdir().unwrap();
        let files = generate(dir.path(), count);
        for command in COMMANDS {
            let args = ["--dir", dir.path().to_str().unwrap(), "--now", NOW, command];
            check_output(tsudoi, &args, command);
            let (ours, cat) = alternate(
                runs,
                || run(Command::new(tsudoi).args(args)),
                || run(Command::new("cat").args(&files)),
            );
            let rss = common::peak_rss(tsudoi, &args)
                .map_or_else(|| "n/a".into(), |kb| format!("{:.1} MiB", kb as f64 / 1024.0));
            let ratio = ours.as_secs_f64() / cat.as_secs_f64();
            let (target, pass) = match target(command, count) {
                Some(Target::Cat(limit)) => (format!("≤ {limit}× cat"), ratio <= limit),
                Some(Target::Ms(limit)) => (format!("≤ {limit} ms"), ms(ours) <= limit),
                None => ("—".into(), true),
            };
            let result = match (target.as_str(), pass) {
                ("—", _) => "",
                (_, true) => "pass",
                (_, false) => "FAIL",
            };
            failed += usize::from(!pass);
            println!(
                "{command:<9} {count:>6} {:>5} {:>11.2} {:>9.2} {:>6.1}× {rss:>10} {target:>10}  {result}",
                count - 2,
                ms(ours),
                ms(cat),
                ratio,
            );
        }
    }
    println!("\n{failed} target(s) missed; load average at the end: {}", load());
}

enum Target {
    Cat(f64),
    Ms(f64),
}

/// Issue 11's targets.
fn target(command: &str, count: usize) -> Option<Target> {
    match (command, count) {
        ("announce", 202) => Some(Target::Ms(10.0)),
        ("tick", 10) => Some(Target::Ms(5.0)),
        ("tick", 10_000) => Some(Target::Ms(15.0)),
        ("list" | "check" | "plan" | "announce", 1000 | 10_000) => Some(Target::Cat(3.0)),
        _ => None,
    }
}

/// The shipped series file and page template, and `count` weekly events made from the shipped
/// event files (notes and a nested agenda): all held but the last two. Returns every file.
fn generate(dir: &Path, count: usize) -> Vec<PathBuf> {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    let read = |name: &str| std::fs::read_to_string(shipped.join(name)).unwrap();
    let samples = [
        ("2025-07-08", read("2025-07-08.toml")),
        ("2026-02-17", read("2026-02-17.toml")),
    ];
    let mut files = vec![dir.join("tsudoi.toml"), dir.join("templates/page.j2")];
    std::fs::create_dir(dir.join("templates")).unwrap();
    std::fs::write(&files[0], read("tsudoi.toml")).unwrap();
    std::fs::write(&files[1], read("templates/page.j2")).unwrap();
    let last_held = NaiveDate::from_ymd_opt(2026, 5, 28).unwrap();
    for i in 0..count {
        let date = match count - 1 - i {
            0 => last_held + Days::new(42),
            1 => last_held + Days::new(35),
            back => last_held - Days::new(7 * (back as u64 - 2)),
        };
        let (sample_date, text) = &samples[i % 2];
        let path = dir.join(format!("{date}.toml"));
        std::fs::write(&path, text.replace(sample_date, &date.to_string())).unwrap();
        files.push(path);
    }
    files
}

/// Every command must work on the generated files, and `tick` must find nothing due.
fn check_output(program: &str, args: &[&str], command: &str) {
    let output = Command::new(program).args(args).output().unwrap();
    assert!(output.status.success(), "{command} failed: {output:?}");
    if command == "tick" {
        assert!(output.stdout.is_empty(), "tick must have nothing due: {output:?}");
    }
}

/// Medians of `first` and `second`, run in turn so that both see the same machine load.
fn alternate(
    runs: usize,
    mut first: impl FnMut() -> Duration,
    mut second: impl FnMut() -> Duration,
) -> (Duration, Duration) {
    // Warm the page cache and the binary for both.
    first();
    second();
    let (mut a, mut b): (Vec<_>, Vec<_>) = (0..runs).map(|_| (first(), second())).unzip();
    (median(&mut a), median(&mut b))
}

fn run(command: &mut Command) -> Duration {
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    started.elapsed()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}
