// Page side of the per-message benchmark: opens one socket of a library over an in-memory
// socket (bare or browser-like, see fake-socket.js), then times inbound messages delivered
// to the user's `onmessage` and outbound `send()` calls. The Node side (../messages.mjs)
// opens a fresh page per library, socket kind and round, so that JIT feedback from one
// never shapes another's run.

import init, { HeartbeatSocket } from "/pkg/index.js";
import ReconnectingWebSocket from "reconnecting-websocket";
import WebsocketHeartbeatJs from "./websocket-heartbeat-js.js";
import { BareWebSocket, BrowserLikeWebSocket } from "./fake-socket.js";

const SOCKETS = { bare: BareWebSocket, "browser-like": BrowserLikeWebSocket };

const SOCKET_URL = "ws://bench.invalid/";
const PAYLOAD = "m".repeat(64); // 64 bytes of UTF-8

/** Resolves with `get()` once it is truthy; libraries open their socket after a tick or two. */
async function created(get, what) {
  for (let tick = 0; tick < 100; tick++) {
    const value = get();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error(`${what} never created its socket`);
}

// Each opens a socket with the library's defaults over sockets of class `FakeWebSocket` and
// returns the fake socket underneath and the object the application talks to.
const LIBRARIES = {
  async raw(FakeWebSocket) {
    const fake = new FakeWebSocket(SOCKET_URL);
    fake.open();
    return { fake, client: fake };
  },
  async "heartbeat-ws"(FakeWebSocket) {
    await init();
    let fake = null;
    const client = new HeartbeatSocket({
      url: SOCKET_URL,
      transport: { connect: (url, protocols) => (fake = new FakeWebSocket(url, protocols)) },
      lifecycle: false,
    });
    (await created(() => fake, "heartbeat-ws")).open();
    if (client.state !== "open") throw new Error(`heartbeat-ws is ${client.state} after open`);
    return { fake, client };
  },
  async "reconnecting-websocket"(FakeWebSocket) {
    let fake = null;
    class Recorded extends FakeWebSocket {
      constructor(url, protocols) {
        super(url, protocols);
        fake = this;
      }
    }
    const client = new ReconnectingWebSocket(SOCKET_URL, undefined, { WebSocket: Recorded });
    (await created(() => fake, "reconnecting-websocket")).open();
    return { fake, client };
  },
  async "websocket-heartbeat-js"(FakeWebSocket) {
    // It calls the global WebSocket constructor, with no way to pass another.
    let fake = null;
    window.WebSocket = class extends FakeWebSocket {
      constructor(url, protocols) {
        super(url, protocols);
        fake = this;
      }
    };
    const client = new WebsocketHeartbeatJs({ url: SOCKET_URL });
    (await created(() => fake, "websocket-heartbeat-js")).open();
    return { fake, client };
  },
};

let receivedBytes = 0;

/** Milliseconds for `count` inbound messages, each handed to the user's listener. */
async function inbound(fake, count) {
  receivedBytes = 0;
  const start = performance.now();
  await fake.receive(PAYLOAD, count);
  const elapsed = performance.now() - start;
  if (receivedBytes !== count * PAYLOAD.length) {
    throw new Error(`inbound: the listener got ${receivedBytes} bytes, expected ${count * PAYLOAD.length}`);
  }
  return elapsed;
}

/** Milliseconds for `count` sends through the library to the socket. */
function outbound(fake, client, count) {
  fake.bytesSent = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) client.send(PAYLOAD);
  const elapsed = performance.now() - start;
  if (fake.bytesSent !== count * PAYLOAD.length) {
    throw new Error(`outbound: the socket got ${fake.bytesSent} bytes, expected ${count * PAYLOAD.length}`);
  }
  return elapsed;
}

/** Nanoseconds per message of each timed run, inbound and outbound, over sockets of kind
 * `socket` ("bare" or "browser-like"). */
window.measureMessages = async (library, socket, { messages, warmup, runs }) => {
  const { fake, client } = await LIBRARIES[library](SOCKETS[socket]);
  client.onmessage = (event) => {
    receivedBytes += event.data.length;
  };
  await inbound(fake, warmup);
  outbound(fake, client, warmup);
  const perMessage = (ms) => (ms * 1e6) / messages;
  const result = { inbound: [], outbound: [] };
  // Garbage left by the previous run (or page) is collected first, not timed in this one.
  for (let run = 0; run < runs; run++) {
    gc();
    result.inbound.push(perMessage(await inbound(fake, messages)));
    gc();
    result.outbound.push(perMessage(outbound(fake, client, messages)));
  }
  return result;
};

/** Nanoseconds per performance.now() call (the clock of js/clock.js), for reference: a
 * library that reads the clock per message pays this much for it on this machine. Warmed
 * up as the libraries are. */
window.measureClock = ({ messages, warmup, runs }) => {
  const clock = (count) => {
    let sum = 0;
    const start = performance.now();
    for (let i = 0; i < count; i++) sum += performance.now();
    const elapsed = performance.now() - start;
    if (!(sum > 0)) throw new Error("performance.now() summed to nothing");
    return (elapsed * 1e6) / count;
  };
  clock(warmup);
  return Array.from({ length: runs }, () => clock(messages));
};
