//! The client as a good citizen, against the fake: it waits before a bucket empties, waits out
//! 429s (a global one pauses everything), retries only what is safe, and stops on 401, on an
//! HTML page and after a few refused requests.

use std::time::Duration;

use tsudoi::discord::{DiscordError, NewMessage, Options};

use crate::fake::state::{self, GUILD, SIGNUP};
use crate::fake::{FakeDiscord, Fault, api_code, fast_options, id};

#[test]
fn requests_wait_for_an_empty_bucket_instead_of_hitting_429() {
    let fake = FakeDiscord::builder()
        .rate_limit(2, Duration::from_millis(80))
        .start();
    let client = fake.client(fast_options());
    for _ in 0..6 {
        client.current_user().unwrap();
    }
    assert_eq!(fake.rate_limited(), 0, "the client sent into an empty bucket");
    assert_eq!(
        fake.clock().slept(),
        [Duration::from_millis(80), Duration::from_millis(80)],
        "two waits for the window, each in full"
    );
    assert_eq!(fake.count("GET /users/@me"), 6);
}

#[test]
fn a_429_is_waited_out_then_retried() {
    let fake = FakeDiscord::start();
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 0.06,
            global: false,
        },
        1,
    );
    let client = fake.client(fast_options());
    client.current_user().unwrap();
    assert_eq!(fake.clock().slept(), [Duration::from_millis(60)]);
    assert_eq!(fake.count("GET /users/@me"), 2);
}

#[test]
fn a_global_429_pauses_every_route() {
    let fake = FakeDiscord::start();
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 0.06,
            global: true,
        },
        1,
    );
    let client = fake.client(fast_options());
    client.current_user().unwrap();
    client.guild(id(GUILD)).unwrap();
    assert_eq!(
        fake.rate_limited(),
        1,
        "only the injected 429: nothing was sent during the pause"
    );

    let fake = FakeDiscord::start();
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 30.0,
            global: true,
        },
        1,
    );
    let client = fake.client(Options {
        max_wait: Duration::from_millis(200),
        ..fast_options()
    });
    let first = client.current_user().unwrap_err();
    assert!(matches!(first, DiscordError::WaitCap { .. }), "{first}");
    let other = client.guild(id(GUILD)).unwrap_err();
    assert!(other.to_string().contains("a global rate limit"), "{other}");
    assert_eq!(fake.log().len(), 1);
}

#[test]
fn a_route_429_pauses_only_its_bucket() {
    let fake = FakeDiscord::start();
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 30.0,
            global: false,
        },
        1,
    );
    let client = fake.client(Options {
        max_wait: Duration::from_millis(200),
        ..fast_options()
    });
    let error = client.current_user().unwrap_err();
    assert_eq!(
        error.to_string(),
        "GET /users/@me: waiting 30.0s more for the route's rate-limit bucket would pass the wait cap \
         of 0.2s (already waited 0.0s)"
    );
    assert!(error.hint().unwrap().contains("--max-wait"));
    client.guild(id(GUILD)).unwrap();
}

#[test]
fn server_errors_and_network_failures_are_retried_on_get() {
    let fake = FakeDiscord::start();
    fake.fail("GET /users/@me", Fault::Status(502), 1);
    fake.fail("GET /users/@me", Fault::Drop, 1);
    // The one test on real time: a timeout. The stall far outlasts it, and the timeout is long
    // enough for a loaded machine to answer the other requests.
    fake.fail("GET /users/@me", Fault::Stall(Duration::from_secs(60)), 1);
    let client = fake.client(Options {
        timeout: Duration::from_millis(1500),
        ..fast_options()
    });
    client.current_user().unwrap();
    assert_eq!(fake.count("GET /users/@me"), 4);
}

#[test]
fn retries_give_up_after_the_attempts() {
    let fake = FakeDiscord::start();
    fake.fail("GET /users/@me", Fault::Status(503), 10);
    let client = fake.client(fast_options());
    assert_eq!(api_code(&client.current_user().unwrap_err()), (503, Some(0)));
    assert_eq!(fake.count("GET /users/@me"), 4);
}

#[test]
fn a_plain_post_is_not_retried() {
    let fake = FakeDiscord::start();
    fake.fail(&format!("POST /guilds/{GUILD}/roles"), Fault::Status(500), 1);
    let client = fake.client(fast_options());
    assert_eq!(
        api_code(&client.create_role(id(GUILD), "2026-02-17").unwrap_err()),
        (500, Some(0))
    );
    assert_eq!(fake.count(&format!("POST /guilds/{GUILD}/roles")), 1);
}

#[test]
fn a_message_post_is_retried_with_its_nonce_and_posts_once() {
    let fake = FakeDiscord::start();
    fake.fail(&format!("POST /channels/{SIGNUP}/messages"), Fault::DropAfter, 1);
    let client = fake.client(fast_options());
    let message = client
        .create_message(id(SIGNUP), &NewMessage::new("URL", "2026-02-17/share"))
        .unwrap()
        .unwrap();
    let posts: Vec<_> = fake.log().into_iter().filter(|l| l.method == "POST").collect();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].body, posts[1].body, "the retry carries the same nonce");
    assert_eq!(fake.state(|s| s.messages.len()), 1);
    assert_eq!(
        fake.state(|s| s.messages.keys().next().copied()),
        Some(message.id.0)
    );
}

#[test]
fn a_401_stops_the_run_after_one_request() {
    let fake = FakeDiscord::start();
    let client = fake.client_with_token("wrong-token", fast_options());
    let error = client.current_user().unwrap_err();
    assert_eq!(api_code(&error), (401, Some(0)));
    assert!(error.hint().unwrap().contains("DISCORD_TOKEN"));
    let next = client.guild(id(GUILD)).unwrap_err();
    assert!(matches!(next, DiscordError::Stopped { .. }), "{next}");
    assert_eq!(fake.log().len(), 1);
}

#[test]
fn refused_requests_stop_at_the_threshold() {
    let fake = FakeDiscord::builder()
        .state(|s| {
            s.channel(555, 0, "staff");
            s.overwrite(555, GUILD, 0, 0, state::VIEW_CHANNEL);
        })
        .start();
    let client = fake.client(Options {
        max_invalid: 3,
        ..fast_options()
    });
    for _ in 0..3 {
        assert_eq!(
            api_code(&client.channel(id(555)).unwrap_err()),
            (403, Some(50001))
        );
    }
    let stopped = client.channel(id(555)).unwrap_err();
    assert!(
        matches!(stopped, DiscordError::TooManyInvalid { count: 3 }),
        "{stopped}"
    );
    assert!(client.current_user().is_err());
    assert_eq!(fake.log().len(), 3);
}

#[test]
fn an_html_page_is_an_edge_block_and_stops_the_run() {
    let fake = FakeDiscord::start();
    fake.fail("GET /users/@me", Fault::Html(403), 1);
    let client = fake.client(fast_options());
    let error = client.current_user().unwrap_err();
    assert!(error.to_string().contains("HTML page (403)"), "{error}");
    assert!(error.to_string().contains("Cloudflare"));
    assert!(client.guild(id(GUILD)).is_err());
    assert_eq!(fake.log().len(), 1);
}

#[test]
fn a_long_retry_after_is_waited_in_full() {
    let fake = FakeDiscord::start();
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 12.5,
            global: false,
        },
        1,
    );
    let client = fake.client(Options {
        max_wait: Duration::from_secs(60),
        ..fast_options()
    });
    client.current_user().unwrap();
    assert_eq!(fake.clock().slept(), [Duration::from_millis(12_500)]);
}

#[test]
fn no_more_than_fifty_requests_leave_in_a_second() {
    let fake = FakeDiscord::builder()
        .rate_limit(1000, Duration::from_secs(10))
        .start();
    let client = fake.client(fast_options());
    for _ in 0..60 {
        client.current_user().unwrap();
    }
    let slept = fake.clock().slept();
    assert!(
        !slept.is_empty() && slept.iter().all(|d| *d <= Duration::from_secs(1)),
        "{slept:?}"
    );
    assert_eq!(fake.count("GET /users/@me"), 60);
}

#[test]
fn a_shared_429_is_waited_out_but_not_counted_against_the_bot() {
    let fake = FakeDiscord::start();
    fake.fail("GET /users/@me", Fault::Shared(0.02), 2);
    let client = fake.client(Options {
        max_invalid: 1,
        ..fast_options()
    });
    client.current_user().unwrap();
    assert_eq!(fake.count("GET /users/@me"), 3);
    fake.fail(
        "GET /users/@me",
        Fault::TooMany {
            retry_after: 0.02,
            global: false,
        },
        1,
    );
    let stopped = client.current_user().unwrap_err();
    assert!(
        matches!(stopped, DiscordError::TooManyInvalid { count: 1 }),
        "{stopped}"
    );
}
