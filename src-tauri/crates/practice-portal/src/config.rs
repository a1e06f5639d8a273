//! What the practice portal is told at start: where to listen, which tokens it accepts, where it keeps
//! its records, and which faults to inject. Every field is a clap argument, so the app's CLI can
//! `#[command(flatten)]` a [`Config`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

/// Port used when none is given. Tests use [`Config::ephemeral`] (port 0, any free port).
pub const DEFAULT_PORT: u16 = 8787;

/// Token accepted when none is configured: the practice portal is for training, not secrets.
pub const DEFAULT_TOKEN: &str = "practice-token";

/// The six acknowledgement / response formats of SIMM 5335-A III.F, as the wire names the portal
/// accepts in `format` (the contract names no identifiers; these are the practice portal's).
pub const RESPONSE_FORMATS: [&str; 6] = [
    "remediation_planned",
    "remediation_completed",
    "investigating",
    "mitigated_unknown_risk",
    "confirmed_incident",
    "false_positive",
];

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,

    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,

    /// Bearer token accepted by the portal (repeat for several).
    #[arg(long = "token", default_values_t = [DEFAULT_TOKEN.to_string()])]
    pub tokens: Vec<String>,

    /// SQLite file that keeps the portal's records across restarts (default: in memory).
    #[arg(long)]
    pub db: Option<PathBuf>,

    /// Accepted `format` values of an acknowledgement (repeat for several).
    #[arg(long = "response-format", default_values_t = RESPONSE_FORMATS.map(String::from))]
    pub response_formats: Vec<String>,

    /// Serve HTTPS with this certificate chain (PEM; the server's certificate first). Needs
    /// `--tls-key`. Without it the portal speaks plain HTTP (loopback only, for the app).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The private key of `--tls-cert` (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    #[command(flatten)]
    pub faults: Faults,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            tokens: vec![DEFAULT_TOKEN.to_string()],
            db: None,
            response_formats: RESPONSE_FORMATS.map(String::from).to_vec(),
            tls_cert: None,
            tls_key: None,
            faults: Faults::default(),
        }
    }
}

impl Config {
    /// Loopback, any free port, in memory, the default token, no faults: what tests start.
    pub fn ephemeral() -> Self {
        Config { port: 0, ..Config::default() }
    }

    /// [`Config::ephemeral`] over HTTPS with this certificate chain and key (PEM files).
    pub fn ephemeral_tls(cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        Config { tls_cert: Some(cert.into()), tls_key: Some(key.into()), ..Config::ephemeral() }
    }
}

/// Faults injected into the contract endpoints (`/api/v1/...`, health included); the `/practice`
/// endpoints are never faulted. Rates are probabilities in 0..=1, drawn per request.
/// Also readable and replaceable at run time: `GET`/`PUT /practice/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Share of requests answered with a 5xx (500, 502 with an HTML body, or 504).
    #[arg(long, default_value_t = 0.0)]
    pub error_rate: f64,

    /// Share of requests answered `429 Too Many Requests` with `Retry-After`.
    #[arg(long, default_value_t = 0.0)]
    pub rate_limit_rate: f64,

    /// `Retry-After` given with 429 (a 503 while down gives the time left until `down_until`).
    #[arg(long, default_value_t = 1)]
    pub retry_after_secs: u64,

    /// Give `Retry-After` as an HTTP date instead of seconds.
    #[arg(long)]
    pub retry_after_http_date: bool,

    /// Latency added to every request, in milliseconds (the lower bound when a maximum is given).
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,

    /// Upper bound of a random added latency (uniform between `latency_ms` and this).
    #[arg(long)]
    pub latency_max_ms: Option<u64>,

    /// Share of requests whose connection is closed before the request is processed.
    #[arg(long, default_value_t = 0.0)]
    pub drop_request_rate: f64,

    /// Share of requests processed (and recorded) whose connection is then closed without an
    /// answer: the client cannot know it succeeded; its retry must replay the same key.
    #[arg(long, default_value_t = 0.0)]
    pub drop_response_rate: f64,

    /// Share of requests answered `200` with an HTML page (a captive portal or a broken proxy).
    #[arg(long, default_value_t = 0.0)]
    pub garbage_rate: f64,

    /// Training: incidents and supplements whose body holds this JSON pointer (e.g.
    /// `/incident/description`) are refused with a 422 naming it, as a portal with rules of its own would.
    #[arg(long)]
    pub refuse_field: Option<String>,

    /// The portal is down until this time (RFC 3339).
    #[arg(long)]
    pub down_until: Option<DateTime<Utc>>,

    /// How the portal is down: `unavailable` answers 503 with Retry-After; `refuse` closes the
    /// listening socket (connection refused) and drops open connections.
    #[arg(long, value_enum, default_value_t = DownMode::Unavailable)]
    pub down_mode: DownMode,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum DownMode {
    #[default]
    Unavailable,
    Refuse,
}

/// No fault; the same values as the command line's defaults.
impl Default for Faults {
    fn default() -> Self {
        Faults {
            error_rate: 0.0,
            rate_limit_rate: 0.0,
            retry_after_secs: 1,
            retry_after_http_date: false,
            latency_ms: 0,
            latency_max_ms: None,
            drop_request_rate: 0.0,
            drop_response_rate: 0.0,
            garbage_rate: 0.0,
            refuse_field: None,
            down_until: None,
            down_mode: DownMode::Unavailable,
        }
    }
}

impl Faults {
    /// Whether the portal is down at `now`, and how.
    pub fn down_at(&self, now: DateTime<Utc>) -> Option<DownMode> {
        match self.down_until {
            Some(until) if now < until => Some(self.down_mode),
            _ => None,
        }
    }

    /// The rates out of 0..=1, named like the JSON members.
    pub(crate) fn invalid_rates(&self) -> Vec<&'static str> {
        [
            ("error_rate", self.error_rate),
            ("rate_limit_rate", self.rate_limit_rate),
            ("drop_request_rate", self.drop_request_rate),
            ("drop_response_rate", self.drop_response_rate),
            ("garbage_rate", self.garbage_rate),
        ]
        .into_iter()
        .filter(|(_, rate)| !(0.0..=1.0).contains(rate))
        .map(|(name, _)| name)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    #[test]
    fn flattens_into_a_cli_with_every_fault() {
        Cli::command().debug_assert();
        let cli = Cli::parse_from([
            "practice-portal",
            "--port",
            "0",
            "--token",
            "a",
            "--token",
            "b",
            "--error-rate",
            "0.25",
            "--latency-ms",
            "5",
            "--latency-max-ms",
            "50",
            "--drop-response-rate",
            "0.1",
            "--down-until",
            "2030-01-01T00:00:00Z",
            "--down-mode",
            "refuse",
            "--retry-after-http-date",
        ]);
        let config = cli.config;
        assert_eq!((config.port, config.tokens.clone()), (0, vec!["a".to_string(), "b".to_string()]));
        assert_eq!(config.faults.error_rate, 0.25);
        assert_eq!((config.faults.latency_ms, config.faults.latency_max_ms), (5, Some(50)));
        assert_eq!(config.faults.down_mode, DownMode::Refuse);
        assert!(config.faults.retry_after_http_date);
        assert_eq!(config.faults.down_until.map(|t| t.to_rfc3339()).as_deref(), Some("2030-01-01T00:00:00+00:00"));

        let defaults = Cli::parse_from(["practice-portal"]).config;
        assert_eq!(defaults.port, DEFAULT_PORT);
        assert_eq!(defaults.tokens, [DEFAULT_TOKEN]);
        assert_eq!(defaults.response_formats.len(), 6);
        assert_eq!(defaults.faults, Faults::default());
    }
}
