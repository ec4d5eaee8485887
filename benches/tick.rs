//! `tick` with nothing due, over 10 and 1,000 generated events: wall time and peak memory,
//! next to the time `cat` takes to read the same files. Run: `cargo bench --bench tick`.
//! The cost should be process start plus reading files, growing no faster than the file count.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 15;
/// Nothing is due at this instant: every generated event is long past or more than 30 days ahead.
const NOW: &str = "2026-06-01T00:00:00Z";

fn main() {
    let tsudoi = env!("CARGO_BIN_EXE_tsudoi");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    let series = std::fs::read_to_string(shipped.join("tsudoi.toml")).unwrap();
    let sample = std::fs::read_to_string(shipped.join("2025-07-08.toml")).unwrap();
    println!("tick with nothing due ({RUNS} runs each, median; peak RSS from /usr/bin/time)\n");
    println!(
        "{:>7} {:>10} {:>12} {:>12} {:>12} {:>11}",
        "events", "bytes", "tick wall", "tick RSS", "cat wall", "tick/event"
    );
    for count in [10, 100, 1000] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tsudoi.toml"), &series).unwrap();
        let mut files = Vec::new();
        let mut bytes = 0;
        for i in 0..count {
            let date = event_date(i, count);
            let text = sample.replace("2025-07-08", &date.to_string());
            bytes += text.len();
            let path = dir.path().join(format!("{date}.toml"));
            std::fs::write(&path, text).unwrap();
            files.push(path);
        }
        let args = ["--dir", dir.path().to_str().unwrap(), "--now", NOW, "tick"];
        let check = Command::new(tsudoi).args(args).output().unwrap();
        assert!(
            check.status.success() && check.stdout.is_empty(),
            "tick must succeed silently: {check:?}"
        );
        let tick = median(|| run(Command::new(tsudoi).args(args)));
        let cat = median(|| run(Command::new("cat").args(&files)));
        let rss = common::peak_rss(tsudoi, &args).map_or_else(
            || "n/a".to_string(),
            |kb| format!("{:.1} MiB", kb as f64 / 1024.0),
        );
        println!(
            "{count:>7} {bytes:>10} {:>12} {rss:>12} {:>12} {:>11}",
            format!("{:.2?}", tick),
            format!("{:.2?}", cat),
            format!("{:.1?}", tick / count as u32)
        );
    }
}

/// Half the events before NOW (held), half more than 30 days after it.
fn event_date(i: usize, count: usize) -> chrono::NaiveDate {
    let now = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let days = (i / 2 + 1) as i64 * 3;
    if i.is_multiple_of(2) || count == 1 {
        now - chrono::Days::new(days as u64)
    } else {
        now + chrono::Days::new(31 + days as u64)
    }
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

fn median(mut measure: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| measure()).collect();
    times.sort();
    times[RUNS / 2]
}
