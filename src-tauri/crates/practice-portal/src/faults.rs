//! Fault injection on the contract endpoints: what each request suffers is drawn once, up front
//! ([`Plan::draw`], pure given the random source), then applied by the middleware [`inject`].

use crate::api::{self, error_response, App};
use crate::config::{DownMode, Faults};
use crate::validate::ApiError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Put in every request's extensions by the connection task: notifying it closes the connection
/// without an answer.
#[derive(Clone, Default)]
pub(crate) struct ConnectionKill(pub(crate) Arc<Notify>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Early {
    /// 503 while down (mode `unavailable`), `Retry-After` in seconds.
    Unavailable {
        retry_after_secs: u64,
    },
    /// Down in mode `refuse`: a connection that was already open is closed.
    Refuse,
    DropRequest,
    RateLimited {
        retry_after_secs: u64,
    },
    ServerError(StatusCode),
    Garbage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub latency: Duration,
    /// Answered (or dropped) before the handler runs.
    pub early: Option<Early>,
    /// The handler runs, then the connection is closed instead of answering.
    pub drop_response: bool,
}

impl Plan {
    pub(crate) fn draw(faults: &Faults, now: DateTime<Utc>, rng: &mut impl Rng) -> Plan {
        let latency_ms = match faults.latency_max_ms {
            Some(max) if max > faults.latency_ms => rng.random_range(faults.latency_ms..=max),
            _ => faults.latency_ms,
        };
        let early = match faults.down_at(now) {
            Some(DownMode::Unavailable) => {
                let left = faults.down_until.map(|until| (until - now).num_milliseconds()).unwrap_or(0);
                // Round up: a client that waits exactly Retry-After finds the portal up.
                let left_secs = u64::try_from((left + 999) / 1000).unwrap_or(1).max(1);
                Some(Early::Unavailable { retry_after_secs: left_secs })
            }
            Some(DownMode::Refuse) => Some(Early::Refuse),
            None if hit(rng, faults.drop_request_rate) => Some(Early::DropRequest),
            None if hit(rng, faults.rate_limit_rate) => {
                Some(Early::RateLimited { retry_after_secs: faults.retry_after_secs })
            }
            None if hit(rng, faults.error_rate) => {
                let status = [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY, StatusCode::GATEWAY_TIMEOUT]
                    [rng.random_range(0..3)];
                Some(Early::ServerError(status))
            }
            None if hit(rng, faults.garbage_rate) => Some(Early::Garbage),
            None => None,
        };
        let drop_response = early.is_none() && hit(rng, faults.drop_response_rate);
        Plan { latency: Duration::from_millis(latency_ms), early, drop_response }
    }
}

fn hit(rng: &mut impl Rng, rate: f64) -> bool {
    rate > 0.0 && rng.random_bool(rate.min(1.0))
}

pub(crate) fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn retry_later(status: StatusCode, secs: u64, as_date: bool, now: DateTime<Utc>, message: &str) -> Response {
    let mut response = error_response(status, &[ApiError::general(message)]);
    let value = if as_date {
        let seconds = i64::try_from(secs).unwrap_or(i64::MAX / 2_000);
        http_date(now + chrono::Duration::seconds(seconds))
    } else {
        secs.to_string()
    };
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn server_error(status: StatusCode) -> Response {
    match status {
        // What a proxy in front of a dead application answers: not JSON.
        StatusCode::BAD_GATEWAY => {
            (status, [(header::CONTENT_TYPE, "text/html")], "<html><body><h1>502 Bad Gateway</h1></body></html>")
                .into_response()
        }
        StatusCode::GATEWAY_TIMEOUT => status.into_response(),
        _ => error_response(status, &[ApiError::general("internal error (injected)")]),
    }
}

/// Closes the connection (the connection task drops it) and never answers.
async fn drop_connection(app: &App, request_kill: Option<ConnectionKill>) -> Response {
    api::count_dropped(app);
    match request_kill {
        Some(kill) => {
            kill.0.notify_one();
            std::future::pending().await
        }
        // Not served by our accept loop (cannot happen in the server): the nearest thing.
        None => server_error(StatusCode::GATEWAY_TIMEOUT),
    }
}

pub(crate) async fn inject(State(app): State<App>, request: Request, next: Next) -> Response {
    let faults = app.faults.borrow().clone();
    let now = Utc::now();
    let plan = Plan::draw(&faults, now, &mut rand::rng());
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    let as_date = faults.retry_after_http_date;
    match plan.early {
        Some(Early::Unavailable { retry_after_secs }) => {
            return retry_later(
                StatusCode::SERVICE_UNAVAILABLE,
                retry_after_secs,
                as_date,
                now,
                "the portal is down for maintenance",
            )
        }
        Some(Early::RateLimited { retry_after_secs }) => {
            return retry_later(StatusCode::TOO_MANY_REQUESTS, retry_after_secs, as_date, now, "too many requests")
        }
        Some(Early::Refuse | Early::DropRequest) => return drop_connection(&app, kill).await,
        Some(Early::ServerError(status)) => return server_error(status),
        Some(Early::Garbage) => {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body>Sign in to the network</body></html>",
            )
                .into_response()
        }
        None => {}
    }
    let response = next.run(request).await;
    if plan.drop_response {
        return drop_connection(&app, kill).await;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn draw(faults: Faults, now: DateTime<Utc>) -> Plan {
        Plan::draw(&faults, now, &mut rand::rngs::StdRng::seed_from_u64(7))
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn no_faults_no_plan() {
        let plan = draw(Faults::default(), Utc::now());
        assert_eq!(plan, Plan { latency: Duration::ZERO, early: None, drop_response: false });
    }

    #[test]
    fn down_unavailable_gives_the_time_left_rounded_up() {
        let faults = Faults { down_until: Some(at("2024-01-01T00:00:10Z")), ..Faults::default() };
        let plan = draw(faults.clone(), at("2024-01-01T00:00:00.500Z"));
        assert_eq!(plan.early, Some(Early::Unavailable { retry_after_secs: 10 }));
        assert_eq!(draw(faults, at("2024-01-01T00:00:10Z")).early, None, "up again at down_until");
    }

    #[test]
    fn certain_rates_always_hit_and_latency_stays_in_range() {
        let plan = draw(Faults { rate_limit_rate: 1.0, retry_after_secs: 3, ..Faults::default() }, Utc::now());
        assert_eq!(plan.early, Some(Early::RateLimited { retry_after_secs: 3 }));
        let plan = draw(Faults { drop_response_rate: 1.0, ..Faults::default() }, Utc::now());
        assert!(plan.drop_response);
        for seed in 0..50 {
            let faults = Faults { latency_ms: 5, latency_max_ms: Some(9), ..Faults::default() };
            let plan = Plan::draw(&faults, Utc::now(), &mut rand::rngs::StdRng::seed_from_u64(seed));
            assert!((5..=9).contains(&plan.latency.as_millis()), "{:?}", plan.latency);
        }
    }

    #[test]
    fn http_dates_are_imf_fixdate() {
        assert_eq!(http_date(at("1994-11-06T08:49:37Z")), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
