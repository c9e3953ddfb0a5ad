// Defect 3: a HeartbeatSocket nobody referenced was closed by the garbage collector.
// Like a browser WebSocket, it must stay open until close() (docs/behaviour.md#rule-15);
// once closed, nothing of it may stay behind. Runs in a child `node --expose-gc`.
//
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`:
//   node --test tests/reliability/gc.test.mjs

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { runChild, startDevServer } from "./support.mjs";

let server;
before(async () => {
  server = await startDevServer({ statics: {} });
});
after(() => server.stop());

const CHILD = `
  const { default: init, HeartbeatSocket, browserTransport } = await import(process.env.ENTRY);
  const { WebSocket } = await import(process.env.WS);
  const api = process.env.API;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const check = (ok, what) => { if (!ok) throw new Error(what); };
  async function until(condition, what) {
    for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
    check(condition(), "timed out waiting for " + what);
  }
  async function collect() {
    for (let i = 0; i < 5; i++) { globalThis.gc(); await sleep(20); }
  }
  async function connection(label) {
    const list = await (await fetch(api + "/api/connections")).json();
    return list.find((c) => c.label === label && c.state === "open");
  }
  // Sockets, timers and handles Node keeps alive for the library.
  const resources = () => process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "Timeout").sort().join(",");

  const exports = await init();
  const memory = Object.values(exports).find((value) => value instanceof WebAssembly.Memory);
  const transport = browserTransport(WebSocket);
  const collected = [];
  const registry = new FinalizationRegistry((name) => collected.push(name));
  const baseline = resources();

  // An open socket that nothing references: only its own listeners count what it does.
  const seen = { opens: 0, pushes: 0 };
  let weak;
  (() => {
    const socket = new HeartbeatSocket({
      url: process.env.WS_URL + "?label=unreferenced&push=50",
      transport,
      heartbeat: { interval: 100, timeout: 2000, anyMessage: false }, // pings despite the pushes
      reconnect: { delay: 0, jitter: 0 },
    });
    socket.onopen = () => seen.opens++;
    socket.onmessage = (event) => { if (String(event.data).startsWith("push")) seen.pushes++; };
    registry.register(socket, "the open socket");
    weak = new WeakRef(socket);
  })();
  await until(() => seen.opens === 1, "the first open");

  async function stillAlive(when) {
    const before = await connection("unreferenced");
    const pushes = seen.pushes;
    await collect();
    await sleep(600);
    await collect();
    const later = await connection("unreferenced");
    check(!collected.includes("the open socket"), when + ": the open socket was garbage-collected");
    check(later && before && later.id === before.id, when + ": the server lost the connection");
    check(later.pingsIn >= before.pingsIn + 3, when + ": pings stopped (" + before.pingsIn + " then " + later.pingsIn + ")");
    check(seen.pushes >= pushes + 5, when + ": pushes stopped arriving (" + pushes + " then " + seen.pushes + ")");
    console.log(when + ": alive, pings " + before.pingsIn + " -> " + later.pingsIn + ", pushes " + pushes + " -> " + seen.pushes);
  }
  await stillAlive("after forced GC");

  // The server closes it; it reconnects, and forced GC still leaves it alone.
  const first = await connection("unreferenced");
  await fetch(api + "/api/connections/" + first.id, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ close: { code: 4001 } }) });
  await until(() => seen.opens === 2, "the reconnection");
  await stillAlive("after a reconnection and forced GC");
  const memoryOpen = memory.buffer.byteLength;

  // A closed socket that nothing references is collected, and leaves nothing behind.
  let closedEvents = 0;
  (() => {
    const socket = new HeartbeatSocket({ url: process.env.WS_URL + "?label=closed", transport });
    socket.onopen = () => socket.close();
    socket.onclose = () => closedEvents++;
    registry.register(socket, "the closed socket");
  })();
  await until(() => closedEvents === 1, "the second socket to close");
  for (let i = 0; i < 20 && !collected.includes("the closed socket"); i++) await collect();
  check(collected.includes("the closed socket"), "the closed socket was never collected");

  const survivor = weak.deref();
  check(survivor !== undefined, "the open socket is gone");
  survivor.close();
  await until(() => resources() === baseline, "Node's handles to return to the baseline (" + baseline + "), now " + resources());
  check(memory.buffer.byteLength === memoryOpen, "wasm memory grew from " + memoryOpen + " to " + memory.buffer.byteLength);
  console.log("collected:", collected.join(", "));
`;

test("an unreferenced open socket survives forced GC (also after a reconnection); a closed one is collected", async (t) => {
  const result = await runChild(CHILD, {
    args: ["--expose-gc"],
    env: { API: server.url, WS_URL: server.wsUrl },
    ms: 60000,
  });
  const output = `exit ${result.code} (${result.signal})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  assert.equal(result.code, 0, output);
  assert.match(result.stdout, /^collected: the closed socket$/m, output);
  for (const line of result.stdout.trim().split("\n")) t.diagnostic(line);
});
