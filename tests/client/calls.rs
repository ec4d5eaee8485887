//! The Discord client against the fake: typed calls, pagination, dry runs and explained errors,
//! through the library API the commands use.

use serde_json::json;
use tsudoi::discord::plan::render;
use tsudoi::discord::{DiscordError, Method, NewMessage, Options, Permissions, Request, Route, Snowflake};

use crate::fake::state::{self, BOT, BOT_ROLE, GUILD, SHARE, SIGNUP};
use crate::fake::{FakeDiscord, api_code, fast_options, id};

#[test]
fn typed_calls_read_and_write_the_fake() {
    let fake = FakeDiscord::builder()
        .member(42, &[])
        .channel(500, 15, "forum")
        .start();
    let client = fake.client(fast_options());
    client.set_reason("roles", Some("2026-02-17"));
    assert_eq!(client.current_user().unwrap().id, id(BOT));
    assert_eq!(
        client.current_application().unwrap().flags,
        state::MESSAGE_CONTENT_INTENT | state::GUILD_MEMBERS_INTENT
    );
    assert_eq!(client.guild(id(GUILD)).unwrap().roles.len(), 2);
    let role = client.create_role(id(GUILD), "2026-02-17").unwrap().unwrap();
    assert_eq!(
        (role.name.as_str(), role.position, role.permissions),
        ("2026-02-17", 1, Permissions::NONE)
    );
    assert_eq!(client.roles(id(GUILD)).unwrap().len(), 3);
    for _ in 0..2 {
        client.add_member_role(id(GUILD), id(42), role.id).unwrap();
    }
    assert_eq!(client.member(id(GUILD), id(42)).unwrap().roles, [role.id]);
    let post = client
        .create_message(
            id(SIGNUP),
            &NewMessage::new("@everyone 参加者募集", "2026-02-17/post"),
        )
        .unwrap()
        .unwrap();
    let mut reply = NewMessage::new("参加します", "reply");
    reply.reply_to = Some(post.id);
    let reply = client.create_message(id(SIGNUP), &reply).unwrap().unwrap();
    assert_eq!(reply.message_reference.unwrap().message_id, Some(post.id));
    assert_eq!(
        client.message(id(SIGNUP), post.id).unwrap().content,
        "@everyone 参加者募集"
    );
    for _ in 0..2 {
        client.create_reaction(id(SIGNUP), reply.id, "✅").unwrap();
    }
    let reacted = client.reactions(id(SIGNUP), reply.id, "✅").unwrap();
    assert_eq!(reacted.iter().map(|u| u.id).collect::<Vec<_>>(), [id(BOT)]);
    let allow = Permissions::VIEW_CHANNEL | Permissions::READ_MESSAGE_HISTORY;
    client
        .put_role_overwrite(id(SHARE), role.id, allow, Permissions::NONE)
        .unwrap();
    assert!(
        client
            .channel(id(SHARE))
            .unwrap()
            .permission_overwrites
            .iter()
            .any(|o| o.id == role.id && o.allow == allow)
    );
    let thread = client
        .start_forum_thread(id(500), "2026-02-17", &NewMessage::new("本文", "forum"))
        .unwrap()
        .unwrap();
    assert_eq!(thread.parent_id, Some(id(500)));
    assert_eq!(client.create_dm(id(42)).unwrap().unwrap().kind, 1);
    assert_eq!(client.members(id(GUILD)).unwrap().len(), 3);

    let log = fake.log();
    let put = log
        .iter()
        .find(|l| l.method == "PUT" && l.path.contains("/roles/"))
        .unwrap();
    assert_eq!(put.header("content-length"), Some("0"));
    assert_eq!(
        put.headers.iter().filter(|(n, _)| n == "content-length").count(),
        1
    );
    assert_eq!(put.body, None);
    let reason = percent_encoding::percent_decode_str(put.header("x-audit-log-reason").unwrap())
        .decode_utf8()
        .unwrap();
    assert_eq!(reason, "tsudoi roles 2026-02-17");
    assert!(log.iter().all(|l| {
        l.header("user-agent")
            .unwrap()
            .starts_with("DiscordBot (https://")
    }));
    let create = log
        .iter()
        .find(|l| l.method == "POST" && l.path == format!("/channels/{SIGNUP}/messages"))
        .unwrap();
    assert_eq!(
        create.body.as_ref().unwrap()["allowed_mentions"]["parse"],
        json!([])
    );
    assert_eq!(fake.rate_limited(), 0);
}

#[test]
fn messages_members_and_reactions_paginate() {
    let fake = FakeDiscord::builder()
        .state(|s| {
            for n in 0..2100 {
                s.member(10_000 + n, &[]);
            }
        })
        .start();
    let ids: Vec<u64> = fake.state(|s| {
        (0..250)
            .map(|i| s.post(SIGNUP, 10_000 + i, &format!("m{i}")))
            .collect()
    });
    let first = fake.state(|s| s.post(SIGNUP, BOT, "post"));
    fake.state(|s| {
        for user in 0..150 {
            s.reactions
                .entry((first, "✅".to_string()))
                .or_default()
                .push(10_000 + user);
        }
    });
    let client = fake.client(fast_options());

    let newest = client.messages_newest_first(id(SIGNUP), None, 1000).unwrap();
    assert_eq!(newest.len(), 251);
    assert_eq!(newest[0].id, id(first));
    assert!(newest.windows(2).all(|w| w[0].id > w[1].id));
    assert_eq!(fake.count(&format!("GET /channels/{SIGNUP}/messages")), 3);
    let cursors: Vec<Vec<(String, String)>> = fake.log().iter().map(|l| l.query.clone()).collect();
    assert_eq!(cursors[0], [("limit".to_string(), "100".to_string())]);
    assert_eq!(cursors[1][0], ("before".to_string(), newest[99].id.to_string()));
    let since = client
        .messages_newest_first(id(SIGNUP), Some(id(ids[99])), 1000)
        .unwrap();
    assert_eq!(since.len(), 151);
    let capped = client.messages_newest_first(id(SIGNUP), None, 120).unwrap();
    assert_eq!(capped.len(), 120);

    let after = client.messages_after(id(SIGNUP), id(ids[9])).unwrap();
    assert_eq!(after.len(), 241);
    assert!(after.windows(2).all(|w| w[0].id < w[1].id));
    let from_time = Snowflake::before_time(Snowflake(ids[0]).timestamp());
    assert_eq!(client.messages_after(id(SIGNUP), from_time).unwrap().len(), 251);

    let members = client.members(id(GUILD)).unwrap();
    assert_eq!(members.len(), 2102);
    assert_eq!(fake.count(&format!("GET /guilds/{GUILD}/members")), 3);

    let reacted = client.reactions(id(SIGNUP), id(first), "✅").unwrap();
    assert_eq!(reacted.len(), 150);
    assert_eq!(fake.count("/reactions/"), 2);
    assert_eq!(fake.rate_limited(), 0);
}

#[test]
fn a_dry_run_sends_reads_and_records_writes() {
    let fake = FakeDiscord::start();
    let client = fake.client(Options {
        dry_run: true,
        ..fast_options()
    });
    client.set_reason("roles", Some("2026-02-17"));
    let bot = client.current_user().unwrap();
    assert_eq!(client.create_role(id(GUILD), "2026-02-17").unwrap(), None);
    client.add_member_role(id(GUILD), bot.id, id(BOT_ROLE)).unwrap();
    client.create_reaction(id(SIGNUP), id(77), "✅").unwrap();
    let mut message = NewMessage::new("参加を受け付けました", "2026-02-17/ack");
    message.mentions.users = vec![id(42)];
    assert_eq!(client.create_message(id(SIGNUP), &message).unwrap(), None);
    assert!(fake.log().iter().all(|l| l.method == "GET"));
    assert_eq!(fake.log().len(), 1);
    let planned = client.planned();
    assert_eq!(planned.len(), 4);
    assert!(planned.iter().all(|p| p.reason == "tsudoi roles 2026-02-17"));
    let nonce = tsudoi::discord::nonce("2026-02-17/ack");
    assert_eq!(
        render(&planned),
        format!(
            "POST /guilds/{GUILD}/roles
{{
  \"hoist\": false,
  \"mentionable\": false,
  \"name\": \"2026-02-17\",
  \"permissions\": 0
}}

PUT /guilds/{GUILD}/members/900/roles/200

PUT /channels/{SIGNUP}/messages/77/reactions/%E2%9C%85/@me

POST /channels/{SIGNUP}/messages
{{
  \"allowed_mentions\": {{
    \"parse\": [],
    \"replied_user\": false,
    \"roles\": [],
    \"users\": [
      \"42\"
    ]
  }},
  \"content\": \"参加を受け付けました\",
  \"enforce_nonce\": true,
  \"nonce\": \"{nonce}\"
}}
"
        )
    );
    let request = Request::new(Route::new(Method::Get, "/users/@me", &[]));
    assert!(client.send(&request).unwrap().is_some(), "GETs are really sent");
}

#[test]
fn discord_errors_are_explained_with_their_fix() {
    let fake = FakeDiscord::builder()
        .member(42, &[])
        .role(600, "2026-02-17", 5, 0)
        .state(|s| s.user(43, "closed", false).dms_closed = true)
        .start();
    let client = fake.client(fast_options());
    let grant = client
        .add_member_role(id(GUILD), id(42), id(600))
        .unwrap_err()
        .about_role("2026-02-17");
    assert_eq!(api_code(&grant), (403, Some(50013)));
    assert_eq!(
        grant.hint().unwrap(),
        "move the bot's role above `2026-02-17` in Server Settings → Roles, and give it Manage Roles"
    );
    let cases: Vec<(Result<(), DiscordError>, u16, u64)> = vec![
        (client.channel(id(9999)).map(drop), 404, 10003),
        (client.guild(id(1234)).map(drop), 404, 10004),
        (client.member(id(GUILD), id(777)).map(drop), 404, 10007),
        (client.message(id(SIGNUP), id(888)).map(drop), 404, 10008),
        (client.add_member_role(id(GUILD), id(42), id(999)), 404, 10011),
        (client.create_dm(id(31337)).map(drop), 404, 10013),
        (
            client.create_reaction(
                id(SIGNUP),
                id(fake.state(|s| s.post(SIGNUP, 42, "x"))),
                "party:123",
            ),
            400,
            10014,
        ),
    ];
    for (result, status, code) in cases {
        let error = result.unwrap_err();
        assert_eq!(api_code(&error), (status, Some(code)), "{error}");
        assert!(error.hint().is_some(), "{error}");
    }
    let refused = fake.log().into_iter().filter(|l| l.status >= 400).count();
    assert_eq!(refused, 8, "400, 403 and 404 answers are never retried");
    let dm = client.create_dm(id(43)).unwrap().unwrap();
    let closed = client
        .create_message(dm.id, &NewMessage::new("URL", "dm"))
        .unwrap_err();
    assert_eq!(api_code(&closed), (403, Some(50007)));
    let long = client
        .create_message(id(SIGNUP), &NewMessage::new("あ".repeat(2001), "long"))
        .unwrap_err();
    assert_eq!(
        long.api().unwrap().fields,
        ["content: Must be 2000 or fewer in length."]
    );
    fake.state(|s| {
        for n in 0..248 {
            s.role(1000 + n, &format!("r{n}"), 1, 0);
        }
    });
    let full = client.create_role(id(GUILD), "2026-03-01").unwrap_err();
    assert_eq!(api_code(&full), (400, Some(30005)));
    assert!(full.hint().unwrap().contains("delete roles"));
}
