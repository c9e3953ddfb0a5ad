//! Running out of resources: file descriptors, and messages over the size
//! limit.

mod common;

use std::time::Duration;

use common::{Server, SOON};
use tokio::net::TcpStream;

const ACCEPT_FAILED: &str = "accept failed";

/// Polls the server's log until it contains `text`.
async fn wait_for_log(server: &Server, text: &str) {
    let deadline = tokio::time::Instant::now() + SOON;
    while !server.stderr().contains(text) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {text:?} in the log:\n{}",
            server.stderr()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn out_of_file_descriptors_the_server_backs_off_and_recovers() {
    let server = Server::start_with_fd_limit(32).await;
    // More connections than descriptors: the rest wait in the listen queue,
    // where every accept fails with EMFILE.
    let mut held = Vec::new();
    for _ in 0..64 {
        held.push(TcpStream::connect(&server.address).await.expect("connect"));
    }
    wait_for_log(&server, ACCEPT_FAILED).await;
    // Retrying at once would log ~100,000 lines a second; pausing and
    // reporting at most once a second gives one or two.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let log = server.stderr();
    let failures_logged = log.matches(ACCEPT_FAILED).count();
    let first_lines: Vec<&str> = log.lines().take(10).collect();
    assert!(
        failures_logged <= 3,
        "{failures_logged} accept failures logged in about a second; log starts:\n{}",
        first_lines.join("\n")
    );

    drop(held);
    // Within one backoff step (at most 1 s) the server accepts again.
    let health = server.http("GET", "/healthz", None).await;
    assert_eq!(health.status, 200);
}
