//! Completing a command line in a shell: clap_complete asks tsudoi (run with `COMPLETE=<shell>`)
//! for the candidates; event ids come from the event directory as it is now (`--dir` on the
//! line, else `TSUDOI_DIR`, else `./events`). The one place outside `config` that reads the
//! environment: a completion request is answered before any command runs.

/// The variable that turns a run of tsudoi into a completion request.
pub const COMPLETE_VAR: &str = "COMPLETE";

/// The ids of the event files in the directory the command line being completed names
/// (`--dir DIR` or `--dir=DIR`), else `TSUDOI_DIR`, else `./events`; newest first.
pub fn event_id_candidates() -> Vec<clap_complete::CompletionCandidate> {
    let dir = completed_dir(std::env::args_os().map(|a| a.to_string_lossy().into_owned()));
    let dir = dir
        .or_else(|| std::env::var("TSUDOI_DIR").ok().filter(|d| !d.is_empty()))
        .unwrap_or_else(|| crate::event::load::DEFAULT_DIR.to_string());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let id = name.strip_suffix(".toml")?;
            crate::event::parse_id(id).map(|_| id.to_string())
        })
        .collect();
    ids.sort_by(|a, b| b.cmp(a));
    ids.into_iter()
        .map(clap_complete::CompletionCandidate::new)
        .collect()
}

/// The value of the last `--dir` on a command line.
fn completed_dir(args: impl Iterator<Item = String>) -> Option<String> {
    let args: Vec<String> = args.collect();
    let mut dir = None;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--dir" {
            dir = args.get(i + 1).cloned();
        } else if let Some(value) = arg.strip_prefix("--dir=") {
            dir = Some(value.to_string());
        }
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_comes_from_the_line_being_completed() {
        let line = |words: &[&str]| completed_dir(words.iter().map(|w| w.to_string()));
        assert_eq!(
            line(&["tsudoi", "--", "tsudoi", "--dir", "x", "show", ""]),
            Some("x".into())
        );
        assert_eq!(
            line(&["tsudoi", "--", "tsudoi", "--dir=y", "show"]),
            Some("y".into())
        );
        assert_eq!(line(&["tsudoi", "--", "tsudoi", "show"]), None);
    }
}
