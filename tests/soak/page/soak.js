// The page side of the soak (tests/soak/soak.test.mjs drives `window.soak`): sockets that
// send numbered messages to the dev server and keep a ledger of each message's fate
// (tests/reliability/ledger.mjs), and a sampler that counts each socket's live transport
// sockets (handlers attached, not closed).

import { pageListeners, pendingTimers } from "./instrument.js";
import init, { HeartbeatSocket, browserTransport } from "/pkg/index.js";
import { Ledger, brokenPromises, recordingTransport } from "/reliability/ledger.mjs";

const PREFIX = "m";
const live = (raw) => raw.readyState < 2 && (raw.onopen !== null || raw.onmessage !== null || raw.onclose !== null);

let memory = null;
const sockets = [];
let sampler = null;

/** One HeartbeatSocket labelled `s<index>` and everything the soak knows about it. */
function makeSocket(index, wsUrl, options) {
  const ledger = new Ledger();
  const recording = recordingTransport(browserTransport(), ledger, PREFIX);
  const made = [];
  const transport = Object.assign({}, recording.transport, {
    connect(url, protocols) {
      const raw = recording.transport.connect(url, protocols);
      made.push(raw);
      return raw;
    },
  });
  const entry = { index, ledger, made, maxLive: 0, nextParams: "", sender: null, opens: 0, closes: 0, errors: 0 };
  entry.socket = new HeartbeatSocket({
    ...options,
    // Each attempt's URL; the soak can add parameters to the next one (a stalled handshake).
    url: () => {
      const extra = entry.nextParams;
      entry.nextParams = "";
      return `${wsUrl}?label=s${index}${extra}`;
    },
    transport,
  });
  entry.socket.addEventListener("open", () => entry.opens++);
  entry.socket.addEventListener("close", () => entry.closes++);
  entry.socket.addEventListener("error", () => entry.errors++);
  entry.socket.addEventListener("message", (event) => {
    const text = String(event.data);
    if (text.startsWith(PREFIX)) ledger.echoed(recording.sockets.count, Number(text.slice(PREFIX.length)));
  });
  entry.socket.addEventListener("drop", (event) => ledger.dropped(Number(String(event.data).slice(PREFIX.length)), event.reason));
  return entry;
}

function sample() {
  for (const entry of sockets) {
    // Forget closed transport sockets; count the live ones.
    for (let i = entry.made.length - 1; i >= 0; i--) if (entry.made[i].readyState === 3) entry.made.splice(i, 1);
    entry.maxLive = Math.max(entry.maxLive, entry.made.filter(live).length);
  }
}

window.soak = {
  /** Loads the wasm and notes the baseline: memory, page listeners, pending timers. */
  async load() {
    const exports = await init();
    memory = Object.values(exports).find((value) => value instanceof WebAssembly.Memory);
    return window.soak.resources();
  },

  resources() {
    return { memoryBytes: memory.buffer.byteLength, listeners: pageListeners(), timers: pendingTimers() };
  },

  /** Starts `count` sockets, each sending a numbered message every `every` ms. */
  start({ wsUrl, count, every, options }) {
    for (let index = 0; index < count; index++) {
      const entry = makeSocket(index, wsUrl, options);
      entry.sender = setInterval(() => {
        entry.socket.send(PREFIX + entry.ledger.accepted);
        entry.ledger.sent();
      }, every);
      sockets.push(entry);
    }
    sampler = setInterval(sample, 50);
  },

  /** Parameters for socket `index`'s next attempt, e.g. "&mode=stall". */
  nextAttempt(index, params) {
    sockets[index].nextParams = params;
  },

  stopSending() {
    for (const entry of sockets) clearInterval(entry.sender);
  },

  /** Whether every socket is open with nothing queued. */
  settled() {
    return sockets.every((entry) => entry.socket.state === "open" && entry.socket.stats().queued === 0);
  },

  states() {
    return sockets.map((entry) => entry.socket.state);
  },

  /** Closes every socket; the ledger of each, and what it saw. */
  finish() {
    clearInterval(sampler);
    sample();
    const results = sockets.map((entry) => {
      entry.socket.close();
      const summary = entry.ledger.summary();
      const counts = {};
      for (const [key, value] of Object.entries(summary)) counts[key] = Array.isArray(value) ? value.length : value;
      return {
        label: `s${entry.index}`,
        summary: counts,
        broken: brokenPromises(summary),
        maxLive: entry.maxLive,
        opens: entry.opens,
        closes: entry.closes,
        errors: entry.errors,
        stats: entry.socket.stats(),
      };
    });
    sockets.length = 0;
    return results;
  },
};
