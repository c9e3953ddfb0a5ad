// Defect 1: a JavaScript exception that crossed the wasm boundary poisoned the instance
// (docs/behaviour.md#rule-16, #rule-12). Thousands of hostile calls of every kind, mixed,
// on a socket while it connects and while it is open; then that socket and another one
// still echo, no call trapped, and wasm memory stayed flat.
//
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`:
//   node --test tests/reliability/hostile.test.mjs

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { isTrap, loadPackage, show, sleep, startDevServer, waitUntil, WS_MODULE } from "./support.mjs";

const ROUNDS = 40;

let server;
let lib;
let WebSocket;
before(async () => {
  server = await startDevServer({ statics: {} });
  lib = await loadPackage();
  ({ WebSocket } = await import(WS_MODULE));
});
after(() => server.stop());

/** An ArrayBuffer subclass whose own `byteLength` lies and whose `slice` throws. */
class SneakyBuffer extends ArrayBuffer {
  get byteLength() {
    return -5;
  }
  slice() {
    throw new Error("SneakyBuffer.slice");
  }
}

function detachedView() {
  const view = new Uint8Array(new ArrayBuffer(8));
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

function revokedProxy() {
  const { proxy, revoke } = Proxy.revocable(new ArrayBuffer(2), {});
  revoke();
  return proxy;
}

const hostileValue = () => ({
  valueOf() {
    throw new Error("valueOf");
  },
  toString() {
    throw Object.create(null);
  },
});

/**
 * Each kind: a hostile call on `socket` (`env` has what a kind needs). `accepted` lists what
 * the call may do besides throwing a TypeError or an Error of the library's: "value" (it
 * returns), "user" (the user's own exception comes back, as from a throwing getter the
 * library must read). A trap is never accepted.
 */
const KINDS = {
  "send(Object.create(ArrayBuffer.prototype))": { call: (socket) => socket.send(Object.create(ArrayBuffer.prototype)), throws: TypeError },
  "send(new Proxy(new ArrayBuffer(2), {}))": { call: (socket) => socket.send(new Proxy(new ArrayBuffer(2), {})), throws: TypeError },
  "send(a revoked Proxy)": { call: (socket) => socket.send(revokedProxy()), throws: TypeError },
  "send(an ArrayBuffer subclass with its own byteLength)": { call: (socket) => socket.send(new SneakyBuffer(4)), returns: true },
  "send(a view of a subclass buffer)": { call: (socket) => socket.send(new Uint8Array(new SneakyBuffer(4), 1, 2)), returns: true },
  "send(a detached typed array)": { call: (socket) => socket.send(detachedView()), throws: TypeError },
  "send(a Symbol)": { call: (socket) => socket.send(Symbol("s")), throws: TypeError },
  "send(an object whose valueOf and toString throw)": { call: (socket) => socket.send(hostileValue()), throws: TypeError },
  "close(a code whose valueOf throws)": { call: (socket) => socket.close(hostileValue()), throws: TypeError },
  "close(1000, a Symbol)": { call: (socket) => socket.close(1000, Symbol("r")), throws: TypeError },
  "binaryType = an object whose toString throws": { call: (socket) => (socket.binaryType = hostileValue()), throws: TypeError },
  "addEventListener(a Proxy type)": { call: (socket) => socket.addEventListener(new Proxy({}, {}), () => {}), throws: TypeError },
  "onmessage = an object with a throwing handleEvent getter": {
    call: (socket) => (socket.onmessage = Object.defineProperty({}, "handleEvent", { get: () => { throw new Error("getter"); } })),
    throws: TypeError,
  },
  "throwing listeners while console.error throws": {
    call: (socket) => {
      socket.addEventListener("message", () => {
        throw Object.create(null);
      });
      socket.addEventListener("statechange", () => {
        throw new Error("statechange listener");
      });
    },
    returns: true,
  },
  "a transport whose watchLifecycle getter throws": {
    call: (_socket, env) => {
      const transport = env.transport();
      Object.defineProperty(transport, "watchLifecycle", { get: () => { throw new Error("watchLifecycle getter"); } });
      new lib.HeartbeatSocket({ url: env.url, transport, lifecycle: "auto" }).close();
    },
    returns: true,
  },
  "a URL provider that throws Object.create(null)": {
    call: (_socket, env) => {
      const socket = new lib.HeartbeatSocket({ url: () => { throw Object.create(null); }, transport: env.transport(), reconnect: false });
      env.closeLater.push(socket);
    },
    returns: true,
  },
  "a URL provider whose Promise rejects with a Proxy": {
    call: (_socket, env) => {
      const rejected = Promise.reject(new Proxy({}, { get: () => { throw new Error("proxy get"); } }));
      rejected.catch(() => {});
      const socket = new lib.HeartbeatSocket({ url: () => rejected, transport: env.transport(), reconnect: false });
      env.closeLater.push(socket);
    },
    returns: true,
  },
  "transport.connect that throws null": {
    call: (_socket, env) => {
      const socket = new lib.HeartbeatSocket({ url: env.url, transport: { connect() { throw null; } }, reconnect: false });
      env.closeLater.push(socket);
    },
    returns: true,
  },
  "a socket whose every property throws": {
    call: (_socket, env) => {
      const hostileSocket = new Proxy({}, { get: () => { throw new Error("socket get"); }, set: () => { throw new Error("socket set"); } });
      const socket = new lib.HeartbeatSocket({ url: env.url, transport: { connect: () => hostileSocket }, reconnect: false, connectTimeout: 50 });
      env.closeLater.push(socket);
    },
    returns: true,
  },
  "options whose ownKeys trap throws": {
    call: (_socket, env) => new lib.HeartbeatSocket(new Proxy({ url: env.url }, { ownKeys: () => { throw new Error("ownKeys"); } })),
    userError: "ownKeys",
  },
  "a heartbeat.pong predicate that throws Object.create(null)": {
    call: (_socket, env) => {
      const socket = new lib.HeartbeatSocket({ url: env.url, transport: env.transport(), heartbeat: { pong: () => { throw Object.create(null); } } });
      env.closeLater.push(socket);
    },
    returns: true,
  },
};

test("thousands of hostile calls trap nothing, and every socket still echoes", async (t) => {
  const { HeartbeatSocket, browserTransport, memory } = lib;
  const url = `${server.wsUrl}?label=hostile`;
  const env = { url, transport: () => browserTransport(WebSocket), closeLater: [] };

  // The hostile socket connects only when the test lets its URL provider answer.
  let letConnect;
  const connectable = new Promise((resolve) => (letConnect = resolve));
  const hostile = new HeartbeatSocket({ url: () => connectable.then(() => url), transport: env.transport(), connectTimeout: 60000 });
  const bystander = new HeartbeatSocket({ url: `${server.wsUrl}?label=bystander`, transport: env.transport() });
  const echoes = { hostile: [], bystander: [] };
  hostile.addEventListener("message", (event) => echoes.hostile.push(String(event.data)));
  bystander.addEventListener("message", (event) => echoes.bystander.push(String(event.data)));

  const counts = {};
  const traps = [];
  const wrong = [];
  const names = Object.keys(KINDS);
  const originalError = console.error;
  let reported = 0;
  console.error = () => {
    reported += 1;
    throw new Error("console.error throws too");
  };
  let memoryAfterFirstRound = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      if (round === ROUNDS / 2) {
        assert.equal(hostile.state, "connecting", "the first half of the calls hit a connecting socket");
        letConnect();
        await waitUntil(() => hostile.state === "open", { message: "the hostile socket to open" });
      }
      for (let i = 0; i < names.length * 5; i++) {
        // A fixed shuffle: every kind in every round, in a different order each time.
        const name = names[(i * 5 + round * 3) % names.length];
        const kind = KINDS[name];
        counts[name] = (counts[name] || 0) + 1;
        try {
          const value = kind.call(hostile, env);
          if (!kind.returns) wrong.push(`${name}: returned ${String(value)} instead of throwing`);
        } catch (error) {
          if (isTrap(error)) traps.push(`${name}: ${show(error)}`);
          else if (kind.userError) {
            if (!(error instanceof Error) || error.message !== kind.userError) wrong.push(`${name}: threw ${show(error)}`);
          } else if (!kind.throws || !(error instanceof kind.throws)) wrong.push(`${name}: threw ${show(error)}`);
        }
      }
      await sleep(5); // timers, URL promises and socket events run between rounds
      for (const socket of env.closeLater.splice(0)) socket.close();
      if (round === 1) memoryAfterFirstRound = memory.buffer.byteLength;
    }

    assert.deepEqual(traps, [], "no call trapped");
    assert.deepEqual(wrong, [], "every call returned or threw as expected");
    assert.ok(reported > 0, "the failures were reported to console.error (which threw)");

    // The hostile socket and a bystander both still echo.
    await waitUntil(() => bystander.state === "open", { message: "the bystander to open" });
    hostile.send("hostile survived");
    bystander.send("bystander survived");
    await waitUntil(() => echoes.hostile.includes("hostile survived") && echoes.bystander.includes("bystander survived"), {
      message: "both sockets to echo",
      timeout: 10000,
    });
    assert.equal(hostile.state, "open");
    const growth = memory.buffer.byteLength - memoryAfterFirstRound;
    assert.ok(growth <= 65536, `wasm memory grew by ${growth} bytes over ${ROUNDS - 2} rounds (at most one page allowed)`);
  } finally {
    for (const socket of [hostile, bystander]) {
      try {
        socket.close();
      } catch (error) {
        // A poisoned instance throws here too; the assertion above already said why.
      }
    }
    console.error = originalError;
  }
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  t.diagnostic(`hostile calls: ${total} (${names.length} kinds): ${JSON.stringify(counts)}`);
});
