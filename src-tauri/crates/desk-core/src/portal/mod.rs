//! The portal client (portal-api.md): one HTTP exchange per call, every answer classified into an
//! [`Outcome`] by the pure [`classify`], so that the outbox decides what to do from the class
//! alone. The base URL lives in settings; the token comes from the keyring (`crate::secrets`).

pub mod feed;
pub mod wire;

use crate::error::{Error, Result};
use crate::secrets::PortalToken;
use chrono::{DateTime, Utc};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, DATE, LOCATION, RETRY_AFTER};
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

/// Longest portal address accepted (a base URL is a few dozen characters; this refuses pastes of
/// whole documents before any parsing).
pub const BASE_URL_MAX_CHARS: usize = 2048;

/// Whether `host` is this computer: `localhost`, `127.0.0.0/8` or `::1`. Only there may a portal
/// be spoken to in clear (the practice portal); the token never leaves the machine then.
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// THE check of a portal address, used by Settings (`portal_set_url`), `portal configure` and
/// every client: `https://` and a host; `http://` only for loopback; no credentials, query or
/// fragment; a host typed in ASCII. Returns the normalized text (lower-case host, no trailing
/// slash), which is also the keyring user of the token. Every refusal names
/// [`BASE_URL_FIELD`] and says why.
pub fn normalize_base_url(input: &str) -> Result<String> {
    let invalid = |message: String| Error::invalid(BASE_URL_FIELD, message);
    let text = input.trim();
    if text.is_empty() {
        return Err(invalid("enter the portal address, e.g. https://portal.example.gov".into()));
    }
    if text.chars().count() > BASE_URL_MAX_CHARS {
        return Err(invalid(format!(
            "the portal address is {} characters long; a base URL is at most {BASE_URL_MAX_CHARS}",
            text.chars().count()
        )));
    }
    // The input is not echoed back: a mistaken paste may hold a secret.
    let url = Url::parse(text)
        .map_err(|e| invalid(format!("not a web address ({e}): enter it as https://portal.example.gov")))?;
    let host = match url.host() {
        Some(host) if !url.cannot_be_a_base() && !host.to_string().is_empty() => host,
        _ => {
            return Err(invalid(format!(
                "a {}: address is not a portal address: it starts with https:// and names a host",
                url.scheme()
            )))
        }
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&host) => {}
        "http" => {
            return Err(invalid(format!(
                "http:// would send the token and the reports to {host} unencrypted: use https:// (plain http:// is \
                 accepted only for a practice portal on this computer: 127.0.0.1, ::1 or localhost)"
            )))
        }
        other => return Err(invalid(format!("a {other}:// address cannot reach the portal: it starts with https://"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "the portal address carries no user name or password (the token goes in the keyring, never in the address)"
                .into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("the portal address has no ?query or #fragment: give the base URL only".into()));
    }
    // A host typed with non-ASCII letters becomes xn--…: refused, so that a look-alike of the
    // agency's portal (Cyrillic "а" for Latin "a") never receives the token.
    if let Some(typed) = typed_host(text) {
        if !typed.is_ascii() {
            return Err(invalid(format!(
                "the host “{typed}” has non-ASCII letters (it would be {host}): type the portal's address in plain \
                 ASCII, as the agency gives it"
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The host part as typed (between `//` and the next `/`, `?`, `#`, after any `user@`).
fn typed_host(text: &str) -> Option<&str> {
    let rest = &text[text.find("//")? + 2..];
    let authority = rest.split(['/', '?', '#']).next()?;
    Some(authority.rsplit('@').next().unwrap_or(authority))
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
            Outcome::Unauthorized { status, message } => {
                format!("token needed: the portal refused the token ({status}): {message}")
            }
            Outcome::Validation(errors) => format!("the portal refused fields (422): {}", join(errors, "invalid")),
            Outcome::RetryAfter { status, after: Some(after) } => {
                format!("the portal asked to wait {}s ({status})", after.as_secs())
            }
            Outcome::RetryAfter { status, after: None } => format!("the portal is busy or down ({status})"),
            Outcome::Transient { message, .. } => message.clone(),
            Outcome::Rejected { status, message, .. } => {
                format!("the portal refused the request ({status}): {message}")
            }
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

/// The portal's clock at its answer: its `Date` header, else ours. An HTTP-date `Retry-After` is
/// read against it, so a portal whose clock is an hour off still gets the wait it asked for (not
/// an hour more, nor none).
pub fn portal_clock(date_header: Option<&str>, local_now: DateTime<Utc>) -> DateTime<Utc> {
    date_header
        .and_then(|value| httpdate::parse_http_date(value.trim()).ok())
        .map(DateTime::<Utc>::from)
        .unwrap_or(local_now)
}

fn error_body(body: &[u8]) -> Option<Vec<PortalFieldError>> {
    serde_json::from_slice::<ErrorBody>(body).ok().map(|b| b.errors)
}

/// Classifies an answer. Pure: the status, two headers, the body and `now` (for an HTTP-date
/// `Retry-After`).
pub fn classify(
    status: u16,
    retry_after: Option<&str>,
    location: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Outcome {
    let not_json = |what: &str| Outcome::Transient {
        message: format!("the portal answered {status} with {what} that is not JSON"),
        unreachable: false,
    };
    match status {
        200 => serde_json::from_slice(body).map(Outcome::Replayed).unwrap_or_else(|_| not_json("a body")),
        201..=299 => serde_json::from_slice(body).map(Outcome::Created).unwrap_or_else(|_| not_json("a body")),
        401 | 403 => {
            let message = error_body(body).map(|e| join(&e, "")).filter(|m| !m.is_empty());
            Outcome::Unauthorized {
                status,
                message: message.unwrap_or_else(|| "token missing, wrong or expired".into()),
            }
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
    // The chain carries the cause (refused, reset, DNS, certificate); the URL holds no secret.
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    if unreachable && cause.contains("certificate") {
        // The portal answered, but is not who it claims to be (or its CA is not trusted here):
        // nothing was sent. Not "offline": the banner would say the network is down.
        return Outcome::Transient {
            message: format!(
                "the portal's certificate is not trusted ({cause}); nothing was sent. If the agency runs its own \
                 certificate authority, add it to this computer's certificate store"
            ),
            unreachable: false,
        };
    }
    let what = if e.is_timeout() {
        "the portal did not answer in time"
    } else if unreachable {
        "cannot reach the portal"
    } else {
        "the connection to the portal failed"
    };
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

/// SENs of one pull. Where the next one starts is [`feed`]'s business (from these SENs' own
/// times, never from the local clock).
#[derive(Debug, Clone, PartialEq)]
pub struct SenPull {
    pub sens: Vec<WireSen>,
    /// Feed entries that could not be read, one line each (the rest is still returned).
    pub rejected: Vec<String>,
}

/// An answer's body, read chunk by chunk and abandoned past `max` bytes (a declared
/// `Content-Length` over the cap is refused before reading). Memory stays within `max` plus one
/// chunk whatever the portal sends. The refusal is transient (the outbox retries with backoff,
/// under the same idempotency key), with a message that says what happened.
async fn read_body_capped(mut response: reqwest::Response, max: u64) -> std::result::Result<Vec<u8>, Outcome> {
    let too_large = || Outcome::Transient {
        message: format!(
            "the portal's answer is larger than {} (the cap on any portal answer): stopped reading it; \
             retried later with backoff",
            crate::limits::human_size(max)
        ),
        unreachable: false,
    };
    if response.content_length().is_some_and(|len| len > max) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if (body.len() + chunk.len()) as u64 > max {
                    // Dropping the response closes the connection mid-body.
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(transport_failure(&e)),
        }
    }
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
        let base =
            Url::parse(&normalize_base_url(base_url)?).map_err(|e| Error::invalid(BASE_URL_FIELD, e.to_string()))?;
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
        let header =
            |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
        let (retry_after, location) = (header(RETRY_AFTER), header(LOCATION));
        let portal_now = portal_clock(header(DATE).as_deref(), Utc::now());
        match read_body_capped(response, crate::limits::PORTAL_BODY_MAX).await {
            Ok(body) => classify(status, retry_after.as_deref(), location.as_deref(), &body, portal_now),
            Err(outcome) => outcome,
        }
    }

    /// `GET /api/v1/health` (no token): `Ok` when the portal answers `200 {"status":"ok"}`.
    pub async fn health(&self) -> std::result::Result<(), Outcome> {
        let outcome = self.exchange(self.http.get(self.endpoint(&["api", "v1", "health"]))).await;
        match &outcome {
            Outcome::Created(body) | Outcome::Replayed(body) => {
                match serde_json::from_value::<wire::Health>(body.clone()) {
                    Ok(health) if health.status == "ok" => Ok(()),
                    _ => Err(Outcome::Transient {
                        message: format!("the portal is not healthy: {body}"),
                        unreachable: false,
                    }),
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

    /// `GET /api/v1/sens?updated_since=` (all SENs without a time; [`feed::updated_since`] gives
    /// it). `Err` holds the failure class.
    pub async fn pull_sens(&self, updated_since: Option<DateTime<Utc>>) -> std::result::Result<SenPull, Outcome> {
        let mut request = self.http.get(self.endpoint(&["api", "v1", "sens"]));
        if let Some(since) = updated_since {
            // `Z` rather than `+00:00`: nothing for a query decoder to turn into a space.
            request = request.query(&[("updated_since", crate::store::time::stored(since))]);
        }
        let body = match self.exchange(self.authorized(request)).await {
            Outcome::Created(body) | Outcome::Replayed(body) => body,
            failure => return Err(failure),
        };
        let feed: SenFeed = serde_json::from_value(body).map_err(|e| Outcome::Transient {
            message: format!("the SEN feed is not in the contract's shape: {e}"),
            unreachable: false,
        })?;
        let mut pull = SenPull { sens: Vec::new(), rejected: Vec::new() };
        for (index, item) in feed.sens.into_iter().enumerate() {
            let name = item.get("sen_number").and_then(Value::as_str).map(str::to_string);
            match serde_json::from_value::<WireSen>(item) {
                Ok(sen) => pull.sens.push(sen),
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
        check(
            201,
            None,
            "<html>",
            Outcome::Transient {
                message: "the portal answered 201 with a body that is not JSON".into(),
                unreachable: false,
            },
        );
        check(
            401,
            None,
            r#"{"errors":[{"field":null,"message":"expired"}]}"#,
            Outcome::Unauthorized { status: 401, message: "expired".into() },
        );
        check(
            403,
            None,
            "<html>no</html>",
            Outcome::Unauthorized { status: 403, message: "token missing, wrong or expired".into() },
        );
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
        check(
            503,
            Some("Wed, 01 May 2024 12:01:30 GMT"),
            "",
            Outcome::RetryAfter { status: 503, after: Some(Duration::from_secs(90)) },
        );
        check(503, None, "", Outcome::RetryAfter { status: 503, after: None });
        check(
            500,
            None,
            r#"{"errors":[]}"#,
            Outcome::Transient { message: "the portal failed (500)".into(), unreachable: false },
        );
        check(
            502,
            None,
            "<html>Bad Gateway</html>",
            Outcome::Transient { message: "the portal failed (502)".into(), unreachable: false },
        );
        check(
            409,
            None,
            r#"{"errors":[{"field":null,"message":"key reused"}]}"#,
            Outcome::Rejected {
                status: 409,
                message: "key reused".into(),
                errors: vec![PortalFieldError { field: None, message: "key reused".into() }],
            },
        );
        check(
            404,
            None,
            "<html>Not Found</html>",
            Outcome::Transient {
                message: "the portal answered 404 with an error that is not JSON".into(),
                unreachable: false,
            },
        );
    }

    #[test]
    fn an_http_date_retry_after_is_read_on_the_portals_clock() {
        let ours: DateTime<Utc> = "2024-05-01T13:00:00Z".parse().unwrap_or_default();
        // The portal's clock is an hour behind ours and it asks for 30 s.
        let theirs = portal_clock(Some("Wed, 01 May 2024 12:00:00 GMT"), ours);
        assert_eq!(parse_retry_after("Wed, 01 May 2024 12:00:30 GMT", theirs), Some(Duration::from_secs(30)));
        assert_eq!(portal_clock(None, ours), ours);
        assert_eq!(portal_clock(Some("yesterday"), ours), ours);
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
