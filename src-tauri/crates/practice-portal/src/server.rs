//! Our own accept loop over hyper rather than `axum::serve`, for two faults a router cannot
//! inject: closing a connection without answering (each connection task listens for its
//! [`ConnectionKill`]) and refusing connections while down (the listening socket is closed, then
//! bound again on the same address when the down time ends).

use crate::api::{self, App};
use crate::config::DownMode;
use crate::faults::ConnectionKill;
use axum::extract::Request;
use chrono::{DateTime, Utc};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

fn refusing_until(app: &App, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let faults = app.faults.borrow();
    match faults.down_at(now) {
        Some(DownMode::Refuse) => faults.down_until,
        _ => None,
    }
}

/// Binds the address again after a refusal; the port may be briefly held by another socket.
async fn rebind(addr: SocketAddr, shutdown: &mut watch::Receiver<bool>) -> Option<TcpListener> {
    loop {
        match TcpListener::bind(addr).await {
            Ok(listener) => return Some(listener),
            Err(e) => tracing::warn!(%addr, "practice portal cannot listen again yet: {e}"),
        }
        tokio::select! {
            _ = shutdown.changed() => return None,
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
}

pub(crate) async fn serve(
    listener: TcpListener,
    addr: SocketAddr,
    app: App,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    let router = api::router(app.clone());
    let mut faults_changed = app.faults.subscribe();
    let mut connections = JoinSet::new();
    let mut listener = Some(listener);
    loop {
        if *shutdown.borrow() {
            break;
        }
        if let Some(until) = refusing_until(&app, Utc::now()) {
            // Connection refused from now on, and the open connections are cut.
            listener = None;
            connections.abort_all();
            app.refusing.send_if_modified(|refusing| !std::mem::replace(refusing, true));
            let left = (until - Utc::now()).to_std().unwrap_or_default();
            tokio::select! {
                _ = shutdown.changed() => break,
                _ = faults_changed.changed() => {}
                _ = tokio::time::sleep(left) => {}
            }
            continue;
        }
        let active = match listener.take() {
            Some(active) => active,
            None => match rebind(addr, &mut shutdown).await {
                Some(active) => active,
                None => break,
            },
        };
        app.refusing.send_if_modified(|refusing| std::mem::replace(refusing, false));
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = faults_changed.changed() => {}
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = active.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(accept_connection(stream, tls.clone(), router.clone()));
                }
                Err(e) => tracing::warn!("practice portal accept: {e}"),
            },
        }
        listener = Some(active);
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// Plain HTTP, or the TLS handshake first (a failed handshake, e.g. a client that does not trust
/// the certificate, only closes that connection).
async fn accept_connection(stream: TcpStream, tls: Option<TlsAcceptor>, router: axum::Router) {
    let _ = stream.set_nodelay(true);
    match tls {
        None => serve_connection(stream, router).await,
        Some(acceptor) => match acceptor.accept(stream).await {
            Ok(stream) => serve_connection(stream, router).await,
            Err(e) => tracing::info!("practice portal TLS handshake failed: {e}"),
        },
    }
}

async fn serve_connection<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(stream: S, router: axum::Router) {
    let kill = ConnectionKill::default();
    let for_requests = kill.clone();
    let service = router.map_request(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(for_requests.clone());
        request
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
    tokio::select! {
        _ = connection => {}
        // Dropping the connection closes the socket with the request unanswered.
        _ = kill.0.notified() => {}
    }
}
