//! The portal client (portal-api.md): one HTTP exchange per call, every answer classified into an
//! [`Outcome`] by the pure [`classify`], so that the outbox decides what to do from the class
//! alone. The base URL lives in settings; the token comes from the keyring (`crate::secrets`).

pub mod feed;
pub mod wire;

use crate::error::{Error, Result};
use crate::secrets::PortalToken;
use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use reqwest::Url;
use rusqlite::Connection;
use serde_json::Value;
use std::time::Duration;
use wire::{ErrorBody, PortalFieldError, SenFeed, WireSen};

/// Settings key of the portal base URL (the token is never in settings).
pub const BASE_URL_SETTING: &str = "portal.base_url";
/// Field id of the base URL input.
pub const BASE_URL_FIELD: &str = "portal.base_url";

const JSON_UTF8: &str = "application/json; charset=utf-8";

/// Checks and normalizes a base URL: http(s), a host, no query or fragment, no trailing slash.
/// The normalized text is also the keyring user of the token.
pub fn normalize_base_url(input: &str) -> Result<String> {
    let invalid = |message: &str| Error::invalid(BASE_URL_FIELD, message);
    let url = Url::parse(input.trim()).map_err(|_| invalid("enter the portal address, e.g. https://portal.example.gov"))?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("the portal address starts with https:// and names a host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("the portal address has no query, fragment or credentials (the token goes in the keyring)"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

pub fn base_url(conn: &Connection) -> Result<Option<String>> {
    crate::settings::get(conn, BASE_URL_SETTING)
}

/// Stores the normalized base URL and returns it.
pub fn set_base_url(conn: &Connection, input: &str, now: DateTime<Utc>) -> Result<String> {
    let url = normalize_base_url(input)?;
    crate::settings::put(conn, BASE_URL_SETTING, &url, now)?;
    Ok(url)
}

/// What one exchange with the portal came to (portal-api.md "Errors").
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// 201 (or another 2xx) with a JSON body.
    Created(Value),
    /// 200: the portal already had this idempotency key and answers the first answer again.
    Replayed(Value),
    /// 401/403: the token is missing, wrong or expired.
    Unauthorized { status: u16, message: String },
    /// 422: fields named by JSON pointer.
    Validation(Vec<PortalFieldError>),
    /// 429/503; `after` from `Retry-After` (seconds or HTTP date), `None` when absent or unreadable.
    RetryAfter { status: u16, after: Option<Duration> },
    /// Other 5xx, a reset connection, a timeout, a body that is not JSON. `unreachable`: no
    /// connection could be made at all (the portal or the network is down).
    Transient { message: String, unreachable: bool },
    /// Any other 4xx (400, 404, 409 ...): the request itself is refused.
    Rejected { status: u16, message: String, errors: Vec<PortalFieldError> },
}

impl Outcome {
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Created(_) | Outcome::Replayed(_))
    }

    /// One line for the Outbox page.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Created(_) => "created".into(),
            Outcome::Replayed(_) => "already received (replayed)".into(),
            Outcome::Unauthorized { status, message } => format!("token needed: the portal refused the token ({status}): {message}"),
            Outcome::Validation(errors) => format!("the portal refused fields (422): {}", join(errors, "invalid")),
            Outcome::RetryAfter { status, after: Some(after) } => {
                format!("the portal asked to wait {}s ({status})", after.as_secs())
            }
            Outcome::RetryAfter { status, after: None } => format!("the portal is busy or down ({status})"),
            Outcome::Transient { message, .. } => message.clone(),
            Outcome::Rejected { status, message, .. } => format!("the portal refused the request ({status}): {message}"),
        }
    }
}

fn join(errors: &[PortalFieldError], empty: &str) -> String {
    if errors.is_empty() {
        return empty.to_string();
    }
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// `Retry-After`: delay-seconds or an HTTP date (RFC 9110 10.2.3); a date in the past is zero.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at: DateTime<Utc> = httpdate::parse_http_date(value).ok().map(DateTime::<Utc>::from)?;
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

fn error_body(body: &[u8]) -> Option<Vec<PortalFieldError>> {
    serde_json::from_slice::<ErrorBody>(body).ok().map(|b| b.errors)
}

/// Classifies an answer. Pure: the status, two headers, the body and `now` (for an HTTP-date
/// `Retry-After`).
pub fn classify(status: u16, retry_after: Option<&str>, location: Option<&str>, body: &[u8], now: DateTime<Utc>) -> Outcome {
    let not_json = |what: &str| Outcome::Transient {
        message: format!("the portal answered {status} with {what} that is not JSON"),
        unreachable: false,
    };
    match status {
        200 => serde_json::from_slice(body).map(Outcome::Replayed).unwrap_or_else(|_| not_json("a body")),
        201..=299 => serde_json::from_slice(body).map(Outcome::Created).unwrap_or_else(|_| not_json("a body")),
        401 | 403 => {
            let message = error_body(body).map(|e| join(&e, "")).filter(|m| !m.is_empty());
            Outcome::Unauthorized { status, message: message.unwrap_or_else(|| "token missing, wrong or expired".into()) }
        }
        429 | 503 => Outcome::RetryAfter { status, after: retry_after.and_then(|v| parse_retry_after(v, now)) },
        422 => error_body(body).map(Outcome::Validation).unwrap_or_else(|| not_json("an error")),
        400..=499 => match error_body(body) {
            Some(errors) => Outcome::Rejected { status, message: join(&errors, "refused"), errors },
            None => not_json("an error"),
        },
        500..=599 => Outcome::Transient { message: format!("the portal failed ({status})"), unreachable: false },
        300..=399 => Outcome::Transient {
            message: format!(
                "the portal redirects ({status}) to {}: check the portal address in settings",
                location.unwrap_or("another address")
            ),
            unreachable: false,
        },
        _ => Outcome::Transient { message: format!("unexpected answer {status}"), unreachable: false },
    }
}

fn transport_failure(e: &reqwest::Error) -> Outcome {
    // Only a failed connect means "offline"; a reset or timeout after connecting is the
    // portal misbehaving, retried with backoff.
    let unreachable = e.is_connect();
    let what = if e.is_timeout() {
        "the portal did not answer in time"
    } else if unreachable {
        "cannot reach the portal"
    } else {
        "the connection to the portal failed"
    };
    // The chain carries the cause (refused, reset, DNS); the URL holds no secret.
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    let message = if cause.is_empty() { format!("{what}: {e}") } else { format!("{what}: {cause}") };
    Outcome::Transient { message, unreachable }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To establish the connection (TCP and TLS).
    pub connect: Duration,
    /// For the whole exchange, answer included.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(10), request: Duration::from_secs(30) }
    }
}

/// SENs of one pull.
#[derive(Debug, Clone, PartialEq)]
pub struct SenPull {
    pub sens: Vec<WireSen>,
    /// Feed entries that could not be read, one line each (the rest is still returned).
    pub rejected: Vec<String>,
    /// The latest `updated_at` the portal gave, the next `updated_since`. `None` when the portal
    /// gives none: then use the time the pull was sent.
    pub next_since: Option<DateTime<Utc>>,
}

/// A client of one portal. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct PortalClient {
    http: reqwest::Client,
    base: Url,
    token: Option<PortalToken>,
}

impl std::fmt::Debug for PortalClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalClient").field("base", &self.base.as_str()).field("token", &self.token).finish()
    }
}

impl PortalClient {
    /// Without a token every call but health answers `Unauthorized`, which pauses the outbox
    /// and asks the user for one.
    pub fn new(base_url: &str, token: Option<PortalToken>) -> Result<PortalClient> {
        PortalClient::with_timeouts(base_url, token, Timeouts::default())
    }

    pub fn with_timeouts(base_url: &str, token: Option<PortalToken>, timeouts: Timeouts) -> Result<PortalClient> {
        let base = Url::parse(&normalize_base_url(base_url)?)
            .map_err(|e| Error::invalid(BASE_URL_FIELD, e.to_string()))?;
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            // A POST must never silently become a GET elsewhere; a redirect is reported.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("incident-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Internal(format!("cannot set up HTTP: {e}")))?;
        Ok(PortalClient { http, base, token })
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// The URL of `segments` under the base URL, each segment percent-encoded.
    pub fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => match HeaderValue::from_str(&format!("Bearer {}", token.expose())) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    request.header(AUTHORIZATION, value)
                }
                Err(_) => request,
            },
            None => request,
        }
    }

    async fn exchange(&self, request: reqwest::RequestBuilder) -> Outcome {
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return transport_failure(&e),
        };
        let status = response.status().as_u16();
        let header = |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
        let (retry_after, location) = (header(RETRY_AFTER), header(LOCATION));
        match response.bytes().await {
            Ok(body) => classify(status, retry_after.as_deref(), location.as_deref(), &body, Utc::now()),
            Err(e) => transport_failure(&e),
        }
    }

    /// `GET /api/v1/health` (no token): `Ok` when the portal answers `200 {"status":"ok"}`.
    pub async fn health(&self) -> std::result::Result<(), Outcome> {
        let outcome = self.exchange(self.http.get(self.endpoint(&["api", "v1", "health"]))).await;
        match &outcome {
            Outcome::Created(body) | Outcome::Replayed(body) => {
                match serde_json::from_value::<wire::Health>(body.clone()) {
                    Ok(health) if health.status == "ok" => Ok(()),
                    _ => Err(Outcome::Transient { message: format!("the portal is not healthy: {body}"), unreachable: false }),
                }
            }
            _ => Err(outcome),
        }
    }

    /// One idempotent POST. `segments` is the path under the base URL (`["api", "v1",
    /// "incidents"]`); the key is the one chosen when the item was queued.
    pub async fn post(&self, segments: &[&str], idempotency_key: &str, body: &Value) -> Outcome {
        let request = self
            .http
            .post(self.endpoint(segments))
            .header(CONTENT_TYPE, JSON_UTF8)
            .header("Idempotency-Key", idempotency_key)
            .body(body.to_string());
        self.exchange(self.authorized(request)).await
    }

    /// `GET /api/v1/sens?updated_since=` (all SENs without a time). `Err` holds the failure class.
    pub async fn pull_sens(&self, updated_since: Option<DateTime<Utc>>) -> std::result::Result<SenPull, Outcome> {
        let mut request = self.http.get(self.endpoint(&["api", "v1", "sens"]));
        if let Some(since) = updated_since {
            // `Z` rather than `+00:00`: nothing for a query decoder to turn into a space.
            request = request.query(&[("updated_since", since.to_rfc3339_opts(SecondsFormat::Micros, true))]);
        }
        let body = match self.exchange(self.authorized(request)).await {
            Outcome::Created(body) | Outcome::Replayed(body) => body,
            failure => return Err(failure),
        };
        let feed: SenFeed = serde_json::from_value(body).map_err(|e| Outcome::Transient {
            message: format!("the SEN feed is not in the contract's shape: {e}"),
            unreachable: false,
        })?;
        let mut pull = SenPull { sens: Vec::new(), rejected: Vec::new(), next_since: None };
        for (index, item) in feed.sens.into_iter().enumerate() {
            let name = item.get("sen_number").and_then(Value::as_str).map(str::to_string);
            match serde_json::from_value::<WireSen>(item) {
                Ok(sen) => {
                    pull.next_since = pull.next_since.max(sen.updated_at);
                    pull.sens.push(sen);
                }
                Err(e) => pull.rejected.push(format!("{}: {e}", name.unwrap_or_else(|| format!("entry {index}")))),
            }
        }
        Ok(pull)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    fn check(status: u16, retry_after: Option<&str>, body: &str, expected: Outcome) {
        let now = at("2024-05-01T12:00:00Z");
        assert_eq!(classify(status, retry_after, None, body.as_bytes(), now), expected, "{status} {body}");
    }

    #[test]
    fn answers_are_classified_per_the_contract() {
        let receipt = r#"{"incident_number":"CIR-1","report_id":"r","received_at":"2024-05-01T12:00:00+00:00"}"#;
        let value: Value = serde_json::from_str(receipt).expect("json");
        check(201, None, receipt, Outcome::Created(value.clone()));
        check(200, None, receipt, Outcome::Replayed(value));
        check(201, None, "<html>", Outcome::Transient { message: "the portal answered 201 with a body that is not JSON".into(), unreachable: false });
        check(401, None, r#"{"errors":[{"field":null,"message":"expired"}]}"#, Outcome::Unauthorized { status: 401, message: "expired".into() });
        check(403, None, "<html>no</html>", Outcome::Unauthorized { status: 403, message: "token missing, wrong or expired".into() });
        check(
            422,
            None,
            r#"{"errors":[{"field":"/incident/description","message":"required"},{"field":null,"message":"x"}]}"#,
            Outcome::Validation(vec![
                PortalFieldError { field: Some("/incident/description".into()), message: "required".into() },
                PortalFieldError { field: None, message: "x".into() },
            ]),
        );
        check(429, Some("7"), "", Outcome::RetryAfter { status: 429, after: Some(Duration::from_secs(7)) });
        check(503, Some("Wed, 01 May 2024 12:01:30 GMT"), "", Outcome::RetryAfter { status: 503, after: Some(Duration::from_secs(90)) });
        check(503, None, "", Outcome::RetryAfter { status: 503, after: None });
        check(500, None, r#"{"errors":[]}"#, Outcome::Transient { message: "the portal failed (500)".into(), unreachable: false });
        check(502, None, "<html>Bad Gateway</html>", Outcome::Transient { message: "the portal failed (502)".into(), unreachable: false });
        check(
            409,
            None,
            r#"{"errors":[{"field":null,"message":"key reused"}]}"#,
            Outcome::Rejected { status: 409, message: "key reused".into(), errors: vec![PortalFieldError { field: None, message: "key reused".into() }] },
        );
        check(404, None, "<html>Not Found</html>", Outcome::Transient { message: "the portal answered 404 with an error that is not JSON".into(), unreachable: false });
    }

    #[test]
    fn retry_after_in_seconds_or_any_http_date_format() {
        let now = at("1994-11-06T08:49:00Z");
        for (value, expected) in [
            ("120", Some(120)),
            (" 0 ", Some(0)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", Some(37)),
            ("Sunday, 06-Nov-94 08:49:37 GMT", Some(37)),
            ("Sun Nov  6 08:49:37 1994", Some(37)),
            ("Sun, 06 Nov 1994 08:00:00 GMT", Some(0)),
            ("soon", None),
            ("-5", None),
        ] {
            assert_eq!(parse_retry_after(value, now), expected.map(Duration::from_secs), "{value:?}");
        }
    }

    #[test]
    fn base_urls_are_normalized_or_refused_on_their_field() {
        assert_eq!(normalize_base_url(" https://Portal.Example.gov/ ").expect("ok"), "https://portal.example.gov");
        assert_eq!(normalize_base_url("http://127.0.0.1:8787/relay/").expect("ok"), "http://127.0.0.1:8787/relay");
        for bad in ["", "portal.example.gov", "ftp://x", "https://u:p@x", "https://x/?token=1"] {
            let err = normalize_base_url(bad).expect_err(bad);
            assert_eq!(err.fields()[0].field, BASE_URL_FIELD, "{bad}");
        }
    }

    #[test]
    fn endpoints_keep_a_base_path_and_encode_segments() {
        let client = PortalClient::new("https://relay.example.gov/cal-csirs", None).expect("client");
        assert_eq!(
            client.endpoint(&["api", "v1", "sens", "SOC 1/2", "acknowledgement"]).as_str(),
            "https://relay.example.gov/cal-csirs/api/v1/sens/SOC%201%2F2/acknowledgement"
        );
        let root = PortalClient::new("https://portal.example.gov", None).expect("client");
        assert_eq!(root.endpoint(&["api", "v1", "health"]).as_str(), "https://portal.example.gov/api/v1/health");
        let with_token = PortalClient::new("https://p.example.gov", Some(PortalToken::new("abc").expect("t")));
        assert!(!format!("{:?}", with_token.expect("client")).contains("abc"));
    }
}
