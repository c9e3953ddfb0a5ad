//! The `/api` control surface: inspecting and patching connections, global
//! faults, counters, and input validation.

mod common;

use std::time::{Duration, Instant};

use common::{
    assert_silent, assert_socket_quiet, recv_close, recv_text, send_text, HttpClient, Server, SOON,
};
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Error as WsError;

async fn id_of(server: &Server, label: &str) -> u64 {
    server.connection(label).await["id"].as_u64().unwrap()
}

#[tokio::test]
async fn connection_objects_have_the_documented_shape() {
    let server = Server::start(&[]).await;
    let _first = server
        .ws("/ws?label=a&pongDelay=5&push=60000&serverPing=70000")
        .await;
    let _second = server.ws("/ws/other").await;
    let list = server.api_ok("GET", "/api/connections", None).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let first = &list[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "id",
        "label",
        "path",
        "state",
        "behaviour",
        "openedAt",
        "messagesIn",
        "messagesOut",
        "pingsIn",
        "pongsOut",
        "serverPingsOut",
        "pongsIn",
    ];
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(keys_sorted, expected);
    assert_eq!(first["label"], "a");
    assert_eq!(first["state"], "open");
    assert_eq!(
        first["behaviour"],
        json!({"mode": "echo", "ping": "ping", "pong": "pong", "pongDelay": 5, "push": 60000, "serverPing": 70000})
    );
    assert!(first["openedAt"].is_u64());
    // Oldest first.
    assert_eq!(list[1]["label"], Value::Null);
    assert_eq!(list[1]["path"], "/ws/other");
    assert!(list[1]["id"].as_u64() > first["id"].as_u64());

    let id = first["id"].as_u64().unwrap();
    let one = server
        .api_ok("GET", &format!("/api/connections/{id}"), None)
        .await;
    assert_eq!(one["label"], "a");
    let (status, body) = server.api("GET", "/api/connections/999", None).await;
    assert_eq!((status, body), (404, json!({"error": "no connection 999"})));
}

#[tokio::test]
async fn closed_connections_leave_the_list() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws").await;
    ws.close(None).await.unwrap();
    while ws.next().await.is_some() {}
    server
        .wait_for_counters("the connection to be gone", |c| c["open"] == 0)
        .await;
    assert_eq!(
        server.api_ok("GET", "/api/connections", None).await,
        json!([])
    );
}

#[tokio::test]
async fn live_patch_switches_modes_sends_and_closes() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?label=live").await;
    let path = format!("/api/connections/{}", id_of(&server, "live").await);

    let updated = server
        .api_ok("POST", &path, Some(json!({"mode": "silent"})))
        .await;
    assert_eq!(updated["behaviour"]["mode"], "silent");
    send_text(&mut ws, "ping").await;
    assert_silent(&mut ws).await;

    // Back to echo: the ping read while silent was never consumed, so it
    // is answered now, followed by the message the API asked us to send.
    server
        .api_ok(
            "POST",
            &path,
            Some(json!({"mode": "echo", "send": "from api"})),
        )
        .await;
    let mut received = vec![recv_text(&mut ws).await, recv_text(&mut ws).await];
    received.sort();
    assert_eq!(received, vec!["from api".to_owned(), "pong".to_owned()]);

    server
        .api_ok(
            "POST",
            &path,
            Some(json!({"ping": "hb", "pong": "ack", "pongDelay": 100})),
        )
        .await;
    let sent = Instant::now();
    send_text(&mut ws, "hb").await;
    assert_eq!(recv_text(&mut ws).await, "ack");
    assert!(sent.elapsed() >= Duration::from_millis(100));

    server
        .api_ok("POST", &path, Some(json!({"push": 30})))
        .await;
    assert_eq!(recv_text(&mut ws).await, "push 1");
    server
        .api_ok("POST", &path, Some(json!({"push": 0, "mode": "no-pong"})))
        .await;
    send_text(&mut ws, "hb").await;
    send_text(&mut ws, "after").await;
    // Pushes may still be in flight from before the patch; skip them.
    loop {
        let text = recv_text(&mut ws).await;
        if !text.starts_with("push ") {
            assert_eq!(text, "after", "no-pong must swallow the ping");
            break;
        }
    }

    server
        .api_ok(
            "POST",
            &path,
            Some(json!({"close": {"code": 4002, "reason": "later", "after": 50}})),
        )
        .await;
    let frame = recv_close(&mut ws).await;
    assert_eq!(frame.code, CloseCode::from(4002));
    assert_eq!(frame.reason.as_str(), "later");
}

#[tokio::test]
async fn server_ping_can_be_started_live() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?label=sp").await;
    let path = format!("/api/connections/{}", id_of(&server, "sp").await);
    server
        .api_ok("POST", &path, Some(json!({"serverPing": 50})))
        .await;
    assert_eq!(recv_text(&mut ws).await, "ping");
    send_text(&mut ws, "pong").await;
    server
        .wait_for_counters("the pong to be counted", |c| c["pongsIn"] == 1)
        .await;
}

#[tokio::test]
async fn drop_via_api_resets_the_connection() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?label=d").await;
    let path = format!("/api/connections/{}", id_of(&server, "d").await);
    server
        .api_ok("POST", &path, Some(json!({"drop": {}})))
        .await;
    let end = timeout(SOON, ws.next())
        .await
        .expect("connection ended in time");
    assert!(
        matches!(end, Some(Err(WsError::Protocol(_) | WsError::Io(_))) | None),
        "expected an abrupt end, got {end:?}"
    );
    server
        .wait_for_counters("the drop", |c| c["drops"] == 1)
        .await;
}

#[tokio::test]
async fn patch_all_applies_to_every_connection() {
    let server = Server::start(&[]).await;
    let mut first = server.ws("/ws").await;
    let mut second = server.ws("/ws").await;
    let views = server
        .api_ok(
            "POST",
            "/api/connections/all",
            Some(json!({"send": "both", "pong": "p2"})),
        )
        .await;
    let views = views.as_array().unwrap();
    assert_eq!(views.len(), 2);
    assert!(views.iter().all(|view| view["behaviour"]["pong"] == "p2"));
    for ws in [&mut first, &mut second] {
        assert_eq!(recv_text(ws).await, "both");
        send_text(ws, "ping").await;
        assert_eq!(recv_text(ws).await, "p2");
    }
}

#[tokio::test]
async fn refuse_window_then_recovery() {
    let server = Server::start(&[]).await;
    let answer = server
        .api_ok("POST", "/api/refuse", Some(json!({"ms": 400})))
        .await;
    assert!(answer["refuseUntil"].as_u64().unwrap() >= 400);
    let set_at = Instant::now();
    assert_eq!(server.ws_refusal("/ws").await, 503);
    assert_eq!(server.counters().await["refused"], 1);
    tokio::time::sleep(Duration::from_millis(400).saturating_sub(set_at.elapsed())).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut ws = server.ws("/ws").await;
    send_text(&mut ws, "ping").await;
    assert_eq!(recv_text(&mut ws).await, "pong");

    // A custom status, then cancelled early.
    server
        .api_ok(
            "POST",
            "/api/refuse",
            Some(json!({"ms": 60000, "status": 502})),
        )
        .await;
    assert_eq!(server.ws_refusal("/ws").await, 502);
    let answer = server
        .api_ok("POST", "/api/refuse", Some(json!({"ms": 0})))
        .await;
    assert_eq!(answer, json!({"refuseUntil": null}));
    server.ws("/ws").await;
}

#[tokio::test]
async fn stall_window_then_recovery() {
    let server = Server::start(&[]).await;
    let answer = server
        .api_ok("POST", "/api/stall", Some(json!({"ms": 60000})))
        .await;
    assert!(answer["stallUntil"].as_u64().unwrap() >= 60000);
    let mut stalled = server.raw_upgrade("/ws?label=held").await;
    assert_socket_quiet(&mut stalled).await;
    assert_eq!(server.connection("held").await["state"], "stalled");
    assert_eq!(
        server
            .api_ok("POST", "/api/stall", Some(json!({"ms": 0})))
            .await,
        json!({"stallUntil": null})
    );
    server.ws("/ws").await;
    // Connections stalled during the window stay stalled.
    assert_socket_quiet(&mut stalled).await;

    server
        .api_ok("POST", "/api/stall", Some(json!({"ms": 200})))
        .await;
    let mut short = server.raw_upgrade("/ws").await;
    assert_socket_quiet(&mut short).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.ws("/ws").await;
}

#[tokio::test]
async fn counters_and_reset() {
    let server = Server::start(&[]).await;
    let mut ws = server.ws("/ws?serverPing=40").await;
    send_text(&mut ws, "ping").await;
    send_text(&mut ws, "data").await;
    let mut seen = Vec::new();
    while seen.len() < 3 {
        let text = recv_text(&mut ws).await;
        if text == "ping" {
            send_text(&mut ws, "pong").await;
        }
        seen.push(text);
    }
    let _ = server.ws_refusal("/ws?mode=refuse").await;
    let counters = server
        .wait_for_counters("the pong", |c| c["pongsIn"].as_u64() >= Some(1))
        .await;
    assert_eq!(counters["connections"], 1);
    assert_eq!(counters["open"], 1);
    assert_eq!(counters["refused"], 1);
    assert_eq!(counters["pingsIn"], 1);
    assert_eq!(counters["pongsOut"], 1);
    assert!(counters["serverPingsOut"].as_u64() >= Some(1));
    assert!(counters["messagesIn"].as_u64() >= Some(3));
    assert!(counters["messagesOut"].as_u64() >= Some(3));
    for key in ["stalled", "closes", "drops"] {
        assert_eq!(counters[key], 0, "{key}");
    }

    server
        .api_ok("POST", "/api/refuse", Some(json!({"ms": 60000})))
        .await;
    let after_reset = server.api_ok("POST", "/api/reset", None).await;
    assert_eq!(after_reset["connections"], 0);
    assert_eq!(after_reset["messagesIn"], 0);
    assert_eq!(after_reset["open"], 1, "open is live state, not a counter");
    server.ws("/ws").await; // The refuse window was cancelled by the reset.

    let after_close_all = server
        .api_ok("POST", "/api/reset", Some(json!({"closeAll": true})))
        .await;
    assert!(after_close_all.is_object());
    assert_eq!(recv_close(&mut ws).await.code, CloseCode::Away);
    server
        .wait_for_counters("all closed", |c| c["open"] == 0)
        .await;
}

#[tokio::test]
async fn bad_bodies_are_rejected_with_the_field_name() {
    let server = Server::start(&[]).await;
    let _ws = server.ws("/ws?label=v").await;
    let path = format!("/api/connections/{}", id_of(&server, "v").await);
    let cases = [
        (json!({"pongDelay": "abc"}), r#"pongDelay: expected a non-negative integer (ms), got "abc""#),
        (json!({"mode": "stall"}), r#"mode: expected "echo", "silent" or "no-pong", got "stall""#),
        (json!({"close": {"code": 1005}}), "close.code: expected a close code a server may send (1000-1003, 1007-1014, 3000-4999), got 1005"),
        (json!({"close": 4000}), r#"close: expected an object like {"code": 4000, "reason": "bye", "after": 0}, got 4000"#),
        (json!({"send": ["x"]}), r#"send: expected a string, got ["x"]"#),
        (json!({"colour": "red"}), "colour: unknown field; expected one of mode, ping, pong, pongDelay, push, serverPing, send, close, drop"),
        (json!([1, 2]), "body: expected a JSON object, got [1,2]"),
    ];
    for (body, message) in cases {
        let (status, answer) = server.api("POST", &path, Some(body.clone())).await;
        assert_eq!((status, answer), (400, json!({"error": message})), "{body}");
    }
    let (status, answer) = server
        .api("POST", "/api/refuse", Some(json!({"status": 503})))
        .await;
    assert_eq!(
        (status, answer),
        (400, json!({"error": "ms: required field is missing"}))
    );
    let (status, answer) = server
        .api("POST", "/api/refuse", Some(json!({"ms": 5, "status": 200})))
        .await;
    assert_eq!(
        (status, answer),
        (
            400,
            json!({"error": "status: expected an HTTP status 400-599, got 200"})
        )
    );
    let (status, answer) = server
        .api("POST", "/api/reset", Some(json!({"closeAll": "yes"})))
        .await;
    assert_eq!(
        (status, answer),
        (
            400,
            json!({"error": r#"closeAll: expected true or false, got "yes""#})
        )
    );

    let reply = server.http("POST", &path, Some("{not json")).await;
    assert_eq!(reply.status, 400);
    assert!(
        reply
            .text()
            .contains("body: expected JSON, got invalid JSON"),
        "{}",
        reply.text()
    );
    // Nothing was applied by the rejected patches.
    assert_eq!(server.connection("v").await["behaviour"]["mode"], "echo");
}

#[tokio::test]
async fn unknown_endpoints_methods_and_preflight() {
    let server = Server::start(&[]).await;
    let (status, answer) = server.api("GET", "/api/nope", None).await;
    assert_eq!(
        (status, answer),
        (404, json!({"error": "no API endpoint /api/nope"}))
    );
    let (status, _) = server.api("DELETE", "/api/connections", None).await;
    assert_eq!(status, 405);
    let (status, _) = server.api("GET", "/api/refuse", None).await;
    assert_eq!(status, 405);
    let (status, _) = server.api("POST", "/api/counters", None).await;
    assert_eq!(status, 405);
    let (status, _) = server.api("GET", "/api/connections/abc", None).await;
    assert_eq!(status, 404);

    // A test page served from another loopback port may use the API.
    let page = "http://localhost:5173";
    let mut client = HttpClient::connect(&server).await;
    let preflight = client
        .request(
            "OPTIONS",
            "/api/connections/1",
            &[("Origin", page), ("Access-Control-Request-Method", "POST")],
            None,
        )
        .await;
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(page));
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("GET"));
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("Content-Type")
    );
    // Same keep-alive connection, next request.
    let counters = client
        .request("GET", "/api/counters", &[("Origin", page)], None)
        .await;
    assert_eq!(counters.status, 200);
    assert_eq!(counters.header("access-control-allow-origin"), Some(page));
}
