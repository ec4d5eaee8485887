//! Dry runs: the writes a command would make, recorded instead of sent.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::client::Request;

/// One request not sent: exactly what would have gone out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    pub method: &'static str,
    /// The path under the API base, with its query, e.g. `/channels/1/messages`.
    pub route: String,
    pub body: Option<Value>,
    /// The `X-Audit-Log-Reason` it would carry.
    pub reason: String,
}

impl Planned {
    pub fn new(request: &Request, reason: String) -> Self {
        let query: Vec<String> = request.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut route = request.route.path.clone();
        if !query.is_empty() {
            route = format!("{route}?{}", query.join("&"));
        }
        Self {
            method: request.route.method.as_str(),
            route,
            body: request.body.clone(),
            reason,
        }
    }
}

impl fmt::Display for Planned {
    /// `METHOD /route`, then the JSON body pretty-printed when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.route)?;
        if let Some(body) = &self.body {
            let pretty = serde_json::to_string_pretty(body).map_err(|_| fmt::Error)?;
            write!(f, "\n{pretty}")?;
        }
        Ok(())
    }
}

/// The plan as people read it: one request after another, a blank line between.
pub fn render(planned: &[Planned]) -> String {
    planned
        .iter()
        .map(|p| format!("{p}\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::route::{Method, Route};
    use serde_json::json;

    #[test]
    fn plans_read_as_method_route_and_body() {
        let put = Request::new(Route::new(
            Method::Put,
            "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            &["1", "2", "3"],
        ));
        let post = Request::new(Route::new(
            Method::Post,
            "/channels/{channel_id}/messages",
            &["4"],
        ))
        .body(json!({"content": "hi"}));
        let planned = [
            Planned::new(&put, "tsudoi roles".into()),
            Planned::new(&post, "tsudoi post".into()),
        ];
        assert_eq!(
            render(&planned),
            "PUT /guilds/1/members/2/roles/3\n\nPOST /channels/4/messages\n{\n  \"content\": \"hi\"\n}\n"
        );
    }
}
