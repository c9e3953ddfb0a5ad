// A long-lived WebSocket client for a worker service (Node 18 or later). It keeps one
// connection to WS_URL alive (a heartbeat finds a dead one within 20 s), logs every
// reconnect, and on SIGTERM or SIGINT closes the connection and lets the process end by
// itself, with exit code 0: close() leaves no timer, socket or listener behind.
//
//   npm install && WS_URL=wss://example.com/feed node worker.mjs

import init, { HeartbeatSocket, browserTransport } from "heartbeat-ws";
import { WebSocket } from "ws";

const url = process.env.WS_URL || "ws://127.0.0.1:8787/ws";
const log = (...words) => console.log(new Date().toISOString(), ...words);

await init(); // reads heartbeat_ws_bg.wasm from the package

const socket = new HeartbeatSocket({
  url,
  transport: browserTransport(WebSocket), // Node 22 and later may use its own: browserTransport()
  heartbeat: { interval: 15000, timeout: 5000 },
  reconnect: { delay: 1000, maxDelay: 30000 },
  lifecycle: false, // no page to watch
});

socket.onopen = (event) => log(event.reconnected ? "reconnected" : "connected");
socket.onmessage = (event) => log("message", String(event.data).slice(0, 80));
socket.onerror = (event) => log("error:", event.message); // URLs in messages carry no query string
socket.onclose = (event) => log(`closed ${event.code}${event.reason ? " " + event.reason : ""}${event.willReconnect ? ", will reconnect" : ""}`);
socket.addEventListener("reconnecting", (event) => log(`reconnecting: retry ${event.attempt} in ${event.delay} ms`));
socket.addEventListener("giveup", (event) => {
  log("gave up after", event.attempts, "attempts");
  process.exitCode = 1;
});

function shutdown(signal) {
  log(signal, "received, closing");
  socket.close(1000, "worker shutting down");
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
