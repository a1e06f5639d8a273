//! Training and inspection endpoints (`/practice`): post SENs as the SOC would, read what the
//! portal received (tests count incidents by report id to catch duplicates), switch faults.

use crate::api::{error_response, json_response, store_error, App};
use crate::config::Faults;
use crate::store::{self, Sen};
use crate::validate::{parse_time, ApiError};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/practice/sens", get(list_sens).post(post_sen))
        .route("/practice/incidents", get(incidents))
        .route("/practice/faults", get(get_faults).put(put_faults))
        .route("/practice/stats", get(stats))
}

fn unprocessable(errors: Vec<ApiError>) -> Response {
    error_response(StatusCode::UNPROCESSABLE_ENTITY, &errors)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSen {
    sen_number: Option<String>,
    level: String,
    summary: String,
    sent_at: Option<String>,
    status: Option<String>,
}

/// Creates (or replaces) a SEN; `sen_number` defaults to the next `SOC-nnnn`, `sent_at` to now,
/// `status` to `new`. Levels are free lower-case strings (`critical`, `high`, `medium`, `low`...).
async fn post_sen(State(app): State<App>, body: Bytes) -> Response {
    let new: NewSen = match serde_json::from_slice(&body) {
        Ok(new) => new,
        Err(e) => return unprocessable(vec![ApiError::general(format!("not a SEN: {e}"))]),
    };
    let mut errors = Vec::new();
    if new.level.is_empty() || new.level != new.level.to_lowercase() {
        errors.push(ApiError::at("/level", "must be a non-empty lower-case string"));
    }
    let now = Utc::now();
    let sent_at = match new.sent_at.as_deref().map(parse_time) {
        None => Some(now),
        Some(Some(t)) => Some(t.with_timezone(&Utc)),
        Some(None) => {
            errors.push(ApiError::at("/sent_at", "must be an RFC 3339 time with an offset"));
            None
        }
    };
    let (Some(sent_at), true) = (sent_at, errors.is_empty()) else { return unprocessable(errors) };
    let store = app.store();
    let sen_number = match new.sen_number {
        Some(number) => number,
        None => match store::next_sen_number(store.conn()) {
            Ok(number) => number,
            Err(e) => return store_error(e),
        },
    };
    let sen = Sen {
        sen_number,
        level: new.level,
        sent_at,
        summary: new.summary,
        status: new.status.unwrap_or_else(|| "new".to_string()),
        updated_at: now,
    };
    match store::upsert_sen(store.conn(), &sen) {
        Ok(()) => json_response(StatusCode::CREATED, &json!(sen)),
        Err(e) => store_error(e),
    }
}

async fn list_sens(State(app): State<App>) -> Response {
    match store::sen_records(app.store().conn()) {
        Ok(sens) => json_response(StatusCode::OK, &json!({ "sens": sens })),
        Err(e) => store_error(e),
    }
}

#[derive(Deserialize)]
struct IncidentQuery {
    report_id: Option<String>,
}

async fn incidents(State(app): State<App>, Query(query): Query<IncidentQuery>) -> Response {
    match store::counts_by_report(app.store().conn(), query.report_id.as_deref()) {
        Ok(reports) => {
            let total: i64 = reports.iter().map(|r| r.count).sum();
            json_response(StatusCode::OK, &json!({ "total": total, "reports": reports }))
        }
        Err(e) => store_error(e),
    }
}

async fn get_faults(State(app): State<App>) -> Response {
    json_response(StatusCode::OK, &json!(*app.faults.borrow()))
}

/// Replaces the faults. `down_for_secs: n` is a shorthand for `down_until: now + n`.
async fn put_faults(State(app): State<App>, body: Bytes) -> Response {
    let mut document: Value = match serde_json::from_slice(&body) {
        Ok(document) => document,
        Err(e) => return unprocessable(vec![ApiError::general(format!("not JSON: {e}"))]),
    };
    let down_for = document.as_object_mut().and_then(|members| members.remove("down_for_secs"));
    let mut faults: Faults = match serde_json::from_value(document) {
        Ok(faults) => faults,
        Err(e) => return unprocessable(vec![ApiError::general(format!("not a set of faults: {e}"))]),
    };
    if let Some(seconds) = down_for {
        let Some(seconds) = seconds.as_i64().filter(|s| *s >= 0) else {
            return unprocessable(vec![ApiError::at("/down_for_secs", "must be a whole number of seconds")]);
        };
        faults.down_until = Some(Utc::now() + chrono::Duration::seconds(seconds));
    }
    let bad = faults.invalid_rates();
    if !bad.is_empty() {
        return unprocessable(
            bad.into_iter().map(|name| ApiError::at(format!("/{name}"), "must be between 0 and 1")).collect(),
        );
    }
    app.faults.send_replace(faults.clone());
    json_response(StatusCode::OK, &json!(faults))
}

async fn stats(State(app): State<App>) -> Response {
    let by_status = app.stats.by_status.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    let dropped = app.stats.dropped.load(Ordering::Relaxed);
    let answered: u64 = by_status.values().sum();
    let by_status: serde_json::Map<String, Value> =
        by_status.into_iter().map(|(status, count)| (status.to_string(), json!(count))).collect();
    json_response(StatusCode::OK, &json!({"requests": answered + dropped, "dropped": dropped, "by_status": by_status}))
}
