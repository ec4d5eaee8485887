//! `tsudoi doctor` against the fake: every row, with the fix, for each broken setup; and the
//! token never printed by any command at any verbosity.

use crate::fake::state::{self, GUILD, SHARE, TOKEN};
use crate::fake::{FakeDiscord, Fault};
use crate::util::{Dir, Output, Series};

const BEFORE_FEB_17: &str = "2026-02-10T00:00:00Z";

/// The shipped series with the fake's ids, and the 2026-02-17 event.
fn configured() -> Dir {
    Dir::new().series(Series::for_fake()).shipped_event("2026-02-17")
}

fn doctor(fake: &FakeDiscord, dir: &Dir, extra: &[&str]) -> Output {
    let base = fake.base();
    let mut args = vec!["--now", BEFORE_FEB_17, "doctor"];
    args.extend_from_slice(extra);
    let url = ("SHIGURADIO_VIEWER_URL", "https://viewer.example/secret-room");
    dir.tsudoi(&args)
        .envs(&[("DISCORD_API_BASE", &base), ("DISCORD_TOKEN", TOKEN), url])
        .run()
}

/// (check, status, fix) for every row of `doctor --json`.
fn rows(out: &Output) -> Vec<(String, String, String)> {
    out.json()["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("check"), s("status"), s("fix"))
        })
        .collect()
}

fn row(out: &Output, check: &str) -> (String, String) {
    let (_, status, fix) = rows(out).into_iter().find(|r| r.0 == check).unwrap();
    (status, fix)
}

#[test]
fn a_healthy_server_passes_every_check() {
    let fake = FakeDiscord::start();
    let out = doctor(&fake, &configured(), &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    insta::assert_snapshot!(out.stdout);
    assert_eq!(
        out.stderr,
        "doctor: 17 ok, 0 warning(s), 0 failure(s), 0 skipped\n"
    );
    assert!(fake.log().iter().all(|l| l.method == "GET"));
    let json = doctor(&fake, &configured(), &["--json"]);
    assert_eq!(json.json()["ok"], true);
    assert_eq!(rows(&json).len(), 17);
}

#[test]
fn a_missing_intent_fails_with_why_and_where_to_switch_it_on() {
    let fake = FakeDiscord::builder()
        .app_flags(state::GUILD_MEMBERS_INTENT)
        .start();
    let out = doctor(&fake, &configured(), &[]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("every declaration reads as empty"),
        "{}",
        out.stdout
    );
    let json = doctor(&fake, &configured(), &["--json"]);
    let (status, fix) = row(&json, "message content intent");
    assert_eq!(status, "fail");
    assert!(
        fix.ends_with("Privileged Gateway Intents → turn on Message Content Intent"),
        "{fix}"
    );
    assert_eq!(row(&json, "server members intent").0, "ok");
    assert_eq!(json.json()["ok"], false);
}

#[test]
fn the_bots_role_below_the_event_role_fails() {
    let fake = FakeDiscord::builder()
        .role(600, "2026-02-17", 2, 0)
        .state(|s| s.verification_level = 1)
        .start();
    let out = doctor(&fake, &configured(), &[]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
    let json = doctor(&fake, &configured(), &["--json"]);
    assert_eq!(
        row(&json, "event role"),
        (
            "fail".into(),
            "move the bot's role above `2026-02-17` in Server Settings → Roles".into()
        )
    );
    assert_eq!(row(&json, "verification level").0, "warn");
}

#[test]
fn a_share_channel_everyone_can_see_fails() {
    let fake = FakeDiscord::builder()
        .state(|s| {
            s.channels
                .get_mut(&SHARE)
                .unwrap()
                .overwrites
                .retain(|o| o.id != GUILD)
        })
        .start();
    let json = doctor(&fake, &configured(), &["--json"]);
    assert_eq!(json.code, 1);
    let (status, fix) = row(&json, "share privacy");
    assert_eq!(status, "fail");
    assert_eq!(
        fix,
        "in #viewers → Edit Channel → Permissions → @everyone, deny View Channel"
    );
    let out = doctor(&fake, &configured(), &[]);
    assert!(out.stdout.contains("the viewer URL would leak"), "{}", out.stdout);
}

#[test]
fn missing_permissions_and_overwrite_rights_are_named() {
    let fake = FakeDiscord::builder()
        .state(|s| {
            s.roles
                .iter_mut()
                .find(|r| r.id == state::BOT_ROLE)
                .unwrap()
                .permissions = 0;
            s.overwrite(state::SIGNUP, GUILD, 0, 0, state::ADD_REACTIONS);
            s.overwrite(
                SHARE,
                state::BOT_ROLE,
                0,
                state::VIEW_CHANNEL | state::SEND_MESSAGES,
                0,
            );
        })
        .start();
    let json = doctor(&fake, &configured(), &["--json"]);
    assert_eq!(row(&json, "manage roles").0, "fail");
    let (status, fix) = row(&json, "sign-up permissions");
    assert_eq!(
        (status.as_str(), fix.as_str()),
        (
            "fail",
            "allow Add Reactions for `tsudoi` in #event → Edit Channel → Permissions"
        )
    );
    assert_eq!(row(&json, "share overwrite").0, "fail");
    assert_eq!(row(&json, "share permissions").0, "ok");
}

#[test]
fn the_bot_may_only_let_the_role_in_with_what_it_has_itself() {
    let without_history = state::VIEW_CHANNEL | state::SEND_MESSAGES | state::ADD_REACTIONS;
    let fake = FakeDiscord::builder()
        .state(|s| {
            s.roles.iter_mut().find(|r| r.id == GUILD).unwrap().permissions = without_history;
            s.overwrite(state::SIGNUP, state::BOT_ROLE, 0, state::READ_MESSAGE_HISTORY, 0);
            s.overwrite(
                SHARE,
                state::BOT_ROLE,
                0,
                state::VIEW_CHANNEL | state::SEND_MESSAGES,
                0,
            );
        })
        .start();
    let json = doctor(&fake, &configured(), &["--json"]);
    assert_eq!(row(&json, "sign-up permissions").0, "ok");
    let (status, fix) = row(&json, "share overwrite");
    assert_eq!(status, "fail");
    assert_eq!(
        fix,
        "allow Manage Permissions for `tsudoi` in #viewers → Edit Channel → Permissions"
    );
    let out = doctor(&fake, &configured(), &[]);
    assert!(
        out.stdout.contains("lacks Read Message History there"),
        "{}",
        out.stdout
    );

    let client = fake.client(crate::fake::fast_options());
    let allow = tsudoi::privacy::SHARE_ALLOW;
    let refused = client
        .put_role_overwrite(
            tsudoi::discord::Snowflake(SHARE),
            tsudoi::discord::Snowflake(600),
            allow,
            Default::default(),
        )
        .unwrap_err();
    assert_eq!(
        refused.api().map(|a| a.code),
        Some(Some(50013)),
        "the fake agrees with doctor"
    );
}

#[test]
fn missing_ids_name_the_key_to_set() {
    let fake = FakeDiscord::start();
    let dir = Dir::with_series();
    let out = doctor(&fake, &dir, &[]);
    assert_eq!(out.code, 1);
    let json = doctor(&fake, &dir, &["--json"]);
    let (status, fix) = row(&json, "server");
    assert_eq!(status, "fail");
    assert!(fix.starts_with("set `guild_id` under `[discord]` in "), "{fix}");
    assert!(rows(&json).iter().filter(|r| r.1 == "skip").count() >= 9);
}

#[test]
fn unknown_channels_are_explained() {
    let fake = FakeDiscord::builder()
        .state(|s| drop(s.channels.remove(&state::SIGNUP)))
        .start();
    let json = doctor(&fake, &configured(), &["--json"]);
    let (status, fix) = row(&json, "sign-up channel");
    assert_eq!(status, "fail");
    assert!(fix.contains("Copy ID"), "{fix}");
    assert_eq!(row(&json, "share channel").0, "ok");
}

#[test]
fn a_missing_or_refused_token_fails_the_first_row() {
    let fake = FakeDiscord::start();
    let out = configured()
        .tsudoi(["--now", BEFORE_FEB_17, "doctor", "--json"])
        .run();
    assert_eq!(out.code, 1);
    assert_eq!(
        row(&out, "token"),
        ("fail".into(), "set DISCORD_TOKEN or pass --token-file".into())
    );
    let base = fake.base();
    let wrong = configured()
        .tsudoi(["doctor", "--json"])
        .envs(&[("DISCORD_API_BASE", &base), ("DISCORD_TOKEN", "nope")])
        .run();
    assert_eq!(row(&wrong, "token").0, "fail");
    assert_eq!(fake.log().len(), 1, "a 401 stops the run");
    let unversioned = configured()
        .tsudoi(["doctor", "--json"])
        .envs(&[
            ("DISCORD_API_BASE", "https://discord.com/api"),
            ("DISCORD_TOKEN", TOKEN),
        ])
        .run();
    let (status, fix) = row(&unversioned, "token");
    assert_eq!(status, "fail");
    assert!(fix.contains("https://discord.com/api/v10"), "{fix}");
}

#[test]
fn a_token_file_readable_by_others_is_warned_about() {
    let fake = FakeDiscord::start();
    let dir = configured().file("secret/token", &format!("{TOKEN}\n"));
    let path = dir.path().join("secret/token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let base = fake.base();
    let out = dir
        .tsudoi([
            "--now",
            BEFORE_FEB_17,
            "--token-file",
            path.to_str().unwrap(),
            "doctor",
        ])
        .envs(&[("DISCORD_API_BASE", &base)])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    #[cfg(unix)]
    assert!(
        out.stderr
            .contains("is readable by group or others (mode 644); run `chmod 600"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_token_never_appears_in_any_output() {
    let fake = FakeDiscord::start();
    fake.fail(&format!("GET /guilds/{GUILD}"), Fault::Status(500), 1);
    let refusing = FakeDiscord::builder()
        .state(|s| s.token = "another".into())
        .start();
    let dir = configured();
    let mut outputs = Vec::new();
    for base in [fake.base(), refusing.base()] {
        let env = [
            ("DISCORD_API_BASE", base.as_str()),
            ("DISCORD_TOKEN", TOKEN),
            ("SHIGURADIO_VIEWER_URL", "https://viewer.example/secret-room"),
        ];
        for args in [
            vec!["list"],
            vec!["show", "2026-02-17"],
            vec!["check"],
            vec!["create", "--date", "2026-03-03"],
            vec!["doctor"],
            vec!["doctor", "--json"],
            vec!["init", "elsewhere"],
            vec!["show", "nope"],
            vec!["--max-wait", "bogus", "doctor"],
            vec!["announce", "-f", "discord"],
            vec!["post", "2026-02-17", "--dry-run"],
            vec!["post", "2026-02-17"],
            vec!["roles", "2026-02-17", "--dry-run"],
            vec!["roles", "2026-02-17"],
            vec!["share", "2026-02-17", "--dry-run"],
            vec!["share", "2026-02-17"],
            vec!["tick", "--dry-run"],
            vec!["tick"],
            vec!["plan"],
        ] {
            let mut all = vec!["-vv", "--now", BEFORE_FEB_17];
            all.extend(args);
            outputs.push(dir.tsudoi(&all).envs(&env).run());
        }
    }
    let verbose = &outputs[4];
    assert!(
        verbose.stderr.contains("→ GET /users/@me"),
        "-vv logs requests:\n{}",
        verbose.stderr
    );
    assert!(
        outputs.iter().any(|o| o.stdout.contains("POST /channels/")),
        "a dry run printed its plan"
    );
    for out in &outputs {
        assert!(
            !(out.stdout.contains("secret-room") || out.stderr.contains("secret-room")),
            "the viewer URL leaked"
        );
        assert!(
            !out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN),
            "{}\n{}",
            out.stdout,
            out.stderr
        );
    }
}
