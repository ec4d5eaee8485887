//! Hostile files: links that lead out of the event directory, devices and huge files where a
//! secret is expected, `-o` over the tool's own inputs, and the modes of the files it writes.

use std::path::Path;

use crate::util::{Dir, Output, shipped_events};

const SECRET: &str = "abc.def.hostile-secret-42";

fn event_text() -> String {
    std::fs::read_to_string(shipped_events().join("2026-02-17.toml")).unwrap()
}

/// The shipped series and the 2026-02-17 event.
fn dir() -> Dir {
    Dir::with_series().file("2026-02-17.toml", &event_text())
}

/// A file outside the event directory that would leak if it were read.
fn outside(contents: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("secret.txt");
    std::fs::write(&path, contents).unwrap();
    (temp, path)
}

#[cfg(unix)]
fn link(target: &Path, dir: &Dir, name: &str) {
    let path = dir.path().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, path).unwrap();
}

fn assert_refused(out: &Output, name: &str) {
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains(name) && out.stderr.contains("outside the event directory"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stdout.contains("hostile-secret") && !out.stderr.contains("hostile-secret"),
        "the linked file's content is shown:\n{}{}",
        out.stdout,
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_event_file_linked_outside_the_directory_is_refused_unread() {
    let (_keep, secret) = outside(&format!("FAKE_TOKEN={SECRET}\n"));
    let dir = dir();
    link(&secret, &dir, "2026-03-03.toml");
    for args in [
        &["check"][..],
        &["show", "2026-03-03"],
        &["announce", "2026-02-17"],
        &["--json", "check"],
    ] {
        let out = dir.tsudoi(args).run();
        assert_refused(&out, "2026-03-03.toml");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_event_file_linked_to_the_process_environment_shows_none_of_it() {
    let dir = dir();
    link(Path::new("/proc/self/environ"), &dir, "2026-03-03.toml");
    for args in [&["check"][..], &["show", "2026-03-03"], &["announce"]] {
        let out = dir.tsudoi(args).envs(&[("DISCORD_TOKEN", SECRET)]).run();
        assert_refused(&out, "2026-03-03.toml");
    }
}

#[cfg(unix)]
#[test]
fn a_template_linked_outside_the_directory_is_refused_unread() {
    let (_keep, secret) = outside(&format!("{SECRET} {{{{ title }}}}\n"));
    let dir = dir();
    link(&secret, &dir, "templates/post.j2");
    let out = dir
        .tsudoi(["announce", "2026-02-17", "--format", "discord"])
        .run();
    assert_refused(&out, "post.j2");
}

#[cfg(unix)]
#[test]
fn a_series_file_linked_outside_the_directory_is_refused_unread() {
    let (_keep, secret) = outside(&format!("{}\n# {SECRET}\n", crate::util::shipped_series()));
    let dir = Dir::new().file("2026-02-17.toml", &event_text());
    link(&secret, &dir, "tsudoi.toml");
    let out = dir.tsudoi(["check"]).run();
    assert_refused(&out, "tsudoi.toml");
}

#[cfg(unix)]
#[test]
fn a_link_that_stays_inside_the_directory_is_read() {
    let dir = dir().file(
        "drafts/march.event",
        &event_text().replace("2026-02-17", "2026-03-03"),
    );
    link(Path::new("drafts/march.event"), &dir, "2026-03-03.toml");
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        dir.tsudoi(["show", "2026-03-03"])
            .run()
            .stdout
            .contains("2026-03-03")
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_an_event_file_is_refused_unopened() {
    let dir = dir();
    let fifo = dir.path().join("2026-03-03.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo is needed for this test");
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}

#[test]
fn a_long_line_with_control_characters_is_shown_cut_and_escaped() {
    let line = format!(
        "notes = \"{}\u{1b}]0;owned\u{7}\u{1b}[2J{}\"\n",
        "a".repeat(400),
        "b".repeat(400)
    );
    let dir = dir().file("2026-03-03.toml", &format!("date = \"2026-03-03\"\n{line}"));
    let out = dir.tsudoi(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'));
    assert!(out.stderr.contains("\\u{1b}"), "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("2 | ")).unwrap();
    let (shown, caret) = (&lines[at][4..], &lines[at + 1][4..]);
    assert!(shown.chars().count() <= 200, "{} columns", shown.chars().count());
    let column = caret.find('^').unwrap();
    let under: String = shown.chars().skip(column).take(6).collect();
    assert_eq!(
        under, "\\u{1b}",
        "the caret points at the escaped character:\n{shown}\n{caret}"
    );
}

#[test]
fn announce_refuses_to_write_over_the_directory_s_own_files() {
    let dir = dir().file("templates/page.j2", "{{ series.title }}\n");
    let series = dir.read("tsudoi.toml");
    for name in [
        "tsudoi.toml",
        "2026-02-17.toml",
        "2026-09-09.toml",
        "templates/page.j2",
        ".state/page.rst",
    ] {
        let target = dir.path().join(name);
        let out = dir
            .tsudoi(["announce", "2026-02-17", "-o", target.to_str().unwrap()])
            .run();
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains("is read by the event directory"),
            "{name}: {}",
            out.stderr
        );
    }
    let url_file = dir.path().join("url.txt");
    std::fs::write(&url_file, "https://viewer.example/x\n").unwrap();
    let event = event_text().replace(
        "viewer_url_env = \"SHIGURADIO_VIEWER_URL\"",
        &format!("viewer_url_file = \"{}\"", url_file.display()),
    );
    std::fs::write(dir.path().join("2026-02-17.toml"), event).unwrap();
    let url = url_file.to_str().unwrap();
    let out = dir.tsudoi(["announce", "2026-02-17", "-o", url]).run();
    assert_eq!(out.code, 1, "the viewer URL file: {}", out.stderr);
    let token = dir.path().join("token.txt");
    std::fs::write(&token, "not-a-real-token\n").unwrap();
    let token = token.to_str().unwrap();
    let out = dir
        .tsudoi(["--token-file", token, "announce", "2026-02-17", "-o", token])
        .run();
    assert_eq!(out.code, 1, "the token file: {}", out.stderr);
    assert_eq!(dir.read("token.txt"), "not-a-real-token\n");
    assert_eq!(dir.read("url.txt"), "https://viewer.example/x\n");
    assert_eq!(dir.read("tsudoi.toml"), series);
    assert!(dir.read("2026-02-17.toml").contains("date = \"2026-02-17\""));
    assert!(!dir.path().join("2026-09-09.toml").exists());
}

/// `sh -c 'umask 022; cd CWD; exec tsudoi "$@"'`: a known umask and a working directory in
/// the test's own temporary folder.
#[cfg(unix)]
fn run_in(cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 022 && cd \"$0\" && exec \"$@\"")
        .arg(cwd)
        .arg(assert_cmd::cargo::cargo_bin("tsudoi"))
        .args(args)
        .env_clear()
        .env("TZ", "UTC")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[cfg(unix)]
#[test]
fn dash_o_dash_is_stdout() {
    let dir = dir();
    let cwd = tempfile::tempdir().unwrap();
    let events = dir.path().to_str().unwrap();
    let out = run_in(
        cwd.path(),
        &[],
        &["--dir", events, "announce", "2026-02-17", "-o", "-"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2026-02-17"), "{}", out.stdout);
    assert!(!cwd.path().join("-").exists(), "no file named `-`");
}

#[cfg(unix)]
#[test]
fn pages_and_event_files_follow_the_umask_and_a_replaced_page_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let cwd = tempfile::tempdir().unwrap();
    let out = run_in(cwd.path(), &[], &["init", "events"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let events = cwd.path().join("events");
    for entry in std::fs::read_dir(&events).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert_eq!(mode(&path), 0o644, "{}", path.display());
        }
    }
    let now = ["--now", "2026-01-01T00:00:00Z"];
    let create = [&now[..], &["create", "--date", "2026-05-05"]].concat();
    let out = run_in(cwd.path(), &[], &create);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(mode(&events.join("2026-05-05.toml")), 0o644);
    let announce = [&now[..], &["announce", "2026-05-05", "-o", "page.rst"]].concat();
    assert_eq!(run_in(cwd.path(), &[], &announce).code, 0);
    let page = cwd.path().join("page.rst");
    assert_eq!(mode(&page), 0o644, "a new page");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(run_in(cwd.path(), &[], &announce).code, 0);
    assert_eq!(mode(&page), 0o640, "a replaced page keeps its mode");
}

fn assert_clear(out: &Output, expected: &str) {
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains(expected), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_token_file_that_is_a_device_or_too_big_is_refused_unread() {
    let dir = dir();
    let big = dir.path().join("big-token");
    std::fs::write(&big, "x".repeat(10_000)).unwrap();
    let at = ["--now", "2026-02-17T00:00:00Z"];
    for (file, expected) in [
        ("/dev/zero", "not a regular file"),
        (big.to_str().unwrap(), "larger than 4096 bytes"),
    ] {
        let args = [
            &at[..],
            &["--token-file", file, "post", "2026-02-17", "--dry-run"],
        ]
        .concat();
        let out = dir.tsudoi(&args).run();
        assert_clear(&out, expected);
        assert!(
            out.stderr.contains("cannot read the token file"),
            "{}",
            out.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_viewer_url_file_that_is_a_device_or_too_big_is_refused_unread() {
    let big = tempfile::tempdir().unwrap();
    let big_file = big.path().join("url");
    std::fs::write(
        &big_file,
        format!("https://viewer.example/{}", "x".repeat(10_000)),
    )
    .unwrap();
    for (file, expected) in [
        ("/dev/zero", "not a regular file"),
        (big_file.to_str().unwrap(), "larger than 4096 bytes"),
    ] {
        let event = event_text().replace(
            "viewer_url_env = \"SHIGURADIO_VIEWER_URL\"",
            &format!("viewer_url_file = \"{file}\""),
        );
        let dir = Dir::with_series().file("2026-02-17.toml", &event);
        let out = dir
            .tsudoi([
                "--now",
                "2026-02-17T05:45:00Z",
                "share",
                "2026-02-17",
                "--dry-run",
            ])
            .run();
        assert_clear(&out, expected);
        assert!(
            out.stderr.contains("cannot read the viewer URL file"),
            "{}",
            out.stderr
        );
    }
}
