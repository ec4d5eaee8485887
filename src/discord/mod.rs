//! Discord's REST API as tsudoi uses it: one client that is a good citizen (rate limits, safe
//! retries, redacted token), the models it reads, and the typed calls commands make.

mod api;
pub mod client;
pub mod error;
pub mod models;
mod options;
pub mod permissions;
pub mod plan;
pub mod ratelimit;
pub mod redact;
mod request;
mod response;
pub mod route;
pub mod scheduled_events;
pub mod snowflake;
pub mod token;

pub use api::{Cursor, MEMBERS_PER_PAGE, MESSAGES_PER_PAGE, Mentions, NewMessage, REACTIONS_PER_PAGE, nonce};
pub use client::{Client, Options, Request};
pub use error::{ApiError, DiscordError};
pub use models::{Application, Channel, Guild, Member, Message, Overwrite, OverwriteType, Role, User};
pub use permissions::Permissions;
pub use plan::Planned;
pub use route::{Method, Route};
pub use snowflake::Snowflake;
pub use token::{Token, TokenSource};
