// ReconnectingWebSocket in Node against real servers, beyond reconnecting-websocket's own
// suite (tests/conformance/): what the close and reconnect frames carry, providers, the
// queue across reconnect() and close(), every option including heartbeat-ws's own, and
// argument checks. Run after `make build` and `cargo build -p heartbeat-ws-devserver`.

import { after, before, test } from "node:test";

import { WebSocket, WebSocketServer, assert, freePort, loadPackage, next, record, sleep, startDevServer, waitUntil, wsServer } from "./support.mjs";

let ReconnectingWebSocket;
let devserver;

before(async () => {
  ({ ReconnectingWebSocket } = await loadPackage());
  devserver = await startDevServer({ statics: {}, args: ["--quiet"] });
});
after(() => devserver.stop());

/** A ws server whose peers report how they were closed: `closes` gets [code, reason] per connection. */
async function closeRecordingServer(t, options = {}) {
  const closes = [];
  const server = await wsServer({
    ...options,
    onConnection(peer, index, request) {
      peer.on("close", (code, reason) => closes.push([code, String(reason)]));
      if (options.onConnection) options.onConnection(peer, index, request);
    },
  });
  t.after(() => server.close());
  return { server, closes };
}

const rws = (url, protocols, options) => new ReconnectingWebSocket(url, protocols, { WebSocket, ...options });

test("close(code, reason) reaches the server, and the close event carries them on the next task", async (t) => {
  const { server, closes } = await closeRecordingServer(t);
  const socket = rws(server.url);
  await next(socket, "open");
  const events = record(socket, ["close"]);
  socket.close(4321, "done");
  assert.equal(socket.readyState, socket.CLOSING);
  assert.equal(events.length, 0, "the close event waits for the next task");
  await waitUntil(() => events.length === 1 && closes.length === 1, { message: "the close" });
  const [event] = events;
  assert.deepEqual([event.type, event.code, event.reason, event.wasClean, event.willReconnect, event.target], ["close", 4321, "done", true, false, socket]);
  assert.deepEqual(closes, [[4321, "done"]]);
  assert.equal(socket.readyState, socket.CLOSED);
});

test("close() with a bad code throws and leaves the connection as it was", async (t) => {
  const { server } = await closeRecordingServer(t, { echo: true });
  const socket = rws(server.url);
  await next(socket, "open");
  assert.throws(() => socket.close(1001, "bye"), /^TypeError: close: code: expected 1000 or an integer from 3000 to 4999, got 1001$/);
  assert.equal(socket.readyState, socket.OPEN);
  socket.send("still here");
  assert.equal((await next(socket, "message")).data, "still here");
  socket.close();
});

test("close() during the handshake ends the attempt with one close event", async (t) => {
  const socket = rws(`${devserver.wsUrl}?mode=stall`);
  await waitUntil(async () => (await devserver.api("/api/counters")).stalled === 1, { message: "a stalled handshake" });
  const events = record(socket);
  socket.close();
  assert.equal(socket.readyState, socket.CLOSING);
  await sleep(300);
  assert.deepEqual(
    events.map((event) => [event.type, event.code]),
    [["close", 1000]],
  );
  assert.equal(socket.readyState, socket.CLOSED);
});

test("reconnect(code, reason) closes the connection with them and opens a new one", async (t) => {
  const { server, closes } = await closeRecordingServer(t);
  const socket = rws(server.url);
  await next(socket, "open");
  const events = record(socket, ["open", "close"]);
  socket.reconnect(4000, "new token");
  assert.equal(socket.readyState, socket.CLOSING);
  await waitUntil(() => events.length === 2, { message: "close, then open" });
  assert.deepEqual(
    events.map((event) => [event.type, event.code, event.reason, event.willReconnect]),
    [
      ["close", 4000, "new token", true],
      ["open", undefined, undefined, undefined],
    ],
  );
  await waitUntil(() => closes.length === 1, { message: "the server saw the close" });
  assert.deepEqual(closes, [[4000, "new token"]]);
  assert.equal(server.connections(), 2);
  socket.close();
});

test("reconnect() after giving up starts over with the retry count reset", async (t) => {
  const port = await freePort();
  const socket = rws(`ws://127.0.0.1:${port}/`, undefined, { maxRetries: 1, minReconnectionDelay: 10 });
  const errors = record(socket, ["error"]);
  await waitUntil(() => errors.length === 2, { message: "two failed attempts" });
  await sleep(100);
  assert.equal(socket.readyState, socket.CLOSED);
  assert.equal(socket.retryCount, 1);
  const server = await new Promise((resolve) => {
    const listening = new WebSocketServer({ host: "127.0.0.1", port }, () => resolve(listening));
  });
  t.after(() => new Promise((resolve) => server.close(resolve)));
  socket.reconnect();
  assert.equal(socket.retryCount, 0);
  await next(socket, "open");
  socket.close();
});

test("messages queued before reconnect() and sent after close() go out on the next connection, in order, once", async (t) => {
  const { server } = await closeRecordingServer(t);
  const socket = rws(server.url, undefined, { startClosed: true });
  socket.send("a");
  socket.send(new Uint8Array([1, 2, 3]).subarray(1));
  assert.equal(socket.bufferedAmount, 3);
  socket.reconnect(); // a socket starts connecting: queued in it
  socket.send("b");
  socket.reconnect(); // and again, before it opened: carried over
  socket.send("c");
  await next(socket, "open");
  await waitUntil(() => server.received.length === 4, { message: "four messages" });
  socket.close();
  socket.send("d"); // after close(): kept for a later reconnect(), as the original does
  assert.equal(socket.bufferedAmount, 1);
  await next(socket, "close");
  socket.reconnect();
  await waitUntil(() => server.received.length === 5, { message: "the fifth message" });
  assert.deepEqual(
    server.received.map((message) => (typeof message === "string" ? message : [...message])),
    ["a", [2, 3], "b", "c", "d"],
  );
  assert.equal(socket.bufferedAmount, 0);
  socket.close();
});

test("maxEnqueuedMessages keeps the first messages in order and reports the others with a drop event", async (t) => {
  const { server } = await closeRecordingServer(t);
  const socket = rws(server.url, undefined, { startClosed: true, maxEnqueuedMessages: 3 });
  const drops = record(socket, ["drop"]);
  for (const message of ["1", "2", "3", "4", "5"]) assert.equal(socket.send(message), false);
  socket.reconnect();
  for (const message of ["6", "7"]) socket.send(message); // queued in the connecting socket, which holds 3 already
  await next(socket, "open");
  await waitUntil(() => server.received.length === 3, { message: "three messages" });
  await sleep(100);
  assert.deepEqual(server.received, ["1", "2", "3"]);
  assert.deepEqual(
    drops.map((event) => [event.data, event.reason]),
    [
      ["4", "overflow"],
      ["5", "overflow"],
      ["6", "overflow"],
      ["7", "overflow"],
    ],
  );
  assert.equal(socket.send("8"), true);
  socket.close();
});

test("bufferedAmount counts queued text in UTF-8 bytes", () => {
  const socket = rws("ws://127.0.0.1:9/", undefined, { startClosed: true });
  socket.send("é€😀"); // 2 + 3 + 4 bytes
  assert.equal(socket.bufferedAmount, 9);
});

test("url and protocols providers are asked before every attempt, sync or async", async (t) => {
  const offered = [];
  const { server } = await closeRecordingServer(t, {
    protocols: true,
    onConnection(peer, index, request) {
      offered.push([request.url, request.headers["sec-websocket-protocol"]]);
      if (index < 3) peer.close();
    },
  });
  let n = 0;
  const url = () => {
    n += 1;
    return n % 2 ? `${server.url}/odd?n=${n}` : Promise.resolve(`${server.url}/even?n=${n}`);
  };
  const protocols = () => (n % 2 ? ["p1", "p2"] : Promise.resolve("p3"));
  const socket = rws(url, protocols, { minReconnectionDelay: 10 });
  const urls = [];
  socket.addEventListener("open", () => urls.push([socket.url, socket.protocol]));
  await waitUntil(() => urls.length === 3, { message: "three opens" });
  assert.deepEqual(offered, [
    ["/odd?n=1", "p1,p2"],
    ["/even?n=2", "p3"],
    ["/odd?n=3", "p1,p2"],
  ]);
  assert.deepEqual(urls, [
    [`${server.url}/odd?n=1`, "p1"],
    [`${server.url}/even?n=2`, "p3"],
    [`${server.url}/odd?n=3`, "p1"],
  ]);
  socket.close();
});

test("a protocols provider that gives something else fails the attempt with an error naming it", async () => {
  const socket = rws(devserver.wsUrl, () => 42, { maxRetries: 0 });
  const error = await next(socket, "error");
  assert.equal(error.message, "url: the provider failed: protocols: the provider gave 42 instead of a string or an array of strings");
});

test("http: and https: URLs are taken as ws: and wss:, as browsers do", async () => {
  const socket = rws(devserver.url + "/ws");
  await next(socket, "open");
  assert.equal(socket.url, devserver.wsUrl);
  socket.close();
});

test("in a page, relative URLs are resolved against it, as browsers do", async (t) => {
  const page = new URL(devserver.url + "/app/page.html?q=1#top");
  globalThis.location = { href: page.href };
  t.after(() => delete globalThis.location);
  const made = [];
  const transport = { connect: (url) => (made.push(url), new WebSocket(devserver.wsUrl)) };
  for (const relative of ["/ws?a=1", "ws/b", `//${page.host}/ws/c`]) {
    const socket = new ReconnectingWebSocket(relative, undefined, { transport });
    await next(socket, "open");
    socket.close();
  }
  assert.deepEqual(made, [`ws://${page.host}/ws?a=1`, `ws://${page.host}/app/ws/b`, `ws://${page.host}/ws/c`]);
});

test("binaryType is applied to every later socket", async (t) => {
  const { server } = await closeRecordingServer(t, {
    onConnection(peer, index) {
      peer.send(new Uint8Array([index]));
      if (index === 1) setTimeout(() => peer.close(), 50);
    },
  });
  const socket = rws(server.url, undefined, { minReconnectionDelay: 10 });
  const kinds = [];
  socket.onmessage = (event) => {
    kinds.push(event.data instanceof ArrayBuffer ? "arraybuffer" : Buffer.isBuffer(event.data) ? "nodebuffer" : typeof event.data);
    if (kinds.length === 1) socket.binaryType = "arraybuffer";
  };
  await waitUntil(() => kinds.length === 2, { message: "two messages" });
  assert.deepEqual(kinds, ["nodebuffer", "arraybuffer"]);
  assert.throws(() => (socket.binaryType = 1), /^TypeError: binaryType: expected a string/);
  socket.close();
});

test("listeners added with addEventListener survive reconnections; removeEventListener and dispatchEvent work", async (t) => {
  const { server } = await closeRecordingServer(t, { onConnection: (peer, index) => index < 3 && peer.close(4000 + index) });
  const socket = rws(server.url, undefined, { minReconnectionDelay: 10 });
  const opens = [];
  const listener = { handleEvent: (event) => opens.push(event.target === socket) };
  socket.addEventListener("open", listener);
  socket.addEventListener("open", null); // ignored, like a WebSocket
  socket.addEventListener("bogus", () => assert.fail("unknown types are ignored"));
  await waitUntil(() => opens.length === 3, { message: "three opens" });
  socket.removeEventListener("open", listener);
  assert.equal(socket.dispatchEvent({ type: "open" }), true);
  assert.equal(socket.dispatchEvent({ type: "bogus" }), true);
  assert.deepEqual(opens, [true, true, true]);
  socket.close();
});

test("heartbeat is off unless asked for: nothing but the application's messages reaches the server", async (t) => {
  const { server } = await closeRecordingServer(t, { echo: true });
  const socket = rws(server.url);
  await next(socket, "open");
  socket.send("app");
  await sleep(400);
  assert.deepEqual(server.received, ["app"]);
  socket.close();
});

test("heartbeat: a silent server is detected and replaced, with heartbeat-ws's events", async () => {
  const socket = rws(`${devserver.wsUrl}?silentAfter=300`, undefined, {
    heartbeat: { interval: 100, timeout: 100 },
    minReconnectionDelay: 10,
  });
  const events = record(socket, ["open", "close", "heartbeat", "reconnecting"]);
  await waitUntil(() => events.filter((event) => event.type === "open").length === 2, { timeout: 5000, message: "a second open" });
  socket.close();
  const types = events.map((event) => event.type);
  assert.ok(types.indexOf("heartbeat") < types.indexOf("close"), types.join());
  const close = events.find((event) => event.type === "close");
  assert.deepEqual([close.code, close.reason, close.willReconnect], [4000, "heartbeat timeout", true]);
  assert.equal(events[types.indexOf("reconnecting")].attempt, 1);
  assert.deepEqual(rws(devserver.wsUrl, undefined, { heartbeat: true, startClosed: true }).readyState, 3, "heartbeat: true takes the defaults");
});

test("shouldReconnect may veto; without it every close reconnects, even those HeartbeatSocket stops on", async (t) => {
  const { server } = await closeRecordingServer(t, { onConnection: (peer, index) => peer.close(index === 1 ? 1008 : 4001, "policy") });
  const decided = [];
  const socket = rws(server.url, undefined, {
    minReconnectionDelay: 10,
    shouldReconnect: (close) => {
      decided.push(close.code);
      return close.code !== 4001;
    },
  });
  const closes = record(socket, ["close"]);
  await waitUntil(() => closes.length === 2, { message: "two closes" });
  await sleep(200);
  assert.deepEqual(decided, [1008, 4001]);
  assert.deepEqual(
    closes.map((event) => [event.code, event.willReconnect]),
    [
      [1008, true],
      [4001, false],
    ],
  );
  assert.equal(socket.readyState, socket.CLOSED);
  assert.equal(server.connections(), 2);
});

test("jitter scales each delay by a random factor in [1 - jitter, 1]; by default there is none", async (t) => {
  const port = await freePort();
  t.mock.method(Math, "random", () => 0.5);
  const delays = async (options) => {
    const socket = rws(`ws://127.0.0.1:${port}/`, undefined, { minReconnectionDelay: 200, maxRetries: 2, ...options });
    const seen = [];
    socket.addEventListener("reconnecting", (event) => seen.push(event.delay));
    await waitUntil(() => seen.length === 2, { timeout: 3000, message: "two retries" });
    socket.close();
    return seen;
  };
  assert.deepEqual(await delays({}), [200, 260]);
  assert.deepEqual(await delays({ jitter: 1 }), [100, 130]);
});

test("minReconnectionDelay defaults to 1000 + Math.random() * 4000 ms", async (t) => {
  const port = await freePort();
  t.mock.method(Math, "random", () => 0.25);
  const socket = rws(`ws://127.0.0.1:${port}/`);
  assert.equal((await next(socket, "reconnecting")).delay, 2000);
  socket.close();
});

test("lifecycle: 'auto' follows the transport's network signals; by default they are not watched", async (t) => {
  const watched = [];
  const transport = {
    connect: (url, protocols) => new WebSocket(url, protocols),
    watchLifecycle(signals) {
      watched.push(signals);
      return () => {};
    },
  };
  rws(devserver.wsUrl, undefined, { startClosed: true }).close();
  const quiet = new ReconnectingWebSocket(devserver.wsUrl, undefined, { transport });
  await next(quiet, "open");
  quiet.close();
  assert.equal(watched.length, 0);

  const socket = new ReconnectingWebSocket(`${devserver.wsUrl}?mode=refuse`, undefined, { transport, lifecycle: "auto", minReconnectionDelay: 60000 });
  await next(socket, "reconnecting");
  assert.equal(watched.length, 1);
  watched[0].offline();
  const states = record(socket, ["statechange"]);
  watched[0].online(); // back online: the 60 s wait is skipped
  await next(socket, "error");
  assert.deepEqual(
    states.map((event) => event.to),
    ["connecting", "reconnecting"],
  );
  socket.close();
});

test("a custom transport makes the sockets", async () => {
  const made = [];
  const transport = {
    connect(url, protocols) {
      made.push([url, protocols]);
      return new WebSocket(url, protocols);
    },
  };
  const socket = new ReconnectingWebSocket(devserver.wsUrl, "chat", { transport });
  await next(socket, "open");
  assert.deepEqual(made, [[devserver.wsUrl, "chat"]]);
  assert.equal(socket.protocol, "chat");
  socket.close();
});

test("bad arguments throw a TypeError naming them", () => {
  const cases = [
    [{ reconnectionDelayGrowFactor: 0.5 }, /^TypeError: reconnectionDelayGrowFactor: expected a number of at least 1, got 0.5$/],
    [{ maxRetries: -1 }, /^TypeError: maxRetries: expected a non-negative integer or Infinity, got -1$/],
    [{ connectionTimeout: "4s" }, /^TypeError: connectionTimeout: expected a positive number of milliseconds, got "4s"$/],
    [{ startClosed: 1 }, /^TypeError: startClosed: expected a boolean, got 1$/],
    [{ heartbeat: { interval: "10s" } }, /^TypeError: heartbeat.interval: expected a positive number of milliseconds, got "10s"$/],
    [{ reconnectionDelay: 5 }, /^TypeError: reconnectionDelay: unknown option; expected one of WebSocket, maxReconnectionDelay/],
    [{ transport: { connect() {} } }, /^TypeError: WebSocket, transport: give one of them/],
  ];
  for (const [options, error] of cases) assert.throws(() => rws(devserver.wsUrl, undefined, options), error);
  assert.throws(() => new ReconnectingWebSocket("ftp://x/", undefined, { WebSocket }), /^TypeError: url: expected a ws: or wss: URL, got "ftp:\/\/x\/"$/);
  assert.throws(() => new ReconnectingWebSocket(devserver.wsUrl, [1], { WebSocket }), /^TypeError: protocols\[0\]: expected a string, got 1$/);
  assert.throws(() => new ReconnectingWebSocket(devserver.wsUrl, undefined, 5), /^TypeError: options: expected an object, got 5$/);
});

test("maxReconnectionDelay below the default minReconnectionDelay caps every delay", async () => {
  const port = await freePort();
  const socket = rws(`ws://127.0.0.1:${port}/`, undefined, { maxReconnectionDelay: 200 });
  assert.equal((await next(socket, "reconnecting")).delay, 200);
  socket.close();
});
