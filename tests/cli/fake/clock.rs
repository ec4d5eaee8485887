//! The fake's time, shared with an in-process client as its injected `Clock`: a client's sleep
//! moves it at once, so the rate-limit window never depends on how fast the machine is.
//! A spawned `tsudoi` has its own real clock; once a test hands the fake's address to one, the
//! fake follows real time too (plus whatever in-process clients skipped).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

#[derive(Debug, Default)]
struct Moves {
    /// Time skipped by the sleeps of in-process clients.
    skipped: Duration,
    follows_real_time: bool,
    slept: Vec<Duration>,
}

#[derive(Debug, Clone)]
pub struct FakeClock {
    start: Instant,
    start_epoch: SystemTime,
    moves: Arc<Mutex<Moves>>,
}

impl FakeClock {
    pub fn stopped() -> Self {
        Self {
            start: Instant::now(),
            start_epoch: SystemTime::now(),
            moves: Arc::default(),
        }
    }

    fn moves(&self) -> MutexGuard<'_, Moves> {
        self.moves.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// From now on, real time passes too: another process talks to the fake.
    pub fn follow_real_time(&self) {
        let mut moves = self.moves();
        if !moves.follows_real_time {
            // Keep the clock monotonic: real time counts from here on.
            moves.skipped = moves.skipped.saturating_sub(self.start.elapsed());
            moves.follows_real_time = true;
        }
    }

    pub fn now(&self) -> Instant {
        let moves = self.moves();
        let real = if moves.follows_real_time {
            self.start.elapsed()
        } else {
            Duration::ZERO
        };
        self.start + moves.skipped + real
    }

    /// Seconds since the Unix epoch, as `X-RateLimit-Reset` gives them.
    pub fn epoch_seconds(&self) -> f64 {
        let since = self.now() - self.start;
        (self.start_epoch + since)
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    }

    /// Every sleep an in-process client took, in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.moves().slept.clone()
    }
}

impl tsudoi::discord::client::Clock for FakeClock {
    fn now(&self) -> Instant {
        FakeClock::now(self)
    }

    fn sleep(&self, duration: Duration) {
        let mut moves = self.moves();
        moves.skipped += duration;
        moves.slept.push(duration);
    }
}
