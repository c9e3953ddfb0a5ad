// Defects 7, 8 and 9: options read once and only known keys accepted; close() in every
// state; a foreground at the ping deadline; the retry floor; use before init(); the
// overflow error; detached views; close codes out of range. Through the public API of the
// built package, against a scripted transport (no network).
//
// Run after `make build`: node --test tests/reliability/api-edges.test.mjs

import assert from "node:assert/strict";
import { afterEach, before, test } from "node:test";

import { ScriptedTransport, loadPackage, record, runChild, sleep, waitUntil } from "./support.mjs";

const URL = "wss://test.invalid/ws?token=s3cret";

let HeartbeatSocket;
before(async () => {
  ({ HeartbeatSocket } = await loadPackage());
});

// Every socket a test made is closed after it, also when it failed half way: a socket left
// retrying would keep the process (and the test run) alive.
const made = [];
function create(options) {
  const socket = new HeartbeatSocket(options);
  made.push(socket);
  return socket;
}
afterEach(() => {
  for (const socket of made.splice(0)) {
    try {
      socket.close();
    } catch (error) {
      // Closed already, or a broken build: the test has failed and said why.
    }
  }
});

/** A socket on a scripted transport, its first attempt made. */
async function started(options = {}) {
  const transport = new ScriptedTransport();
  const socket = create({ url: URL, transport, lifecycle: false, ...options });
  const events = record(socket);
  await waitUntil(() => transport.sockets.length === 1, { message: "the first attempt" });
  return { transport, socket, events };
}

/** Answers every "ping" with a "pong" a moment later. */
function answerPings(socket) {
  socket.onsend = (data) => {
    if (data === "ping") setTimeout(() => socket.receive("pong"), 1);
  };
}

const pingsOf = (socket) => socket.sent.filter((data) => data === "ping").length;

/** Opens a socket with `heartbeat`, answering its pings, and checks that it pinged at a
 * 50 ms interval for 500 ms (3 to 15 pings), whatever the section says when read again. */
async function assertPingsAtFiftyMs(heartbeat) {
  const { transport, socket } = await started({ heartbeat });
  answerPings(transport.last);
  transport.last.open();
  await sleep(500);
  const pings = pingsOf(transport.last);
  socket.close();
  assert.ok(pings >= 3 && pings <= 15, `${pings} pings in 500 ms at a 50 ms interval`);
}

// Defect 7: options were validated, then read again.

test("an option getter is read once: one that turns -5 after the check cannot make the socket ping flat out", async () => {
  let reads = 0;
  const heartbeat = {
    get interval() {
      reads += 1;
      return reads === 1 ? 50 : -5;
    },
  };
  await assertPingsAtFiftyMs(heartbeat);
  assert.equal(reads, 1, "heartbeat.interval was read once");
});

test("a Proxy section is read once per key: it cannot pass the check and then say something else", async () => {
  const reads = {};
  const heartbeat = new Proxy(
    { interval: 50 },
    {
      get(target, key) {
        reads[key] = (reads[key] || 0) + 1;
        return reads[key] === 1 ? target[key] : -5;
      },
    },
  );
  await assertPingsAtFiftyMs(heartbeat);
  assert.deepEqual(reads, { interval: 1 }, "each key read once");
});

// Defect 8: unknown option keys slipped through when they were Object.prototype names.

test("unknown option keys are refused, Object.prototype names and an own __proto__ included", () => {
  const transport = new ScriptedTransport();
  const cases = [
    [{ url: URL, transport, constructor: 1 }, "constructor: unknown option"],
    [{ url: URL, transport, toString: () => "x" }, "toString: unknown option"],
    [{ url: URL, transport, hasOwnProperty: 1 }, "hasOwnProperty: unknown option"],
    [{ url: URL, transport, heartbeat: { valueOf: 1 } }, "heartbeat.valueOf: unknown option"],
    [{ url: URL, transport, queue: { isPrototypeOf: 1 } }, "queue.isPrototypeOf: unknown option"],
    [Object.assign(JSON.parse('{"__proto__": {"interval": 5}}'), { url: URL, transport }), "__proto__: unknown option"],
    [{ url: URL, transport, reconnect: JSON.parse('{"__proto__": null}') }, "reconnect.__proto__: unknown option"],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => create(options),
      (error) => error instanceof TypeError && error.message.startsWith(message),
      `refused with "${message}"`,
    );
  }
});

// Defect 9.

test("close() in every state ends with exactly one final close event", async () => {
  const states = {
    async connecting() {
      return started();
    },
    async open() {
      const setup = await started();
      setup.transport.last.open();
      return setup;
    },
    async reconnecting() {
      const setup = await started({ reconnect: { delay: 60000, jitter: 0 } });
      setup.transport.last.fail("refused");
      return setup;
    },
    async offline() {
      const setup = await started({ lifecycle: "auto" });
      setup.transport.signals.offline();
      return setup;
    },
    async "closed by giving up"() {
      const setup = await started({ reconnect: { maxRetries: 0 } });
      setup.transport.last.fail("refused");
      return setup;
    },
  };
  for (const [state, make] of Object.entries(states)) {
    const { socket, events } = await make();
    events.length = 0; // close events before close() (a failed attempt, a give-up) are not close()'s
    assert.equal(socket.state, state === "closed by giving up" ? "closed" : state, `the socket is ${state}`);
    socket.close(4001, "bye");
    socket.close();
    await sleep(20);
    const closes = events.of("close");
    assert.equal(closes.length, 1, `${state}: one close event, got ${JSON.stringify(closes)}`);
    assert.equal(closes[0].willReconnect, false, `${state}: willReconnect`);
    assert.equal(closes[0].code, 4001, `${state}: the code given to close()`);
    assert.equal(socket.state, "closed", `${state}: closed`);
  }
});

test("coming back to the foreground at the ping deadline sends one ping, not two", async () => {
  const { transport, socket } = await started({ lifecycle: "auto", heartbeat: { interval: 100, timeout: 5000 } });
  transport.last.open();
  // The event loop is blocked past the ping deadline, so the page comes back to the
  // foreground before the heartbeat timer can run.
  const blockedUntil = Date.now() + 150;
  while (Date.now() < blockedUntil);
  transport.signals.foreground();
  await sleep(30); // the heartbeat timer runs now, late
  assert.equal(pingsOf(transport.last), 1, `pings sent: ${JSON.stringify(transport.last.sent)}`);
  socket.close();
});

test("reconnect.delay 0 with unlimited retries is not a tight loop: 100 ms apart from the second retry", async () => {
  let attempts = 0;
  const transport = {
    connect() {
      attempts += 1;
      const socket = { send() {}, close() {} };
      setTimeout(() => socket.onerror && socket.onerror({ message: "refused" }), 0);
      return socket;
    },
  };
  const socket = create({ url: URL, transport, lifecycle: false, reconnect: { delay: 0, jitter: 0, maxRetries: Infinity } });
  await sleep(1000);
  socket.close();
  // Attempt 1 and retry 1 at once, then one retry per 100 ms at most: about 12 in a second.
  assert.ok(attempts >= 5 && attempts <= 14, `${attempts} attempts in one second`);
});

test("a socket made before init() says to call init() first", async () => {
  const result = await runChild(`
    const { HeartbeatSocket } = await import(process.env.ENTRY);
    try {
      new HeartbeatSocket({ url: "wss://test.invalid/ws" });
      console.log("no error");
    } catch (error) {
      console.log(error.message);
    }
  `);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /call init\(\)/, `the message: ${result.stdout}`);
});

test('overflow "throw" with a message larger than queue.maxBytes says so, not that the queue is full', async () => {
  const { socket } = await started({ queue: { maxBytes: 4, overflow: "throw" } });
  assert.throws(
    () => socket.send("12345"),
    (error) => /larger than queue\.maxBytes/.test(error.message) && !/full/.test(error.message),
    "the message names the cause",
  );
  socket.send("1234");
  assert.throws(() => socket.send("1"), /the queue is full/, "a full queue is still called full");
  socket.close();
});

test("a detached typed array gets the library's error, not the engine's", async () => {
  const { socket } = await started();
  const view = new Uint8Array(new ArrayBuffer(8));
  structuredClone(view.buffer, { transfer: [view.buffer] });
  assert.throws(() => socket.send(view), (error) => error instanceof TypeError && /^send: the typed array's buffer is detached/.test(error.message));
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
  assert.throws(() => socket.send(buffer), (error) => error instanceof TypeError && /^send: the ArrayBuffer is detached/.test(error.message));
  socket.close();
});

test("a close code above 65535 from a custom transport is reported as 1006, not 65535", async () => {
  const { transport, socket, events } = await started({ reconnect: false });
  transport.last.open();
  transport.last.serverClose(70000, "odd");
  assert.deepEqual(
    events.of("close").map((event) => event.code),
    [1006],
    "the close event's code",
  );
  socket.close();
});
