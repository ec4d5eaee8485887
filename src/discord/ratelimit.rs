//! Rate limits learned from `X-RateLimit-*` headers, so requests wait before they would be
//! refused. Pure: every method takes the current instant; the client sleeps.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::route::Route;

/// Discord's global limit for a bot: requests per second across all routes.
pub const GLOBAL_PER_SECOND: usize = 50;

/// The rate-limit headers of one response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers {
    pub bucket: Option<String>,
    pub limit: Option<u32>,
    pub remaining: Option<u32>,
    /// Seconds until the bucket refills (`X-RateLimit-Reset-After`, fractional).
    pub reset_after: Option<f64>,
}

/// A 429's instructions.
#[derive(Debug, Clone, PartialEq)]
pub struct TooMany {
    pub retry_after: f64,
    pub global: bool,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    remaining: u32,
    reset_at: Instant,
}

#[derive(Debug, Default)]
pub struct Limiter {
    /// Route key → the bucket hash Discord named for it.
    hashes: HashMap<String, String>,
    /// (bucket hash or route key, major parameter) → what is left.
    buckets: HashMap<(String, String), Bucket>,
    global_until: Option<Instant>,
    recent: VecDeque<Instant>,
}

impl Limiter {
    fn bucket_key(&self, route: &Route) -> (String, String) {
        let key = route.key();
        let hash = self.hashes.get(&key).cloned().unwrap_or(key);
        (hash, route.major.clone().unwrap_or_default())
    }

    /// How long to wait before sending `route` at `now`, and why.
    pub fn delay(&self, route: &Route, now: Instant) -> Option<(Duration, Reason)> {
        let global = self
            .global_until
            .map(|until| (until.saturating_duration_since(now), Reason::Global));
        let bucket = self.buckets.get(&self.bucket_key(route)).and_then(|b| {
            (b.remaining == 0).then(|| (b.reset_at.saturating_duration_since(now), Reason::Bucket))
        });
        let per_second = (self.recent.len() >= GLOBAL_PER_SECOND)
            .then(|| self.recent.front())
            .flatten()
            .map(|oldest| {
                (
                    (*oldest + Duration::from_secs(1)).saturating_duration_since(now),
                    Reason::PerSecond,
                )
            });
        [global, bucket, per_second]
            .into_iter()
            .flatten()
            .filter(|(wait, _)| !wait.is_zero())
            .max_by_key(|(wait, _)| *wait)
    }

    /// A request is going out now.
    pub fn sent(&mut self, now: Instant) {
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        self.recent.push_back(now);
        if self.global_until.is_some_and(|until| until <= now) {
            self.global_until = None;
        }
    }

    /// Learn from a response's headers.
    pub fn update(&mut self, route: &Route, headers: &Headers, now: Instant) {
        if let Some(hash) = &headers.bucket {
            self.hashes.insert(route.key(), hash.clone());
        }
        if let (Some(remaining), Some(reset_after)) = (headers.remaining, headers.reset_after) {
            let bucket = Bucket {
                remaining,
                reset_at: now + seconds(reset_after),
            };
            self.buckets.insert(self.bucket_key(route), bucket);
        }
    }

    /// Learn from a 429: a global one pauses every route, another empties the route's bucket.
    pub fn limited(&mut self, route: &Route, too_many: &TooMany, now: Instant) {
        let until = now + seconds(too_many.retry_after);
        if too_many.global {
            self.global_until = Some(self.global_until.map_or(until, |t| t.max(until)));
        } else {
            let key = self.bucket_key(route);
            self.buckets.insert(
                key,
                Bucket {
                    remaining: 0,
                    reset_at: until,
                },
            );
        }
    }
}

/// Why a request waits, for the log and the error past the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Global,
    Bucket,
    PerSecond,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Global => "a global rate limit",
            Self::Bucket => "the route's rate-limit bucket",
            Self::PerSecond => "the 50 requests per second limit",
        }
    }
}

pub fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value.max(0.0)).unwrap_or(Duration::from_secs(3600))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::route::Method;

    fn route(channel: &str) -> Route {
        Route::new(Method::Get, "/channels/{channel_id}/messages", &[channel])
    }

    fn headers(bucket: &str, remaining: u32, reset_after: f64) -> Headers {
        Headers {
            bucket: Some(bucket.into()),
            limit: Some(5),
            remaining: Some(remaining),
            reset_after: Some(reset_after),
        }
    }

    #[test]
    fn an_empty_bucket_waits_until_its_reset() {
        let now = Instant::now();
        let mut limiter = Limiter::default();
        assert_eq!(limiter.delay(&route("1"), now), None);
        limiter.update(&route("1"), &headers("abc", 1, 2.0), now);
        assert_eq!(limiter.delay(&route("1"), now), None);
        limiter.update(&route("1"), &headers("abc", 0, 2.0), now);
        let (wait, reason) = limiter
            .delay(&route("1"), now + Duration::from_millis(500))
            .unwrap();
        assert_eq!((wait, reason), (Duration::from_millis(1500), Reason::Bucket));
        assert_eq!(limiter.delay(&route("1"), now + Duration::from_secs(2)), None);
    }

    #[test]
    fn buckets_are_split_by_the_major_parameter() {
        let now = Instant::now();
        let mut limiter = Limiter::default();
        limiter.update(&route("1"), &headers("abc", 0, 1.0), now);
        assert!(limiter.delay(&route("1"), now).is_some());
        assert_eq!(limiter.delay(&route("2"), now), None);
    }

    #[test]
    fn routes_sharing_a_bucket_hash_share_its_state() {
        let now = Instant::now();
        let mut limiter = Limiter::default();
        let post = Route::new(Method::Post, "/channels/{channel_id}/messages", &["1"]);
        limiter.update(&post, &headers("shared", 1, 1.0), now);
        limiter.update(&route("1"), &headers("shared", 0, 1.0), now);
        assert!(limiter.delay(&post, now).is_some());
    }

    #[test]
    fn a_global_429_pauses_every_route() {
        let now = Instant::now();
        let mut limiter = Limiter::default();
        let too_many = TooMany {
            retry_after: 0.25,
            global: true,
        };
        limiter.limited(&route("1"), &too_many, now);
        let other = Route::new(Method::Get, "/users/@me", &[]);
        assert_eq!(
            limiter.delay(&other, now),
            Some((Duration::from_millis(250), Reason::Global))
        );
        let local = TooMany {
            retry_after: 1.0,
            global: false,
        };
        limiter.limited(&route("2"), &local, now);
        assert_eq!(
            limiter.delay(&route("2"), now),
            Some((Duration::from_secs(1), Reason::Bucket))
        );
        assert_eq!(
            limiter.delay(&route("3"), now),
            Some((Duration::from_millis(250), Reason::Global))
        );
    }

    #[test]
    fn fifty_requests_in_a_second_wait_for_the_oldest_to_age() {
        let start = Instant::now();
        let mut limiter = Limiter::default();
        for i in 0..GLOBAL_PER_SECOND as u64 {
            limiter.sent(start + Duration::from_millis(i));
        }
        let now = start + Duration::from_millis(100);
        assert_eq!(
            limiter.delay(&route("1"), now),
            Some((Duration::from_millis(900), Reason::PerSecond))
        );
        assert_eq!(limiter.delay(&route("1"), start + Duration::from_secs(1)), None);
    }
}
