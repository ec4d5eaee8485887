//! The event day most Discord tests share: the shipped series wired to the fake, the 2026-02-17
//! event (15:00-17:00 in Tokyo), its role `2026-02-17` held by one member, and times on that day.

use chrono::{DateTime, TimeZone, Utc};

use crate::fake::state::BOT_ROLE;
use crate::fake::{Builder, FakeDiscord};
use crate::util::{Dir, Series};

/// The viewer URL the tests share; no output may ever show it.
pub const URL: &str = "https://viewer.example/room/s3cr3t-42";
/// The event role's id in the fake.
pub const ROLE: u64 = 600;

/// The shipped series with the fake's ids and the given extra policy, and the 2026-02-17 event.
pub fn configured(policy: &str) -> Dir {
    Dir::new()
        .series(Series::for_fake().policy(policy))
        .shipped_event("2026-02-17")
}

/// A fake whose bot role sits above the event roles it will create or grant.
pub fn bot_on_top() -> Builder {
    FakeDiscord::builder().state(|s| s.roles.iter_mut().find(|r| r.id == BOT_ROLE).unwrap().position = 5)
}

/// A healthy server where the event role exists below the bot's role, held by one member.
pub fn fake() -> FakeDiscord {
    bot_on_top()
        .role(ROLE, "2026-02-17", 2, 0)
        .member(7, &[ROLE])
        .start()
}

/// `h:m` in Tokyo on the event's day.
pub fn jst(h: u32, m: u32) -> DateTime<Utc> {
    jst_on(17, h, m)
}

/// `h:m` in Tokyo on `day` February 2026.
pub fn jst_on(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Tokyo
        .with_ymd_and_hms(2026, 2, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}
