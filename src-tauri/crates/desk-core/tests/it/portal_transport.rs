//! Transport on the real parts: the practice portal over HTTPS on loopback with a test CA that
//! the client trusts only through the OS trust store it reads (`SSL_CERT_FILE`, as
//! rustls-native-certs reads it); the same portal with another CA in that store (a certificate
//! error, nothing sent, the queue kept); a portal streaming 1 GiB (the client stops at the cap);
//! and the one check of portal addresses.

use crate::outbox_delivery::submitted_report;
use chrono::Utc;
use desk_core::limits::PORTAL_BODY_MAX;
use desk_core::outbox::{self, ItemState, RetryPolicy, SyncConfig};
use desk_core::portal::{self, PortalClient, BASE_URL_FIELD};
use desk_core::report::ReportEffects;
use desk_core::report::{self, ReportId, State};
use desk_core::secrets::PortalToken;
use desk_core::Store;
use practice_portal::{Config, PracticePortal, DEFAULT_TOKEN};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// `SSL_CERT_FILE` is process-wide: the tests that set it take turns.
static TRUST_STORE: Mutex<()> = Mutex::new(());

struct TestPki {
    dir: tempfile::TempDir,
}

impl TestPki {
    /// A CA, and a server certificate for `localhost` and `127.0.0.1` signed by it.
    fn new() -> TestPki {
        let dir = tempfile::tempdir().expect("tempdir");
        let ca = Self::ca("Incident Desk test CA");
        let mut leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).expect("params");
        leaf.distinguished_name.push(DnType::CommonName, "practice portal");
        let leaf_key = KeyPair::generate().expect("key");
        let cert = leaf.signed_by(&leaf_key, &*ca).expect("sign");
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).expect("write");
        std::fs::write(dir.path().join("cert.pem"), cert.pem()).expect("write");
        std::fs::write(dir.path().join("key.pem"), leaf_key.serialize_pem()).expect("write");
        // Another CA, that did not sign the portal's certificate.
        std::fs::write(dir.path().join("other-ca.pem"), Self::ca("Some other CA").pem()).expect("write");
        TestPki { dir }
    }

    fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        CertifiedIssuer::self_signed(params, KeyPair::generate().expect("key")).expect("ca")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// A client built while `SSL_CERT_FILE` names `trust` (the client reads the store when built).
fn client_trusting(url: &str, trust: &Path) -> PortalClient {
    std::env::set_var("SSL_CERT_FILE", trust);
    let client = PortalClient::new(url, Some(PortalToken::new(DEFAULT_TOKEN).expect("token")));
    std::env::remove_var("SSL_CERT_FILE");
    client.expect("client")
}

fn quick() -> SyncConfig {
    SyncConfig {
        policy: RetryPolicy { min_delay: std::time::Duration::from_secs(2), ..RetryPolicy::default() },
        concurrency: 4,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_portal_delivers_with_the_ca_trusted_and_refuses_without() {
    let pki = TestPki::new();
    let portal =
        PracticePortal::start(Config::ephemeral_tls(pki.path("cert.pem"), pki.path("key.pem"))).await.expect("portal");
    let url = portal.base_url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open_in_dir(dir.path()).expect("store");

    // Not trusted: the OS store the client reads holds another CA. Refused, nothing sent.
    let (untrusted, trusted) = {
        let _turn = TRUST_STORE.lock().unwrap_or_else(|e| e.into_inner());
        (client_trusting(&url, &pki.path("other-ca.pem")), client_trusting(&url, &pki.path("ca.pem")))
    };
    let id = submitted_report(store.conn());
    let health = untrusted.health().await.expect_err("untrusted certificate");
    assert!(health.describe().contains("certificate is not trusted"), "{}", health.describe());
    let summary = outbox::sync_once_with(
        &mut store,
        &untrusted,
        &ReportEffects::new(crate::common::actor()),
        Utc::now(),
        &quick(),
    )
    .await
    .expect("sync");
    assert_eq!((summary.sent, summary.failed, summary.pending), (0, 1, 1), "{summary:?}");
    assert!(!summary.offline, "a certificate error is not 'offline'");
    let item = &outbox::list(store.conn()).expect("list")[0];
    assert_eq!(item.state, ItemState::Pending, "the queue keeps it");
    let error = item.last_error.clone().unwrap_or_default();
    assert!(error.contains("certificate") && error.contains("nothing was sent"), "{error}");
    assert_eq!(report::get(store.conn(), &id).expect("report").state, State::Queued);
    assert_eq!(received(&url, &pki, &id).await, 0, "nothing reached the portal");

    // Trusted through SSL_CERT_FILE: delivered, exactly once.
    let later = Utc::now() + chrono::Duration::minutes(10);
    let summary =
        outbox::sync_once_with(&mut store, &trusted, &ReportEffects::new(crate::common::actor()), later, &quick())
            .await
            .expect("sync");
    assert_eq!((summary.sent, summary.pending), (1, 0), "{summary:?}");
    let sent = report::get(store.conn(), &id).expect("report");
    assert_eq!(sent.state, State::Sent);
    assert!(sent.incident_number.is_some_and(|n| n.starts_with("CIR-")));
    trusted.health().await.expect("health over HTTPS");
    assert_eq!(received(&url, &pki, &id).await, 1);
    portal.shutdown().await;
}

/// Incidents the portal holds for a report, asked with the test CA as the only extra root.
async fn received(url: &str, pki: &TestPki, report_id: &ReportId) -> i64 {
    let ca = reqwest::Certificate::from_pem(&std::fs::read(pki.path("ca.pem")).expect("ca")).expect("pem");
    let http = reqwest::Client::builder().add_root_certificate(ca).build().expect("http");
    let body: serde_json::Value = http
        .get(format!("{url}/practice/incidents?report_id={report_id}"))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .await
        .expect("practice endpoint")
        .json()
        .await
        .expect("json");
    body["total"].as_i64().expect("total")
}

/// A portal that answers every request `201` with a JSON content type and then streams zeros up
/// to `total` bytes, counting what it managed to write before the client hung up.
async fn endless_portal(total: u64, declare_length: bool) -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 8192];
                let _ = socket.read(&mut request).await;
                let head = if declare_length {
                    format!("HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {total}\r\n\r\n")
                } else {
                    "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_string()
                };
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'0'; 64 * 1024];
                let mut sent = 0u64;
                while sent < total {
                    if socket.write_all(&chunk).await.is_err() {
                        break;
                    }
                    sent += chunk.len() as u64;
                    counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (url, written)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_answering_one_gib_is_cut_at_the_cap_and_the_item_kept() {
    const GIB: u64 = 1024 * 1024 * 1024;
    for declare_length in [false, true] {
        let (url, written) = endless_portal(GIB, declare_length).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open_in_dir(dir.path()).expect("store");
        let id = submitted_report(store.conn());
        let client = PortalClient::new(&url, Some(PortalToken::new(DEFAULT_TOKEN).expect("token"))).expect("client");
        let now = Utc::now();
        let summary =
            outbox::sync_once_with(&mut store, &client, &ReportEffects::new(crate::common::actor()), now, &quick())
                .await
                .expect("sync");
        assert_eq!((summary.sent, summary.failed, summary.pending), (0, 1, 1), "{summary:?}");
        let item = &outbox::list(store.conn()).expect("list")[0];
        assert_eq!((item.state, item.attempts), (ItemState::Pending, 1));
        let error = item.last_error.clone().unwrap_or_default();
        assert!(error.contains("larger than 4 MiB"), "{error}");
        // Backoff, not a hot loop: the next try is at least the policy's first delay away.
        let next = item.next_attempt_at.expect("next try");
        assert!(next >= now + chrono::Duration::seconds(2), "next try {next} too soon after {now}");
        assert_eq!(report::get(store.conn(), &id).expect("report").state, State::Queued);
        // The client hung up: the server wrote the cap plus what socket buffers hold, far from 1 GiB.
        let sent = written.load(Ordering::Relaxed);
        assert!(sent < 64 * 1024 * 1024, "the server wrote {sent} bytes (declared length: {declare_length})");
        assert!(declare_length || sent >= PORTAL_BODY_MAX, "the body was read up to the cap ({sent})");
    }
}

#[test]
fn portal_addresses_must_be_https_except_loopback() {
    let long = format!("https://portal.example.gov/{}", "a".repeat(10 * 1024));
    for (input, why) in [
        ("http://portal.example.gov", "unencrypted"),
        ("http://10.0.0.5:8787", "unencrypted"),
        ("http://0.0.0.0:8787", "unencrypted"),
        ("http://127.0.0.1.example.gov", "unencrypted"),
        ("ftp://portal.example.gov", "ftp://"),
        ("javascript:alert(1)", "not a portal address"),
        ("", "enter the portal address"),
        ("   ", "enter the portal address"),
        ("portal.example.gov", "not a web address"),
        (long.as_str(), "characters long"),
        ("https://pоrtal.example.gov", "non-ASCII"), // Cyrillic "о"
        ("https://user:secret@portal.example.gov", "no user name or password"),
        ("https://portal.example.gov/?token=abc", "no ?query"),
        ("https://portal.example.gov/#x", "no ?query"),
        ("file:///etc/passwd", "not a portal address"),
    ] {
        let err = portal::normalize_base_url(input).expect_err(input);
        assert_eq!(err.fields()[0].field, BASE_URL_FIELD, "{input}");
        assert!(err.to_string().contains(why), "{input}: {err}");
        assert!(PortalClient::new(input, None).is_err(), "the client refuses it too: {input}");
    }
    // The look-alike's xn-- form, typed as such, is what the user sees and may choose to accept.
    let puny = reqwest::Url::parse("https://pоrtal.example.gov/").expect("url").host_str().expect("host").to_string();
    assert!(puny.starts_with("xn--"), "{puny}");
    let typed = format!("https://{puny}");
    assert_eq!(portal::normalize_base_url(&typed).expect("ascii host"), typed);
    for (input, normalized) in [
        ("https://Portal.Example.gov/", "https://portal.example.gov"),
        ("https://203.0.113.7:8443/relay/", "https://203.0.113.7:8443/relay"),
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
        ("http://127.9.9.9:1", "http://127.9.9.9:1"),
        ("http://localhost:8787/", "http://localhost:8787"),
        ("http://[::1]:8787", "http://[::1]:8787"),
    ] {
        assert_eq!(portal::normalize_base_url(input).expect(input), normalized);
    }
}
