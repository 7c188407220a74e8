//! What every request passes through: the bearer token, the body limit and the request timeout
//! on the way in; on the way out, security headers, error bodies made JSON whoever wrote them
//! (axum's own 404, 405 and 413 are text), and the request counted for `/metrics`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{App, BODY_LIMIT};
use crate::answer::{Problem, Refusal};

/// The policy of every answer: nothing loads, nothing frames it, nothing runs (a letter's HTML
/// keeps its inline styles). A page that needs more sets its own.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/// The code of refusals made by the HTTP layer (401, 405, 408, 413, 503).
pub(crate) const HTTP_CODE: &str = "missive::http";

/// Routes by the pattern they matched, for metrics labels (never the raw path: a client would
/// make one series per template id it guesses).
const ROUTES: [&str; 10] = [
    "/healthz",
    "/metrics",
    "/v1/openapi.json",
    "/v1/templates",
    "/v1/templates/{id}/schema",
    "/v1/letters/{id}",
    "/v1/letters/{id}/check",
    "/v1/letters/{id}/send",
    "/",
    "/assets/{file}",
];

/// Routes open without a token: whether the server is up, and the agent's page with its
/// script and styles (they hold no data; the page asks for a token and sends it to the API).
const OPEN: [&str; 3] = ["/healthz", "/", "/assets/{file}"];

/// The middleware: token, limits, timeout, headers, JSON errors, metrics.
pub(crate) async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| ROUTES.iter().find(|r| **r == m.as_str()).copied())
        .unwrap_or("unmatched");
    let method = method_label(request.method());
    let mut response = admit(&app, route, request, next).await;
    if response.status().as_u16() >= 400 && !is_json(&response) {
        response = as_json(response).await;
    }
    let headers = response.headers_mut();
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(CSP));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Letters hold customers' names and money: no cache keeps them.
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    app.metrics.request(route, method, response.status().as_u16());
    response
}

async fn admit(app: &App, route: &str, request: Request, next: Next) -> Response {
    if !OPEN.contains(&route)
        && let Some(tokens) = &app.tokens
        && !authorised(tokens, request.headers().get(header::AUTHORIZATION))
    {
        let mut response = refuse(
            StatusCode::UNAUTHORIZED,
            Problem::new(HTTP_CODE, "the request carries no valid bearer token")
                .with_help("send `Authorization: Bearer TOKEN` with a token from the server's --token-file"),
        );
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return too_large();
    }
    match tokio::time::timeout(app.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refuse(
            StatusCode::REQUEST_TIMEOUT,
            Problem::new(HTTP_CODE, format!("the request took longer than {} s", app.request_timeout.as_secs()))
                .with_help("send the whole request at once; a render takes milliseconds"),
        ),
    }
}

/// Whether the `Authorization` header carries one of `tokens`. Every token is compared, each
/// in time that depends only on the lengths, so the answer's timing tells nothing of a token.
fn authorised(tokens: &[String], header: Option<&HeaderValue>) -> bool {
    let Some(given) = header.and_then(|h| h.as_bytes().strip_prefix(b"Bearer ")) else { return false };
    let mut found = 0u8;
    for token in tokens {
        found |= u8::from(same(token.as_bytes(), given));
    }
    found == 1
}

/// Constant-time equality of two byte strings (time depends on the longer length only).
fn same(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= std::hint::black_box(x ^ y);
    }
    diff == 0
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn is_json(response: &Response) -> bool {
    response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

/// An error answer in the shape of every other: `{"errors": [...], "findings": []}`.
pub(crate) fn refuse(status: StatusCode, problem: Problem) -> Response {
    json(status, Refusal::of_problem(problem).to_json())
}

/// A JSON answer.
pub(crate) fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// 413.
pub(crate) fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        Problem::new(HTTP_CODE, format!("the body is larger than {} MiB", BODY_LIMIT >> 20))
            .with_help("send one record per request; a batch belongs to `missive batch`"),
    )
}

/// Rewrites an error answer someone else wrote as text (axum's rejections and fallbacks) into
/// JSON, keeping its status and its headers (`Allow` on a 405).
async fn as_json(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let status = parts.status;
    let said = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let said = String::from_utf8_lossy(&said).trim().to_string();
    let problem = match status {
        StatusCode::NOT_FOUND => Problem::new(HTTP_CODE, "no such route")
            .with_help("the API is under /v1: GET /v1/templates, POST /v1/letters/{id}; /v1/openapi.json describes it"),
        // axum adds the `Allow` header after this layer.
        StatusCode::METHOD_NOT_ALLOWED => Problem::new(HTTP_CODE, "the route does not take this method")
            .with_help("the Allow header names the methods it takes; /v1/openapi.json describes every route"),
        StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
        _ if said.is_empty() => Problem::new(HTTP_CODE, status.canonical_reason().unwrap_or("refused").to_string()),
        _ => Problem::new(HTTP_CODE, said),
    };
    let body = Refusal::of_problem(problem).to_json();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_exactly() {
        let tokens = vec!["0123456789abcdef".to_string(), "fedcba9876543210x".to_string()];
        let h = |s: &str| HeaderValue::from_str(s).ok();
        assert!(authorised(&tokens, h("Bearer 0123456789abcdef").as_ref()));
        assert!(authorised(&tokens, h("Bearer fedcba9876543210x").as_ref()));
        assert!(!authorised(&tokens, h("Bearer 0123456789abcde").as_ref()));
        assert!(!authorised(&tokens, h("Bearer 0123456789abcdef0").as_ref()));
        assert!(!authorised(&tokens, h("bearer 0123456789abcdef").as_ref()));
        assert!(!authorised(&tokens, None));
        assert!(same(b"", b"") && !same(b"a", b"") && !same(b"ab", b"ba"));
    }
}
