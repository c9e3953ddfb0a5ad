// reconnecting-websocket 4.4's own test suite (__tests__/test.ts in its repository), as
// behaviours of our ReconnectingWebSocket. The suite is not in the npm package, so these
// tests are written here from what each upstream test checks: one test per upstream test,
// under the same name. README.md beside this file maps each one and says where and why
// ours differs (private fields, the debug format, addresses outside this machine).
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`.

import { after, before, test } from "node:test";

import {
  WebSocket,
  assert,
  countingWebSocket,
  freePort,
  loadPackage,
  next,
  record,
  sleep,
  startDevServer,
  waitUntil,
  withGlobalWebSocket,
  wsServer,
} from "../node/support.mjs";

let ReconnectingWebSocket;
let devserver;
let refused; // a URL nothing listens on: connections fail at once

before(async () => {
  ({ ReconnectingWebSocket } = await loadPackage());
  devserver = await startDevServer({ statics: {}, args: ["--quiet"] });
  refused = `ws://127.0.0.1:${await freePort()}/`;
});
after(() => devserver.stop());

// Like upstream, every test runs with the global WebSocket set to ws's unless it says
// otherwise (null: no global WebSocket).
function setup(t, global = WebSocket) {
  withGlobalWebSocket(t, global);
}

test("throws with invalid constructor", (t) => {
  setup(t, null);
  assert.throws(() => new ReconnectingWebSocket(refused, undefined, { WebSocket: 123, maxRetries: 0 }), TypeError);
});

test("throws with missing constructor", (t) => {
  setup(t, null);
  assert.throws(() => new ReconnectingWebSocket(refused, undefined, { maxRetries: 0 }), /WebSocket: there is no global WebSocket/);
});

test("throws with non-constructor object", (t) => {
  setup(t, {});
  assert.throws(() => new ReconnectingWebSocket(refused, undefined, { maxRetries: 0 }), TypeError);
});

test("throws if not created with `new`", (t) => {
  setup(t);
  assert.throws(() => ReconnectingWebSocket(refused), TypeError);
});

test("global WebSocket is used if available", async (t) => {
  const { Counted, made } = countingWebSocket();
  setup(t, Counted);
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 0 });
  await next(socket, "error");
  assert.equal(made.length, 1);
});

test("getters when not ready", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 0 });
  assert.equal(socket.bufferedAmount, 0);
  assert.equal(socket.protocol, "");
  assert.equal(socket.url, "");
  assert.equal(socket.extensions, "");
  assert.equal(socket.binaryType, "blob");
  await next(socket, "error");
});

test("debug on", async (t) => {
  setup(t);
  const lines = [];
  t.mock.method(console, "debug", (line) => lines.push(line));
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 0, debug: true });
  await next(socket, "error");
  assert.ok(lines.includes(`heartbeat-ws: connecting to ${refused}`), lines.join("\n"));
});

test("debug off", async (t) => {
  setup(t);
  const log = t.mock.method(console, "log", () => {});
  const debug = t.mock.method(console, "debug", () => {});
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 0 });
  await next(socket, "error");
  assert.equal(log.mock.callCount(), 0);
  assert.equal(debug.mock.callCount(), 0);
});

test("pass WebSocket via options", async (t) => {
  setup(t, null);
  const { Counted, made } = countingWebSocket();
  const socket = new ReconnectingWebSocket(refused, undefined, { WebSocket: Counted, maxRetries: 0 });
  await next(socket, "error");
  assert.equal(made.length, 1);
});

test("URL provider", async (t) => {
  setup(t);
  const server = await wsServer();
  t.after(() => server.close());
  for (const url of [server.url, () => server.url, async () => server.url]) {
    const socket = new ReconnectingWebSocket(url);
    await next(socket, "open");
    assert.equal(socket.url, `${server.url}/`);
    socket.close();
  }
  assert.throws(() => new ReconnectingWebSocket(123), /^TypeError: url: expected/);
  const socket = new ReconnectingWebSocket(() => 123, undefined, { maxRetries: 0 });
  const error = await next(socket, "error");
  assert.equal(error.message, "url: the provider returned 123 instead of a URL string");
});

async function openWithProtocols(t, protocols, expected) {
  setup(t);
  const server = await wsServer({ protocols: true });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, protocols, {});
  await next(socket, "open");
  assert.equal(socket.url, `${server.url}/`);
  assert.equal(socket.protocol, expected);
  socket.close();
  await next(socket, "close");
}

test("websocket protocol", (t) => openWithProtocols(t, "foobar", "foobar"));
test("undefined websocket protocol", (t) => openWithProtocols(t, undefined, ""));
test("null websocket protocol", (t) => openWithProtocols(t, null, ""));

test("connection status constants", (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 0 });
  const constants = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };
  for (const [name, value] of Object.entries(constants)) {
    assert.equal(ReconnectingWebSocket[name], value, `ReconnectingWebSocket.${name}`);
    assert.equal(socket[name], value, `socket.${name}`);
  }
  socket.close();
});

// Every attempt fails at once; the last error comes with retryCount === count, and no
// attempt follows it.
async function maxRetries(t, count) {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: count, maxReconnectionDelay: 200 });
  const counts = [];
  socket.addEventListener("error", () => counts.push(socket.retryCount));
  await waitUntil(() => counts.length === count + 1, { timeout: 10000, message: `${count + 1} errors` });
  await sleep(500);
  assert.deepEqual(counts, Array.from({ length: count + 1 }, (_, retry) => retry));
  assert.equal(socket.readyState, socket.CLOSED);
}

test("max retries: 0", (t) => maxRetries(t, 0));
test("max retries: 1", (t) => maxRetries(t, 1));
test("max retries: 5", (t) => maxRetries(t, 5));

test("level0 event listeners are kept after reconnect", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, undefined, {
    maxRetries: 4,
    reconnectionDelayGrowFactor: 1.2,
    maxReconnectionDelay: 20,
    minReconnectionDelay: 10,
  });
  const handlers = { onopen: () => {}, onclose: () => {}, onmessage: () => {} };
  Object.assign(socket, handlers);
  let errors = 0;
  const done = new Promise((resolve) => {
    socket.onerror = function onerror() {
      errors += 1;
      for (const [name, handler] of Object.entries(handlers)) assert.equal(socket[name], handler, name);
      assert.equal(socket.onerror, onerror);
      if (socket.retryCount === 4) resolve();
    };
  });
  await done;
  assert.equal(errors, 5);
});

// Upstream runs this twice, with functions and with `{ handleEvent }` objects.
async function level2(t, wrap) {
  setup(t);
  const server = await wsServer({ protocols: true });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, "foobar", {});
  const seen = [];
  const fail = wrap(() => {
    throw new Error("a removed listener ran");
  });
  socket.addEventListener("unknown1", fail);
  socket.addEventListener("open", fail);
  socket.addEventListener("open", fail);
  socket.removeEventListener("open", fail);
  socket.removeEventListener("unknown2", fail);
  socket.addEventListener(
    "open",
    wrap(() => {
      seen.push([socket.protocol, socket.extensions, socket.bufferedAmount]);
      socket.close();
    }),
  );
  const closed = new Promise((resolve) => socket.addEventListener("close", wrap(resolve)));
  await closed;
  assert.deepEqual(seen, [["foobar", "", 0]]);
}

test("level2 event listeners", (t) => level2(t, (listener) => listener));
test("level2 event listeners using object with handleEvent", (t) => level2(t, (listener) => ({ handleEvent: listener })));

test("connection timeout", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(`${devserver.wsUrl}?mode=stall`, undefined, {
    minReconnectionDelay: 50,
    connectionTimeout: 500,
    maxRetries: 1,
  });
  const errors = [];
  socket.addEventListener("error", (event) => errors.push([event.message, socket.retryCount]));
  await waitUntil(() => errors.length === 2, { timeout: 5000, message: "two timeouts" });
  await sleep(700);
  assert.deepEqual(errors, [
    ["TIMEOUT", 0],
    ["TIMEOUT", 1],
  ]);
});

test("getters", async (t) => {
  setup(t);
  const server = await wsServer({ protocols: true });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, "foobar", { maxReconnectionDelay: 100 });
  await next(socket, "open");
  assert.equal(socket.protocol, "foobar");
  assert.equal(socket.extensions, "");
  assert.equal(socket.bufferedAmount, 0);
  assert.equal(socket.binaryType, "nodebuffer"); // ws's own default: the original sets none either
  socket.close();
  await next(socket, "close");
});

test("binaryType", async (t) => {
  setup(t);
  const server = await wsServer();
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, undefined, { minReconnectionDelay: 0 });
  assert.equal(socket.binaryType, "blob");
  socket.binaryType = "arraybuffer";
  await next(socket, "open");
  assert.equal(socket.binaryType, "arraybuffer");
  socket.binaryType = "nodebuffer";
  assert.equal(socket.binaryType, "nodebuffer");
  socket.close();
  await next(socket, "close");
});

test("calling to close multiple times", async (t) => {
  setup(t);
  const server = await wsServer();
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, undefined, {});
  const events = record(socket, ["close"]);
  socket.addEventListener("open", () => {
    socket.close();
    socket.close();
    socket.close();
  });
  await next(socket, "close");
  await sleep(300);
  assert.equal(events.length, 1);
});

test("calling to reconnect when not ready", async (t) => {
  setup(t);
  const server = await wsServer();
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, undefined, {});
  const events = record(socket, ["open", "close"]);
  socket.reconnect();
  socket.reconnect();
  socket.addEventListener("open", () => socket.close());
  await next(socket, "close");
  await sleep(300);
  assert.deepEqual(
    events.map((event) => event.type),
    ["open", "close"],
  );
  assert.equal(server.connections(), 1);
});

// Open, send "hello", get it back, close from the message listener.
async function roundTrip(t, options) {
  setup(t);
  const server = await wsServer({ echo: true, protocols: true });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, "foobar", { minReconnectionDelay: 100, maxReconnectionDelay: 200, ...options });
  const states = [socket.readyState];
  socket.addEventListener("open", () => {
    states.push(["open", socket.protocol, socket.readyState]);
    socket.send("hello");
  });
  socket.addEventListener("message", (event) => {
    states.push(["message", event.data]);
    socket.close(1000, "");
    states.push(socket.readyState);
  });
  return { socket, states, server };
}

test("start closed", async (t) => {
  const { socket, states, server } = await roundTrip(t, { startClosed: true });
  await sleep(300);
  states.push(socket.readyState);
  assert.equal(server.connections(), 0);
  socket.reconnect();
  const close = await next(socket, "close");
  states.push(["close", socket.readyState, socket.url, close.code]);
  assert.deepEqual(states, [3, 3, ["open", "foobar", 1], ["message", "hello"], 2, ["close", 3, `${server.url}/`, 1000]]);
});

test("connect, send, receive, close", async (t) => {
  const { socket, states, server } = await roundTrip(t, {});
  const close = await next(socket, "close");
  states.push(["close", socket.readyState, socket.url, close.code]);
  assert.deepEqual(states, [0, ["open", "foobar", 1], ["message", "hello"], 2, ["close", 3, `${server.url}/`, 1000]]);
});

test("connect, send, receive, reconnect", async (t) => {
  setup(t);
  const server = await wsServer({ echo: true, protocols: true });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, "foobar", { minReconnectionDelay: 100, maxReconnectionDelay: 200 });
  const rounds = 3;
  let round = 0;
  const log = [];
  socket.onopen = () => {
    round += 1;
    log.push(["open", round, socket.protocol, socket.readyState]);
    socket.send("hello");
  };
  socket.onmessage = (event) => {
    if (round < rounds) {
      socket.reconnect(1000, "reconnect");
      log.push(["message", event.data, "reconnect", socket.retryCount, socket.readyState]);
    } else {
      socket.close(1000, "close");
      log.push(["message", event.data, "close", socket.readyState]);
    }
  };
  const closed = new Promise((resolve) => {
    socket.addEventListener("close", (event) => {
      log.push(["close", event.reason, socket.url === `${server.url}/`, socket.readyState]);
      if (event.reason === "close") resolve();
    });
  });
  await closed;
  await sleep(300);
  // After reconnect(), readyState is CLOSING until the close event, then the next socket connects.
  assert.deepEqual(log, [
    ["open", 1, "foobar", 1],
    ["message", "hello", "reconnect", 0, 2],
    ["close", "reconnect", true, 0],
    ["open", 2, "foobar", 1],
    ["message", "hello", "reconnect", 0, 2],
    ["close", "reconnect", true, 0],
    ["open", 3, "foobar", 1],
    ["message", "hello", "close", 2],
    ["close", "close", true, 3],
  ]);
  assert.equal(server.connections(), 3);
});

test("immediately-failed connection should not timeout", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 2, connectionTimeout: 500, minReconnectionDelay: 100 });
  const errors = [];
  socket.addEventListener("error", (event) => errors.push([event.message === "TIMEOUT", socket.retryCount]));
  await waitUntil(() => errors.length === 3, { timeout: 5000, message: "three errors" });
  await sleep(700);
  assert.deepEqual(errors, [
    [false, 0],
    [false, 1],
    [false, 2],
  ]);
});

test("immediately-failed connection with 0 maxRetries must not retry", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, [], { maxRetries: 0, connectionTimeout: 2000, minReconnectionDelay: 100, maxReconnectionDelay: 200 });
  const errors = record(socket, ["error"]);
  await next(socket, "error");
  await sleep(2100);
  assert.equal(errors.length, 1);
  assert.notEqual(errors[0].message, "TIMEOUT");
});

test("connect and close before establishing connection", async (t) => {
  setup(t);
  const server = await wsServer();
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, undefined, { minReconnectionDelay: 100, maxReconnectionDelay: 200 });
  socket.close();
  const events = record(socket);
  await sleep(1000);
  // No socket was made yet: nothing to close, nothing to report (upstream allows one close).
  assert.deepEqual(events, []);
  assert.equal(server.connections(), 0);
  assert.equal(socket.readyState, socket.CLOSED);
});

test("enqueue messages", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 0 });
  for (let i = 0; i < 10; i++) socket.send("message");
  await next(socket, "error");
  assert.equal(socket.bufferedAmount, "message".length * 10);
});

test("respect maximum enqueued messages", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, undefined, { maxRetries: 0, maxEnqueuedMessages: 2 });
  for (let i = 0; i < 10; i++) socket.send("message");
  await next(socket, "error");
  assert.equal(socket.bufferedAmount, "message".length * 2);
});

test("enqueue messages before websocket initialization with expected order", async (t) => {
  setup(t);
  const server = await wsServer();
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url);
  const messages = ["message1", "message2", "message3"];
  messages.forEach((message) => socket.send(message));
  assert.equal(socket.bufferedAmount, messages.join("").length);
  socket.addEventListener("open", () => socket.send("ok"));
  await waitUntil(() => server.received.length === 4, { message: "four messages" });
  assert.deepEqual(server.received, [...messages, "ok"]);
  socket.close();
});

test("closing from the other side should reconnect", async (t) => {
  setup(t);
  const max = 3;
  const server = await wsServer({
    onConnection(peer, index) {
      if (index < max) setTimeout(() => peer.close(), 100);
    },
  });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, undefined, { minReconnectionDelay: 100, maxReconnectionDelay: 200 });
  let opens = 0;
  socket.addEventListener("open", () => {
    opens += 1;
    if (opens === max) socket.close();
  });
  await waitUntil(() => opens === max, { message: `${max} opens` });
  await sleep(500);
  assert.equal(opens, max);
  assert.equal(server.connections(), max);
});

test("closing from the other side should allow to keep closed", async (t) => {
  setup(t);
  const codes = [4000, 4001];
  const server = await wsServer({ onConnection: (peer, index) => peer.close(codes[index - 1], String(codes[index - 1])) });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, undefined, { minReconnectionDelay: 100, maxReconnectionDelay: 200 });
  const closes = [];
  socket.addEventListener("close", (event) => {
    closes.push([event.code, event.reason]);
    if (event.code === codes[1]) socket.close();
  });
  await waitUntil(() => closes.length === 2, { message: "two closes" });
  await sleep(1000);
  assert.deepEqual(closes, [
    [4000, "4000"],
    [4001, "4001"],
  ]);
  assert.equal(server.connections(), 2);
  assert.equal(socket.readyState, socket.CLOSED);
});

test("reconnection delay grow factor", async (t) => {
  setup(t);
  const socket = new ReconnectingWebSocket(refused, [], { minReconnectionDelay: 100, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 2 });
  const delays = [];
  socket.addEventListener("reconnecting", (event) => delays.push(event.delay));
  await waitUntil(() => delays.length === 6, { timeout: 10000, message: "six retries" });
  socket.close();
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
});

test("minUptime", async (t) => {
  setup(t);
  // Connections 1-4 and 6 last 100 ms, less than minUptime; connection 5 lasts 700 ms.
  const lifetimes = [100, 100, 100, 100, 700, 100];
  const server = await wsServer({
    onConnection(peer, index) {
      if (index <= lifetimes.length) setTimeout(() => peer.close(), lifetimes[index - 1]);
    },
  });
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, [], {
    minReconnectionDelay: 100,
    maxReconnectionDelay: 2000,
    reconnectionDelayGrowFactor: 2,
    minUptime: 500,
  });
  const delays = [];
  const counts = [];
  socket.addEventListener("reconnecting", (event) => delays.push([event.delay, socket.retryCount]));
  socket.addEventListener("open", () => {
    if (server.connections() === 5) setTimeout(() => counts.push(socket.retryCount), 600);
    if (server.connections() === lifetimes.length + 1) socket.close();
  });
  await waitUntil(() => server.connections() === lifetimes.length + 1, { timeout: 10000, message: "seven connections" });
  assert.deepEqual(delays, [
    [100, 1],
    [200, 2],
    [400, 3],
    [800, 4],
    [100, 1],
    [200, 2],
  ]);
  // While connection 5 had been up longer than minUptime, retryCount read 0.
  assert.deepEqual(counts, [0]);
});

test("reconnect after closing", async (t) => {
  setup(t);
  const server = await wsServer();
  t.after(() => server.close());
  const socket = new ReconnectingWebSocket(server.url, undefined, { minReconnectionDelay: 100, maxReconnectionDelay: 200 });
  let opens = 0;
  let closes = 0;
  socket.addEventListener("open", () => {
    opens += 1;
    socket.close();
  });
  socket.addEventListener("close", () => {
    closes += 1;
    if (closes === 1) setTimeout(() => socket.reconnect(), 1000);
  });
  await waitUntil(() => closes === 2, { timeout: 5000, message: "two closes" });
  await sleep(1000);
  assert.equal(opens, 2);
  assert.equal(closes, 2);
  assert.equal(server.connections(), 2);
});
