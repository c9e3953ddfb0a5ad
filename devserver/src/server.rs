//! Accepting TCP connections and dispatching each HTTP request: WebSocket
//! upgrades, the control API, the health check and static files.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::accept_backoff::AcceptBackoff;
use crate::access::Access;
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
    pub limits: Limits,
    pub access: Access,
}

/// Bounds on what clients can make the server hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open TCP connections, WebSockets and stalled handshakes included;
    /// further ones are answered 503 and closed.
    pub max_connections: usize,
    /// How long a whole request may take to arrive, counted from the
    /// connection's start or the previous response.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1024,
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// Accepts connections until `stop` resolves, and returns its output.
pub async fn serve<T>(listener: TcpListener, app: Arc<App>, stop: impl Future<Output = T>) -> T {
    tokio::pin!(stop);
    let mut backoff = AcceptBackoff::default();
    let connection_slots = Arc::new(Semaphore::new(app.limits.max_connections));
    loop {
        tokio::select! {
            stopped = &mut stop => return stopped,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    backoff.succeeded();
                    let app = Arc::clone(&app);
                    match Arc::clone(&connection_slots).try_acquire_owned() {
                        Ok(slot) => tokio::spawn(serve_socket(app, stream, slot)),
                        Err(_) => tokio::spawn(refuse_socket(app, stream)),
                    };
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

/// Answers a connection over the cap with 503, without reading its request.
async fn refuse_socket(app: Arc<App>, stream: TcpStream) {
    let limit = app.limits.max_connections;
    app.log
        .connection(format_args!("http 503: {limit} connections open already"));
    let response = Response::text(
        503,
        format!("too many connections: this server serves at most {limit} at a time"),
    );
    HttpConnection::new(stream, app.limits.request_timeout)
        .reject(response)
        .await;
}

/// Serves one connection, holding `_slot` of the connection cap until it ends.
async fn serve_socket(app: Arc<App>, stream: TcpStream, _slot: OwnedSemaphorePermit) {
    // Heartbeat traffic is tiny and latency-sensitive.
    let _ = stream.set_nodelay(true);
    let mut http = HttpConnection::new(stream, app.limits.request_timeout);
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
        if let Err(refusal) = app.access.check(&request) {
            let status = refusal.status;
            app.log
                .connection(format_args!("http {status}: {}", refusal.reason));
            return http.reject(refusal.into_response()).await;
        }
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

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// Generous bound for what should happen soon on a busy machine.
    const SOON: Duration = Duration::from_secs(5);

    /// Serves on a free loopback port, in this test's runtime, with `limits`.
    async fn start(limits: Limits) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = Arc::new(App {
            registry: Arc::new(Registry::new(Instant::now())),
            files: StaticFiles::new(Vec::new()),
            log: Log::new(Instant::now(), true),
            limits,
            access: Access::new("127.0.0.1", address.ip()),
        });
        tokio::spawn(serve(listener, app, std::future::pending::<()>()));
        address
    }

    /// Sends `request` and reads until the server closes the connection.
    async fn exchange(address: SocketAddr, request: &str) -> String {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        tokio::time::timeout(SOON, stream.read_to_end(&mut response))
            .await
            .expect("the server hung up in time")
            .unwrap();
        String::from_utf8(response).unwrap()
    }

    const HEALTH_CHECK: &str =
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

    #[tokio::test]
    async fn connections_over_the_cap_get_503_until_one_closes() {
        let limits = Limits {
            max_connections: 2,
            ..Limits::default()
        };
        let address = start(limits).await;
        let first = TcpStream::connect(address).await.unwrap();
        let _second = TcpStream::connect(address).await.unwrap();
        let refused = exchange(address, HEALTH_CHECK).await;
        assert!(refused.starts_with("HTTP/1.1 503 "), "{refused}");
        assert!(
            refused.ends_with("serves at most 2 at a time\n"),
            "{refused}"
        );

        drop(first);
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            let response = exchange(address, HEALTH_CHECK).await;
            if response.starts_with("HTTP/1.1 200 ") {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "a slot was not freed: {response}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[tokio::test]
    async fn an_incomplete_request_head_gets_408_after_the_timeout() {
        let limits = Limits {
            request_timeout: Duration::from_millis(200),
            ..Limits::default()
        };
        let address = start(limits).await;
        let started = tokio::time::Instant::now();
        let response = exchange(address, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").await;
        assert!(response.starts_with("HTTP/1.1 408 "), "{response}");
        assert!(started.elapsed() >= limits.request_timeout);
    }

    #[tokio::test]
    async fn an_incomplete_request_body_gets_408_after_the_timeout() {
        let limits = Limits {
            request_timeout: Duration::from_millis(200),
            ..Limits::default()
        };
        let address = start(limits).await;
        let request = "POST /api/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{}";
        let response = exchange(address, request).await;
        assert!(response.starts_with("HTTP/1.1 408 "), "{response}");
    }

    #[tokio::test]
    async fn a_connection_that_sends_nothing_is_closed_quietly_after_the_timeout() {
        let limits = Limits {
            request_timeout: Duration::from_millis(200),
            ..Limits::default()
        };
        let address = start(limits).await;
        assert_eq!(exchange(address, "").await, "");
    }
}
