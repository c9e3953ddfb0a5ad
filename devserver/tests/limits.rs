//! Running out of resources: file descriptors, and messages over the size
//! limit.

mod common;

use std::time::Duration;

use common::{recv_close, Server, Ws, SOON};
use futures_util::SinkExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data as OpData, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

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

/// The documented limit on a client's message, in bytes.
const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// Expects the server's close frame with 1009 (Message Too Big), then a
/// clean end of the TCP stream: FIN, not a reset that could have destroyed
/// the close frame before a browser read it.
async fn expect_close_1009(ws: &mut Ws) {
    let frame = recv_close(ws).await;
    assert_eq!(frame.code, CloseCode::Size);
    assert_eq!(
        frame.reason.as_str(),
        format!("message too big: the limit is {MAX_MESSAGE_BYTES} bytes")
    );
    let mut rest = Vec::new();
    let end = timeout(SOON, ws.get_mut().read_to_end(&mut rest))
        .await
        .expect("the server hung up in time");
    assert!(end.is_ok(), "expected FIN, got {end:?}");
}

#[tokio::test]
async fn a_frame_over_the_message_limit_gets_close_1009() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws").await;
    // A masked binary frame one byte over the limit, of which we send the
    // head and the first MiB: the server refuses it from the announced
    // length, and must not reset the connection over the unread payload.
    let length = (MAX_MESSAGE_BYTES as u64 + 1).to_be_bytes();
    let mut start = vec![0x82, 0x80 | 127];
    start.extend_from_slice(&length);
    start.extend_from_slice(&[1, 2, 3, 4]);
    start.resize(start.len() + 1024 * 1024, 0);
    ws.get_mut().write_all(&start).await.unwrap();
    expect_close_1009(&mut ws).await;
    drop(ws);
    server
        .wait_for_counters("the close to be counted", |c| {
            c["closes"] == 1 && c["open"] == 0
        })
        .await;
}

#[tokio::test]
async fn a_fragmented_message_growing_over_the_limit_gets_close_1009() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws").await;
    let half = vec![0u8; MAX_MESSAGE_BYTES / 2];
    let fragments = [
        Frame::message(half.clone(), OpCode::Data(OpData::Binary), false),
        Frame::message(half, OpCode::Data(OpData::Continue), false),
        // One byte more than the server may hold for an unfinished message.
        Frame::message(vec![0u8], OpCode::Data(OpData::Continue), false),
    ];
    for fragment in fragments {
        ws.send(Message::Frame(fragment)).await.unwrap();
    }
    expect_close_1009(&mut ws).await;
}
