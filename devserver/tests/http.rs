//! The plain-HTTP side and the command line: static files, health check,
//! keep-alive, the `listening on` line, usage and flag errors.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{read_to_close, HttpClient, Server};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

const BINARY: &str = env!("CARGO_BIN_EXE_heartbeat-ws-devserver");

/// A throwaway site: `demo/` for `/`, `pkg/` for `/pkg`, and a secret file
/// beside them that traversal attempts go after.
struct Site {
    root: PathBuf,
}

impl Site {
    fn new(name: &str) -> Site {
        let root =
            std::env::temp_dir().join(format!("devserver-site-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let files: [(&str, &[u8]); 12] = [
            ("demo/index.html", b"<h1>demo</h1>"),
            ("demo/app.js", b"export {}"),
            ("demo/style.css", b"body{}"),
            ("demo/data.json", b"{}"),
            ("demo/logo.svg", b"<svg/>"),
            ("demo/logo.png", b"\x89PNG"),
            ("demo/notes.txt", b"notes"),
            ("demo/sub/index.html", b"sub"),
            ("pkg/heartbeat_ws_bg.wasm", b"\0asm"),
            ("pkg/heartbeat_ws.js", b"export {}"),
            ("pkg/heartbeat_ws.d.ts", b"export {}"),
            ("secret.txt", b"top secret"),
        ];
        for (path, contents) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        Site { root }
    }

    async fn serve(&self) -> Server {
        let demo = format!("/={}", self.root.join("demo").display());
        let pkg = format!("/pkg={}", self.root.join("pkg").display());
        Server::start(&["--static", &demo, "--static", &pkg]).await
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[tokio::test]
async fn serves_files_with_content_types() {
    let site = Site::new("types");
    let server = site.serve().await;
    let cases = [
        ("/", "text/html; charset=utf-8", "<h1>demo</h1>"),
        ("/app.js", "text/javascript; charset=utf-8", "export {}"),
        ("/style.css", "text/css; charset=utf-8", "body{}"),
        ("/data.json", "application/json", "{}"),
        ("/logo.svg", "image/svg+xml", "<svg/>"),
        ("/logo.png", "image/png", "\u{fffd}PNG"),
        ("/notes.txt", "text/plain; charset=utf-8", "notes"),
        ("/sub/", "text/html; charset=utf-8", "sub"),
        ("/pkg/heartbeat_ws_bg.wasm", "application/wasm", "\0asm"),
        (
            "/pkg/heartbeat_ws.js",
            "text/javascript; charset=utf-8",
            "export {}",
        ),
        (
            "/pkg/heartbeat_ws.d.ts",
            "text/plain; charset=utf-8",
            "export {}",
        ),
        (
            "/pkg/heartbeat%5Fws.js",
            "text/javascript; charset=utf-8",
            "export {}",
        ),
    ];
    let mut client = HttpClient::connect(&server).await;
    for (path, content_type, body) in cases {
        // All on one keep-alive connection.
        let reply = client.request("GET", path, &[], None).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(reply.text(), body, "{path}");
    }
    let head = client
        .request("HEAD", "/pkg/heartbeat_ws_bg.wasm", &[], None)
        .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("4"));
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn rejects_traversal_missing_files_and_directories() {
    let site = Site::new("traversal");
    let server = site.serve().await;
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/pkg/..%2f..%2fsecret.txt",
        "/pkg/../../secret.txt",
        "/sub/..%5c..%5csecret.txt",
        "/missing.html",
        "/sub",
        "/pkgx/heartbeat_ws.js",
        "/%zz",
    ] {
        // Raw request lines: a client library would normalise the dots away.
        let mut stream = TcpStream::connect(&server.address).await.unwrap();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.address
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let response = read_to_close(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 404 "), "{path}: {response}");
        assert!(!response.contains("top secret"), "{path}");
    }
}

#[tokio::test]
async fn health_check_and_plain_requests_to_the_websocket_path() {
    let server = Server::start(&[]).await;
    let health = server.http("GET", "/healthz", None).await;
    assert_eq!((health.status, health.text()), (200, "ok\n".to_owned()));
    let ws = server.http("GET", "/ws", None).await;
    assert_eq!(ws.status, 426);
    let post = server.http("POST", "/index.html", Some("{}")).await;
    assert_eq!(post.status, 405);
    // No static mounts: everything else is 404.
    assert_eq!(server.http("GET", "/", None).await.status, 404);
}

#[tokio::test]
async fn oversized_heads_are_refused() {
    let server = Server::start(&[]).await;
    let mut stream = TcpStream::connect(&server.address).await.unwrap();
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    // The server may hang up before reading all of it; that is fine.
    let _ = stream.write_all(huge.as_bytes()).await;
    let response = read_to_close(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 431 "), "{response}");
}

#[tokio::test]
async fn ambiguous_body_lengths_are_refused_with_400() {
    let server = Server::start(&[]).await;
    for (framing, reason) in [
        (
            "Content-Length: 2\r\nContent-Length: 2",
            "more than one Content-Length header",
        ),
        (
            "Content-Length: 2\r\nTransfer-Encoding: chunked",
            "both Transfer-Encoding and Content-Length",
        ),
    ] {
        let mut stream = TcpStream::connect(&server.address).await.unwrap();
        let request = format!(
            "POST /api/reset HTTP/1.1\r\nHost: {}\r\n{framing}\r\n\r\n{{}}",
            server.address
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let response = read_to_close(&mut stream).await;
        assert!(
            response.starts_with("HTTP/1.1 400 "),
            "{framing}: {response}"
        );
        assert!(
            response.ends_with(&format!("\r\n\r\nmalformed request: {reason}\n")),
            "{framing}: {response}"
        );
    }
}

#[tokio::test]
async fn announces_the_chosen_port() {
    let server = Server::start(&[]).await;
    let (host, port) = server.address.rsplit_once(':').unwrap();
    assert_eq!(host, "127.0.0.1");
    assert_ne!(port.parse::<u16>().unwrap(), 0);
}

#[test]
fn help_prints_usage() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let usage = String::from_utf8_lossy(&output.stdout);
    for flag in ["--host", "--port", "--static PREFIX=DIR", "--quiet"] {
        assert!(usage.contains(flag), "{usage}");
    }
}

#[test]
fn bad_flags_exit_2_naming_the_flag() {
    for (args, message) in [
        (
            &["--port", "http"][..],
            "--port: expected a port number 0-65535, got \"http\"",
        ),
        (&["--frobnicate"][..], "unknown flag --frobnicate"),
        (&["--static", "demo"][..], "--static: expected PREFIX=DIR"),
        (&["--host"][..], "--host: missing value"),
    ] {
        let output = Command::new(BINARY).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
