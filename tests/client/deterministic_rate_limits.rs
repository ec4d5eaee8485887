//! Rate-limit tests own their clock: the fake's window runs on the clock the in-process client
//! sleeps on, so a wait takes no real time and a loaded machine changes nothing.

use std::time::Duration;

use crate::fake::{FakeDiscord, fast_options};

#[test]
fn an_hour_long_window_is_waited_out_on_the_fake_clock() {
    let fake = FakeDiscord::builder()
        .rate_limit(1, Duration::from_secs(3600))
        .start();
    let client = fake.client(tsudoi::discord::Options {
        max_wait: Duration::from_secs(3 * 3600),
        ..fast_options()
    });
    for _ in 0..3 {
        client.current_user().unwrap();
    }
    assert_eq!(fake.rate_limited(), 0);
    assert_eq!(fake.count("GET /users/@me"), 3);
    assert_eq!(
        fake.clock().slept(),
        [Duration::from_secs(3600), Duration::from_secs(3600)]
    );
}

#[test]
fn the_same_run_makes_the_same_requests_every_time() {
    let run = || {
        let fake = FakeDiscord::builder()
            .rate_limit(3, Duration::from_millis(50))
            .start();
        let client = fake.client(fast_options());
        for _ in 0..10 {
            client.current_user().unwrap();
            client.guild(crate::fake::id(crate::fake::state::GUILD)).unwrap();
        }
        (fake.log().len(), fake.rate_limited(), fake.clock().slept())
    };
    let first = run();
    assert_eq!(first.0, 20);
    assert_eq!(first.1, 0);
    for _ in 0..3 {
        assert_eq!(run(), first);
    }
}
