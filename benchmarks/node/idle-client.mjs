// One run of the idle benchmark (../idle.mjs starts it, one process per library):
//   node --expose-gc benchmarks/node/idle-client.mjs <library> <ws url> <sockets> <seconds>
// Opens <sockets> sockets of <library> over Node's `ws` to the dev server (in another
// process: its CPU does not count here), lets them idle with their heartbeat for
// <seconds>, and prints one JSON line: this process's CPU time (all threads, and its main
// thread) and timer calls during that time, and the memory the sockets hold (JS heap and
// wasm linear memory, after garbage collection).

import fs from "node:fs";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";

// Every timer call the libraries make goes through these globals (ws, the libraries and
// the wasm-bindgen glue look them up when they call).
const timerCalls = { setTimeout: 0, clearTimeout: 0, setInterval: 0, clearInterval: 0 };
for (const name of Object.keys(timerCalls)) {
  const original = globalThis[name];
  globalThis[name] = function counted(...args) {
    timerCalls[name]++;
    return original.apply(this, args);
  };
}

const require = createRequire(import.meta.url);
const { WebSocket } = require("ws");
const [library, url, socketsArg, secondsArg] = process.argv.slice(2);
const sockets = Number(socketsArg);
const seconds = Number(secondsArg);
const HEARTBEAT_MS = 10_000;

if (typeof gc !== "function") throw new Error("run with --expose-gc");

/** What the application holds per socket, and how to close it. Each opens with a 10 s
 * heartbeat where the library has one; `onOpen`/`onClose` see every open and close. */
const LIBRARIES = {
  async raw() {
    return {
      open(onOpen, onClose) {
        const socket = new WebSocket(url);
        socket.onopen = onOpen;
        socket.onclose = onClose;
        return () => socket.close();
      },
    };
  },
  async "heartbeat-ws"() {
    const { default: init, HeartbeatSocket, browserTransport } = await import("../../pkg/node.mjs");
    const exports = await init();
    const memory = Object.values(exports).find((value) => value instanceof WebAssembly.Memory);
    if (!memory) throw new Error("heartbeat-ws: no wasm memory among the module's exports");
    const transport = browserTransport(WebSocket);
    return {
      wasmBytes: () => memory.buffer.byteLength,
      open(onOpen, onClose) {
        const socket = new HeartbeatSocket({ url, transport, heartbeat: { interval: HEARTBEAT_MS } });
        socket.onopen = onOpen;
        socket.onclose = onClose;
        return () => socket.close();
      },
    };
  },
  async "reconnecting-websocket"() {
    const ReconnectingWebSocket = require("reconnecting-websocket");
    return {
      open(onOpen, onClose) {
        const socket = new ReconnectingWebSocket(url, [], { WebSocket });
        socket.onopen = onOpen;
        socket.onclose = onClose;
        return () => socket.close();
      },
    };
  },
  async "websocket-heartbeat-js"() {
    // It calls the global WebSocket constructor, with no way to pass another.
    globalThis.WebSocket = WebSocket;
    const WebsocketHeartbeatJs = require("websocket-heartbeat-js").default;
    return {
      open(onOpen, onClose) {
        // Its pongTimeout (10 s) and ping message ("heartbeat", which the dev server echoes)
        // are its defaults; pingTimeout is 15 s by default.
        const socket = new WebsocketHeartbeatJs({ url, pingTimeout: HEARTBEAT_MS });
        socket.onopen = onOpen;
        socket.onclose = onClose;
        return () => socket.close();
      },
    };
  },
};

/** CPU milliseconds of this process's main thread (where the libraries run; the rest is
 * V8's helper threads: garbage collection, compilers), or null off Linux. */
function mainThreadCpuMs() {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, in clock ticks of 10 ms (fields 14 and 15 of proc(5)).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch (error) {
    return null;
  }
}

async function collected() {
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(50);
  }
  return v8.getHeapStatistics().used_heap_size;
}

async function openAll(client, count) {
  let opens = 0;
  let closes = 0;
  const closers = [];
  for (let i = 0; i < count; i++) {
    closers.push(
      client.open(
        () => opens++,
        () => closes++,
      ),
    );
  }
  const deadline = Date.now() + 60_000;
  while (opens < count) {
    if (Date.now() > deadline) throw new Error(`${library}: ${opens} of ${count} sockets opened within 60 s`);
    await sleep(50);
  }
  return { closers, closes: () => closes };
}

const client = await LIBRARIES[library]();
const wasmBytes = client.wasmBytes || (() => 0);

// Warm-up: one socket opened and closed, so that what every socket shares (compiled code,
// the wasm allocator's first pages) is in the baseline.
const warm = await openAll(client, 1);
warm.closers[0]();
await sleep(500);
const before = { heap: await collected(), wasm: wasmBytes() };

const open = await openAll(client, sockets);
await sleep(1000);

const startCalls = { ...timerCalls };
const startCpu = process.cpuUsage();
const startMain = mainThreadCpuMs();
const startTime = performance.now();
await sleep(seconds * 1000);
const cpu = process.cpuUsage(startCpu);
const endMain = mainThreadCpuMs();
const elapsedMs = performance.now() - startTime;
const calls = Object.fromEntries(Object.entries(timerCalls).map(([name, count]) => [name, count - startCalls[name]]));

// After a few heartbeats: what the sockets hold in their steady state.
const after = { heap: await collected(), wasm: wasmBytes() };
if (open.closes() > 0) throw new Error(`${library}: ${open.closes()} sockets closed while idle`);

console.log(
  JSON.stringify({
    library,
    sockets,
    seconds: elapsedMs / 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainThreadCpuMs: startMain === null ? null : endMain - startMain,
    timerCalls: calls,
    heapBytes: after.heap - before.heap,
    wasmBytes: after.wasm - before.wasm,
  }),
);
open.closers.forEach((close) => close());
await sleep(500);
process.exit(0);
