// Shared helpers of the reliability tests: the built package in Node, the dev server, child
// processes, and a scriptable transport.
//
// The package comes from `pkg/` (`make build`), or from the directory in HEARTBEAT_WS_PKG:
// pointing it at an older build (e.g. one made from an old commit) runs the same tests
// against that build, which is how RELIABILITY.md's "failed on the old main" column was
// checked. Packages without a Node entry (node.mjs) are loaded through index.js.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { sleep, startDevServer, waitUntil } from "../e2e/support.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
const PKG = path.resolve(process.env.HEARTBEAT_WS_PKG || path.join(ROOT, "pkg"));
export const WS_MODULE = pathToFileURL(path.join(ROOT, "node_modules", "ws", "wrapper.mjs")).href;

export { sleep, startDevServer, waitUntil };

/** The package's entry module URL: node.mjs, or index.js for builds without a Node entry. */
function entryUrl() {
  const node = path.join(PKG, "node.mjs");
  return pathToFileURL(existsSync(node) ? node : path.join(PKG, "index.js")).href;
}

/**
 * The package, loaded: `{ HeartbeatSocket, browserTransport, memory }` where `memory` is
 * the wasm instance's memory (its byte length tells whether it grew).
 */
export async function loadPackage() {
  const entry = await import(entryUrl());
  const exports = await entry.default();
  const memory = Object.values(exports).find((value) => value instanceof WebAssembly.Memory);
  if (!memory) throw new Error("init() resolved to no wasm memory");
  return { HeartbeatSocket: entry.HeartbeatSocket, browserTransport: entry.browserTransport, memory };
}

/** Something thrown, as text, even an object that cannot be turned into a string. */
export function show(error) {
  try {
    return String(error && (error.stack || error.message || error));
  } catch (unprintable) {
    return Object.prototype.toString.call(error);
  }
}

/** Whether something thrown is a wasm trap, or the error of an instance a trap poisoned. */
export function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError || /unreachable|memory access out of bounds|recursive use of an object|already borrowed|null pointer passed to rust/i.test(show(error));
}

/**
 * Runs `source` (an ES module's text) in a child Node process with `args` (e.g.
 * --expose-gc) and resolves with `{ code, signal, stdout, stderr }`; kills it after `ms`.
 * The child finds the package with `await import(process.env.ENTRY)` and `ws` with
 * `await import(process.env.WS)`.
 */
export function runChild(source, { args = [], env = {}, ms = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, "--input-type=module", "-e", source], {
      cwd: ROOT,
      env: { ...process.env, ENTRY: entryUrl(), WS: WS_MODULE, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * A transport whose sockets do nothing until the test opens, feeds or closes them, and
 * which remembers what was sent on them. `signals` are the lifecycle signals the library
 * handed to `watchLifecycle`.
 */
export class ScriptedTransport {
  constructor() {
    this.sockets = [];
    this.signals = null;
  }

  connect() {
    const socket = new ScriptedSocket();
    this.sockets.push(socket);
    return socket;
  }

  watchLifecycle(signals) {
    this.signals = signals;
    return () => {
      this.signals = null;
    };
  }

  get last() {
    return this.sockets[this.sockets.length - 1];
  }
}

export class ScriptedSocket {
  constructor() {
    this.sent = [];
    this.readyState = 0;
    this.onopen = this.onmessage = this.onerror = this.onclose = null;
    this.onsend = null; // the test's hook: called after each send
  }

  send(data) {
    this.sent.push(data);
    if (this.onsend) this.onsend(data);
  }

  close() {
    this.readyState = 2;
  }

  open() {
    this.readyState = 1;
    if (this.onopen) this.onopen({});
  }

  receive(data) {
    if (this.onmessage) this.onmessage({ data });
  }

  fail(message) {
    if (this.onerror) this.onerror({ message });
  }

  serverClose(code, reason = "") {
    this.readyState = 3;
    if (this.onclose) this.onclose({ code, reason, wasClean: true });
  }
}

/** Every event of `socket`, in order, as [type, event]; `events.of(type)` filters. */
export function record(socket) {
  const events = [];
  for (const type of ["open", "message", "close", "error", "reconnecting", "giveup", "heartbeat", "drop", "statechange"]) {
    socket.addEventListener(type, (event) => events.push([type, event]));
  }
  events.of = (type) => events.filter(([t]) => t === type).map(([, event]) => event);
  return events;
}
