//! Discord ids: 64-bit numbers whose top bits are a time since the Discord epoch (2015).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds from the Unix epoch to the first second of 2015, Discord's epoch.
pub const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Snowflake(pub u64);

impl Snowflake {
    /// When the object was created, to the millisecond.
    pub fn timestamp(self) -> DateTime<Utc> {
        let ms = (self.0 >> 22) as i64 + DISCORD_EPOCH_MS;
        Utc.timestamp_millis_opt(ms)
            .single()
            .expect("a 42-bit time is in range")
    }

    /// The smallest id made at `time`: every object created at or after `time` has an id
    /// `>=` this one, which is what `after=` pagination and deadlines compare against.
    pub fn from_time(time: DateTime<Utc>) -> Self {
        let ms = (time.timestamp_millis() - DISCORD_EPOCH_MS).max(0) as u64;
        Self(ms << 22)
    }

    /// The largest id made before `time`: as `after=`, it lists everything from `time` on.
    pub fn before_time(time: DateTime<Utc>) -> Self {
        Self(Self::from_time(time).0.saturating_sub(1))
    }
}

impl fmt::Display for Snowflake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Snowflake {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim().parse().map(Self)
    }
}

impl Serialize for Snowflake {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Snowflake {
    /// Discord sends ids as strings; numbers are accepted too.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(u64),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Text(text) => text.parse().map_err(serde::de::Error::custom),
            Raw::Number(n) => Ok(Self(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_carry_their_creation_time() {
        // The example from Discord's reference: 175928847299117063 is 2016-04-30 11:18:25.796 UTC.
        let id: Snowflake = "175928847299117063".parse().unwrap();
        assert_eq!(id.timestamp().to_rfc3339(), "2016-04-30T11:18:25.796+00:00");
        let floor = Snowflake::from_time(id.timestamp());
        assert!(floor <= id && Snowflake(floor.0 - 1) < floor);
        assert_eq!(floor.timestamp(), id.timestamp());
        assert!(Snowflake::before_time(id.timestamp()) < floor);
        let epoch = Utc.timestamp_millis_opt(DISCORD_EPOCH_MS).unwrap();
        assert_eq!(Snowflake::from_time(epoch), Snowflake(0));
    }

    #[test]
    fn snowflakes_are_strings_on_the_wire() {
        let id: Snowflake = serde_json::from_str("\"42\"").unwrap();
        assert_eq!(id, Snowflake(42));
        assert_eq!(serde_json::from_str::<Snowflake>("42").unwrap(), id);
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"42\"");
        assert!(serde_json::from_str::<Snowflake>("\"x\"").is_err());
    }
}
