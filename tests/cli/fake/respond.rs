//! How the fake answers one request: check it, log it, apply an injected fault, enforce the
//! global pause, the token and the route's bucket, then let the routes act.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http::{RawRequest, RawResponse, Reply};
use super::openapi::Spec;
use super::{Bucket, Fault, Inner, Logged, routes};

pub(super) fn respond(inner: &Mutex<Inner>, request: RawRequest) -> Reply {
    let mut inner = inner.lock().unwrap_or_else(|e| e.into_inner());
    let body: Option<Value> =
        (!request.body.is_empty()).then(|| serde_json::from_slice(&request.body).unwrap_or(Value::Null));
    let line = format!("{} {}", request.method, request.path);
    let problems = protocol(&request, body.as_ref());
    inner
        .violations
        .extend(problems.iter().map(|p| format!("{line}: {p}")));
    let spec = Spec::get();
    inner
        .violations
        .extend(spec.check(&request.method, &request.path, &request.query, body.as_ref()));
    let path = request
        .path
        .strip_prefix("/api/v10")
        .unwrap_or(&request.path)
        .to_string();
    let mut entry = Logged {
        method: request.method.clone(),
        path: path.clone(),
        query: request.query.clone(),
        body: body.clone(),
        headers: request.headers.clone(),
        status: 0,
    };
    let fault = take_fault(&mut inner, &format!("{} {path}", request.method));
    let (reply, status) = match fault {
        Some(Fault::Drop) => (Reply::Drop, 0),
        Some(Fault::Stall(duration)) => (Reply::Stall(duration), 0),
        Some(Fault::Status(status)) => (
            json_reply(
                status,
                json!({"message": "Internal Server Error", "code": 0}),
                vec![],
            ),
            status,
        ),
        Some(Fault::Html(status)) => (html_reply(status), status),
        Some(Fault::EchoAuth) => {
            let seen = request.header("authorization").unwrap_or_default().to_string();
            let body = json!({"message": format!("500: upstream rejected {seen}"), "code": 0});
            (json_reply(500, body, vec![]), 500)
        }
        Some(Fault::TooMany { retry_after, global }) => (too_many(&mut inner, retry_after, global), 429),
        Some(Fault::Shared(retry_after)) => {
            let headers = vec![("x-ratelimit-scope".to_string(), "shared".to_string())];
            let body = json!({ "message": "The resource is being rate limited.", "retry_after": retry_after, "global": false });
            (json_reply(429, body, headers), 429)
        }
        Some(Fault::Redirect(status, location)) => (redirect_reply(status, &location), status),
        Some(Fault::Truncated) => {
            let (reply, status) = serve(&mut inner, &request, &path, body.as_ref());
            (truncated(reply), status)
        }
        Some(Fault::DropAfter) => {
            let answer = serve(&mut inner, &request, &path, body.as_ref());
            (Reply::Drop, answer.1)
        }
        None if problems.iter().any(|p| p.contains("Content-Length")) => (
            json_reply(411, json!({"message": "411: Length Required", "code": 0}), vec![]),
            411,
        ),
        None => serve(&mut inner, &request, &path, body.as_ref()),
    };
    entry.status = status;
    inner.log.push(entry);
    reply
}

fn take_fault(inner: &mut Inner, line: &str) -> Option<Fault> {
    let injected = inner
        .faults
        .iter_mut()
        .find(|f| f.times > 0 && line.contains(&f.matcher))?;
    injected.times -= 1;
    Some(injected.fault.clone())
}

/// The rules Discord states outside the OpenAPI document.
fn protocol(request: &RawRequest, body: Option<&Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let agent = request.header("user-agent").unwrap_or_default();
    let well_formed = agent
        .strip_prefix("DiscordBot (")
        .and_then(|r| r.strip_suffix(')'))
        .is_some_and(|r| r.contains(", "));
    if !well_formed {
        problems.push(format!("User-Agent `{agent}` is not `DiscordBot (url, version)`"));
    }
    if request.method != "GET" && request.header("x-audit-log-reason").is_none_or(str::is_empty) {
        problems.push("a write without X-Audit-Log-Reason".into());
    }
    if request.method != "GET" && request.body.is_empty() && request.header("content-length") != Some("0") {
        problems.push("a body-less write without an explicit Content-Length: 0".into());
    }
    if body == Some(&Value::Null) {
        problems.push("the body is not JSON".into());
    }
    if body.is_some()
        && !request
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
    {
        problems.push("a JSON body without Content-Type: application/json".into());
    }
    problems
}

fn serve(inner: &mut Inner, request: &RawRequest, path: &str, body: Option<&Value>) -> (Reply, u16) {
    let now = inner.clock.now();
    if let Some(until) = inner.global_until.filter(|u| *u > now) {
        let retry_after = ((until - now).as_secs_f64() * 1000.0).ceil() / 1000.0;
        return (too_many_reply(retry_after, true, vec![]), 429);
    }
    if request.header("authorization") != Some(&format!("Bot {}", inner.state.token)) {
        return (
            json_reply(401, json!({"message": "401: Unauthorized", "code": 0}), vec![]),
            401,
        );
    }
    let Some((template, params)) = Spec::get().template(path) else {
        return (
            json_reply(404, json!({"message": "404: Not Found", "code": 0}), vec![]),
            404,
        );
    };
    let template = template.to_string();
    let major = params
        .first()
        .filter(|_| template.starts_with("/channels/") || template.starts_with("/guilds/"));
    let major = major.map(|(_, v)| v.clone()).unwrap_or_default();
    let bucket_hash = format!("{:08x}", fnv(&format!("{} {template}", request.method)));
    let (headers, limited) = take_token(inner, &bucket_hash, &major, now);
    if let Some(retry_after) = limited {
        return (too_many_reply(retry_after, false, headers), 429);
    }
    let call = routes::Call {
        method: &request.method,
        template: &template,
        params: &params,
        query: &request.query,
        body,
    };
    let mut answer = routes::handle(&mut inner.state, &call);
    let status = answer.status;
    if let Some(body) = answer.body.as_mut().filter(|_| status < 300) {
        let problems = Spec::get().answer(&request.method, &template, status, body);
        inner.violations.extend(problems);
    }
    let reply = match answer.body {
        Some(body) => json_reply(status, body, headers),
        None => Reply::Respond(RawResponse {
            status,
            headers,
            body: Vec::new(),
        }),
    };
    (reply, status)
}

/// Spend one request from the bucket; its headers, or how long until it refills.
fn take_token(
    inner: &mut Inner,
    hash: &str,
    major: &str,
    now: Instant,
) -> (Vec<(String, String)>, Option<f64>) {
    let (limit, window) = (inner.limit, inner.window);
    let bucket = inner
        .buckets
        .entry((hash.to_string(), major.to_string()))
        .or_insert(Bucket {
            remaining: limit,
            reset_at: now + window,
        });
    if bucket.reset_at <= now {
        *bucket = Bucket {
            remaining: limit,
            reset_at: now + window,
        };
    }
    // Rounded up to the millisecond, as a client waiting the advertised time must find it reset.
    let reset_after = ((bucket.reset_at - now).as_secs_f64() * 1000.0).ceil() / 1000.0;
    let limited = bucket.remaining == 0;
    if !limited {
        bucket.remaining -= 1;
    }
    let epoch = inner.clock.epoch_seconds();
    let headers = vec![
        ("x-ratelimit-limit".into(), limit.to_string()),
        ("x-ratelimit-remaining".into(), bucket.remaining.to_string()),
        ("x-ratelimit-reset".into(), format!("{:.3}", epoch + reset_after)),
        ("x-ratelimit-reset-after".into(), format!("{reset_after:.3}")),
        ("x-ratelimit-bucket".into(), hash.to_string()),
    ];
    (headers, limited.then_some(reset_after))
}

fn too_many(inner: &mut Inner, retry_after: f64, global: bool) -> Reply {
    if global {
        inner.global_until = Some(inner.clock.now() + Duration::from_secs_f64(retry_after));
    }
    too_many_reply(retry_after, global, vec![])
}

fn too_many_reply(retry_after: f64, global: bool, mut headers: Vec<(String, String)>) -> Reply {
    headers.push(("retry-after".into(), (retry_after.ceil() as u64).to_string()));
    headers.push((
        "x-ratelimit-scope".into(),
        if global { "global" } else { "user" }.into(),
    ));
    if global {
        headers.push(("x-ratelimit-global".into(), "true".into()));
    }
    let body =
        json!({ "message": "You are being rate limited.", "retry_after": retry_after, "global": global });
    json_reply(429, body, headers)
}

fn json_reply(status: u16, body: Value, mut headers: Vec<(String, String)>) -> Reply {
    headers.push(("content-type".into(), "application/json".into()));
    Reply::Respond(RawResponse {
        status,
        headers,
        body: body.to_string().into_bytes(),
    })
}

fn html_reply(status: u16) -> Reply {
    let page = "<!DOCTYPE html><html><head><title>Access denied | discord.com used Cloudflare</title></head>\
                <body><h1>Error 1015</h1><p>You are being rate limited</p></body></html>";
    Reply::Respond(RawResponse {
        status,
        headers: vec![("content-type".into(), "text/html; charset=UTF-8".into())],
        body: page.as_bytes().to_vec(),
    })
}

fn redirect_reply(status: u16, location: &str) -> Reply {
    Reply::Respond(RawResponse {
        status,
        headers: vec![("location".into(), location.to_string())],
        body: Vec::new(),
    })
}

fn truncated(reply: Reply) -> Reply {
    match reply {
        Reply::Respond(mut response) => {
            let half = response.body.len() / 2;
            response.body.truncate(half);
            Reply::Respond(response)
        }
        other => other,
    }
}

fn fnv(text: &str) -> u32 {
    text.bytes()
        .fold(0x811c_9dc5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}
