//! Optional HTTPS (`--tls-cert`/`--tls-key`): rustls with the ring provider (the one the app's
//! client already links), so exercises and tests can run the portal as a real one runs.

use crate::StartError;
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{crypto, ServerConfig};
use tokio_rustls::TlsAcceptor;

fn read(path: &Path, what: &str) -> Result<Vec<u8>, StartError> {
    std::fs::read(path).map_err(|e| StartError::Tls(format!("cannot read the {what} {}: {e}", path.display())))
}

pub(crate) fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, StartError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&read(cert, "certificate")?)
        .collect::<Result<_, _>>()
        .map_err(|e| StartError::Tls(format!("{}: not a PEM certificate chain: {e}", cert.display())))?;
    if chain.is_empty() {
        return Err(StartError::Tls(format!("{} holds no certificate", cert.display())));
    }
    let key = PrivateKeyDer::from_pem_slice(&read(key, "private key")?)
        .map_err(|e| StartError::Tls(format!("{}: not a PEM private key: {e}", key.display())))?;
    let config = ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| StartError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| StartError::Tls(format!("the certificate and key do not go together: {e}")))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}
