//! Two machines (each with its own `.state`) that run `roles` at the same instant may both
//! create the event role; they settle on the oldest of the roles of that name without talking
//! to each other. A duplicate found at any later time (by `roles` or `share`) is merged the same
//! way, and `doctor` reports it.

use crate::fake::state::{BOT, GUILD, SHARE, SIGNUP, TOKEN};
use crate::fake::{FakeDiscord, Logged};
use crate::roles::{AFTER, at, builder, configured, post, recorded, roles, user, writes};
use crate::util::Dir;

const NAME: &str = "2026-02-17";
const OLD: u64 = 300;
const NEW: u64 = 301;

/// A `tsudoi roles` (or a `tick` while sign-ups are open) started and left running, to race
/// another.
fn spawn(fake: &FakeDiscord, dir: &Dir, tick: bool) -> std::process::Child {
    let (now, command) = if tick {
        ("2026-02-17T05:00:00Z", vec!["tick"])
    } else {
        (AFTER, vec!["roles", NAME])
    };
    dir.tsudoi(command)
        .now(now)
        .env("DISCORD_API_BASE", &fake.base())
        .env("DISCORD_TOKEN", TOKEN)
        .spawn()
}

/// Members `user(1..=n)`, each declaring under the post before the deadline.
fn declarations(fake: &FakeDiscord, post: u64, n: u64) -> Vec<u64> {
    let users: Vec<u64> = (1..=n).map(user).collect();
    fake.state(|s| {
        for (i, u) in users.iter().enumerate() {
            s.member(*u, &[]);
            s.post_at(SIGNUP, *u, "参加します", at(4, 10 + i as u32, 0), Some(post));
        }
    });
    users
}

fn named(fake: &FakeDiscord) -> Vec<u64> {
    fake.state(|s| s.roles.iter().filter(|r| r.name == NAME).map(|r| r.id).collect())
}

/// Role ids a `DELETE /guilds/{guild}/roles/{role}` was sent for, with the answer's status.
fn role_deletes(fake: &FakeDiscord) -> Vec<(u64, u16)> {
    let prefix = format!("/guilds/{GUILD}/roles/");
    fake.log()
        .iter()
        .filter(|l| l.method == "DELETE")
        .filter_map(|l: &Logged| Some((l.path.strip_prefix(&prefix)?.parse().ok()?, l.status)))
        .collect()
}

fn holds(fake: &FakeDiscord, member: u64, role: u64) -> bool {
    fake.state(|s| s.members[&member].roles.contains(&role))
}

fn share_overwrites(fake: &FakeDiscord) -> Vec<u64> {
    fake.state(|s| s.channels[&SHARE].overwrites.iter().map(|o| o.id).collect())
}

/// One role of the name is left, older than every one deleted; every holder holds it and the
/// share channel lets it in, and no overwrite is left for a deleted one.
fn assert_converged(fake: &FakeDiscord, holders: &[u64]) -> u64 {
    let left = named(fake);
    assert_eq!(left.len(), 1, "one role named `{NAME}` is left: {left:?}");
    let kept = left[0];
    let deleted = role_deletes(fake);
    assert!(
        deleted.iter().all(|(id, _)| *id > kept),
        "the oldest ({kept}) is kept: {deleted:?}"
    );
    for member in holders {
        assert!(holds(fake, *member, kept), "{member} holds the kept role");
    }
    let overwrites = share_overwrites(fake);
    assert!(overwrites.contains(&kept), "{overwrites:?}");
    assert!(
        deleted.iter().all(|(id, _)| !overwrites.contains(id)),
        "{overwrites:?}"
    );
    kept
}

#[test]
fn two_machines_creating_the_role_at_once_keep_the_oldest() {
    for round in 0..8 {
        let fake = builder().start();
        let p = post(&fake);
        let users = declarations(&fake, p, 3);
        // Even rounds: both machines read "no role" and create one, and both then find the
        // two roles and delete the newer. Odd rounds: whatever interleaving the race gives.
        // The last two rounds race `tick`s, which run the same grants.
        let forced = round % 2 == 0;
        let tick = round >= 6;
        if forced {
            fake.hold_until(&format!("POST /guilds/{GUILD}/roles"), 2);
            fake.hold_until(&format!("DELETE /guilds/{GUILD}/roles/"), 2);
        }
        let (host, ci) = (recorded(configured(""), p), recorded(configured(""), p));
        let (a, b) = (spawn(&fake, &host, tick), spawn(&fake, &ci, tick));
        for out in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "round {round}: {err}");
        }
        assert_converged(&fake, &users);
        let created = fake.count(&format!("POST /guilds/{GUILD}/roles"));
        let mut deleted: Vec<u64> = role_deletes(&fake).into_iter().map(|(id, _)| id).collect();
        deleted.dedup();
        assert_eq!(
            created,
            1 + deleted.len(),
            "round {round}: each newer role deleted"
        );
        if forced {
            assert_eq!(created, 2);
            let statuses: Vec<u16> = role_deletes(&fake).into_iter().map(|(_, s)| s).collect();
            assert_eq!(
                statuses.iter().filter(|s| **s == 404).count(),
                1,
                "the machine that deleted second found it gone, and carried on: {statuses:?}"
            );
        }
    }
}

/// Two roles of the event's name already: one with holders the other machine granted, one
/// with the share channel's overwrite each.
fn duplicated() -> (FakeDiscord, Vec<u64>) {
    let fake = builder().role(OLD, NAME, 2, 0).role(NEW, NAME, 3, 0).start();
    fake.state(|s| {
        s.overwrite(SHARE, OLD, 0, 1 << 10, 0);
        s.overwrite(SHARE, NEW, 0, 1 << 10, 0);
    });
    (fake, vec![user(1), user(2), user(3)])
}

#[test]
fn roles_merges_a_duplicate_role_into_the_oldest() {
    let (fake, users) = duplicated();
    let p = post(&fake);
    fake.state(|s| {
        s.member(users[0], &[NEW]);
        s.member(users[1], &[OLD]);
        // Given the newer role by hand, without signing up: keeps access all the same.
        s.member(users[2], &[NEW]);
        s.post_at(SIGNUP, users[0], "参加します", at(6, 10, 0), Some(p));
        s.post_at(SIGNUP, users[1], "参加します", at(6, 11, 0), Some(p));
    });
    let dir = recorded(configured(""), p);
    let out = roles(&fake, &dir, &["--json"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(assert_converged(&fake, &users), OLD);
    assert_eq!(role_deletes(&fake), [(NEW, 204)]);
    let sent = writes(&fake);
    let moved = format!("PUT /guilds/{GUILD}/members/{}/roles/{OLD}", users[2]);
    let deleted = format!("DELETE /guilds/{GUILD}/roles/{NEW}");
    let position = |w: &str| {
        sent.iter()
            .position(|s| s == w)
            .unwrap_or_else(|| panic!("{w}: {sent:?}"))
    };
    assert!(
        position(&moved) < position(&deleted),
        "holders move before: {sent:?}"
    );
    let json = out.json();
    assert_eq!(json["role"]["id"], OLD.to_string());
    assert_eq!(json["writes"]["roles_deleted"], 1);
    assert!(
        json["notes"]
            .to_string()
            .contains(&format!("kept the oldest ({OLD})")),
        "{json}"
    );
    let before = fake.log().len();
    let again = roles(&fake, &dir, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        fake.log()[before..].iter().all(|l| l.method == "GET"),
        "a second run writes nothing"
    );
}

#[test]
fn share_merges_a_duplicate_role_before_pinging_it() {
    let (fake, users) = duplicated();
    fake.state(|s| {
        s.member(users[0], &[NEW]);
        s.member(users[1], &[OLD]);
    });
    let dir = configured("");
    let env = [
        ("DISCORD_API_BASE", fake.base()),
        ("DISCORD_TOKEN", TOKEN.to_string()),
        (
            "SHIGURADIO_VIEWER_URL",
            "https://viewer.example/room/s3cr3t".to_string(),
        ),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = dir
        .tsudoi(["--now", "2026-02-17T05:45:00Z", "share", NAME])
        .envs(&env)
        .run();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_converged(&fake, &users[..2]);
    let pinged = fake.state(|s| {
        s.messages
            .values()
            .filter(|m| m.channel_id == SHARE && m.author == BOT)
            .any(|m| m.content.contains(&format!("<@&{OLD}>")))
    });
    assert!(pinged, "the share pings the kept role");
}

#[test]
fn doctor_reports_a_duplicate_event_role_with_the_fix() {
    let (fake, _) = duplicated();
    let dir = configured("");
    let base = fake.base();
    let env = [("DISCORD_API_BASE", base.as_str()), ("DISCORD_TOKEN", TOKEN)];
    let out = dir
        .tsudoi(["--now", "2026-02-10T00:00:00Z", "--json", "doctor"])
        .envs(&env)
        .run();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let checks = out.json()["checks"].clone();
    let row = checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "event role")
        .unwrap()
        .clone();
    assert_eq!(row["status"], "fail", "{row}");
    assert!(
        row["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("2 roles are named `{NAME}` ({OLD}, {NEW})")),
        "{row}"
    );
    assert_eq!(
        row["fix"],
        format!(
            "run `tsudoi roles {NAME}`: it keeps the oldest ({OLD}), moves the others' holders to it and deletes the others"
        )
    );
    assert!(fake.log().iter().all(|l| l.method == "GET"), "doctor only reads");
}

#[test]
fn tick_merges_a_duplicate_role_and_says_so() {
    let (fake, users) = duplicated();
    let p = post(&fake);
    fake.state(|s| {
        s.member(users[0], &[NEW]);
        s.post_at(SIGNUP, users[0], "参加します", at(4, 0, 0), Some(p));
    });
    let dir = recorded(configured(""), p);
    let base = fake.base();
    let env = [("DISCORD_API_BASE", base.as_str()), ("DISCORD_TOKEN", TOKEN)];
    let out = dir
        .tsudoi(["--now", "2026-02-17T05:00:00Z", "tick"])
        .envs(&env)
        .run();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_converged(&fake, &users[..1]);
    assert!(
        out.stdout
            .contains(&format!("merged 1 newer role(s) named `{NAME}` into the oldest")),
        "{}",
        out.stdout
    );
}

#[test]
fn a_run_whose_role_the_other_machine_merged_away_carries_on_with_the_oldest() {
    // This machine found only the newer role (the other's was not visible yet) and grants it;
    // meanwhile the other machine merges it into the older one and deletes it.
    let fake = builder().role(NEW, NAME, 2, 0).start();
    let p = post(&fake);
    let users = declarations(&fake, p, 3);
    fake.before(
        &format!("PUT /guilds/{GUILD}/members/{}/roles/{NEW}", users[1]),
        move |s| {
            s.role(OLD, NAME, 2, 0);
            s.overwrite(SHARE, OLD, 0, 1 << 10, 0);
            for member in s.members.values_mut() {
                if member.roles.contains(&NEW) {
                    member.roles.push(OLD);
                }
            }
            s.roles.retain(|r| r.id != NEW);
            s.channels
                .get_mut(&SHARE)
                .unwrap()
                .overwrites
                .retain(|o| o.id != NEW);
            for member in s.members.values_mut() {
                member.roles.retain(|r| *r != NEW);
            }
        },
    );
    let dir = recorded(configured(""), p);
    let out = roles(&fake, &dir, &["--json"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(assert_converged(&fake, &users), OLD);
    let json = out.json();
    assert_eq!(json["role"]["id"], OLD.to_string());
    assert_eq!(json["counts"]["granted"], 3, "{json}");
}

#[test]
fn a_dry_run_plans_the_merge_and_sends_no_write() {
    let (fake, users) = duplicated();
    let p = post(&fake);
    fake.state(|s| {
        s.member(users[0], &[NEW]);
        s.post_at(SIGNUP, users[0], "参加します", at(4, 0, 0), Some(p));
    });
    let dir = recorded(configured(""), p);
    let out = roles(&fake, &dir, &["--dry-run"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(writes(&fake), Vec::<String>::new());
    assert_eq!(named(&fake), [OLD, NEW]);
    let planned: Vec<&str> = out.stdout.lines().filter(|l| !l.is_empty()).collect();
    let moved = format!("PUT /guilds/{GUILD}/members/{}/roles/{OLD}", users[0]);
    let deleted = format!("DELETE /guilds/{GUILD}/roles/{NEW}");
    let position = |w: &str| {
        planned
            .iter()
            .position(|l| *l == w)
            .unwrap_or_else(|| panic!("{w} not planned: {planned:?}"))
    };
    assert!(
        position(&moved) < position(&deleted),
        "holders move first: {planned:?}"
    );
}
