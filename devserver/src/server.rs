//! Accepting TCP connections and dispatching each HTTP request: WebSocket
//! upgrades, the control API, the health check and static files.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::{TcpListener, TcpStream};

use crate::accept_backoff::AcceptBackoff;
use crate::api;
use crate::http::{HttpConnection, Request, Response};
use crate::log::Log;
use crate::registry::Registry;
use crate::static_files::StaticFiles;
use crate::upgrade;

/// Everything request handlers share.
pub struct App {
    pub registry: Arc<Registry>,
    pub files: StaticFiles,
    pub log: Log,
}

/// Accepts connections until `stop` resolves, and returns its output.
pub async fn serve<T>(listener: TcpListener, app: Arc<App>, stop: impl Future<Output = T>) -> T {
    tokio::pin!(stop);
    let mut backoff = AcceptBackoff::default();
    loop {
        tokio::select! {
            stopped = &mut stop => return stopped,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    backoff.succeeded();
                    tokio::spawn(serve_socket(Arc::clone(&app), stream));
                }
                // Typically EMFILE: the listener itself is fine, so pause
                // and try again.
                Err(error) => {
                    let pause = backoff.failed(Instant::now());
                    if let Some(failures) = pause.report {
                        app.log.event(format_args!(
                            "accept failed ({failures} time(s) since the last report): {error}; pausing accepts for {} ms",
                            pause.delay.as_millis()
                        ));
                    }
                    tokio::select! {
                        stopped = &mut stop => return stopped,
                        () = tokio::time::sleep(pause.delay) => {}
                    }
                }
            },
        }
    }
}

async fn serve_socket(app: Arc<App>, stream: TcpStream) {
    // Heartbeat traffic is tiny and latency-sensitive.
    let _ = stream.set_nodelay(true);
    let mut http = HttpConnection::new(stream);
    loop {
        let request = match http.read_request().await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(error) => {
                if let Some(response) = error.response() {
                    let status = response.status;
                    app.log.connection(format_args!("http {status}: {error}"));
                    http.reject(response).await;
                }
                return;
            }
        };
        if request.is_websocket_upgrade() && request.path.starts_with("/ws") {
            return upgrade::handle(app, http, request).await;
        }
        let response = route(&app, &request).await;
        let keep_alive = request.keep_alive();
        let head_only = request.method == "HEAD";
        if http
            .write_response(&response, keep_alive, head_only)
            .await
            .is_err()
            || !keep_alive
        {
            return;
        }
    }
}

async fn route(app: &App, request: &Request) -> Response {
    let path = request.path.as_str();
    let read_only = matches!(request.method.as_str(), "GET" | "HEAD");
    if path == "/api" || path.starts_with("/api/") {
        api::handle(app, request)
    } else if path.starts_with("/ws") {
        Response::text(
            426,
            "this is a WebSocket endpoint; connect with a WebSocket client",
        )
        .header("Upgrade", "websocket")
    } else if !read_only {
        Response::text(405, "only GET and HEAD are served here").header("Allow", "GET, HEAD")
    } else if path == "/healthz" {
        Response::text(200, "ok")
    } else {
        app.files.serve(path).await
    }
}
