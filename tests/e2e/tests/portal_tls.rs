//! The portal address and TLS through the built binary, on the real parts: `portal configure`
//! refuses a remote `http://` address (exit 2, the reason, nothing saved) and takes a loopback
//! one; the practice portal serves HTTPS with a certificate from a test CA that the client trusts
//! only through `SSL_CERT_FILE` (the OS trust store it reads): with the CA the queued report is
//! delivered, with another CA in the store it is refused with a certificate error and kept.

use e2e::portal::{cli_json, cli_with_input, queue_reports, PortalProcess};
use e2e::require_session;
use e2e::WAIT;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use std::path::Path;

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::self_signed(params, KeyPair::generate().expect("key")).expect("ca")
}

/// ca.pem, other-ca.pem, cert.pem + key.pem (localhost, 127.0.0.1) in `dir`.
fn test_pki(dir: &Path) {
    let authority = ca("Incident Desk e2e test CA");
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).expect("params");
    let key = KeyPair::generate().expect("key");
    let cert = leaf.signed_by(&key, &*authority).expect("sign");
    std::fs::write(dir.join("ca.pem"), authority.pem()).expect("write");
    std::fs::write(dir.join("other-ca.pem"), ca("Another CA").pem()).expect("write");
    std::fs::write(dir.join("cert.pem"), cert.pem()).expect("write");
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("write");
}

/// Exit 2 and one line on stderr; returns the line.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = cli_with_input(dir, args, "", &[]).expect("run");
    let err = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn portal_configure_refuses_remote_http_and_takes_loopback() -> anyhow::Result<()> {
    require_session()?;
    let data = tempfile::tempdir()?;
    let dir = data.path();
    let line = refused(dir, &["portal", "configure", "--url", "http://portal.example.gov"]);
    assert!(line.contains("portal.base_url") && line.contains("unencrypted") && line.contains("https://"), "{line}");
    assert_eq!(cli_json(dir, &["portal", "show"], &[])?["url"], serde_json::Value::Null, "nothing saved");
    let ok = cli_json(dir, &["portal", "configure", "--url", "http://127.0.0.1:8787/"], &[])?;
    assert_eq!(ok["url"], "http://127.0.0.1:8787");
    // A refused address leaves the saved one.
    for bad in ["ftp://portal.example.gov", "javascript:alert(1)", "https://user:pw@portal.example.gov", ""] {
        let line = refused(dir, &["portal", "configure", "--url", bad]);
        assert!(line.contains("portal.base_url"), "{bad}: {line}");
    }
    assert_eq!(cli_json(dir, &["portal", "show"], &[])?["url"], "http://127.0.0.1:8787");
    Ok(())
}

#[test]
fn an_https_practice_portal_delivers_only_with_its_ca_trusted() -> anyhow::Result<()> {
    require_session()?;
    let data = tempfile::tempdir()?;
    let pki = tempfile::tempdir()?;
    let portal_dir = tempfile::tempdir()?;
    let dir = data.path();
    test_pki(pki.path());
    let path = |name: &str| pki.path().join(name).to_string_lossy().into_owned();
    let (cert, key) = (path("cert.pem"), path("key.pem"));
    let portal = PortalProcess::start(portal_dir.path(), &["--port", "0", "--tls-cert", &cert, "--tls-key", &key])?;
    assert!(portal.url.starts_with("https://127.0.0.1:"), "{}", portal.url);
    cli_json(dir, &["portal", "configure", "--url", &portal.url], &[])?;
    let token = cli_with_input(dir, &["portal", "token", "--stdin"], "practice-token\n", &[])?;
    anyhow::ensure!(token.status.success(), "token: {}", String::from_utf8_lossy(&token.stderr));
    let ids = queue_reports(dir, 1, "2024-03-01T08:10:00-08:00")?;

    let other = path("other-ca.pem");
    let untrusted = cli_json(dir, &["outbox", "sync"], &[("SSL_CERT_FILE", other.as_str())])?;
    assert_eq!((untrusted["sent"].as_u64(), untrusted["pending"].as_u64()), (Some(0), Some(1)), "{untrusted}");
    let status = cli_json(dir, &["outbox", "status", "--items", "1"], &[])?;
    let item = &status["items"][0];
    assert_eq!(item["state"], "pending", "{status}");
    assert!(item["last_error"].as_str().is_some_and(|e| e.contains("certificate")), "{status}");
    let test = cli_json(dir, &["portal", "test"], &[("SSL_CERT_FILE", other.as_str())])?;
    assert_eq!(test["reachable"], false, "{test}");

    let trusted_ca = path("ca.pem");
    let trusted = [("SSL_CERT_FILE", trusted_ca.as_str())];
    let sent = cli_json(dir, &["outbox", "sync", "--until-empty", "--timeout", "60"], &trusted)?;
    assert_eq!((sent["sent"].as_u64(), sent["pending"].as_u64()), (Some(1), Some(0)), "{sent}");
    let listed = cli_json(dir, &["report", "list", "--state", "sent"], &[])?;
    assert!(listed.as_array().is_some_and(|l| l.iter().any(|r| r["report_id"] == ids[0].as_str())), "{listed}");
    assert_eq!(cli_json(dir, &["portal", "test"], &trusted)?["token"], "accepted");
    portal.stop();
    Ok(())
}

/// Settings → Portal shows the same check's reason on the address field, keeps what was typed,
/// and saves a loopback address.
#[tokio::test]
async fn settings_shows_why_a_remote_http_address_is_refused() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let desk = e2e::Desk::launch(data.path(), &[]).await?;
    desk.goto("settings").await?;
    desk.wait_css("#portal-url-save", WAIT).await?;
    desk.fill("portal-url", "http://portal.example.gov").await?;
    desk.by_id("portal-url-save").await?.click().await?;
    desk.wait_js("document.getElementById('portal-url').getAttribute('aria-invalid') === 'true'", WAIT).await?;
    let message = desk.text("portal-url-error").await?;
    assert!(message.contains("unencrypted") && message.contains("https://"), "message on the field: {message}");
    assert_eq!(desk.value("portal-url").await?, "http://portal.example.gov", "what was typed stays");
    desk.screenshot("settings-portal-http-refused").await?;
    desk.fill("portal-url", "http://127.0.0.1:8787").await?;
    desk.by_id("portal-url-save").await?.click().await?;
    desk.wait_js("document.getElementById('portal-status').textContent.startsWith('Portal address saved')", WAIT)
        .await?;
    assert_eq!(desk.text("portal-url-error").await?, "");
    desk.quit().await?;
    assert_eq!(cli_json(data.path(), &["portal", "show"], &[])?["url"], "http://127.0.0.1:8787");
    Ok(())
}
