//! The routes: health, metrics, the OpenAPI document, the templates, and letters rendered and
//! checked on the blocking pool.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value as Json};

use super::guard::{self, HTTP_CODE, json, refuse};
use super::send::{self, Seen};
use super::{App, BODY_LIMIT, Loaded, OPENAPI, page};
use crate::answer::{self, Problem, Refusal};
use crate::clock::Clock;
use crate::emit::email::Envelope;
use crate::emit::smtp::Failure;
use crate::error::{Error, ErrorKind, Result};
use crate::fields::{FieldSpec, FieldType};
use crate::render::{Letter, Request};
use crate::standard::Standard;

/// Where the record of a request comes from, in messages and findings.
const ORIGIN: &str = "request body";

/// Every route, behind the guard.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/v1/openapi.json", get(openapi))
        .route("/v1/templates", get(templates))
        .route("/v1/templates/{id}/schema", get(schema))
        .route("/", get(page::index))
        .route("/assets/{file}", get(page::asset))
        .route("/v1/letters/{id}", post(letter))
        .route("/v1/letters/{id}/check", post(check))
        .route("/v1/letters/{id}/send", post(send))
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard::guard))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

/// `GET /healthz`: up, which load of the standard is serving (`generation`, counted from 1), and
/// with `--watch` why the last reload failed, if it did (the last good standard still serves).
async fn healthz(State(app): State<Arc<App>>) -> Response {
    let (generation, error) = app.reloads.state();
    let mut body = serde_json::json!({ "status": "ok", "generation": generation, "sends": app.mail.is_some() });
    if let Some(error) = error {
        body["reload_error"] = Json::String(error);
    }
    let mut bytes = serde_json::to_vec(&body).unwrap_or_default();
    bytes.push(b'\n');
    json(StatusCode::OK, bytes)
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    ([(header::CONTENT_TYPE, content_type)], app.metrics.text()).into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], OPENAPI).into_response()
}

async fn templates(State(app): State<Arc<App>>) -> Response {
    let body = app.loaded.load().templates.clone();
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// `GET /v1/templates/{id}/schema`: the record's JSON Schema (2020-12), as
/// `missive fields <id> --format json-schema` prints it.
async fn schema(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let loaded = app.loaded.load();
    match loaded.schemas.get(&id) {
        Some(body) => ([(header::CONTENT_TYPE, HeaderValue::from_static("application/schema+json"))], body.clone())
            .into_response(),
        None => unknown_template(&loaded.standard, &id),
    }
}

/// Each template's record schema, serialised once per load.
pub(crate) fn schemas_json(standard: &Standard) -> Result<std::collections::HashMap<String, Bytes>> {
    standard
        .templates()
        .iter()
        .map(|t| {
            let schema = t.contract.json_schema(&t.id, &t.meta.title, t.meta.description.as_deref());
            let mut bytes = serde_json::to_vec_pretty(&schema).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
            bytes.push(b'\n');
            Ok((t.id.clone(), Bytes::from(bytes)))
        })
        .collect()
}

/// `GET /v1/templates` of a standard: each template's id, title, kind, languages, owner, review
/// date and fields in brief.
pub(crate) fn templates_json(standard: &Standard) -> Result<Bytes> {
    let locales = standard.locales().tags();
    let list: Vec<Json> = standard
        .templates()
        .iter()
        .map(|t| {
            let mut v = serde_json::json!({
                "id": t.id,
                "title": t.meta.title,
                "kind": t.meta.kind,
                "channels": t.meta.channels,
                "locales": locales,
                "owner": t.meta.owner,
                "review_by": t.meta.review_by.to_string(),
                "fields": t.contract.fields().iter().map(field_brief).collect::<Vec<_>>(),
            });
            if let Some(d) = &t.meta.description {
                v["description"] = Json::String(d.clone());
            }
            v
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&serde_json::json!({ "templates": list }))
        .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
    bytes.push(b'\n');
    Ok(Bytes::from(bytes))
}

/// A field in brief: path, type, whether required, its description, an enum's values, a
/// list's item fields.
fn field_brief(field: &FieldSpec) -> Json {
    let mut v = serde_json::json!({ "path": field.path, "type": field.ty.name(), "required": field.required });
    if let Some(d) = &field.description {
        v["description"] = Json::String(d.clone());
    }
    match &field.ty {
        FieldType::Enum(values) => v["values"] = serde_json::json!(values),
        FieldType::List(items) => v["items"] = Json::Array(items.fields().iter().map(field_brief).collect()),
        _ => {}
    }
    v
}

/// The query of the letters routes.
#[derive(Debug, Default, serde::Deserialize)]
struct Params {
    locale: Option<String>,
    format: Option<String>,
    allow_violations: Option<bool>,
}

/// What a letter is answered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Text,
    Html,
    Eml,
    Pdf,
}

impl Format {
    const ALL: [(&'static str, &'static str, Format); 5] = [
        ("json", "application/json", Format::Json),
        ("text", "text/plain; charset=utf-8", Format::Text),
        ("html", "text/html; charset=utf-8", Format::Html),
        ("eml", "message/rfc822", Format::Eml),
        ("pdf", "application/pdf", Format::Pdf),
    ];

    fn content_type(self) -> &'static str {
        Format::ALL.iter().find(|(_, _, f)| *f == self).map_or("application/json", |(_, t, _)| t)
    }

    /// `?format=`, else the first type of `Accept` that we write, else JSON.
    fn choose(asked: Option<&str>, headers: &HeaderMap) -> std::result::Result<Format, Response> {
        if let Some(name) = asked {
            return Format::ALL.iter().find(|(n, _, _)| *n == name).map(|(_, _, f)| *f).ok_or_else(|| {
                let problem = Problem::new(ErrorKind::Usage.code(), format!("`format={}` is not a format", clip(name)))
                    .with_help("write format=json, text, html, eml or pdf");
                refuse(StatusCode::BAD_REQUEST, problem)
            });
        }
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused =
                parts.any(|p| matches!(p.trim().strip_prefix("q="), Some(q) if q.trim().parse::<f32>() == Ok(0.0)));
            if refused {
                continue;
            }
            let found = match media.as_str() {
                "application/json" | "*/*" | "application/*" => Some(Format::Json),
                "text/plain" => Some(Format::Text),
                "text/html" => Some(Format::Html),
                "message/rfc822" => Some(Format::Eml),
                "application/pdf" => Some(Format::Pdf),
                _ => None,
            };
            if let Some(format) = found {
                return Ok(format);
            }
        }
        Ok(Format::Json)
    }
}

/// A request's text, shortened for a message.
fn clip(s: &str) -> String {
    if s.chars().count() > 64 { format!("{}…", s.chars().take(64).collect::<String>()) } else { s.to_string() }
}

/// What the letters routes have read from a request before rendering.
struct Asked {
    loaded: Arc<Loaded>,
    id: String,
    record: Map<String, Json>,
    params: Params,
}

/// 404 for a template id the standard does not hold, with the closest ids.
fn unknown_template(standard: &Standard, id: &str) -> Response {
    let ids: Vec<&str> = standard.templates().iter().map(|t| t.id.as_str()).collect();
    let closest = ids.iter().map(|t| (strsim::levenshtein(t, id), *t)).filter(|(d, _)| *d <= 3).min();
    let help = match closest {
        Some((_, t)) => format!("did you mean `{t}`? GET /v1/templates lists them: {}", ids.join(", ")),
        None => format!("GET /v1/templates lists them: {}", ids.join(", ")),
    };
    let problem =
        Problem::new(ErrorKind::Usage.code(), format!("the standard has no template `{}`", clip(id))).with_help(help);
    refuse(StatusCode::NOT_FOUND, problem)
}

/// The template id, the query and the record, or the answer refusing them (404, 400).
fn read_request(app: &App, id: String, uri: &Uri, body: &[u8]) -> std::result::Result<Asked, Response> {
    let loaded = app.loaded.load_full();
    if !loaded.standard.templates().iter().any(|t| t.id == id) {
        return Err(unknown_template(&loaded.standard, &id));
    }
    let params = match Query::<Params>::try_from_uri(uri) {
        Ok(Query(p)) => p,
        Err(e) => {
            let problem = Problem::new(ErrorKind::Usage.code(), format!("the query does not parse: {}", e.body_text()))
                .with_help("the query takes locale=TAG, format=json|text|html|eml|pdf and allow_violations=true|false");
            return Err(refuse(StatusCode::BAD_REQUEST, problem));
        }
    };
    let record = read_record(body).map_err(|p| refuse(StatusCode::BAD_REQUEST, *p))?;
    Ok(Asked { loaded, id, record, params })
}

/// The body as one JSON record object.
fn read_record(body: &[u8]) -> std::result::Result<Map<String, Json>, Box<Problem>> {
    let example = "send one JSON object, e.g. {\"customer\": {\"name\": \"Anna Kowalska\"}}";
    let text = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let (message, help) = if text.iter().all(u8::is_ascii_whitespace) {
        ("the body is empty: it should be the record".to_string(), example)
    } else {
        match crate::json::from_slice(text) {
            Ok(Json::Object(map)) => return Ok(map),
            Ok(Json::Array(_)) => (
                "the body is a list; a letter takes one record".to_string(),
                "send one object per request; `missive batch` takes many",
            ),
            Ok(_) => ("the body is not a JSON object".to_string(), example),
            Err(e) => (format!("the body is not valid JSON: {e}"), example),
        }
    };
    Err(Box::new(Problem::new(ErrorKind::Data.code(), message).with_help(help)))
}

/// A render slot: taken on arrival, `None` when every slot and the queue are taken.
struct Slot<'a>(&'a App);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

fn admit(app: &App) -> Option<Slot<'_>> {
    if app.admitted.fetch_add(1, Ordering::AcqRel) >= app.capacity {
        app.admitted.fetch_sub(1, Ordering::AcqRel);
        return None;
    }
    Some(Slot(app))
}

fn busy() -> Response {
    let mut response = refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        Problem::new(HTTP_CODE, "the server is rendering as many letters as it can")
            .with_help("retry after the number of seconds in Retry-After"),
    );
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Runs `job` on the blocking pool once a render slot is free; 503 when none is to be had.
async fn on_pool<F>(app: &Arc<App>, job: F) -> Response
where
    F: FnOnce() -> Response + Send + 'static,
{
    let Some(_slot) = admit(app) else { return busy() };
    let Ok(_permit) = app.renders.acquire().await else { return busy() };
    let started = Instant::now();
    let answer = tokio::task::spawn_blocking(job).await;
    app.metrics.render(started.elapsed());
    answer.unwrap_or_else(|_| {
        refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            Problem::new("missive::bug", "the render failed unexpectedly (a bug; please report it with the record)"),
        )
    })
}

fn render(asked: &Asked, print: bool) -> Result<Letter> {
    let request = Request {
        template: &asked.id,
        locale: asked.params.locale.as_deref(),
        origin: ORIGIN,
        print,
        // The 422's findings are `render --format json`'s, pointing where the author edits.
        trace: true,
        ..Default::default()
    };
    asked.loaded.standard.render(&request, &asked.record)
}

fn refused(asked: &Asked, refusal: Refusal) -> Response {
    json(StatusCode::UNPROCESSABLE_ENTITY, refusal.relative_to(asked.loaded.standard.root()).to_json())
}

/// `POST /v1/letters/{id}`: the letter in the asked format, or 422 with every error and finding.
async fn letter(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let asked = match read_request(&app, id, &uri, &body) {
        Ok(asked) => asked,
        Err(response) => return response,
    };
    let format = match Format::choose(asked.params.format.as_deref(), &headers) {
        Ok(format) => format,
        Err(response) => return response,
    };
    let app2 = app.clone();
    on_pool(&app, move || {
        let letter = match render(&asked, format == Format::Pdf) {
            Ok(letter) => letter,
            Err(e) => return refused(&asked, Refusal::of_error(&asked.id, &e)),
        };
        app2.metrics.findings(&letter.findings);
        if letter.fails() && !asked.params.allow_violations.unwrap_or(false) {
            return refused(&asked, Refusal::of_findings(&letter));
        }
        match write(&asked, &letter, format) {
            Ok(bytes) => {
                let mut response =
                    ([(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()))], bytes).into_response();
                if let Some(ext) = match format {
                    Format::Eml => Some("eml"),
                    Format::Pdf => Some("pdf"),
                    _ => None,
                } {
                    let name: String =
                        asked.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
                    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
                        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                    }
                }
                response
            }
            Err(e) => {
                refused(&asked, Refusal { locale: Some(letter.locale.clone()), ..Refusal::of_error(&asked.id, &e) })
            }
        }
    })
    .await
}

/// The letter's bytes in `format`.
fn write(asked: &Asked, letter: &Letter, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Json => answer::letter_json(&crate::emit::email::for_browser(&asked.loaded.outputs, letter))?,
        Format::Text => format!("Subject: {}\n\n{}", letter.subject, letter.text).into_bytes(),
        Format::Html => crate::emit::email::for_browser(&asked.loaded.outputs, letter).html.clone().into_bytes(),
        Format::Eml => crate::emit::email::message(
            &asked.loaded.outputs,
            letter,
            &Envelope { clock: Clock::System, ..Default::default() },
        )?,
        Format::Pdf => crate::emit::pdf::letter_for_record(&asked.loaded.outputs, letter, &asked.record)?,
    })
}

/// The answer of `/check`: whether the letter may be written, and every error and finding.
#[derive(serde::Serialize)]
struct Verdict {
    /// No error, and no unsuppressed error-level finding.
    passes: bool,
    #[serde(flatten)]
    refusal: Refusal,
}

/// `POST /v1/letters/{id}/check`: the record checked and the letter rendered and held to the
/// rules, nothing kept: 200 with the verdict on its findings, or 422 when the record does not
/// fit (the verdict with every error).
async fn check(State(app): State<Arc<App>>, Path(id): Path<String>, uri: Uri, body: Bytes) -> Response {
    let asked = match read_request(&app, id, &uri, &body) {
        Ok(asked) => asked,
        Err(response) => return response,
    };
    let app2 = app.clone();
    on_pool(&app, move || {
        let (status, verdict) = match render(&asked, false) {
            Ok(letter) => {
                app2.metrics.findings(&letter.findings);
                let passes = !letter.fails();
                let mut refusal = Refusal::of_findings(&letter);
                if passes {
                    refusal.errors.clear();
                }
                (StatusCode::OK, Verdict { passes, refusal })
            }
            Err(e) => {
                let refusal = Refusal::of_error(&asked.id, &e).relative_to(asked.loaded.standard.root());
                (StatusCode::UNPROCESSABLE_ENTITY, Verdict { passes: false, refusal })
            }
        };
        let mut bytes = serde_json::to_vec_pretty(&verdict).unwrap_or_default();
        bytes.push(b'\n');
        json(status, bytes)
    })
    .await
}

/// `POST /v1/letters/{id}/send`: the letter rendered and sent through `[serve] smtp`; an
/// `Idempotency-Key` makes a retry the same letter, never a second one (see `send.rs`).
async fn send(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(mail) = app.mail.as_ref() else {
        return refuse(
            StatusCode::NOT_IMPLEMENTED,
            Problem::new(HTTP_CODE, "this server does not send letters").with_help(
                "set [serve] smtp in missive.toml (e.g. \"smtp://mail.example.pl:587?tls=required\") and restart it",
            ),
        );
    };
    let asked = match read_request(&app, id, &uri, &body) {
        Ok(asked) => asked,
        Err(response) => return response,
    };
    let key = match headers.get("idempotency-key").map(|v| v.to_str().map(str::to_string)) {
        None => None,
        Some(Ok(key)) if send::valid_key(&key) => Some(key),
        Some(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                Problem::new(HTTP_CODE, "the Idempotency-Key header is not a usable key")
                    .with_help("send 1 to 255 visible ASCII characters, e.g. a UUID the CRM keeps with the request"),
            );
        }
    };
    if let Some(key) = &key {
        let mut digest = crate::hash::Fnv::new();
        for piece in [asked.id.as_bytes(), asked.params.locale.as_deref().unwrap_or("").as_bytes(), &body] {
            digest.write(piece);
            digest.write(&[0]);
        }
        match mail.keys.claim(key, &format!("{:016x}", digest.finish())) {
            Ok(Seen::New) => {}
            Ok(Seen::Answered(status, body)) => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                let mut response = json(status, body);
                response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
                return response;
            }
            Ok(Seen::Different) => {
                return refuse(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Problem::new(HTTP_CODE, "this Idempotency-Key was used for another request")
                        .with_help("use a new key for a new letter; a retry sends exactly the same request"),
                );
            }
            Ok(Seen::InFlight) => {
                return refuse(
                    StatusCode::CONFLICT,
                    Problem::new(HTTP_CODE, "the letter with this Idempotency-Key is being sent, or the mail server's reply to it was lost")
                        .with_help("wait for the first request's answer; if it was lost, look for the letter in the customer's mailbox before sending a new one"),
                );
            }
            Err(e) => return refuse(StatusCode::SERVICE_UNAVAILABLE, Problem::new(HTTP_CODE, e.to_string())),
        }
    }
    let app2 = app.clone();
    on_pool(&app, move || {
        let Some(mail) = app2.mail.as_ref() else { return StatusCode::NOT_IMPLEMENTED.into_response() };
        let (response, keep) = deliver(&app2, &asked, key.as_deref(), mail);
        if let Some(key) = &key {
            // Remember what the server answered (a retry gets it again); forget what never
            // reached it (a retry sends); keep an in-doubt letter claimed (a retry is refused).
            let kept = match keep {
                Keep::Answer => mail.keys.answered(key, response.0.as_u16(), &response.1),
                Keep::Forget => mail.keys.forget(key),
                Keep::InDoubt => Ok(()),
            };
            if let Err(e) = kept {
                return refuse(StatusCode::INTERNAL_SERVER_ERROR, Problem::new(HTTP_CODE, e.to_string()));
            }
        }
        let mut answer = json(response.0, response.1);
        if response.0 == StatusCode::SERVICE_UNAVAILABLE {
            answer.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        answer
    })
    .await
}

/// What the key table keeps of a send.
enum Keep {
    Answer,
    Forget,
    InDoubt,
}

/// Renders and sends one letter: the status and body to answer, and what to keep of the key.
fn deliver(app: &App, asked: &Asked, key: Option<&str>, mail: &super::Mail) -> ((StatusCode, Vec<u8>), Keep) {
    let body = |status: StatusCode, value: &Json| {
        let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
        bytes.push(b'\n');
        (status, bytes)
    };
    let refusal = |refusal: Refusal| {
        (StatusCode::UNPROCESSABLE_ENTITY, refusal.relative_to(asked.loaded.standard.root()).to_json())
    };
    let letter = match render(asked, false) {
        Ok(letter) => letter,
        Err(e) => return (refusal(Refusal::of_error(&asked.id, &e)), Keep::Forget),
    };
    app.metrics.findings(&letter.findings);
    if letter.fails() && !asked.params.allow_violations.unwrap_or(false) {
        return (refusal(Refusal::of_findings(&letter)), Keep::Forget);
    }
    // With a key, the Message-ID is the key's: a retry makes the same letter. Without one, each
    // request is a letter of its own.
    let batch = match key {
        Some(key) => format!("api:{key}"),
        None => format!("api:{}:{}", crate::clock::unix_seconds(), mail.sent.fetch_add(1, Ordering::AcqRel)),
    };
    let envelope = Envelope { batch: Some(&batch), revision: None, clock: Clock::System };
    let outputs = &asked.loaded.outputs;
    let outgoing = match crate::emit::email::outgoing(outputs, &letter, &envelope) {
        Ok(outgoing) => outgoing,
        Err(e) => {
            return (
                refusal(Refusal { locale: Some(letter.locale.clone()), ..Refusal::of_error(&asked.id, &e) }),
                Keep::Forget,
            );
        }
    };
    let domain = outputs.sender().email.rsplit_once('@').map_or("missive.invalid", |(_, d)| d);
    let message_id = crate::emit::email::message_id(outputs.standard_name(), &letter, &envelope, domain);
    let server = mail.smtp.server();
    let problem = |message: String, help: &str| {
        let refusal = Refusal {
            template: Some(asked.id.clone()),
            locale: Some(letter.locale.clone()),
            errors: vec![Problem::new("missive::smtp", message).with_help(help)],
            findings: Vec::new(),
            warnings: Vec::new(),
        };
        refusal.to_json()
    };
    match mail.smtp.send(&outgoing) {
        Ok(()) => {
            let sent = serde_json::json!({
                "status": "sent",
                "message_id": message_id,
                "to": outgoing.to,
                "template": asked.id,
                "locale": letter.locale,
                "subject": letter.subject,
                "findings": letter.findings,
            });
            (body(StatusCode::OK, &sent), Keep::Answer)
        }
        Err(Failure::Rejected(reply)) => (
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                problem(
                    format!("the mail server {server} refused the letter: {reply}"),
                    "the reply names the reason (often the recipient's address); fix the record and send it with a new key",
                ),
            ),
            Keep::Answer,
        ),
        Err(Failure::Deferred(reply) | Failure::Down(reply)) => (
            (
                StatusCode::SERVICE_UNAVAILABLE,
                problem(
                    format!("the mail server {server} did not take the letter: {reply}"),
                    "nothing was sent; retry after the seconds in Retry-After, with the same Idempotency-Key",
                ),
            ),
            Keep::Forget,
        ),
        Err(Failure::Unanswered(why)) => (
            (
                StatusCode::GATEWAY_TIMEOUT,
                problem(
                    format!(
                        "the mail server {server} took the letter's text but its reply was lost ({why}): the letter may have arrived"
                    ),
                    "do not send it again before looking in the mailbox; a retry with the same Idempotency-Key is refused",
                ),
            ),
            Keep::InDoubt,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Format {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        Format::choose(None, &headers).unwrap()
    }

    #[test]
    fn the_query_wins_then_the_first_accepted_type_we_write_then_json() {
        assert_eq!(accept("application/pdf"), Format::Pdf);
        assert_eq!(accept("image/png, text/html;q=0.9, */*;q=0.1"), Format::Html);
        assert_eq!(accept("application/pdf;q=0, message/rfc822"), Format::Eml);
        assert_eq!(accept("image/png"), Format::Json);
        assert_eq!(accept("TEXT/PLAIN"), Format::Text);
        assert_eq!(Format::choose(Some("pdf"), &HeaderMap::new()).unwrap(), Format::Pdf);
        assert!(Format::choose(Some("docx"), &HeaderMap::new()).is_err());
    }

    #[test]
    fn a_body_must_be_one_json_object() {
        assert!(read_record(b"\xef\xbb\xbf{\"a\": 1}").is_ok());
        for (body, says) in [
            (&b"  "[..], "empty"),
            (b"[]", "a list"),
            (b"7", "not a JSON object"),
            (b"{\"a\": 1, \"a\": 2}", "duplicate key"),
            (b"\xff", "not valid JSON"),
        ] {
            let problem = read_record(body).unwrap_err();
            assert!(problem.message.contains(says), "{}", problem.message);
            assert_eq!(problem.code, "missive::data");
        }
    }
}
