//! The agent's page at `/`: one HTML page, its script and its styles, compiled into the binary
//! (no CDN, no Node, no request beyond this server). The script builds the form from
//! `GET /v1/templates/{id}/schema` and previews through the same API a CRM uses.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::guard::refuse;
use crate::answer::Problem;

/// The page's policy: its own script and styles only; the preview's letter HTML (inline styles)
/// in a sandboxed frame; the printed letter from a `blob:` URL; requests to this server only.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                        img-src 'self' data: blob:; frame-src 'self' blob:; connect-src 'self'; \
                        form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const INDEX: &str = include_str!("../../assets/agent/index.html");
const SCRIPT: &str = include_str!("../../assets/agent/agent.js");
const STYLE: &str = include_str!("../../assets/agent/agent.css");

/// `GET /`.
pub(crate) async fn index() -> Response {
    page(INDEX, "text/html; charset=utf-8")
}

/// `GET /assets/{file}`: the page's script and styles, and nothing else.
pub(crate) async fn asset(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "agent.js" => page(SCRIPT, "text/javascript; charset=utf-8"),
        "agent.css" => page(STYLE, "text/css; charset=utf-8"),
        _ => refuse(StatusCode::NOT_FOUND, Problem::new(super::guard::HTTP_CODE, "no such file")),
    }
}

fn page(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP)),
        ],
        body,
    )
        .into_response()
}
