//! The `/ws` endpoint: every behaviour and fault selectable by query parameter.

mod common;

use std::time::{Duration, Instant};

use common::{
    assert_silent, assert_socket_quiet, read_to_close, recv, recv_close, recv_text, send_text,
    Server, SOON,
};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

#[tokio::test]
async fn echoes_text_and_binary_and_answers_pings() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?label=echo").await;
    send_text(&mut ws, "hello").await;
    assert_eq!(recv_text(&mut ws).await, "hello");
    ws.send(Message::binary(vec![0u8, 1, 2, 255]))
        .await
        .unwrap();
    assert_eq!(recv(&mut ws).await, Message::binary(vec![0u8, 1, 2, 255]));
    send_text(&mut ws, "ping").await;
    assert_eq!(recv_text(&mut ws).await, "pong");

    let connection = server.connection("echo").await;
    assert_eq!(connection["state"], "open");
    assert_eq!(connection["path"], "/ws");
    assert_eq!(connection["messagesIn"], 3);
    assert_eq!(connection["messagesOut"], 3);
    assert_eq!(connection["pingsIn"], 1);
    assert_eq!(connection["pongsOut"], 1);
}

#[tokio::test]
async fn custom_heartbeat_strings() {
    let server = Server::start(&[]).await;
    let mut ws = server
        .ws("/ws/custom?ping=%7B%22t%22%3A%22hb%22%7D&pong=ok")
        .await;
    send_text(&mut ws, r#"{"t":"hb"}"#).await;
    assert_eq!(recv_text(&mut ws).await, "ok");
    // The default ping is now ordinary data.
    send_text(&mut ws, "ping").await;
    assert_eq!(recv_text(&mut ws).await, "ping");
}

#[tokio::test]
async fn pong_delay_holds_pongs_but_not_echoes() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?pongDelay=300").await;
    let sent = Instant::now();
    send_text(&mut ws, "ping").await;
    send_text(&mut ws, "ping").await;
    send_text(&mut ws, "data").await;
    assert_eq!(recv_text(&mut ws).await, "data");
    assert!(
        sent.elapsed() < Duration::from_millis(300),
        "echo was delayed"
    );
    assert_eq!(recv_text(&mut ws).await, "pong");
    let elapsed = sent.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300),
        "pong after {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(2300),
        "pong after {elapsed:?}"
    );
    assert_eq!(recv_text(&mut ws).await, "pong");
}

#[tokio::test]
async fn push_sends_numbered_messages() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?push=40").await;
    for seq in 1..=3 {
        assert_eq!(recv_text(&mut ws).await, format!("push {seq}"));
    }
}

#[tokio::test]
async fn server_ping_counts_pongs_without_echoing_them() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?serverPing=60&label=sp").await;
    assert_eq!(recv_text(&mut ws).await, "ping");
    send_text(&mut ws, "pong").await;
    // The next message is the next server ping, not an echoed "pong".
    assert_eq!(recv_text(&mut ws).await, "ping");
    let connection = server.connection("sp").await;
    assert_eq!(connection["behaviour"]["serverPing"], 60);
    assert_eq!(connection["pongsIn"], 1);
    assert!(connection["serverPingsOut"].as_u64().unwrap() >= 2);
    assert_eq!(server.counters().await["pongsIn"], 1);
}

#[tokio::test]
async fn scheduled_close_delivers_code_and_reason() {
    let server = Server::start(&[]).await;
    let mut ws = server
        .ws("/ws?close=4001&reason=going+away&closeAfter=50")
        .await;
    let frame = recv_close(&mut ws).await;
    assert_eq!(frame.code, CloseCode::from(4001));
    assert_eq!(frame.reason.as_str(), "going away");
    server
        .wait_for_counters("the close to be counted", |c| c["closes"] == 1)
        .await;
}

#[tokio::test]
async fn servers_may_close_with_codes_clients_cannot_send() {
    let server = Server::start(&[]).await;
    for code in [1002, 1008, 1011] {
        let mut ws = server.ws(&format!("/ws?close={code}")).await;
        let frame = recv_close(&mut ws).await;
        assert_eq!(frame.code, CloseCode::from(code));
    }
}

#[tokio::test]
async fn drop_after_resets_without_close_frame() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?dropAfter=50").await;
    let end = timeout(SOON, ws.next())
        .await
        .expect("connection ended in time");
    match end {
        Some(Err(WsError::Protocol(_) | WsError::Io(_))) | None => {}
        other => panic!("expected an abrupt end without close frame, got {other:?}"),
    }
    let counters = server
        .wait_for_counters("the drop to be counted", |c| c["drops"] == 1)
        .await;
    assert_eq!(counters["closes"], 0);
}

#[tokio::test]
async fn silent_mode_reads_and_writes_nothing() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?mode=silent&label=s").await;
    send_text(&mut ws, "ping").await;
    assert_silent(&mut ws).await;
    // Even a close frame goes unanswered: the connection is half-open.
    ws.send(Message::Close(None)).await.unwrap();
    assert_silent(&mut ws).await;
    let connection = server.connection("s").await;
    assert_eq!(connection["behaviour"]["mode"], "silent");
    assert_eq!(connection["messagesIn"], 0);
}

#[tokio::test]
async fn silent_mode_keeps_the_tcp_connection_open() {
    let server = Server::start(&[]).await;
    let mut stream = server.raw_upgrade("/ws?mode=silent").await;
    let mut head = vec![0u8; 512];
    let read = timeout(SOON, tokio::io::AsyncReadExt::read(&mut stream, &mut head))
        .await
        .expect("101 in time")
        .unwrap();
    assert!(String::from_utf8_lossy(&head[..read]).starts_with("HTTP/1.1 101"));
    // A masked text frame "ping": no answer, no FIN, no RST.
    let frame = [
        0x81,
        0x84,
        1,
        2,
        3,
        4,
        b'p' ^ 1,
        b'i' ^ 2,
        b'n' ^ 3,
        b'g' ^ 4,
    ];
    tokio::io::AsyncWriteExt::write_all(&mut stream, &frame)
        .await
        .unwrap();
    assert_socket_quiet(&mut stream).await;
    assert_socket_quiet(&mut stream).await;
}

#[tokio::test]
async fn silent_connections_are_released_when_the_client_hangs_up() {
    let server = Server::start(&[]).await;
    let idle = server.ws("/ws?mode=silent").await;
    let mut chatty = server.ws("/ws?mode=silent").await;
    // Unread bytes keep the socket readable; hang-up must still be noticed.
    send_text(&mut chatty, "ping").await;
    server
        .wait_for_counters("both open", |c| c["open"] == 2)
        .await;
    drop(idle);
    drop(chatty);
    server
        .wait_for_counters("both released", |c| c["open"] == 0)
        .await;
}

#[tokio::test]
async fn silent_after_switches_mid_connection() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?silentAfter=300&label=sa").await;
    send_text(&mut ws, "ping").await;
    assert_eq!(recv_text(&mut ws).await, "pong");
    tokio::time::sleep(Duration::from_millis(500)).await;
    send_text(&mut ws, "ping").await;
    assert_silent(&mut ws).await;
    assert_eq!(server.connection("sa").await["behaviour"]["mode"], "silent");
}

#[tokio::test]
async fn no_pong_swallows_pings_only() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?mode=no-pong&label=np").await;
    send_text(&mut ws, "ping").await;
    assert_silent(&mut ws).await;
    send_text(&mut ws, "data").await;
    assert_eq!(recv_text(&mut ws).await, "data");
    ws.send(Message::binary(vec![7u8])).await.unwrap();
    assert_eq!(recv(&mut ws).await, Message::binary(vec![7u8]));
    let connection = server.connection("np").await;
    assert_eq!(connection["pingsIn"], 1);
    assert_eq!(connection["pongsOut"], 0);
}

#[tokio::test]
async fn stall_never_answers_the_handshake() {
    let server = Server::start(&[]).await;
    let mut stream = server.raw_upgrade("/ws?mode=stall&label=st").await;
    assert_socket_quiet(&mut stream).await;
    let connection = server.connection("st").await;
    assert_eq!(connection["state"], "stalled");
    let counters = server.counters().await;
    assert_eq!(
        (counters["stalled"].clone(), counters["connections"].clone()),
        (1.into(), 0.into())
    );
    // Patching a stalled connection makes no sense: there is no WebSocket yet.
    let path = format!("/api/connections/{}", connection["id"]);
    let (status, _) = server
        .api("POST", &path, Some(serde_json::json!({"send": "x"})))
        .await;
    assert_eq!(status, 409);
    drop(stream);
    server
        .wait_for(
            "/api/connections",
            "the stalled connection to be released after its client left",
            |list| list.as_array().unwrap().is_empty(),
        )
        .await;
}

#[tokio::test]
async fn refuse_mode_answers_503() {
    let server = Server::start(&[]).await;
    assert_eq!(server.ws_refusal("/ws?mode=refuse").await, 503);
    assert_eq!(server.counters().await["refused"], 1);
}

#[tokio::test]
async fn invalid_parameters_get_400_naming_the_parameter() {
    let server = Server::start(&[]).await;
    let cases = [
        (
            "pongDelay=abc",
            r#"pongDelay: expected a non-negative integer (ms), got "abc""#,
        ),
        (
            "mode=loud",
            r#"mode: expected "echo", "silent", "no-pong", "stall" or "refuse", got "loud""#,
        ),
        (
            "close=1006",
            "close: expected a close code a server may send (1000-1003, 1007-1014, 3000-4999), got 1006",
        ),
        (
            "push=1.5",
            r#"push: expected a non-negative integer (ms), got "1.5""#,
        ),
        (
            "closeAfter=5",
            "closeAfter: only applies together with close=CODE",
        ),
    ];
    for (query, message) in cases {
        let mut stream = server.raw_upgrade(&format!("/ws?{query}")).await;
        let response = read_to_close(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 400 "), "{query}: {response}");
        assert!(
            response.ends_with(&format!("\r\n\r\n{message}\n")),
            "{query}: {response}"
        );
    }
    assert_eq!(server.counters().await["connections"], 0);
}

#[tokio::test]
async fn unknown_parameters_are_ignored() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?token=abc&_=123").await;
    send_text(&mut ws, "ping").await;
    assert_eq!(recv_text(&mut ws).await, "pong");
}

#[tokio::test]
async fn logs_show_path_and_mode_but_never_the_query() {
    let server = Server::start_verbose(&[]).await;
    let mut ws = server
        .ws("/ws/app?mode=no-pong&token=SECRET-TOKEN-123")
        .await;
    send_text(&mut ws, "x").await;
    assert_eq!(recv_text(&mut ws).await, "x");
    ws.close(None).await.unwrap();
    let _ = server.ws_refusal("/ws?pongDelay=SECRET-VALUE-456").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = server.stderr();
    assert!(log.contains("open /ws/app mode=no-pong"), "{log}");
    assert!(log.contains("closed by client"), "{log}");
    assert!(log.contains("invalid pongDelay"), "{log}");
    assert!(!log.contains("SECRET"), "{log}");
    assert!(!log.contains('?'), "{log}");
}

#[tokio::test]
async fn shutdown_closes_websockets_with_1001_and_exits_0() {
    let server = Server::start(&[]).await;
    let mut first = server.ws("/ws").await;
    let mut silent = server.ws("/ws?mode=silent").await;
    let _stalled = server.raw_upgrade("/ws?mode=stall").await;
    server
        .wait_for_counters("both sockets", |c| c["open"] == 2 && c["stalled"] == 1)
        .await;
    let started = Instant::now();
    let exit = server.terminate().await;
    assert_eq!(exit, Some(0));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "shutdown took {:?}",
        started.elapsed()
    );
    for ws in [&mut first, &mut silent] {
        let frame = recv_close(ws).await;
        assert_eq!(frame.code, CloseCode::Away);
        assert_eq!(frame.reason.as_str(), "server shutting down");
    }
}

#[tokio::test]
async fn selects_the_first_offered_subprotocol() {
    let server = Server::start(&[]).await;
    let mut request = format!("ws://{}/ws", server.address)
        .into_client_request()
        .unwrap();
    let offered = HeaderValue::from_static("chat.v2, chat.v1");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", offered);
    let stream = TcpStream::connect(&server.address).await.unwrap();
    let (mut ws, response) = tokio_tungstenite::client_async(request, stream)
        .await
        .unwrap();
    assert_eq!(response.headers()["sec-websocket-protocol"], "chat.v2");
    send_text(&mut ws, "ping").await;
    assert_eq!(recv_text(&mut ws).await, "pong");
}
