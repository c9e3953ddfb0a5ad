//! Who may use the server: Host and Origin rules against DNS rebinding and
//! cross-site requests, and JSON-only bodies for the control API.

mod common;

use common::{read_to_close, Server};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Error as WsError;

const UPGRADE_HEADERS: &str = "Upgrade: websocket\r\nConnection: Upgrade\r\n\
     Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

/// Sends `head` (request line and headers, without the blank line) plus
/// `Connection: close` and `body`, and returns the whole response.
async fn exchange(server: &Server, head: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(&server.address).await.unwrap();
    let request = format!(
        "{head}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    read_to_close(&mut stream).await
}

fn status_of(response: &str) -> &str {
    response.get(9..12).unwrap_or(response)
}

fn body_of(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[tokio::test]
async fn only_requests_addressed_to_localhost_or_a_loopback_address_are_answered() {
    let server = Server::start(&[]).await;
    let port = server.address.rsplit_once(':').unwrap().1;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LOCALHOST".to_owned(),
        "127.0.0.2".to_owned(),
        format!("[::1]:{port}"),
    ] {
        let response = exchange(
            &server,
            &format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n"),
            "",
        )
        .await;
        assert_eq!(status_of(&response), "200", "{host}: {response}");
    }
    // What a page sends after DNS rebinding made its own name resolve to us:
    // neither files, nor the API, nor WebSockets answer it.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("192.168.1.5:{port}"),
    ] {
        for head in [
            format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n"),
            format!("GET /api/counters HTTP/1.1\r\nHost: {host}\r\n"),
            format!("POST /api/reset HTTP/1.1\r\nHost: {host}\r\n"),
            format!("GET /ws HTTP/1.1\r\nHost: {host}\r\n{UPGRADE_HEADERS}"),
        ] {
            let response = exchange(&server, &head, "").await;
            assert_eq!(status_of(&response), "421", "{head}: {response}");
            assert_eq!(
                body_of(&response),
                format!(
                    "Host \"{host}\" is not served here; address this server as \
                     localhost or a loopback address such as 127.0.0.1\n"
                ),
            );
        }
    }
    assert_eq!(server.counters().await["connections"], 0);
}

#[tokio::test]
async fn requests_without_exactly_one_host_get_400() {
    let server = Server::start(&[]).await;
    let host = &server.address;
    for head in [
        "GET /healthz HTTP/1.1\r\n".to_owned(),
        "GET /healthz HTTP/1.0\r\n".to_owned(),
        format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\n"),
    ] {
        let response = exchange(&server, &head, "").await;
        assert_eq!(status_of(&response), "400", "{head}: {response}");
        assert_eq!(body_of(&response), "expected exactly one Host header\n");
    }
}

#[tokio::test]
async fn websocket_handshakes_from_pages_on_other_sites_get_403() {
    let server = Server::start(&[]).await;
    let handshake = |origin: &'static str| {
        let address = server.address.clone();
        async move {
            let mut request = format!("ws://{address}/ws").into_client_request().unwrap();
            request
                .headers_mut()
                .insert("Origin", HeaderValue::from_static(origin));
            let stream = TcpStream::connect(&address).await.unwrap();
            tokio_tungstenite::client_async(request, stream).await
        }
    };
    for origin in [
        "https://evil.example",
        "http://localhost.evil.example",
        "null",
    ] {
        match handshake(origin).await {
            Err(WsError::Http(response)) => assert_eq!(response.status(), 403, "{origin}"),
            Err(other) => panic!("{origin}: expected 403, got {other}"),
            Ok(_) => panic!("{origin}: the handshake succeeded"),
        }
    }
    // Test pages on loopback, e.g. a bundler's dev server, may connect.
    for origin in [
        "http://localhost:5173",
        "http://127.0.0.1:3000",
        "http://[::1]:8080",
    ] {
        let result = handshake(origin).await;
        assert!(result.is_ok(), "{origin}: {:?}", result.err());
    }
}

#[tokio::test]
async fn pages_on_other_sites_cannot_use_the_api() {
    let server = Server::start(&[]).await;
    let host = &server.address;
    let origin = "Origin: https://evil.example\r\n";
    for head in [
        format!("GET /api/counters HTTP/1.1\r\nHost: {host}\r\n{origin}"),
        // A form post needs no preflight; it must not reset anything.
        format!("POST /api/reset HTTP/1.1\r\nHost: {host}\r\n{origin}"),
        format!(
            "OPTIONS /api/reset HTTP/1.1\r\nHost: {host}\r\n{origin}\
             Access-Control-Request-Method: POST\r\n"
        ),
    ] {
        let response = exchange(&server, &head, "").await;
        assert_eq!(status_of(&response), "403", "{head}: {response}");
        assert!(
            !response
                .to_ascii_lowercase()
                .contains("access-control-allow-origin"),
            "{response}"
        );
        assert_eq!(
            body_of(&response),
            "Origin \"https://evil.example\" may not use this server; \
             only pages on localhost, a loopback address or this server may\n"
        );
    }
}

#[tokio::test]
async fn api_bodies_must_be_sent_as_json() {
    let server = Server::start(&[]).await;
    let post = |content_type: &str| {
        format!(
            "POST /api/refuse HTTP/1.1\r\nHost: {}\r\n{content_type}",
            server.address
        )
    };
    let body = r#"{"ms": 0}"#;
    for (content_type, got) in [
        ("Content-Type: text/plain\r\n", r#"\"text/plain\""#),
        (
            "Content-Type: application/x-www-form-urlencoded\r\n",
            r#"\"application/x-www-form-urlencoded\""#,
        ),
        ("", "none"),
    ] {
        let response = exchange(&server, &post(content_type), body).await;
        assert_eq!(status_of(&response), "415", "{content_type}: {response}");
        assert_eq!(
            body_of(&response),
            format!(r#"{{"error":"expected Content-Type: application/json, got {got}"}}"#)
        );
    }
    for content_type in [
        "Content-Type: application/json\r\n",
        "Content-Type: application/json; charset=utf-8\r\n",
    ] {
        let response = exchange(&server, &post(content_type), body).await;
        assert_eq!(status_of(&response), "200", "{content_type}: {response}");
    }
    // Without a body there is nothing to type: `curl -X POST …/api/reset`.
    let reset = format!("POST /api/reset HTTP/1.1\r\nHost: {}\r\n", server.address);
    let response = exchange(&server, &reset, "").await;
    assert_eq!(status_of(&response), "200", "{response}");
}
