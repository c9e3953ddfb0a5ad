//! Answering a WebSocket upgrade request: global outages set through the API,
//! parameter validation, the connect-time faults (stall, refuse), and
//! finally the 101 handshake that hands the socket to a connection task.

use std::sync::Arc;

use tokio::io::AsyncReadExt;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::WebSocketStream;

use crate::connection::{self, Schedule};
use crate::http::{HttpConnection, Request, Response};
use crate::params::{self, ConnectParams, Handshake};
use crate::registry::{ConnectionState, NewConnection};
use crate::server::App;

pub async fn handle(app: Arc<App>, http: HttpConnection, request: Request) {
    let path = request.path.clone();
    let log = &app.log;
    if request.method != "GET" {
        return http
            .reject(Response::text(405, "WebSocket upgrades must use GET").header("Allow", "GET"))
            .await;
    }
    let Some(switching) = switching_protocols(&request) else {
        return http
            .reject(Response::text(400, "missing Sec-WebSocket-Key header"))
            .await;
    };
    if request.header("sec-websocket-version") != Some("13") {
        let response = Response::text(426, "only WebSocket version 13 is supported")
            .header("Sec-WebSocket-Version", "13");
        return http.reject(response).await;
    }
    if let Some(status) = app.registry.refusal() {
        app.registry.count_refused();
        log.connection(format_args!(
            "ws refused {path} ({status}, server-wide refusal)"
        ));
        return http
            .reject(Response::text(
                status,
                "refusing WebSocket upgrades (devserver refuse window)",
            ))
            .await;
    }
    let params = match params::parse(request.query.as_deref()) {
        Ok(params) => params,
        Err(invalid) => {
            // The field name only: the value came from the query string.
            log.connection(format_args!(
                "ws rejected {path}: invalid {}",
                invalid.field
            ));
            return http.reject(Response::text(400, invalid.to_string())).await;
        }
    };
    if params.handshake == Handshake::Refuse {
        app.registry.count_refused();
        log.connection(format_args!("ws refused {path} (503, mode=refuse)"));
        return http
            .reject(Response::text(
                503,
                "refusing WebSocket upgrade (mode=refuse)",
            ))
            .await;
    }
    if params.handshake == Handshake::Stall || app.registry.stalling() {
        return stall(&app, http, path, params).await;
    }
    accept(&app, http, path, switching, params).await;
}

/// The 101 answer to `request`, or `None` without a Sec-WebSocket-Key.
fn switching_protocols(request: &Request) -> Option<Response> {
    let key = request.header("sec-websocket-key")?;
    let response = Response::new(101)
        .header("Upgrade", "websocket")
        .header("Connection", "Upgrade")
        .header("Sec-WebSocket-Accept", derive_accept_key(key.as_bytes()));
    // Browsers fail the handshake if they offered subprotocols and none is
    // selected; this server speaks any of them, so take the first.
    let protocol = request
        .header("sec-websocket-protocol")
        .and_then(|offered| {
            offered
                .split(',')
                .map(str::trim)
                .find(|name| !name.is_empty())
        });
    Some(match protocol {
        Some(protocol) => response.header("Sec-WebSocket-Protocol", protocol),
        None => response,
    })
}

async fn accept(
    app: &App,
    mut http: HttpConnection,
    path: String,
    switching: Response,
    params: ConnectParams,
) {
    let log = &app.log;
    let mode = params.behaviour.mode;
    let registered = app.registry.register(NewConnection {
        label: params.label,
        path: path.clone(),
        state: ConnectionState::Open,
        behaviour: params.behaviour.clone(),
    });
    let Some((registration, commands)) = registered else {
        return http
            .reject(Response::text(503, "server shutting down"))
            .await;
    };
    if let Err(error) = http.write_response(&switching, true, false).await {
        log.connection(format_args!(
            "ws#{} handshake failed: {error}",
            registration.id()
        ));
        return;
    }
    log.connection(format_args!(
        "ws#{} open {path} mode={}",
        registration.id(),
        mode.name()
    ));
    // Bytes the client sent right after its request (normally none, as it
    // waits for our 101) are the start of its first frame.
    let (stream, early_bytes) = http.into_parts();
    let config = Some(connection::websocket_config());
    let ws = WebSocketStream::from_partially_read(stream, early_bytes, Role::Server, config).await;
    let schedule = Schedule {
        close: params.close,
        drop_after_ms: params.drop_after_ms,
        silent_after_ms: params.silent_after_ms,
    };
    connection::run(ws, registration, commands, params.behaviour, schedule, log).await;
}

/// Holds the socket without ever answering the handshake, until the client
/// gives up or the registry asks us to let go (reset or shutdown).
async fn stall(app: &App, http: HttpConnection, path: String, params: ConnectParams) {
    let log = &app.log;
    let registered = app.registry.register(NewConnection {
        label: params.label,
        path: path.clone(),
        state: ConnectionState::Stalled,
        behaviour: params.behaviour,
    });
    let Some((registration, mut commands)) = registered else {
        return; // Shutting down: hanging up is what a stalled server would do.
    };
    let id = registration.id();
    log.connection(format_args!("ws#{id} stalled {path}"));
    let (mut stream, _) = http.into_parts();
    let mut discard = [0u8; 1024];
    loop {
        tokio::select! {
            read = stream.read(&mut discard) => match read {
                Ok(0) | Err(_) => {
                    log.connection(format_args!("ws#{id} stalled connection left by client"));
                    return;
                }
                Ok(_) => {}
            },
            // Stalled connections only ever receive Close (patches are
            // refused for them); there is no handshake to close, so hang up.
            _ = commands.recv() => {
                log.connection(format_args!("ws#{id} stalled connection released"));
                return;
            }
        }
    }
}
