// Scenarios for the wasm binding, run in Node (tests/wasm_node.rs) and headless Chromium
// (tests/wasm_browser.rs).
// Each takes `env`: `create(options)` makes a HeartbeatSocket, `memoryBytes()` and
// `liveHeapObjects()` measure the wasm side. A scenario throws to fail. (One module:
// wasm-bindgen copies only the JS files Rust imports from, not what they import.)

// A scriptable transport: sockets do nothing until a test opens, feeds or closes them,
// and remember everything done to them.
export class MockTransport {
  /** `echo`: sockets echo sends synchronously (re-entering the driver from send). */
  constructor({ echo = false } = {}) {
    this.echo = echo;
    this.sockets = [];
    this.urls = [];
    this.watching = 0;
    this.signals = null;
  }

  connect(url, protocols) {
    const socket = new MockSocket(this, url, protocols);
    this.sockets.push(socket);
    this.urls.push(url);
    return socket;
  }

  watchLifecycle(signals) {
    this.signals = signals;
    this.watching += 1;
    return () => {
      this.watching -= 1;
    };
  }

  get last() {
    return this.sockets[this.sockets.length - 1];
  }

  /** Sockets that still have a handler attached (at most the live one). */
  attached() {
    return this.sockets.filter((socket) => socket.attached()).length;
  }
}

export class MockSocket {
  constructor(transport, url, protocols) {
    this.transport = transport;
    this.url = url;
    this.protocols = protocols;
    this.sent = [];
    this.closedWith = null;
    this.onopen = this.onmessage = this.onerror = this.onclose = null;
  }

  attached() {
    return Boolean(this.onopen || this.onmessage || this.onerror || this.onclose);
  }

  send(data) {
    if (this.closedWith) throw new Error("socket already closed");
    this.sent.push(data);
    if (this.transport.echo && this.onmessage) this.onmessage({ data });
  }

  close(code, reason) {
    this.closedWith = [code, reason];
  }

  open() {
    if (this.onopen) this.onopen({});
  }

  receive(data) {
    if (this.onmessage) this.onmessage({ data });
  }

  fail(message) {
    if (this.onerror) this.onerror({ message });
  }

  serverClose(code, reason = "") {
    if (this.onclose) this.onclose({ code, reason, wasClean: true });
  }
}

const URL = "wss://test.invalid/ws?token=s3cret";

function fail(message) {
  throw new Error(message);
}

function equal(actual, expected, what) {
  const [a, b] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== b) fail(`${what}: expected ${b}, got ${a}`);
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition()` holds, failing after `ms` (generous: CI machines are slow). */
async function until(condition, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`);
    await wait(1);
  }
}

const TYPES = ["open", "message", "close", "error", "reconnecting", "giveup", "heartbeat", "drop", "statechange"];

/** Every event of `socket`, in order, as [type, event]. */
function record(socket) {
  const events = [];
  for (const type of TYPES) socket.addEventListener(type, (event) => events.push([type, event]));
  events.of = (type) => events.filter(([t]) => t === type).map(([, event]) => event);
  return events;
}

function throws(action, type, message, what) {
  try {
    action();
  } catch (error) {
    if (!(error instanceof type)) fail(`${what}: expected a ${type.name}, got ${error}`);
    if (!error.message.includes(message)) fail(`${what}: expected "${message}" in "${error.message}"`);
    return;
  }
  fail(`${what}: nothing was thrown`);
}

/** A socket on a mock transport, its first socket created (the first attempt runs from a 0 ms timer). */
async function started(env, extra = {}, transportOptions = {}) {
  const transport = new MockTransport(transportOptions);
  const socket = env.create({ url: URL, transport, lifecycle: false, ...extra });
  const events = record(socket);
  await until(() => transport.sockets.length === 1, "the first attempt");
  return { transport, socket, events };
}

async function opened(env, extra, transportOptions) {
  const setup = await started(env, extra, transportOptions);
  setup.transport.last.open();
  return setup;
}

export async function opensAndDeliversMessages(env) {
  const { transport, socket, events } = await started(env);
  equal(socket.state, "connecting", "state before open");
  equal(transport.urls, [URL], "the URL handed to the transport, query included");
  transport.last.open();
  equal(socket.state, "open", "state");
  equal(events.of("open")[0], { type: "open", attempt: 1, reconnected: false }, "open event");
  equal(events.of("statechange")[0], { type: "statechange", from: "connecting", to: "open" }, "statechange");
  transport.last.receive("hello");
  equal(events.of("message")[0], { type: "message", data: "hello" }, "message event");
  equal(socket.send("out"), true, "send on an open socket");
  equal(transport.last.sent, ["out"], "sent");
  socket.close();
}

export async function queuesWhileDownAndFlushesBeforeOpen(env) {
  const { transport, socket } = await started(env);
  equal([socket.send("a"), socket.send("b")], [false, false], "sends while connecting");
  equal(socket.stats().queued, 2, "queued");
  let sentAtOpen = null;
  socket.onopen = () => (sentAtOpen = transport.last.sent.slice());
  transport.last.open();
  equal(sentAtOpen, ["a", "b"], "flushed in order before the open event");
  equal(socket.stats().queued, 0, "queue after open");
  socket.close();
}

export async function sendsExactBinary(env) {
  const { transport, socket, events } = await opened(env);
  const bytes = new Uint8Array([1, 2, 3, 4, 5, 6]);
  socket.send(bytes.buffer);
  socket.send(bytes.subarray(2, 4));
  socket.send(new DataView(bytes.buffer, 4, 2));
  // A socket's send() sends exactly a view's bytes (as a browser WebSocket's does): what
  // counts is the bytes each message covers.
  const covered = (data) => [...(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength))];
  equal(transport.last.sent.map(covered), [[1, 2, 3, 4, 5, 6], [3, 4], [5, 6]], "bytes sent for a buffer, a typed array view and a DataView");
  const inbound = new Uint8Array([9, 8]).buffer;
  transport.last.receive(inbound);
  if (events.of("message")[0].data !== inbound) fail("an inbound ArrayBuffer reaches listeners as is");
  socket.close();
}

export async function queuedViewsAreCopiedAtSend(env) {
  const { transport, socket } = await started(env);
  const bytes = new Uint8Array([1, 2, 3]);
  socket.send(bytes.subarray(0, 2));
  bytes[0] = 99;
  transport.last.open();
  equal([...new Uint8Array(transport.last.sent[0])], [1, 2], "the queued copy");
  socket.close();
}

export async function sendErrorsAreClear(env) {
  const { socket } = await started(env, { queue: false });
  throws(() => socket.send(5), TypeError, "send: expected a string, an ArrayBuffer or a typed array, got 5", "a number");
  throws(() => socket.send({}), TypeError, "got an object", "an object");
  throws(() => socket.send("x"), Error, "queueing is off", "queue off");
  socket.close();
  throws(() => socket.send("x"), Error, "send: the socket is closed", "after close");
  const full = await started(env, { queue: { max: 1, overflow: "throw" } });
  full.socket.send("a");
  throws(() => full.socket.send("b"), Error, "the queue is full", "overflow: throw");
  full.socket.close();
}

export async function queueOverflowReportsDrops(env) {
  const { transport, socket, events } = await started(env, { queue: { max: 2 } });
  socket.send("a");
  socket.send("b");
  socket.send("c");
  equal(events.of("drop"), [{ type: "drop", data: "a", reason: "overflow" }], "the oldest is dropped and reported");
  transport.last.open();
  equal(transport.last.sent, ["b", "c"], "the rest go out in order");
  equal(socket.stats().dropped, 1, "stats().dropped");
  socket.close();
}

export async function closeDropsQueuedMessagesAndReportsThem(env) {
  const { socket, events } = await started(env);
  socket.send("pending");
  socket.close();
  equal(events.of("drop"), [{ type: "drop", data: "pending", reason: "closed" }], "drop on close");
}

export async function heartbeatPongsAreSwallowed(env) {
  const { transport, socket, events } = await opened(env, { heartbeat: { interval: 20, timeout: 2000 } });
  await until(() => transport.last.sent.includes("ping"), "a ping");
  transport.last.receive("pong");
  equal(events.of("message"), [], "no message event for a pong");
  const heartbeat = events.of("heartbeat")[0];
  if (!heartbeat || typeof heartbeat.rtt !== "number") fail(`heartbeat event: ${JSON.stringify(heartbeat)}`);
  equal(socket.stats().pongsReceived, 1, "pongsReceived");
  socket.close();
}

export async function deadConnectionIsTornDownAtOnce(env) {
  const { transport, socket, events } = await opened(env, {
    heartbeat: { interval: 20, timeout: 20 },
    reconnect: { delay: 0, jitter: 0 },
  });
  const first = transport.last;
  const openedAt = Date.now();
  await until(() => events.of("close").length === 1, "the heartbeat timeout");
  const elapsed = Date.now() - openedAt;
  if (elapsed < 40) fail(`closed after ${elapsed} ms, before interval + timeout`);
  equal(events.of("close")[0], { type: "close", code: 4000, reason: "heartbeat timeout", wasClean: false, willReconnect: true }, "close event");
  equal(first.closedWith, [4000, "heartbeat timeout"], "the dead socket is closed best effort");
  equal(first.attached(), false, "and its handlers detached first");
  await until(() => transport.sockets.length === 2, "the retry");
  first.serverClose(1006);
  equal(events.of("close").length, 1, "the dead socket's late close is ignored");
  socket.close();
}

export async function listenersMayReenter(env) {
  const { transport, socket, events } = await opened(env, {}, { echo: true });
  // A message listener that sends: the mock echoes synchronously, re-entering the driver.
  let depth = 0;
  socket.onmessage = (event) => {
    if (depth++ < 3) socket.send(`${event.data}!`);
  };
  socket.send("x");
  equal(transport.last.sent, ["x", "x!", "x!!", "x!!!"], "re-entrant sends");
  // A close listener that closes: no reconnecting event may follow.
  socket.onclose = () => socket.close();
  transport.last.serverClose(4001);
  equal(socket.state, "closed", "closed from inside the close listener");
  equal(events.of("reconnecting"), [], "no reconnecting after close()");
  equal(events.of("statechange").map((e) => e.to), ["open", "closed"], "state changes reported");
  await wait(20);
  equal(transport.sockets.length, 1, "no further attempt");
}

export async function reconnectFromAnOpenListener(env) {
  const { transport, socket, events } = await started(env);
  let reconnected = false;
  socket.onopen = () => {
    if (!reconnected) {
      reconnected = true;
      socket.reconnect();
    }
  };
  transport.last.open();
  equal(transport.sockets.length, 2, "a new socket at once");
  equal(transport.sockets[0].closedWith, [4000, "reconnect"], "the old socket closed");
  equal(events.of("close")[0].willReconnect, true, "close event");
  transport.last.open();
  equal(socket.state, "open", "open again");
  equal(events.of("open").map((e) => e.reconnected), [false, true], "reconnected flags");
  socket.close();
}

export async function throwingListenersBreakNothing(env) {
  const errors = [];
  const originalError = console.error;
  console.error = (...args) => errors.push(args.map(String).join(" "));
  try {
    const first = await opened(env);
    const second = await opened(env);
    first.socket.onmessage = () => {
      throw new Error("listener bug");
    };
    const received = [];
    first.socket.addEventListener("message", (event) => received.push(event.data));
    first.transport.last.receive("one");
    first.transport.last.receive("two");
    equal(received, ["one", "two"], "other listeners still run");
    equal(first.socket.send("still works"), true, "the socket still works");
    second.transport.last.receive("three");
    equal(second.events.of("message").length, 1, "other sockets still work");
    if (!errors.some((line) => line.includes("a message listener threw") && line.includes("listener bug"))) {
      fail(`the exception is reported with console.error: ${JSON.stringify(errors)}`);
    }
    first.socket.close();
    second.socket.close();
  } finally {
    console.error = originalError;
  }
}

export async function eventListenerApi(env) {
  const { transport, socket } = await opened(env);
  const seen = [];
  const listener = (event) => seen.push(event.data);
  socket.addEventListener("message", listener);
  socket.addEventListener("message", listener);
  socket.onmessage = (event) => seen.push(`on:${event.data}`);
  transport.last.receive("a");
  equal(seen, ["on:a", "a"], "onX first, then each listener once");
  socket.removeEventListener("message", listener);
  socket.onmessage = null;
  transport.last.receive("b");
  equal(seen, ["on:a", "a"], "removed");
  const handler = () => {};
  socket.onclose = handler;
  if (socket.onclose !== handler) fail("onclose reads back the handler");
  throws(() => (socket.onopen = 5), TypeError, "onopen: expected a function or null, got 5", "onopen = 5");
  throws(() => socket.addEventListener("mesage", listener), TypeError, 'type: expected one of open, message', "unknown type");
  throws(() => socket.addEventListener("message", "nope"), TypeError, "listener: expected a function", "bad listener");
  socket.close();
}

export async function closeIsFinalAndLeavesNothing(env) {
  const { transport, socket, events } = await opened(env, { lifecycle: "auto", heartbeat: { interval: 10, timeout: 10 } });
  equal(transport.watching, 1, "lifecycle watched");
  socket.close(4321, "done");
  equal(socket.state, "closed", "state");
  equal(transport.last.closedWith, [4321, "done"], "the socket closed with the user's frame");
  equal(transport.attached(), 0, "no socket handler left");
  equal(transport.watching, 0, "no lifecycle listener left");
  equal(events.of("close")[0], { type: "close", code: 4321, reason: "done", wasClean: true, willReconnect: false }, "close event");
  const count = events.length;
  await wait(60);
  transport.last.serverClose(1006);
  equal(events.length, count, "nothing happens after close()");
  equal(transport.sockets.length, 1, "no attempt after close()");
  socket.close();
  throws(() => socket.reconnect(), Error, "reconnect: the socket is closed", "reconnect after close");
}

export async function closeArgumentsAreChecked(env) {
  const { socket } = await started(env);
  throws(() => socket.close(1001), TypeError, "close: code: expected 1000 or an integer from 3000 to 4999, got 1001", "code 1001");
  throws(() => socket.close("1000"), TypeError, 'close: code: expected 1000 or an integer from 3000 to 4999, got "1000"', "code string");
  throws(() => socket.close(1000, "x".repeat(124)), TypeError, "close: reason: expected a string of at most 123 bytes", "long reason");
  throws(() => socket.close(1000, 7), TypeError, "close: reason: expected", "reason number");
  equal(socket.state, "connecting", "a refused close changes nothing");
  socket.close(1000, "心".repeat(41));
  equal(socket.state, "closed", "123 bytes of UTF-8 are fine");
}

export async function urlProviderIsAskedEveryAttempt(env) {
  let calls = 0;
  const { transport, socket } = await started(env, {
    url: () => `wss://test.invalid/ws?attempt=${++calls}`,
    reconnect: { delay: 0, jitter: 0 },
  });
  transport.last.fail("refused");
  await until(() => transport.sockets.length === 2, "the retry");
  equal(transport.urls, ["wss://test.invalid/ws?attempt=1", "wss://test.invalid/ws?attempt=2"], "fresh URL each attempt");
  socket.close();
}

export async function urlProviderFailuresAreRetriedAndRedacted(env) {
  let call = 0;
  const transport = new MockTransport();
  const socket = env.create({
    url: () => {
      call += 1;
      if (call === 1) throw new Error("no token for wss://auth.invalid/?token=s3cret");
      if (call === 2) return "https://wrong.invalid/?token=s3cret";
      return Promise.resolve("wss://ok.invalid/");
    },
    transport,
    lifecycle: false,
    reconnect: { delay: 0, jitter: 0 },
  });
  const events = record(socket);
  await until(() => transport.sockets.length === 1, "a socket from the promised URL");
  equal(
    events.of("error").map((e) => e.message),
    ["url: the provider failed: no token for wss://auth.invalid/", 'url: expected a ws: or wss: URL, got "https://wrong.invalid/"'],
    "errors without the query string",
  );
  equal(events.of("close").map((e) => [e.code, e.reason]), [[1006, "no url"], [1006, "no url"]], "failed attempts");
  if (JSON.stringify(events).includes("s3cret")) fail("a token leaked");
  socket.close();
}

export async function connectTimeoutCoversAProviderThatNeverSettles(env) {
  const { socket, events } = await (async () => {
    const transport = new MockTransport();
    const socket = env.create({ url: () => new Promise(() => {}), transport, lifecycle: false, connectTimeout: 30 });
    return { socket, events: record(socket) };
  })();
  await until(() => events.of("close").length === 1, "the connect timeout");
  equal(events.of("close")[0].reason, "connect timeout", "close reason");
  equal(events.of("close")[0].willReconnect, true, "retried");
  socket.close();
}

export async function shouldReconnectDecides(env) {
  const vetoed = await opened(env, { reconnect: { shouldReconnect: ({ code }) => code !== 4001 } });
  vetoed.transport.last.serverClose(4001, "kicked");
  equal(vetoed.socket.state, "closed", "vetoed");
  equal(vetoed.events.of("close")[0].willReconnect, false, "willReconnect");
  const byDefault = await opened(env);
  byDefault.transport.last.serverClose(1008, "policy");
  equal(byDefault.socket.state, "closed", "1008 is vetoed by default");
  const interrupted = await opened(env);
  interrupted.transport.last.serverClose(1000, "interrupted");
  equal(interrupted.socket.state, "reconnecting", "1000 reconnects (WeChat background kills)");
  interrupted.socket.close();
}

export async function lifecycleSignalsFromTheTransport(env) {
  const { transport, socket } = await started(env, { lifecycle: "auto", reconnect: { delay: 60000 } });
  transport.last.fail("refused");
  equal(socket.state, "reconnecting", "waiting a minute");
  transport.signals.offline();
  equal(socket.state, "offline", "offline");
  transport.signals.online();
  equal(transport.sockets.length, 2, "back online: an attempt at once");
  transport.last.open();
  transport.signals.foreground();
  equal(transport.last.sent, ["ping"], "foreground: an open socket is probed");
  socket.close();
  equal(transport.watching, 0, "watching stopped");
}

export async function statsAndPresets(env, presets, article) {
  const { transport, socket } = await opened(env);
  const stats = socket.stats();
  equal(Object.keys(stats), ["opens", "closes", "reconnects", "pingsSent", "pongsReceived", "lastRtt", "messagesIn", "messagesOut", "dropped", "queued", "queuedBytes"], "stats keys");
  equal(stats.lastRtt, null, "lastRtt before any pong");
  equal(stats.opens, 1, "opens");
  transport.last.receive("m");
  equal(socket.stats().messagesIn, 1, "messagesIn");
  socket.close();
  equal(presets, { article }, "HeartbeatSocket.presets");
  const fromPreset = await opened(env, { ...presets.article });
  fromPreset.socket.close();
}

export async function optionErrorsNameTheField(env) {
  const transport = new MockTransport();
  const cases = [
    [undefined, "options: expected an object, got undefined"],
    [{ transport }, "url: expected a ws: or wss: URL string"],
    [{ url: "http://x/?token=s3cret", transport }, 'url: expected a ws: or wss: URL, got "http://x/"'],
    [{ url: URL, transport, heartbeat: { interval: "10s" } }, 'heartbeat.interval: expected a positive number of milliseconds, got "10s"'],
    [{ url: URL, transport, heartbeat: { intervall: 5 } }, "heartbeat.intervall: unknown option; expected one of interval"],
    [{ url: URL, transport, reconnect: { jitter: 1.5 } }, "reconnect.jitter: expected a number from 0 to 1, got 1.5"],
    [{ url: URL, transport, reconnect: { delay: 5000, maxDelay: 1000 } }, "reconnect.maxDelay: expected a number of milliseconds of at least reconnect.delay"],
    [{ url: URL, transport, queue: { overflow: "drop" } }, 'queue.overflow: expected "drop-oldest", "drop-newest" or "throw", got "drop"'],
    [{ url: URL, transport: {} }, "transport: expected an object with a connect(url, protocols) method, got an object"],
    [{ url: URL, transport, protocols: ["a", 1] }, "protocols[1]: expected a string, got 1"],
    [{ url: URL, transport, protocols: 5 }, "protocols: expected a string or an array of strings, got 5"],
    [{ url: 5, transport }, "url: expected a ws: or wss: URL string, or a function returning one (or a Promise of one), got 5"],
    [{ url: URL, transport, bogus: 1 }, "bogus: unknown option; expected one of url, protocols, transport, heartbeat,"],
    [{ url: URL, transport, heartbeat: true }, "heartbeat: expected false or an object, got true"],
    [{ url: URL, transport, heartbeat: { timeout: 0 } }, "heartbeat.timeout: expected a positive number of milliseconds, got 0"],
    [{ url: URL, transport, heartbeat: { interval: NaN } }, "heartbeat.interval: expected a positive number of milliseconds, got NaN"],
    [{ url: URL, transport, heartbeat: { message: 5 } }, "heartbeat.message: expected a string, an ArrayBuffer, a function returning one, or null"],
    [{ url: URL, transport, heartbeat: { pong: 5 } }, "heartbeat.pong: expected a string or a function (data) => boolean, got 5"],
    [{ url: URL, transport, heartbeat: { anyMessage: "yes" } }, 'heartbeat.anyMessage: expected a boolean, got "yes"'],
    [{ url: URL, transport, heartbeat: { answer: true } }, "heartbeat.answer: expected false or an object, got true"],
    [{ url: URL, transport, heartbeat: { answer: { ping: "p" } } }, "heartbeat.answer.pong: expected a string, an ArrayBuffer or a function returning one, got undefined"],
    [{ url: URL, transport, reconnect: { factor: 0.5 } }, "reconnect.factor: expected a number of at least 1, got 0.5"],
    [{ url: URL, transport, reconnect: { maxRetries: 1.5 } }, "reconnect.maxRetries: expected a non-negative integer or Infinity, got 1.5"],
    [{ url: URL, transport, reconnect: { delay: -1 } }, "reconnect.delay: expected a non-negative number of milliseconds, got -1"],
    [{ url: URL, transport, reconnect: { shouldReconnect: true } }, "reconnect.shouldReconnect: expected a function ({code, reason, wasClean}) => boolean, got true"],
    [{ url: URL, transport, connectTimeout: 0 }, "connectTimeout: expected a positive number of milliseconds, got 0"],
    [{ url: URL, transport, queue: true }, "queue: expected false or an object, got true"],
    [{ url: URL, transport, queue: { max: 1.5 } }, "queue.max: expected a non-negative integer, got 1.5"],
    [{ url: URL, transport, lifecycle: true }, 'lifecycle: expected "auto" or false, got true'],
    [{ url: URL, transport, debug: "yes" }, 'debug: expected a boolean or a function (line) => void, got "yes"'],
  ];
  for (const [options, message] of cases) throws(() => env.create(options), TypeError, message, JSON.stringify(options));
}

/** Options as text for failure messages: functions, buffers and Infinity by name. */
function show(options) {
  const named = (key, value) =>
    key === "transport" ? "mock" : typeof value === "function" ? "function" : value instanceof ArrayBuffer ? "ArrayBuffer" : value === Infinity ? "Infinity" : value;
  return JSON.stringify(options, named);
}

/** Every shape of every option README.md's options table allows is accepted (presets.article: statsAndPresets). */
export async function everyAllowedOptionIsAccepted(env) {
  const transport = new MockTransport();
  const accepted = [
    { url: URL, transport, heartbeat: false, reconnect: false, queue: false, lifecycle: false, debug: false },
    { url: () => URL, transport, heartbeat: { message: null }, reconnect: { maxRetries: Infinity }, lifecycle: "auto" },
    {
      url: async () => URL,
      transport,
      heartbeat: { interval: 1, timeout: 1, message: () => "p", pong: (data) => data === "q", anyMessage: false, answer: { ping: "sp", pong: () => "cp" } },
    },
    { url: URL, transport, heartbeat: { message: new ArrayBuffer(2), answer: { ping: (data) => data === "sp", pong: new ArrayBuffer(1) } }, debug: () => {} },
    { url: URL, transport, heartbeat: { answer: false }, protocols: "chat", debug: true },
    { url: URL, transport, protocols: ["a", "b"], connectTimeout: Infinity, queue: { max: 0, maxBytes: 0, overflow: "throw" } },
    { url: URL, transport, queue: { overflow: "drop-newest" } },
    { url: URL, transport, reconnect: { delay: 0, maxDelay: 0, factor: 1, jitter: 0, maxRetries: 0, minUptime: 0, shouldReconnect: () => true } },
  ];
  for (const options of accepted) {
    let socket;
    try {
      socket = env.create(options);
    } catch (error) {
      fail(`rejected ${show(options)}: ${error.message}`);
    }
    equal(socket.state, "connecting", show(options));
    socket.close();
  }
}

/** docs/behaviour.md#rule-10: 10,000 connect/teardown cycles leave wasm memory and JS listeners flat. */
export async function noLeakOverTenThousandCycles(env) {
  const { transport, socket } = await opened(env, { lifecycle: "auto", heartbeat: { interval: 1000, timeout: 1000 } });
  const cycle = () => {
    socket.reconnect();
    transport.last.open();
    transport.last.receive("m");
    socket.send("out");
  };
  for (let i = 0; i < 1000; i++) cycle();
  transport.sockets.length = 0; // the test's own record, not the library's
  const memory = env.memoryBytes();
  const heap = env.liveHeapObjects();
  for (let i = 0; i < 10000; i++) {
    cycle();
    if (transport.sockets.length > 1) transport.sockets.splice(0, transport.sockets.length - 1);
  }
  equal(env.memoryBytes(), memory, "wasm memory after 10,000 more cycles");
  const grown = env.liveHeapObjects() - heap;
  if (grown > 8) fail(`${grown} more live JS values held by wasm after 10,000 cycles`);
  equal(transport.attached(), 1, "only the live socket has handlers");
  equal(transport.watching, 1, "one lifecycle watch");
  socket.close();
  equal(transport.watching, 0, "none after close");
  // Whole sockets made and closed leave nothing either.
  const before = env.memoryBytes();
  for (let i = 0; i < 2000; i++) {
    const made = env.create({ url: URL, transport, lifecycle: "auto" });
    made.close();
    if (i % 100 === 99) await Promise.resolve(); // close() frees the wasm side in a microtask
  }
  equal(env.memoryBytes(), before, "wasm memory after 2,000 sockets made and closed");
  equal(transport.watching, 0, "lifecycle listeners after 2,000 sockets");
}

/**
 * Every event type the library documents is emitted, and nothing else: a socket driven
 * through every event, with what the wasm side hands to `_emit` (src/binding/objects.rs's
 * serde tags) and what the data plane emits (`message`) recorded. `eventTypes` is
 * `EVENT_TYPES` of js/listeners.js, the list index.d.ts and the README are pinned to.
 */
export async function everyEventTypeIsEmitted(env, eventTypes) {
  const transport = new MockTransport();
  const socket = env.create({
    url: URL,
    transport,
    lifecycle: false,
    heartbeat: { interval: 20, timeout: 2000 },
    reconnect: { delay: 0, jitter: 0, maxRetries: 1 },
    queue: { max: 1 },
  });
  const fromWasm = [];
  const emit = socket._emit;
  socket._emit = function (event) {
    fromWasm.push(event.type);
    return emit.call(this, event);
  };
  const received = [];
  socket.onmessage = (event) => received.push(event.type);
  await until(() => transport.sockets.length === 1, "the first attempt");
  socket.send("a");
  socket.send("b"); // the queue holds one: "a" is dropped
  transport.last.open();
  transport.last.receive("data");
  await until(() => transport.last.sent.includes("ping"), "a ping");
  transport.last.receive("pong");
  transport.last.fail("refused");
  transport.last.serverClose(1006);
  await until(() => transport.sockets.length === 2, "the retry");
  transport.last.fail("refused again");
  transport.last.serverClose(1006);
  await until(() => socket.state === "closed", "giving up after one retry");
  socket.close();

  const unknown = fromWasm.filter((type) => eventTypes.indexOf(type) < 0);
  if (unknown.length > 0) fail(`the wasm side emitted types missing from EVENT_TYPES: ${unknown}`);
  const seen = eventTypes.filter((type) => fromWasm.indexOf(type) >= 0 || received.indexOf(type) >= 0);
  equal(seen, eventTypes, "every type of EVENT_TYPES emitted");
  equal(received, ["message"], "the data plane's message event");
  if (fromWasm.indexOf("message") >= 0) fail("the wasm side emitted a message event: messages are the data plane's");
}
