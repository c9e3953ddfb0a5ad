// The page side of the e2e tests. Exposes the library as window.hb and a recorder as
// window.hbt that logs every event of a socket with performance.now() timestamps.
import init, { HeartbeatSocket, browserTransport } from "/pkg/index.js";

window.hb = { init, HeartbeatSocket, browserTransport };

// Timers: the harness keeps the originals for its own use and counts the pending timers
// everybody else (the library) creates, so a test can check that close() leaves none.
const rawSetTimeout = window.setTimeout.bind(window);
const rawClearTimeout = window.clearTimeout.bind(window);
const pendingTimers = new Set();
window.setTimeout = function (handler, delay, ...args) {
  const id = rawSetTimeout(
    (...a) => {
      pendingTimers.delete(id);
      return typeof handler === "function" ? handler(...a) : (0, eval)(handler);
    },
    delay,
    ...args,
  );
  pendingTimers.add(id);
  return id;
};
window.clearTimeout = function (id) {
  pendingTimers.delete(id);
  return rawClearTimeout(id);
};

const EVENTS = ["open", "message", "close", "error", "reconnecting", "giveup", "heartbeat", "drop", "statechange"];

/** A JSON-friendly description of message data. */
function describeData(data) {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return { kind: "ArrayBuffer", bytes: Array.from(new Uint8Array(data)) };
  if (ArrayBuffer.isView(data)) {
    return { kind: data.constructor.name, bytes: Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
  }
  if (typeof Blob === "function" && data instanceof Blob) return { kind: "Blob", size: data.size };
  return { kind: typeof data, value: String(data) };
}

function matches(event, match) {
  return Object.entries(match).every(([key, value]) => event[key] === value);
}

const hbt = {
  ready: init().then(() => true),
  /** name -> HeartbeatSocket */
  sockets: {},
  /** name -> [{i, t, type, state, ...fields}] */
  logs: {},
  /** name -> [{conn, t, kind, ...}] raw transport events (sockets created with tap: true) */
  raw: {},
  /** name -> number of transport.connect calls */
  connects: {},
  waiters: [],
  /** Global sequence number shared by logs and raw logs (orders same-time entries). */
  seq: 0,
  /** Page signals the library listens to: online, offline, visibilitychange. */
  signals: [],
  /** Timers created through window.setTimeout (not by the harness) still pending. */
  pendingTimers: () => pendingTimers.size,

  /**
   * Creates socket `name` with `options` and records its events.
   * tap: wrap the default transport to log raw socket traffic and connect calls.
   */
  create(name, options, { tap = false } = {}) {
    const log = (hbt.logs[name] = []);
    hbt.raw[name] = [];
    hbt.connects[name] = 0;
    if (tap && options.transport === undefined) options = { ...options, transport: hbt.tapTransport(name) };
    const socket = new HeartbeatSocket(options);
    hbt.sockets[name] = socket;
    for (const type of EVENTS) {
      socket.addEventListener(type, (event) => {
        const entry = { i: log.length, seq: hbt.seq++, t: performance.now(), type, state: socket.state };
        for (const [key, value] of Object.entries(event)) {
          if (key !== "type") entry[key] = key === "data" ? describeData(value) : value;
        }
        log.push(entry);
        hbt.notify();
      });
    }
    return socket;
  },

  /** A `url` provider: `first` for the first `times` attempts, `later` from then on. */
  switching(first, later, times = 1) {
    let attempt = 0;
    return () => (++attempt <= times ? first : later);
  },

  /** The default browser transport with a tap on every socket it creates. */
  tapTransport(name) {
    const base = browserTransport();
    let conn = 0;
    return {
      connect(url, protocols) {
        const id = ++conn;
        hbt.connects[name] = id;
        const raw = hbt.raw[name];
        raw.push({ conn: id, seq: hbt.seq++, t: performance.now(), kind: "connect" });
        const ws = base.connect(url, protocols);
        ws.addEventListener("open", () => raw.push({ conn: id, seq: hbt.seq++, t: performance.now(), kind: "open" }));
        ws.addEventListener("message", (e) => raw.push({ conn: id, seq: hbt.seq++, t: performance.now(), kind: "message", data: describeData(e.data) }));
        ws.addEventListener("error", () => raw.push({ conn: id, seq: hbt.seq++, t: performance.now(), kind: "error" }));
        ws.addEventListener("close", (e) =>
          raw.push({ conn: id, seq: hbt.seq++, t: performance.now(), kind: "close", code: e.code, reason: e.reason, wasClean: e.wasClean }),
        );
        const send = ws.send.bind(ws);
        ws.send = (data) => {
          raw.push({ conn: id, seq: hbt.seq++, t: performance.now(), kind: "send", data: describeData(data) });
          return send(data);
        };
        const close = ws.close.bind(ws);
        ws.close = (code, reason) => {
          raw.push({ conn: id, seq: hbt.seq++, t: performance.now(), kind: "close-called", code, reason });
          return close(code, reason);
        };
        return ws;
      },
      watchLifecycle: base.watchLifecycle,
    };
  },

  log(name, type) {
    const log = hbt.logs[name] || [];
    return type ? log.filter((e) => e.type === type) : log;
  },

  find(name, match, { count = 1, since = 0 } = {}) {
    let seen = 0;
    for (const event of (hbt.logs[name] || []).slice(since)) {
      if (matches(event, match) && ++seen === count) return event;
    }
    return null;
  },

  /** Resolves with the count-th event (from index `since`) matching `match`. */
  wait(name, match, { timeout = 5000, count = 1, since = 0 } = {}) {
    const found = hbt.find(name, match, { count, since });
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        check() {
          const event = hbt.find(name, match, { count, since });
          if (event) {
            rawClearTimeout(timer);
            resolve(event);
            return true;
          }
          return false;
        },
      };
      const timer = rawSetTimeout(() => {
        hbt.waiters = hbt.waiters.filter((w) => w !== waiter);
        const socket = hbt.sockets[name];
        reject(
          new Error(
            `timed out after ${timeout} ms waiting for event #${count} matching ${JSON.stringify(match)} on ${name}` +
              ` (state ${socket && socket.state}); log: ${JSON.stringify(hbt.logs[name])}`,
          ),
        );
      }, timeout);
      hbt.waiters.push(waiter);
    });
  },

  notify() {
    hbt.waiters = hbt.waiters.filter((waiter) => !waiter.check());
  },

  sleep: (ms) => new Promise((resolve) => rawSetTimeout(resolve, ms)),
};

for (const kind of ["online", "offline"]) {
  window.addEventListener(kind, () => hbt.signals.push({ kind, seq: hbt.seq++, t: performance.now() }));
}
document.addEventListener("visibilitychange", () =>
  hbt.signals.push({ kind: "visibilitychange", visibilityState: document.visibilityState, seq: hbt.seq++, t: performance.now() }),
);

window.hbt = hbt;
