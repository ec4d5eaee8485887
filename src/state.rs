//! The ledger of what tsudoi did for each event, apart from the files people edit:
//! `events/.state/<id>.toml`, written atomically, guarded by a lock per event.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::error::Error;

/// How long a command waits for another tsudoi (a `tick`, or a command run by hand) working on
/// the same event before it gives up with [`Error::Busy`].
pub const LOCK_PATIENCE: Duration = Duration::from_secs(30);

pub const FOLDER: &str = ".state";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Intent written before the request: if it stays, the request may or may not have
    /// reached Discord, and the next run verifies before it posts again.
    Started,
    Done,
    Skipped,
    Failed,
}

/// What happened to one action of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub message_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A failure worth trying again (a 5xx, a network error, a wait past the cap); a refusal
    /// (403, 404) is not retried by `tick`, so it never hammers Discord.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retry: bool,
    /// Users a direct message reached (the DM share mode), so a re-run skips them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivered: Vec<String>,
    /// What was shared, as `ViewerUrl::fingerprint`: a changed URL is seen without the
    /// ledger ever holding the URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

impl Record {
    pub fn new(outcome: Outcome, at: DateTime<Utc>) -> Self {
        Self {
            outcome,
            at,
            nonce: None,
            channel_id: None,
            message_ids: Vec::new(),
            detail: None,
            retry: false,
            delivered: Vec::new(),
            fingerprint: None,
        }
    }
}

/// The ledger of one event: action name → record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    #[serde(default)]
    pub actions: BTreeMap<String, Record>,
    /// Reaction sign-ups: when each user (by id) was first seen reacting. Discord does not say
    /// when a reaction was added, so a reaction first seen after the deadline is late.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<String, DateTime<Utc>>,
    /// When `tick` last looked on Discord for an event post missing from the ledger and found
    /// none: the look is not repeated every minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_searched_at: Option<DateTime<Utc>>,
}

impl Ledger {
    pub fn get(&self, action: &str) -> Option<&Record> {
        self.actions.get(action)
    }

    pub fn set(&mut self, action: &str, record: Record) {
        self.actions.insert(action.to_string(), record);
    }
}

/// The state folder of an event directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// The state folder, made readable by its owner alone (what was posted, message ids, grants).
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Held while an event's state is read, acted on and written; released on drop.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Store {
    pub fn new(event_dir: &Path) -> Self {
        Self {
            dir: event_dir.join(FOLDER),
        }
    }

    pub fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.toml"))
    }

    /// Take the event's lock, waiting up to `patience` for another tsudoi to finish with it.
    pub fn lock(&self, id: &str, patience: Duration) -> Result<Lock, Error> {
        private_dir(&self.dir).map_err(|source| Error::Write {
            path: self.dir.clone(),
            source,
        })?;
        let path = self.dir.join(format!("{id}.lock"));
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < patience => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::Busy {
                        id: id.to_string(),
                        lock: path,
                    });
                }
                Err(std::fs::TryLockError::Error(source)) => return Err(Error::Write { path, source }),
            }
        }
    }

    /// The ledger, empty when the event has none yet. Takes `&Lock` so it is read under it.
    pub fn read(&self, id: &str, _lock: &Lock) -> Result<Ledger, Error> {
        self.peek(id)
    }

    /// The ledger without taking the lock, for reports (`plan`): the file is replaced whole,
    /// so a read sees one version or the other.
    pub fn peek(&self, id: &str) -> Result<Ledger, Error> {
        let path = self.path(id);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ledger::default()),
            Err(source) => return Err(Error::Io { path, source }),
        };
        toml::from_str(&text).map_err(|e| Error::DamagedLedger {
            path: path.clone(),
            reason: e.message().to_string(),
        })
    }

    pub fn write(&self, id: &str, ledger: &Ledger, _lock: &Lock) -> Result<(), Error> {
        let body = toml::to_string(ledger).expect("a ledger serializes");
        let body = crate::discord::redact::scrub(&body);
        let text = format!("# Written by tsudoi: what was done for `{id}`. Do not edit.\n{body}");
        atomic::replace_private(&self.path(id), &text)
    }
}

/// An event's ledger held under its lock: every record is written through at once, so the
/// intent to post is on disk before the request leaves. A dry run keeps it in memory.
#[derive(Debug)]
pub struct Held {
    store: Store,
    id: String,
    lock: Lock,
    pub ledger: Ledger,
    dry_run: bool,
}

impl Held {
    pub fn open(store: Store, id: &str, patience: Duration, dry_run: bool) -> Result<Self, Error> {
        let lock = store.lock(id, patience)?;
        let ledger = store.read(id, &lock)?;
        Ok(Self {
            store,
            id: id.to_string(),
            lock,
            ledger,
            dry_run,
        })
    }

    pub fn record(&mut self, action: &str, record: Record) -> Result<(), Error> {
        self.ledger.set(action, record);
        if self.dry_run {
            Ok(())
        } else {
            self.store.write(&self.id, &self.ledger, &self.lock)
        }
    }

    pub fn get(&self, action: &str) -> Option<&Record> {
        self.ledger.get(action)
    }

    /// Write the ledger after changes made to it directly (e.g. by the role grants).
    pub fn save(&self) -> Result<(), Error> {
        if self.dry_run {
            Ok(())
        } else {
            self.store.write(&self.id, &self.ledger, &self.lock)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_ledger_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let lock = store.lock("2026-02-17", Duration::ZERO).unwrap();
        assert_eq!(store.read("2026-02-17", &lock).unwrap(), Ledger::default());
        let mut ledger = Ledger::default();
        let mut record = Record::new(
            Outcome::Done,
            Utc.with_ymd_and_hms(2026, 2, 17, 5, 45, 0).unwrap(),
        );
        record.message_ids = vec!["1".into(), "2".into()];
        record.nonce = Some("ts1".into());
        ledger.set("share", record);
        store.write("2026-02-17", &ledger, &lock).unwrap();
        assert_eq!(store.read("2026-02-17", &lock).unwrap(), ledger);
    }

    #[test]
    fn a_second_lock_waits_then_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let held = store.lock("x", Duration::ZERO).unwrap();
        let error = store.lock("x", Duration::from_millis(50)).unwrap_err();
        assert!(
            error.to_string().contains("another tsudoi is working on `x`"),
            "{error}"
        );
        drop(held);
        assert!(store.lock("x", Duration::ZERO).is_ok());
    }

    #[test]
    fn a_damaged_ledger_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let lock = store.lock("x", Duration::ZERO).unwrap();
        std::fs::write(store.path("x"), "actions = 3").unwrap();
        let error = store.read("x", &lock).unwrap_err();
        assert!(error.to_string().contains("is damaged"), "{error}");
    }
}
