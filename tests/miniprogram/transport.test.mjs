// Unit tests of js/miniprogram.js with scripted SocketTasks (tests/miniprogram/scripted.mjs):
// what the library sees of each platform's sockets, and what each platform is asked to do.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeBase64, encodeBase64 } from "../../js/base64.js";
import { miniProgramTransport } from "../../js/miniprogram.js";
import { record, scriptedApi, scriptedLegacyApi, scriptedTask } from "./scripted.mjs";

const URL_WITH_TOKEN = "wss://h.example/ws?token=s3cret#frag";
const bytes = (buffer) => [...new Uint8Array(buffer)];
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A transport over a scripted API, its socket (handlers recording) and its task. */
function connected(makeTask, options) {
  const api = scriptedApi(makeTask);
  const socket = miniProgramTransport(api, options).connect(URL_WITH_TOKEN, "chat");
  const events = record(socket);
  return { api, socket, events, task: api.tasks[0] };
}

test("connect calls connectSocket with the URL, protocols as an array, multiple: true and a fail callback", () => {
  const api = scriptedApi();
  const transport = miniProgramTransport(api);
  transport.connect("wss://h/ws", "chat");
  transport.connect("wss://h/ws", ["a", "b"]);
  transport.connect("wss://h/ws");
  assert.deepEqual(api.calls[0].protocols, ["chat"]);
  assert.deepEqual(api.calls[1].protocols, ["a", "b"]);
  assert.ok(!("protocols" in api.calls[2]));
  for (const call of api.calls) {
    assert.equal(call.url, "wss://h/ws");
    assert.equal(call.multiple, true);
    assert.equal(typeof call.fail, "function");
  }
});

test("the task's listeners are attached before connect returns, so an immediate open is not missed", () => {
  const api = scriptedApi();
  const socket = miniProgramTransport(api).connect("wss://h/ws");
  const task = api.tasks[0];
  assert.equal(task.listenerCount(), 4);
  assert.equal(socket.readyState, 0);
  const events = record(socket);
  task.emit("Open", { header: {} });
  assert.equal(socket.readyState, 1);
  assert.deepEqual(events, [{ type: "open" }]);
});

test("events arrive WebSocket-shaped: messages as {data}, closes as {code, reason, wasClean}", () => {
  const { socket, events, task } = connected();
  task.emit("Open", {});
  const binary = new Uint8Array([1, 2, 255]).buffer;
  task.emit("Message", { data: "你好 👋" });
  task.emit("Message", { data: binary });
  task.emit("Close", { code: 4001, reason: "bye" });
  assert.equal(socket.readyState, 3);
  assert.deepEqual(events.slice(1), [
    { type: "message", data: "你好 👋" },
    { type: "message", data: binary },
    { type: "close", code: 4001, reason: "bye", wasClean: true },
  ]);
});

test("close codes: ByteDance's strings become numbers; 0, none or garbage become 1006 with the reason kept", () => {
  const cases = [
    [{ code: "1000", reason: "normal closure" }, 1000, true],
    [{ code: 0, reason: "interrupted" }, 1006, false],
    [{ reason: "interrupted" }, 1006, false],
    [{ code: "abc", reason: "x" }, 1006, false],
    [{ code: 70000, reason: "x" }, 1006, false],
    [undefined, 1006, false],
  ];
  for (const [result, code, wasClean] of cases) {
    const { events, task } = connected();
    task.emit("Open", {});
    task.emit("Close", result);
    const reason = result && result.reason !== undefined ? result.reason : "";
    assert.deepEqual(events.at(-1), { type: "close", code, reason, wasClean }, JSON.stringify(result));
  }
});

test("close(code, reason) closes the task and lets go: later task events reach nobody", () => {
  const { socket, events, task } = connected();
  task.emit("Open", {});
  socket.close(4000, "heartbeat timeout");
  assert.equal(socket.readyState, 2);
  assert.equal(task.closed.length, 1);
  assert.equal(task.closed[0].code, 4000);
  assert.equal(task.closed[0].reason, "heartbeat timeout");
  // A task that never opened answers "closeSocket:fail websocket is not connected": swallowed.
  assert.doesNotThrow(() => task.closed[0].fail({ errMsg: "closeSocket:fail websocket is not connected" }));
  task.emit("Message", { data: "late" });
  task.emit("Error", { errMsg: "late" });
  task.emit("Close", { code: 1000, reason: "late" });
  assert.deepEqual(events, [{ type: "open" }]);
  assert.equal(socket.readyState, 3);
  socket.close(4000, "again");
  assert.equal(task.closed.length, 1, "a second close does nothing");
});

test("a socket whose handlers were all set to null ignores its task", () => {
  const { socket, events, task } = connected();
  task.emit("Open", {});
  socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
  task.emit("Message", { data: "late" });
  task.emit("Error", { errMsg: "late" });
  assert.deepEqual(events, [{ type: "open" }]);
  assert.equal(task.closed.length, 0, "no error-driven close of a socket the library let go");
});

test("close() checks its arguments as a browser would", () => {
  const { socket, task } = connected();
  assert.throws(() => socket.close(1001), { name: "RangeError", message: /^close: code: expected 1000 or an integer from 3000 to 4999, got 1001$/ });
  assert.throws(() => socket.close(4000, "é".repeat(62)), { name: "RangeError", message: /^close: reason: expected a string of at most 123 bytes/ });
  assert.equal(task.closed.length, 0);
  socket.close(1000, "é".repeat(61));
  assert.equal(task.closed[0].reason.length, 61);
  const other = connected().socket;
  other.close();
  assert.equal(other.readyState, 2);
});

test("send: only when open; strings and ArrayBuffers as they are, a typed array view as exactly its bytes", () => {
  const { socket, task } = connected();
  assert.throws(() => socket.send("early"), /^Error: send: the socket is not open \(readyState 0\)$/);
  task.emit("Open", {});
  const buffer = new Uint8Array([9, 1, 2, 3, 4, 9]).buffer;
  socket.send("text");
  socket.send(buffer);
  socket.send(new Uint8Array(buffer, 1, 4));
  socket.send(new DataView(buffer, 2, 2));
  socket.send(new Uint16Array(new Uint8Array([7, 0, 8, 0, 9, 0]).buffer, 2, 1));
  assert.equal(task.sent[0].data, "text");
  assert.equal(task.sent[1].data, buffer);
  assert.deepEqual(bytes(task.sent[2].data), [1, 2, 3, 4]);
  assert.deepEqual(bytes(task.sent[3].data), [2, 3]);
  assert.deepEqual(bytes(task.sent[4].data), [8, 0]);
  assert.ok(task.sent.every((options) => !("isBuffer" in options)));
  assert.throws(() => socket.send(42), { name: "TypeError", message: /^send: expected a string, an ArrayBuffer or a typed array, got 42$/ });
});

test("a failed send is an error event (redacted) and the socket stays open", () => {
  const { socket, events, task } = connected();
  task.emit("Open", {});
  socket.send("x");
  task.sent[0].fail({ errMsg: `sendSocketMessage:fail to ${URL_WITH_TOKEN}` });
  assert.deepEqual(events.at(-1), { type: "error", message: "sendSocketMessage:fail to wss://h.example/ws" });
  assert.equal(socket.readyState, 1);
});

test("onError is an error event, then a close 1006, and the task is closed to free its slot; its own close comes to nothing", () => {
  const { socket, events, task } = connected();
  task.emit("Open", {});
  task.emit("Error", { errMsg: `open fail: Host not found ${URL_WITH_TOKEN}` });
  const message = "open fail: Host not found wss://h.example/ws";
  assert.deepEqual(events.slice(1), [
    { type: "error", message },
    { type: "close", code: 1006, reason: message, wasClean: false },
  ]);
  assert.equal(socket.readyState, 3);
  assert.equal(task.closed.length, 1);
  task.emit("Close", { code: 1006, reason: "abnormal closure" });
  assert.equal(events.length, 3);
});

test("an error handler that lets go of the socket gets no close event (the library tears down itself)", () => {
  const { socket, events, task } = connected();
  socket.onerror = () => socket.close(4000, "connect failed");
  task.emit("Error", { errMsg: "open fail" });
  assert.deepEqual(events, []);
  assert.equal(task.closed.length, 1);
  assert.equal(task.closed[0].code, 4000);
});

test("connectSocket's fail callback, called later, is an error then a close 1006 (e.g. the 5-task limit)", () => {
  const { events, api } = connected();
  api.calls[0].fail({ errMsg: "connectSocket:fail exceed max task count" });
  assert.deepEqual(events, [
    { type: "error", message: "connectSocket:fail exceed max task count" },
    { type: "close", code: 1006, reason: "connectSocket:fail exceed max task count", wasClean: false },
  ]);
});

test("a fail callback run inside connectSocket, or connectSocket throwing, makes connect throw, redacted", () => {
  const failing = scriptedApi((options) => {
    options.fail({ errMsg: `createSocketTask:fail wss url not in domain list ${URL_WITH_TOKEN}` });
    return scriptedTask();
  });
  assert.throws(() => miniProgramTransport(failing).connect(URL_WITH_TOKEN), {
    message: "createSocketTask:fail wss url not in domain list wss://h.example/ws",
  });
  assert.equal(failing.tasks[0].closed.length, 1, "the task it returned anyway is closed");
  const throwing = {
    connectSocket() {
      throw new Error(`bad url ${URL_WITH_TOKEN}`);
    },
  };
  assert.throws(() => miniProgramTransport(throwing).connect(URL_WITH_TOKEN), { message: "bad url wss://h.example/ws" });
});

test("no token from a URL's query string reaches an error or close event", () => {
  const { events, task } = connected();
  task.emit("Open", {});
  task.emit("Error", { errMsg: `fail ${URL_WITH_TOKEN} and ws://other/?token=s3cret` });
  assert.equal(events.length, 3);
  for (const event of events) assert.ok(!JSON.stringify(event).includes("s3cret"), JSON.stringify(event));
});

test("Alipay: binary goes out as base64 with isBuffer, base64 messages come in as ArrayBuffers (nested or not)", () => {
  const { socket, events, task } = connected(() => scriptedTask({ offMethods: true }));
  task.emit("Open", { data: { socketTaskID: "1" } });
  socket.send("text");
  socket.send(new Uint8Array([0, 1, 2, 250, 251, 252, 253]).subarray(1));
  assert.deepEqual({ data: task.sent[0].data, isBuffer: task.sent[0].isBuffer }, { data: "text", isBuffer: undefined });
  assert.equal(task.sent[1].isBuffer, true);
  assert.deepEqual(bytes(decodeBase64(task.sent[1].data)), [1, 2, 250, 251, 252, 253]);
  const payload = encodeBase64(new Uint8Array([104, 105, 0, 255]).buffer);
  // The typings (@mini-types/alipay) nest the payload in data; the docs put it at the top.
  task.emit("Message", { data: { socketTaskID: "1", data: payload, isBuffer: true } });
  task.emit("Message", { data: payload, isBuffer: true });
  task.emit("Message", { data: { socketTaskID: "1", data: "plain", isBuffer: false } });
  task.emit("Message", { data: "plain too" });
  assert.deepEqual(bytes(events[1].data), [104, 105, 0, 255]);
  assert.deepEqual(bytes(events[2].data), [104, 105, 0, 255]);
  assert.equal(events[3].data, "plain");
  assert.equal(events[4].data, "plain too");
});

test("Alipay: an undecodable base64 message is an error event; errors carry errorMessage and the error code", () => {
  const { socket, events, task } = connected(() => scriptedTask({ offMethods: true }));
  task.emit("Open", {});
  task.emit("Message", { data: { data: "not*base64", isBuffer: true } });
  assert.deepEqual(events.at(-1), { type: "error", message: 'a message could not be read: base64: invalid character "*" at 3' });
  assert.equal(socket.readyState, 1);
  task.emit("Error", { data: { socketTaskID: "1" }, error: 6, errorMessage: "connection timed out" });
  assert.deepEqual(events.at(-2), { type: "error", message: "connection timed out (error 6)" });
  assert.equal(events.at(-1).code, 1006);
});

test("Alipay: letting go removes the task's listeners with its off* methods", () => {
  const closedByLibrary = connected(() => scriptedTask({ offMethods: true }));
  closedByLibrary.task.emit("Open", {});
  closedByLibrary.socket.close(4000, "heartbeat timeout");
  assert.equal(closedByLibrary.task.listenerCount(), 0);
  const closedByServer = connected(() => scriptedTask({ offMethods: true }));
  closedByServer.task.emit("Close", { data: { socketTaskID: "2" } });
  assert.equal(closedByServer.task.listenerCount(), 0);
  assert.equal(closedByServer.events.at(-1).code, 1006, "Alipay's task close carries no code");
});

test("the base64 option overrides the detection both ways", () => {
  const plain = connected(() => scriptedTask({ offMethods: true }), { base64: false });
  plain.task.emit("Open", {});
  plain.socket.send(new Uint8Array([1]).buffer);
  assert.ok(plain.task.sent[0].data instanceof ArrayBuffer);
  const encoded = connected(() => scriptedTask(), { base64: true });
  encoded.task.emit("Open", {});
  encoded.socket.send(new Uint8Array([1]).buffer);
  assert.deepEqual(encoded.task.sent[0], { data: "AQ==", isBuffer: true, fail: encoded.task.sent[0].fail });
});

test("uni-app: the task comes back because a callback is always passed", () => {
  // uni.connectSocket returns a Promise, not the task, when no success/fail/complete is given.
  const uni = scriptedApi((options) => (options.success || options.fail || options.complete ? scriptedTask() : Promise.resolve()));
  const socket = miniProgramTransport(uni).connect("wss://h/ws");
  const events = record(socket);
  uni.tasks[0].emit("Open", {});
  assert.deepEqual(events, [{ type: "open" }]);
});

/** A Taro-like API: connectSocket returns a Promise of a task that the test settles. */
function taro() {
  const api = { tasks: [], settle: null };
  api.connectSocket = () =>
    new Promise((resolve, reject) => {
      const task = scriptedTask();
      api.tasks.push(task);
      api.settle = { resolve: () => resolve(task), reject };
    });
  return api;
}

test("Taro: the socket is returned at once and wired when the Promise resolves", async () => {
  const api = taro();
  const socket = miniProgramTransport(api).connect("wss://h/ws");
  const events = record(socket);
  assert.equal(socket.readyState, 0);
  api.settle.resolve();
  await nextTurn();
  assert.equal(api.tasks[0].listenerCount(), 4);
  api.tasks[0].emit("Open", {});
  api.tasks[0].emit("Message", { data: "hi" });
  assert.deepEqual(events, [{ type: "open" }, { type: "message", data: "hi" }]);
});

test("Taro: a task that arrives after the socket was let go is closed, not wired", async () => {
  for (const letGo of [(socket) => socket.close(4000, "connect timeout"), (socket) => (socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null)]) {
    const api = taro();
    const socket = miniProgramTransport(api).connect("wss://h/ws");
    record(socket);
    letGo(socket);
    api.settle.resolve();
    await nextTurn();
    assert.equal(api.tasks[0].closed.length, 1);
    assert.equal(api.tasks[0].listenerCount(), 0);
  }
});

test("Taro: a rejected Promise is an error then a close 1006; a task that opened before arriving counts as open", async () => {
  const api = taro();
  const socket = miniProgramTransport(api).connect("wss://h/ws");
  const events = record(socket);
  api.settle.reject({ errMsg: `connectSocket:fail ${URL_WITH_TOKEN}` });
  await nextTurn();
  assert.deepEqual(events, [
    { type: "error", message: "connectSocket:fail wss://h.example/ws" },
    { type: "close", code: 1006, reason: "connectSocket:fail wss://h.example/ws", wasClean: false },
  ]);
  const late = taro();
  const opened = miniProgramTransport(late).connect("wss://h/ws");
  const lateEvents = record(opened);
  late.tasks[0].readyState = 1;
  late.settle.resolve();
  await nextTurn();
  assert.deepEqual(lateEvents, [{ type: "open" }]);
  assert.equal(opened.readyState, 1);
});

test("legacy: the global listeners are registered once per API object and routed to the current socket", () => {
  const api = scriptedLegacyApi();
  const transport = miniProgramTransport(api, { legacy: true });
  const first = transport.connect("wss://h/ws", "chat");
  const firstEvents = record(first);
  assert.deepEqual(Object.values(api.listeners).map((list) => list.length), [1, 1, 1, 1]);
  assert.ok(!("multiple" in api.calls[0]), "legacy mode must not ask Alipay for a SocketTask");
  api.emit("Open", {});
  first.send(new Uint8Array([5, 6]).subarray(1));
  assert.deepEqual(bytes(api.sent[0].data), [6]);
  first.close(4000, "heartbeat timeout");
  assert.equal(api.closed[0].code, 4000);
  const second = miniProgramTransport(api, { legacy: true }).connect("wss://h/ws");
  const secondEvents = record(second);
  assert.deepEqual(Object.values(api.listeners).map((list) => list.length), [1, 1, 1, 1], "no accumulation");
  api.emit("Open", {});
  api.emit("Message", { data: "to the second" });
  assert.deepEqual(firstEvents, [{ type: "open" }]);
  assert.deepEqual(secondEvents, [{ type: "open" }, { type: "message", data: "to the second" }]);
});

test("legacy: a second socket while the first holds the app-wide socket fails clearly instead of stealing its events", () => {
  const api = scriptedLegacyApi();
  const transport = miniProgramTransport(api, { legacy: true });
  const first = transport.connect("wss://h/ws");
  record(first);
  assert.throws(() => transport.connect("wss://h/ws"), /legacy socket API .* has one socket per app.*close that one first.*SocketTask mode/);
  assert.equal(api.calls.length, 1, "connectSocket was not called for the second socket");
  first.close(1000);
  assert.doesNotThrow(() => record(transport.connect("wss://h/ws")));
});

test("legacy: claim() lets one HeartbeatSocket at a time use the API object, whatever transport it came from", () => {
  const api = scriptedLegacyApi();
  const giveBack = miniProgramTransport(api, { legacy: true }).claim();
  assert.throws(() => miniProgramTransport(api, { legacy: true }).claim(), /has one socket per app and another HeartbeatSocket holds it/);
  assert.equal(miniProgramTransport(scriptedLegacyApi(), { legacy: true }).claim().constructor, Function, "other API objects are separate");
  giveBack();
  giveBack();
  const again = miniProgramTransport(api, { legacy: true }).claim();
  assert.throws(() => miniProgramTransport(api, { legacy: true }).claim());
  again();
  assert.equal(miniProgramTransport(scriptedApi()).claim, undefined, "SocketTask mode has nothing to claim");
});

test("legacy: used from then on when connectSocket returns no task (base libraries before SocketTask)", () => {
  const api = scriptedLegacyApi();
  const transport = miniProgramTransport(api);
  const first = transport.connect("wss://h/ws");
  const events = record(first);
  assert.equal(api.calls[0].multiple, true, "the first call could not know");
  api.emit("Open", {});
  api.emit("Close", { code: 1000, reason: "interrupted" });
  assert.deepEqual(events, [{ type: "open" }, { type: "close", code: 1000, reason: "interrupted", wasClean: true }]);
  transport.connect("wss://h/ws");
  assert.ok(!("multiple" in api.calls[1]));
  assert.deepEqual(Object.values(api.listeners).map((list) => list.length), [1, 1, 1, 1]);
});

test("bad arguments get a TypeError naming the field", () => {
  assert.throws(() => miniProgramTransport(undefined), { name: "TypeError", message: /^miniProgramTransport: api: expected a mini-program API object with connectSocket/ });
  assert.throws(() => miniProgramTransport({}), { name: "TypeError", message: /got an object$/ });
  assert.throws(() => miniProgramTransport(scriptedApi(), "legacy"), { name: "TypeError", message: 'miniProgramTransport: options: expected an object, got "legacy"' });
  assert.throws(() => miniProgramTransport(scriptedApi(), { legacy: 1 }), { name: "TypeError", message: "miniProgramTransport: options.legacy: expected a boolean, got 1" });
  assert.throws(() => miniProgramTransport(scriptedApi(), { multiple: true }), {
    name: "TypeError",
    message: "miniProgramTransport: options.multiple: unknown option; expected one of legacy, base64",
  });
  assert.throws(() => miniProgramTransport(scriptedApi(), { legacy: true }), {
    name: "TypeError",
    message: /^miniProgramTransport: options.legacy is true, so the legacy socket API is needed, but api has no onSocketOpen, onSocketMessage, onSocketError, onSocketClose, sendSocketMessage, closeSocket$/,
  });
});

test("base64 round-trips every length and rejects what is not base64", () => {
  for (let length = 0; length < 70; length++) {
    const data = Buffer.from(Array.from({ length }, (_, i) => (i * 97 + length) & 255));
    const encoded = encodeBase64(new Uint8Array(data).buffer);
    assert.equal(encoded, data.toString("base64"));
    assert.deepEqual(Buffer.from(decodeBase64(encoded)), data);
    assert.deepEqual(Buffer.from(decodeBase64(encoded.replace(/=+$/, ""))), data, "padding is optional");
  }
  assert.throws(() => decodeBase64("QUJD RA=="), { name: "RangeError", message: 'base64: invalid character " " at 4' });
  assert.throws(() => decodeBase64("QUJDR"), { name: "RangeError", message: "base64: 5 characters cannot be base64" });
  assert.throws(() => decodeBase64("QU€="), { name: "RangeError" });
});
