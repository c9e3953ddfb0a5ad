// Helpers of the Node tests (tests/node/, tests/conformance/): the built package loaded
// from pkg/, WebSocket servers to talk to (the dev server, and a `ws` server where a test
// needs to act on the server side), and ways to wait for events.

import { WebSocket, WebSocketServer } from "ws";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export { freePort, sleep, startDevServer, waitUntil } from "../e2e/support.mjs";
export { WebSocket, WebSocketServer };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const PKG = path.join(ROOT, "pkg");

/** The built Node entry (pkg/node.mjs), its wasm loaded. */
export async function loadPackage() {
  const entry = await import(pathToFileURL(path.join(PKG, "node.mjs")).href);
  await entry.default();
  return entry;
}

/**
 * A `ws` server on 127.0.0.1 and a free port. `onConnection(peer, index, request)` runs for
 * each connection (index from 1). `echo: true` echoes every message.
 */
export async function wsServer({ onConnection = () => {}, echo = false, protocols } = {}) {
  const options = { host: "127.0.0.1", port: 0 };
  if (protocols) options.handleProtocols = (offered) => (offered.size > 0 ? offered.values().next().value : false);
  const server = new WebSocketServer(options);
  await new Promise((resolve) => server.once("listening", resolve));
  const received = [];
  let count = 0;
  server.on("connection", (peer, request) => {
    count += 1;
    peer.on("message", (data, isBinary) => {
      const message = isBinary ? data : String(data);
      received.push(message);
      if (echo) peer.send(message);
    });
    onConnection(peer, count, request);
  });
  return {
    url: `ws://127.0.0.1:${server.address().port}`,
    received,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const peer of server.clients) peer.terminate();
        server.close(() => resolve());
      }),
  };
}

/** Collects the events of `socket` of the given types, in order. */
export function record(socket, types = ["open", "message", "close", "error"]) {
  const events = [];
  for (const type of types) socket.addEventListener(type, (event) => events.push(event));
  return events;
}

/** The next event of `type` on `socket` that satisfies `accept`. */
export function next(socket, type, { accept = () => true, timeout = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.removeEventListener(type, listener);
      reject(new Error(`no ${type} event within ${timeout} ms`));
    }, timeout);
    function listener(event) {
      if (!accept(event)) return;
      clearTimeout(timer);
      socket.removeEventListener(type, listener);
      resolve(event);
    }
    socket.addEventListener(type, listener);
  });
}

/** Sets `globalThis.WebSocket` for the test (null: removes it) and restores it after. */
export function withGlobalWebSocket(t, value) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, "WebSocket");
  const previous = globalThis.WebSocket;
  if (value === null) delete globalThis.WebSocket;
  else globalThis.WebSocket = value;
  t.after(() => {
    if (had) globalThis.WebSocket = previous;
    else delete globalThis.WebSocket;
  });
}

/** A `ws` WebSocket subclass counting the sockets it made. */
export function countingWebSocket() {
  const made = [];
  class Counted extends WebSocket {
    constructor(...args) {
      super(...args);
      made.push(this);
    }
  }
  return { Counted, made };
}

export { assert };
