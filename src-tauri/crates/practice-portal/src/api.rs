//! The contract endpoints (`/api/v1`): routing, bearer tokens, the idempotency ledger, and the
//! handlers. The common POST path: key → content type → JSON → ledger (replay or 409) →
//! resource (404) → body (422) → create (201), all in one transaction.

use crate::config::{Config, Faults};
use crate::store::{self, KeyLookup, PortalStore};
use crate::validate::{self, ApiError};
use crate::{faults, practice, StartError};
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;

#[derive(Clone)]
pub(crate) struct App {
    store: Arc<Mutex<PortalStore>>,
    pub(crate) faults: Arc<watch::Sender<Faults>>,
    /// Whether the accept loop has its listening socket closed (down in mode `refuse`), as it
    /// last applied the faults: what [`crate::Handle::switch_faults`] waits for.
    pub(crate) refusing: Arc<watch::Sender<bool>>,
    tokens: Arc<[String]>,
    formats: Arc<[String]>,
    pub(crate) stats: Arc<Stats>,
}

#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) by_status: Mutex<BTreeMap<u16, u64>>,
    pub(crate) dropped: AtomicU64,
}

impl App {
    pub(crate) fn new(config: &Config) -> Result<App, StartError> {
        Ok(App {
            store: Arc::new(Mutex::new(PortalStore::open(config.db.as_deref())?)),
            faults: Arc::new(watch::Sender::new(config.faults.clone())),
            refusing: Arc::new(watch::Sender::new(false)),
            tokens: config.tokens.clone().into(),
            formats: config.response_formats.clone().into(),
            stats: Arc::default(),
        })
    }

    /// A poisoned lock only means another request panicked; the data is still consistent
    /// because every change is one transaction.
    pub(crate) fn store(&self) -> MutexGuard<'_, PortalStore> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub(crate) fn router(app: App) -> Router {
    let with_token = Router::new()
        .route("/api/v1/incidents", post(create_incident))
        .route("/api/v1/incidents/{incident_number}/supplements", post(create_supplement))
        .route("/api/v1/sens", get(list_sens))
        .route("/api/v1/sens/{sen_number}/acknowledgement", post(acknowledge))
        .route("/api/v1/sens/{sen_number}/determination", post(determine))
        .route("/api/v1/sens/{sen_number}/incident-link", post(link_incident))
        .route_layer(middleware::from_fn_with_state(app.clone(), require_token));
    let contract = Router::new()
        .route("/api/v1/health", get(health))
        .merge(with_token)
        .layer(middleware::from_fn_with_state(app.clone(), faults::inject))
        .layer(middleware::from_fn_with_state(app.clone(), count_statuses));
    let training = practice::routes().route_layer(middleware::from_fn_with_state(app.clone(), require_token));
    contract.merge(training).fallback(not_found).with_state(app)
}

// ---- responses -------------------------------------------------------------------------------

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

pub(crate) fn error_response(status: StatusCode, errors: &[ApiError]) -> Response {
    json_response(status, &json!({ "errors": errors }))
}

fn internal_error(e: rusqlite::Error) -> Response {
    tracing::error!("practice portal store: {e}");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, &[ApiError::general("internal error")])
}

async fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, &[ApiError::general("no such endpoint")])
}

// ---- middleware ------------------------------------------------------------------------------

async fn require_token(State(app): State<App>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(token) if app.tokens.iter().any(|known| known == token) => next.run(request).await,
        other => {
            let message = if other.is_some() { "the bearer token is not valid" } else { "a bearer token is required" };
            let mut response = error_response(StatusCode::UNAUTHORIZED, &[ApiError::general(message)]);
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

async fn count_statuses(State(app): State<App>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let mut counts = app.stats.by_status.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    *counts.entry(response.status().as_u16()).or_default() += 1;
    response
}

// ---- the idempotent POST path ----------------------------------------------------------------

/// Why a request was refused after the ledger check.
enum Refusal {
    NotFound(String),
    Invalid(Vec<ApiError>),
    Store(rusqlite::Error),
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Self {
        Refusal::Store(e)
    }
}

impl From<Vec<ApiError>> for Refusal {
    fn from(errors: Vec<ApiError>) -> Self {
        Refusal::Invalid(errors)
    }
}

/// JSON with object members sorted at every depth: the same document written with another member
/// order or spacing is the same request.
fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(members) => {
                let ordered: BTreeMap<&String, Value> = members.iter().map(|(k, v)| (k, sorted(v))).collect();
                Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    // serde_json keeps a map's order when `preserve_order` is on; the BTreeMap pass fixes it.
    sorted(value).to_string()
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

fn idempotent_post(
    app: &App,
    headers: &HeaderMap,
    body: &Bytes,
    path: &str,
    create: impl FnOnce(&rusqlite::Transaction<'_>, &Value, DateTime<Utc>) -> Result<Value, Refusal>,
) -> Response {
    let key = headers.get("idempotency-key").and_then(|value| value.to_str().ok()).map(str::trim);
    let Some(key) = key.filter(|key| uuid::Uuid::parse_str(key).is_ok()) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            &[ApiError::general("the Idempotency-Key header (a UUID) is required on every POST")],
        );
    };
    if !is_json(headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &[ApiError::general("the body must be sent as Content-Type: application/json; charset=utf-8")],
        );
    }
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            return error_response(StatusCode::BAD_REQUEST, &[ApiError::general(format!("the body is not JSON: {e}"))])
        }
    };
    let request = format!("POST {path} {}", canonical(&parsed));
    let now = Utc::now();

    let mut store = app.store();
    let tx = match store.transaction() {
        Ok(tx) => tx,
        Err(e) => return internal_error(e),
    };
    match store::lookup_key(&tx, key, &request) {
        Ok(KeyLookup::Unused) => {}
        Ok(KeyLookup::Replay(first_answer)) => {
            let mut response = json_response(StatusCode::OK, &first_answer);
            response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            return response;
        }
        Ok(KeyLookup::Conflict) => {
            return error_response(
                StatusCode::CONFLICT,
                &[ApiError::general("this Idempotency-Key was already used for a different request")],
            )
        }
        Err(e) => return internal_error(e),
    }
    let answer = match create(&tx, &parsed, now) {
        Ok(answer) => answer,
        Err(Refusal::NotFound(what)) => {
            return error_response(StatusCode::NOT_FOUND, &[ApiError::general(format!("{what} not found"))])
        }
        Err(Refusal::Invalid(errors)) => return error_response(StatusCode::UNPROCESSABLE_ENTITY, &errors),
        Err(Refusal::Store(e)) => return internal_error(e),
    };
    let remembered = store::remember_key(&tx, key, &request, &answer).and_then(|()| tx.commit());
    match remembered {
        Ok(()) => json_response(StatusCode::CREATED, &answer),
        Err(e) => internal_error(e),
    }
}

// ---- handlers --------------------------------------------------------------------------------

async fn health() -> Response {
    json_response(StatusCode::OK, &json!({"status": "ok"}))
}

/// The `refuse_field` training fault: a 422 on that member when the body holds it.
fn refused_field(app: &App, body: &Value) -> Result<(), Refusal> {
    let pointer = app.faults.borrow().refuse_field.clone();
    match pointer {
        Some(pointer) if body.pointer(&pointer).is_some() => {
            Err(Refusal::Invalid(vec![ApiError::at(pointer, "refused by the portal (practice portal: refuse_field)")]))
        }
        _ => Ok(()),
    }
}

async fn create_incident(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let training = app.clone();
    idempotent_post(&app, &headers, &body, "/api/v1/incidents", |tx, body, now| {
        let new = validate::incident(body)?;
        refused_field(&training, body)?;
        let number = store::insert_incident(tx, &new.report_id, new.revision, body, now)?;
        Ok(json!({
            "incident_number": number,
            "report_id": new.report_id,
            "revision": new.revision,
            "received_at": store::wire_time(now),
        }))
    })
}

async fn create_supplement(
    State(app): State<App>,
    Path(incident_number): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/api/v1/incidents/{incident_number}/supplements");
    let training = app.clone();
    idempotent_post(&app, &headers, &body, &path, |tx, body, now| {
        let last = store::incident_revision(tx, &incident_number)?
            .ok_or_else(|| Refusal::NotFound(format!("incident {incident_number}")))?;
        let revision = validate::supplement(body, last)?;
        refused_field(&training, body)?;
        store::insert_supplement(tx, &incident_number, revision, body, now)?;
        Ok(json!({
            "incident_number": incident_number,
            "revision": revision,
            "received_at": store::wire_time(now),
        }))
    })
}

/// An acknowledgement, determination or incident link: the SEN must exist; `check` reads the
/// body and gives the SEN's new status and the answer's own members.
fn sen_response(
    app: &App,
    sen_number: &str,
    headers: &HeaderMap,
    body: &Bytes,
    kind: &str,
    check: impl FnOnce(&rusqlite::Transaction<'_>, &Value) -> Result<(String, Map<String, Value>), Refusal>,
) -> Response {
    let path = format!("/api/v1/sens/{sen_number}/{}", kind.replace('_', "-"));
    idempotent_post(app, headers, body, &path, |tx, body, now| {
        if store::sen(tx, sen_number)?.is_none() {
            return Err(Refusal::NotFound(format!("SEN {sen_number}")));
        }
        let (status, mut answer) = check(tx, body)?;
        store::insert_sen_response(tx, sen_number, kind, body, &status, now)?;
        answer.insert("sen_number".into(), json!(sen_number));
        answer.insert("status".into(), json!(status));
        answer.insert("received_at".into(), json!(store::wire_time(now)));
        Ok(Value::Object(answer))
    })
}

async fn acknowledge(State(app): State<App>, Path(sen): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    sen_response(&app, &sen, &headers, &body, "acknowledgement", |_, body| {
        validate::acknowledgement(body, &app.formats)?;
        Ok(("acknowledged".into(), Map::new()))
    })
}

async fn determine(State(app): State<App>, Path(sen): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    sen_response(&app, &sen, &headers, &body, "determination", |_, body| {
        let outcome = validate::determination(body)?;
        let status = if outcome == "more_time" { "more_time_requested".to_string() } else { outcome.clone() };
        Ok((status, Map::from_iter([("outcome".to_string(), json!(outcome))])))
    })
}

async fn link_incident(State(app): State<App>, Path(sen): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    sen_response(&app, &sen, &headers, &body, "incident_link", |tx, body| {
        let incident_number = validate::incident_link(body)?;
        if !store::incident_exists(tx, &incident_number)? {
            return Err(Refusal::Invalid(vec![ApiError::at(
                "/incident_number",
                format!("no incident {incident_number} was received"),
            )]));
        }
        Ok(("incident_linked".into(), Map::from_iter([("incident_number".to_string(), json!(incident_number))])))
    })
}

#[derive(Deserialize)]
struct SenQuery {
    updated_since: Option<String>,
}

/// Reads `updated_since`. A `+` offset sent unencoded arrives as a space (form decoding): accept it.
fn parse_since(text: &str) -> Option<DateTime<Utc>> {
    validate::parse_time(text).or_else(|| validate::parse_time(&text.replace(' ', "+"))).map(|t| t.with_timezone(&Utc))
}

async fn list_sens(State(app): State<App>, Query(query): Query<SenQuery>) -> Response {
    let since = match query.updated_since {
        None => None,
        Some(text) => match parse_since(&text) {
            Some(t) => Some(t),
            None => {
                return error_response(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &[ApiError::general("updated_since must be an RFC 3339 time with an offset")],
                )
            }
        },
    };
    match store::sens_updated_since(app.store().conn(), since) {
        Ok(sens) => json_response(StatusCode::OK, &json!({ "sens": sens })),
        Err(e) => internal_error(e),
    }
}

pub(crate) fn store_error(e: rusqlite::Error) -> Response {
    internal_error(e)
}

pub(crate) fn count_dropped(app: &App) {
    app.stats.dropped.fetch_add(1, Ordering::Relaxed);
}
