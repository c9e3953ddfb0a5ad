// The dev server as the e2e tests rely on it (no browser): static files, control API
// errors, stall/refuse windows and shutdown, checked against devserver/README.md.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import WebSocket from "ws";
import { startDevServer, waitUntil } from "./support.mjs";

let server;
before(async () => {
  server = await startDevServer();
});
after(async () => {
  await server?.stop();
});
beforeEach(async () => {
  await server.api("/api/reset", { closeAll: true });
});

/** Opens a ws client; resolves once open with a message buffer attached. */
function connect(query = "", protocols = []) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}${query}`, protocols);
    ws.messages = [];
    ws.on("message", (data, binary) => ws.messages.push(binary ? data : data.toString()));
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
    ws.once("error", reject);
  });
}

function closed(ws) {
  return new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** A raw HTTP request; resolves with {status, headers, body} (an accepted upgrade: 101, no body). */
function request(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: text }));
    });
    req.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode, headers: response.headers, body: "" });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The content type the control API requires of request bodies. */
const JSON_BODY = { "Content-Type": "application/json" };

/** Headers of a WebSocket upgrade request, for `request("GET", "/ws?...", { headers })`. */
const UPGRADE = {
  Connection: "Upgrade",
  Upgrade: "websocket",
  "Sec-WebSocket-Version": "13",
  "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
};

test("static files: index, pkg wasm and js with the documented content types and no-store", async () => {
  const index = await request("GET", "/");
  assert.equal(index.status, 200);
  assert.match(index.headers["content-type"], /^text\/html/);
  assert.equal(index.headers["cache-control"], "no-store");
  const wasm = await request("HEAD", "/pkg/heartbeat_ws_bg.wasm");
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers["content-type"], "application/wasm");
  const js = await request("GET", "/pkg/index.js");
  assert.match(js.headers["content-type"], /^text\/javascript/);
  assert.equal((await request("GET", "/pkg")).status, 404, "a directory without trailing slash is a 404");
  assert.equal((await request("GET", "/%2e%2e/Cargo.toml")).status, 404, "encoded .. is a 404");
  assert.equal((await request("GET", "/healthz")).body.trim(), "ok");
  assert.equal((await request("GET", "/ws")).status, 426, "a plain request to /ws is 426");
});

test("control API: errors, CORS for loopback pages only, 404/405/409 as documented", async () => {
  const options = await request("OPTIONS", "/api/connections");
  assert.equal(options.status, 204);
  const counters = await request("GET", "/api/counters");
  assert.equal(counters.headers["access-control-allow-origin"], undefined, "no wildcard CORS");
  const fromLoopbackPage = await request("GET", "/api/counters", { headers: { Origin: "http://localhost:5173" } });
  assert.equal(fromLoopbackPage.headers["access-control-allow-origin"], "http://localhost:5173");
  const fromElsewhere = await request("GET", "/api/counters", { headers: { Origin: "https://evil.example" } });
  assert.equal(fromElsewhere.status, 403);
  assert.match(counters.headers["content-type"], /^application\/json/);
  const missing = await request("GET", "/api/connections/999");
  assert.equal(missing.status, 404);
  assert.deepEqual(JSON.parse(missing.body), { error: "no connection 999" });
  const wrongMethod = await request("DELETE", "/api/counters");
  assert.equal(wrongMethod.status, 405);
  assert.ok(wrongMethod.headers.allow, "405 carries an Allow header");
  const ws = await connect("?label=api");
  const [conn] = await server.api("/api/connections");
  const unknownField = await request("POST", `/api/connections/${conn.id}`, { headers: JSON_BODY, body: JSON.stringify({ bogus: 1 }) });
  assert.equal(unknownField.status, 400);
  assert.ok(JSON.parse(unknownField.body).error);
  const badDelay = await request("POST", `/api/connections/${conn.id}`, { headers: JSON_BODY, body: JSON.stringify({ pongDelay: "abc" }) });
  assert.equal(badDelay.status, 400);
  assert.match(JSON.parse(badDelay.body).error, /pongDelay/);
  ws.close();

  await server.api("/api/stall", { ms: 5000 });
  const stalled = new WebSocket(`${server.wsUrl}?label=st`, { handshakeTimeout: 10000 });
  stalled.on("error", () => {});
  const entry = await waitUntil(async () => (await server.api("/api/connections")).find((c) => c.state === "stalled"), {
    message: "a stalled connection",
  });
  const patchStalled = await request("POST", `/api/connections/${entry.id}`, { headers: JSON_BODY, body: JSON.stringify({ send: "x" }) });
  assert.equal(patchStalled.status, 409);
  stalled.terminate();
  await server.api("/api/stall", { ms: 0 });
});

test("invalid query parameter: 400 naming the parameter (README example)", async () => {
  const response = await request("GET", "/ws?pongDelay=abc", { headers: UPGRADE });
  assert.equal(response.status, 400);
  assert.equal(response.body.trim(), 'pongDelay: expected a non-negative integer (ms), got "abc"');
});

test("the dev server rejects close codes a server may not send (documented)", async () => {
  for (const code of [999, 1004, 1005, 1006, 1015, 2999, 5000]) {
    await assert.rejects(server.api("/api/connections/all", { close: { code } }), (error) => {
      assert.equal(error.status, 400, `code ${code}`);
      assert.match(error.body, /close\.code/);
      return true;
    });
  }
  const upgrade = await request("GET", "/ws?close=1006", { headers: UPGRADE });
  assert.equal(upgrade.status, 400, "an upgrade with close=1006 is answered 400");
});

test("echo, ping/pong and counters over a plain ws client", async () => {
  const ws = await connect("?label=c");
  ws.send("ping");
  ws.send("hello");
  ws.send(Buffer.from([0, 1, 2, 255]));
  await waitUntil(() => ws.messages.length === 3, { message: "3 echoes" });
  assert.deepEqual(ws.messages.slice(0, 2), ["pong", "hello"]);
  assert.deepEqual([...ws.messages[2]], [0, 1, 2, 255]);
  const [conn] = await server.api("/api/connections");
  assert.deepEqual(
    [conn.messagesIn, conn.messagesOut, conn.pingsIn, conn.pongsOut, conn.label, conn.path, conn.state],
    [3, 3, 1, 1, "c", "/ws", "open"],
  );
  const counters = await server.api("/api/counters");
  assert.deepEqual([counters.connections, counters.open, counters.messagesIn], [1, 1, 3]);
  ws.close();
});

test("subprotocols: the first offered one is selected", async () => {
  const ws = await connect("", ["chat.v2", "chat.v1"]);
  assert.equal(ws.protocol, "chat.v2");
  ws.close();
});

test("shutdown: SIGTERM closes open sockets with 1001 'server shutting down' and exits 0", async () => {
  const other = await startDevServer();
  const ws = new WebSocket(other.wsUrl);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  const closing = closed(ws);
  const exit = await other.stop();
  assert.deepEqual(await closing, { code: 1001, reason: "server shutting down" });
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.equal(other.extraStdout(), "", "nothing else on stdout after the first line");
});
