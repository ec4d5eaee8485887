//! A request's route: the method, the documented path template, the concrete path, and the
//! major parameter that splits rate-limit buckets.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Sending it twice does no more than sending it once.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put | Self::Delete)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a path segment may hold unescaped.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    /// As in the API reference, e.g. `/channels/{channel_id}/messages`.
    pub template: &'static str,
    /// With the values filled in and escaped, e.g. `/channels/123/messages`.
    pub path: String,
    /// The channel, guild or webhook id the bucket is split by, if the route has one.
    pub major: Option<String>,
}

impl Route {
    /// Fill `template`'s `{placeholders}` with `values`, in order, each percent-encoded.
    pub fn new(method: Method, template: &'static str, values: &[&str]) -> Self {
        let mut path = String::new();
        let mut values = values.iter();
        let mut major = None;
        for (i, segment) in template.split('/').enumerate().skip(1) {
            path.push('/');
            if segment.starts_with('{') {
                let value = values.next().expect("one value per placeholder");
                let encoded = utf8_percent_encode(value, SEGMENT).to_string();
                if i == 2
                    && matches!(
                        template.split('/').nth(1),
                        Some("channels" | "guilds" | "webhooks")
                    )
                {
                    major = Some(encoded.clone());
                }
                path.push_str(&encoded);
            } else {
                path.push_str(segment);
            }
        }
        assert!(
            values.next().is_none(),
            "more values than placeholders in {template}"
        );
        Self {
            method,
            template,
            path,
            major,
        }
    }

    /// Routes with the same key share a bucket until Discord names it.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_fill_escape_and_find_the_major_parameter() {
        let route = Route::new(
            Method::Put,
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me",
            &["10", "20", "✅"],
        );
        assert_eq!(route.path, "/channels/10/messages/20/reactions/%E2%9C%85/@me");
        assert_eq!(route.major.as_deref(), Some("10"));
        let custom = Route::new(Method::Get, "/x/{e}", &["party:123"]);
        assert_eq!(custom.path, "/x/party%3A123");
        assert_eq!(custom.major, None);
        assert_eq!(
            Route::new(Method::Get, "/users/@me", &[]).to_string(),
            "GET /users/@me"
        );
        let guild = Route::new(Method::Get, "/guilds/{guild_id}/roles", &["7"]);
        assert_eq!(
            (guild.major.as_deref(), guild.key().as_str()),
            (Some("7"), "GET /guilds/{guild_id}/roles")
        );
    }
}
