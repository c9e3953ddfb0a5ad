//! Test harness: runs the real binary on a free port and talks to it with a
//! tokio-tungstenite client and a minimal raw HTTP client.
#![allow(dead_code)] // Each test binary uses a different subset.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::WebSocketStream;

pub type Ws = WebSocketStream<TcpStream>;

const BINARY: &str = env!("CARGO_BIN_EXE_heartbeat-ws-devserver");

/// Upper bound for anything that should happen "soon": generous, because
/// the test machine is small and busy.
pub const SOON: Duration = Duration::from_secs(5);
/// How long we watch for something that must not happen.
pub const QUIET_PERIOD: Duration = Duration::from_millis(300);

pub struct Server {
    child: Child,
    pub address: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts with `--port 0 --quiet` plus `args`.
    pub async fn start(args: &[&str]) -> Server {
        Server::spawn_binary(args, true).await
    }

    /// Starts with per-connection logging on, for tests that read the log.
    pub async fn start_verbose(args: &[&str]) -> Server {
        Server::spawn_binary(args, false).await
    }

    /// Starts with `--port 0 --quiet` under `ulimit -n fds`, so that the
    /// server runs out of file descriptors after a few connections.
    pub async fn start_with_fd_limit(fds: u32) -> Server {
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!(r#"ulimit -n {fds} && exec "$0" "$@""#),
            BINARY,
        ]);
        Server::spawn(command, &["--quiet"]).await
    }

    async fn spawn_binary(args: &[&str], quiet: bool) -> Server {
        let quiet: &[&str] = if quiet { &["--quiet"] } else { &[] };
        Server::spawn(Command::new(BINARY), &[args, quiet].concat()).await
    }

    async fn spawn(mut command: Command, args: &[&str]) -> Server {
        command.args(["--port", "0"]).args(args);
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn devserver");
        let stdout = child.stdout.take().expect("stdout piped");
        let mut first_line = String::new();
        let mut stdout = BufReader::new(stdout);
        timeout(SOON, stdout.read_line(&mut first_line))
            .await
            .expect("devserver announced its port in time")
            .expect("read devserver stdout");
        let address = first_line
            .trim_end()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
            .to_owned();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut stderr_pipe = BufReader::new(child.stderr.take().expect("stderr piped"));
        let sink = Arc::clone(&stderr);
        tokio::spawn(async move {
            let mut line = String::new();
            while matches!(stderr_pipe.read_line(&mut line).await, Ok(n) if n > 0) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        Server {
            child,
            address,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("devserver still running")
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM and returns the exit code.
    pub async fn terminate(mut self) -> Option<i32> {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        let exit = timeout(SOON, self.child.wait())
            .await
            .expect("exited in time")
            .expect("wait");
        // Let the stderr reader drain the last lines.
        tokio::time::sleep(Duration::from_millis(100)).await;
        exit.code()
    }

    pub async fn try_ws(&self, path_and_query: &str) -> Result<Ws, tungstenite::Error> {
        let stream = TcpStream::connect(&self.address).await.expect("connect");
        let url = format!("ws://{}{path_and_query}", self.address);
        let (ws, _) = timeout(SOON, tokio_tungstenite::client_async(url, stream))
            .await
            .expect("handshake finished in time")?;
        Ok(ws)
    }

    pub async fn ws(&self, path_and_query: &str) -> Ws {
        self.try_ws(path_and_query)
            .await
            .expect("WebSocket handshake")
    }

    /// The status a WebSocket handshake was refused with.
    pub async fn ws_refusal(&self, path_and_query: &str) -> u16 {
        match self.try_ws(path_and_query).await {
            Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
            Err(other) => panic!("expected an HTTP refusal, got {other}"),
            Ok(_) => panic!("expected {path_and_query} to be refused, but it opened"),
        }
    }

    pub async fn http(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        HttpClient::connect(self)
            .await
            .request(method, path, &[], body)
            .await
    }

    /// Calls the API and parses the JSON answer.
    pub async fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|body| body.to_string());
        let reply = self.http(method, path, body.as_deref()).await;
        assert_eq!(
            reply.header("content-type"),
            Some("application/json"),
            "{path}"
        );
        // No Origin was sent, so there is nothing to allow.
        assert_eq!(reply.header("access-control-allow-origin"), None, "{path}");
        let json = serde_json::from_slice(&reply.body).expect("API answers JSON");
        (reply.status, json)
    }

    pub async fn api_ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, json) = self.api(method, path, body).await;
        assert_eq!(status, 200, "{method} {path}: {json}");
        json
    }

    /// The connection with `label`, as the API shows it.
    pub async fn connection(&self, label: &str) -> Value {
        let list = self.api_ok("GET", "/api/connections", None).await;
        list.as_array()
            .expect("array")
            .iter()
            .find(|connection| connection["label"] == label)
            .unwrap_or_else(|| panic!("no connection labelled {label} in {list}"))
            .clone()
    }

    pub async fn counters(&self) -> Value {
        self.api_ok("GET", "/api/counters", None).await
    }

    /// Polls `GET path` until `check` holds for the answer, so tests need not
    /// guess how long the server takes to notice something.
    pub async fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            let answer = self.api_ok("GET", path, None).await;
            if check(&answer) {
                return answer;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}: {answer}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn wait_for_counters(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        self.wait_for("/api/counters", what, check).await
    }

    /// Sends a raw upgrade request and returns the open socket, for faults a
    /// WebSocket client library cannot observe (stalls, 400 bodies).
    pub async fn raw_upgrade(&self, path_and_query: &str) -> TcpStream {
        let mut stream = TcpStream::connect(&self.address).await.expect("connect");
        let request = format!(
            "GET {path_and_query} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            self.address
        );
        stream
            .write_all(request.as_bytes())
            .await
            .expect("send upgrade");
        stream
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A keep-alive capable HTTP/1.1 client, just enough for these tests.
pub struct HttpClient {
    stream: TcpStream,
    host: String,
    buffer: Vec<u8>,
}

impl HttpClient {
    pub async fn connect(server: &Server) -> HttpClient {
        let stream = TcpStream::connect(&server.address).await.expect("connect");
        HttpClient {
            stream,
            host: server.address.clone(),
            buffer: Vec::new(),
        }
    }

    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(body.unwrap_or(""));
        self.stream
            .write_all(request.as_bytes())
            .await
            .expect("send request");
        timeout(SOON, self.read_reply(method == "HEAD"))
            .await
            .expect("reply in time")
    }

    async fn read_reply(&mut self, head_only: bool) -> Reply {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            if let httparse::Status::Complete(head_len) =
                response.parse(&self.buffer).expect("valid response head")
            {
                let status = response.code.expect("status");
                let headers: Vec<(String, String)> = response
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_owned(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                let length = headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                    .map_or(0, |(_, value)| {
                        value.parse::<usize>().expect("numeric length")
                    });
                let length = if head_only { 0 } else { length };
                self.buffer.drain(..head_len);
                while self.buffer.len() < length {
                    self.fill().await;
                }
                let body = self.buffer.drain(..length).collect();
                return Reply {
                    status,
                    headers,
                    body,
                };
            }
            self.fill().await;
        }
    }

    async fn fill(&mut self) {
        let mut chunk = [0u8; 4096];
        let read = self.stream.read(&mut chunk).await.expect("read response");
        assert!(read > 0, "server closed before a full response");
        self.buffer.extend_from_slice(&chunk[..read]);
    }
}

/// The next text message, failing on anything else or on a timeout.
pub async fn recv_text(ws: &mut Ws) -> String {
    match recv(ws).await {
        Message::Text(text) => text.as_str().to_owned(),
        other => panic!("expected a text message, got {other:?}"),
    }
}

/// The next message, failing unless it is a close frame with a code.
pub async fn recv_close(ws: &mut Ws) -> CloseFrame {
    match recv(ws).await {
        Message::Close(Some(frame)) => frame,
        other => panic!("expected a close frame, got {other:?}"),
    }
}

/// The next data or close message (protocol pings are skipped).
pub async fn recv(ws: &mut Ws) -> Message {
    loop {
        let next = timeout(SOON, ws.next()).await.expect("message in time");
        match next {
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(message)) => return message,
            Some(Err(error)) => panic!("WebSocket error: {error}"),
            None => panic!("WebSocket ended"),
        }
    }
}

pub async fn send_text(ws: &mut Ws, text: &str) {
    ws.send(Message::text(text.to_owned())).await.expect("send");
}

/// Asserts that nothing arrives (and the connection does not end) for a while.
pub async fn assert_silent(ws: &mut Ws) {
    if let Ok(next) = timeout(QUIET_PERIOD, ws.next()).await {
        panic!("expected silence, got {next:?}");
    }
}

/// Asserts that a raw socket receives nothing and stays open for a while.
pub async fn assert_socket_quiet(stream: &mut TcpStream) {
    let mut byte = [0u8; 1];
    if let Ok(read) = timeout(QUIET_PERIOD, stream.read(&mut byte)).await {
        panic!("expected no bytes and an open socket, got {read:?}");
    }
}

/// Reads a whole HTTP response from a raw socket (until the server closes it).
pub async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut response = Vec::new();
    timeout(SOON, stream.read_to_end(&mut response))
        .await
        .expect("response in time")
        .expect("read response");
    String::from_utf8_lossy(&response).into_owned()
}
