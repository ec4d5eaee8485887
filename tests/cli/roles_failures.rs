//! `tsudoi roles` when it cannot do everything: it stops before any write when the setup is
//! wrong (no post, role above the bot, an intent off), and a failure for one user does not stop
//! the others.

use crate::fake::FakeDiscord;
use crate::fake::state::{self, BOT_ROLE, GUILD, SIGNUP};
use crate::roles::{ROLE, at, builder, configured, post, recorded, roles, rows, user, writes};

/// Three members who declared in time, the role below the bot.
fn three_declared(fake: &FakeDiscord) -> u64 {
    let p = post(fake);
    fake.state(|s| {
        for n in 1..=3 {
            s.member(user(n), &[]);
            s.post_at(SIGNUP, user(n), "参加します", at(6, n as u32, 0), Some(p));
        }
    });
    p
}

#[test]
fn a_role_above_the_bot_stops_before_any_write() {
    let fake = builder().role(ROLE, "2026-02-17", 6, 0).start();
    let p = post(&fake);
    fake.state(|s| {
        s.member(user(1), &[]);
        s.post_at(SIGNUP, user(1), "参加します", at(6, 1, 0), Some(p));
    });
    let out = roles(&fake, &recorded(configured(""), p), &[]);
    assert_eq!(out.code, 1);
    assert!(writes(&fake).is_empty());
    assert_eq!(
        out.stderr,
        "tsudoi: error: the role `2026-02-17` (position 6) is not below the bot's highest role `tsudoi` \
         (position 5): the bot cannot grant it; nothing was granted\n  hint: move the bot's role above \
         `2026-02-17` in Server Settings → Roles\n"
    );
}

#[test]
fn without_the_message_content_intent_the_run_names_the_intent() {
    let fake = builder().app_flags(state::GUILD_MEMBERS_INTENT).start();
    let p = post(&fake);
    fake.state(|s| {
        s.member(user(1), &[]);
        s.post_at(SIGNUP, user(1), "参加します", at(6, 1, 0), Some(p));
    });
    let out = roles(&fake, &recorded(configured(""), p), &[]);
    assert_eq!(out.code, 1);
    assert!(writes(&fake).is_empty());
    assert!(
        out.stderr
            .contains("reads as empty: the bot lacks the Message Content intent"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("Developer Portal → Bot → Message Content Intent"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("signup_mode = \"reaction\""),
        "{}",
        out.stderr
    );
}

#[test]
fn no_post_yet_is_a_clear_error() {
    let fake = builder().start();
    let out = roles(&fake, &configured(""), &[]);
    assert_eq!(out.code, 1);
    // A ledger without the post may have lost it: Discord is read (never written) first.
    assert!(fake.log().iter().all(|l| l.method == "GET"));
    assert_eq!(
        out.stderr,
        "tsudoi: error: no event post yet for `2026-02-17`\n  hint: run `tsudoi post 2026-02-17` or set \
         `post_id` under `[discord]` in the event file\n"
    );
}

#[test]
fn a_failed_grant_does_not_stop_the_others_and_exits_1() {
    let fake = builder().role(ROLE, "2026-02-17", 2, 0).start();
    let p = three_declared(&fake);
    let path = format!("PUT /guilds/{GUILD}/members/{}/roles/", user(2));
    fake.fail(&path, crate::fake::Fault::Status(500), 10);
    let out = roles(&fake, &recorded(configured(""), p), &["--json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let decisions: Vec<String> = rows(&out).into_iter().map(|r| r.1).collect();
    assert_eq!(decisions, ["granted", "failed", "granted"]);
    assert_eq!(out.json()["failures"][0]["action"], "grant");
    assert!(out.stderr.contains("grant failed"), "{}", out.stderr);
}

#[test]
fn a_refused_grant_is_explained_and_not_repeated_for_the_others() {
    let fake = builder()
        .role(ROLE, "2026-02-17", 2, 0)
        .state(|s| s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap().permissions = 0)
        .start();
    let p = three_declared(&fake);
    let out = roles(&fake, &recorded(configured(""), p), &[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        fake.count(&format!("PUT /guilds/{GUILD}/members/")),
        1,
        "one 403, not three"
    );
    assert!(
        out.stderr.contains(
            "hint: move the bot's role above `2026-02-17` in Server Settings → Roles, and give it Manage Roles"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn without_the_members_intent_each_author_is_looked_up_unless_boosters_must_be_found() {
    let fake = builder()
        .role(ROLE, "2026-02-17", 2, 0)
        .app_flags(state::MESSAGE_CONTENT_INTENT)
        .start();
    let p = three_declared(&fake);
    let no_boosters = "[policy]\nboosters_join_without_signup = false\n";
    let out = roles(&fake, &recorded(configured(no_boosters), p), &["--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["counts"]["granted"], 3);
    assert_eq!(
        fake.count(&format!("GET /guilds/{GUILD}/members/")),
        4,
        "the bot and each author"
    );

    let out = roles(&fake, &recorded(configured(""), p), &[]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("Server Members Intent"), "{}", out.stderr);
}
