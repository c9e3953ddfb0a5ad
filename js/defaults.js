// The defaults of every option that has one, and the presets, as users see them
// (`HeartbeatSocket.defaults`, `HeartbeatSocket.presets`). The numbers' home is the Rust
// core, which applies them (src/core/config.rs: `Config::new`, `Config::article`); these
// copies are pinned to it by a test (tests/support/scenarios.rs), so they cannot drift.
// The heartbeat's messages are JavaScript values: their home is here.
// ES2017 syntax only (mini-programs).

export const DEFAULT_PING = "ping";
export const DEFAULT_PONG = "pong";

const DEFAULTS = {
  heartbeat: { interval: 10000, timeout: 10000, message: DEFAULT_PING, pong: DEFAULT_PONG, anyMessage: true, answer: false },
  reconnect: { delay: 1000, maxDelay: 30000, factor: 2, jitter: 1, maxRetries: Infinity, minUptime: 5000 },
  connectTimeout: 10000,
  queue: { max: 1000, maxBytes: 1048576, overflow: "drop-oldest" },
  lifecycle: "auto",
  debug: false,
};

// The source article's mechanism: a ping after 10 s of silence, dead 10 s later, only
// "pong" proves liveness; a fixed 5 s between tries, 12 retries.
const ARTICLE = {
  heartbeat: { interval: 10000, timeout: 10000, message: DEFAULT_PING, pong: DEFAULT_PONG, anyMessage: false },
  reconnect: { delay: 5000, maxDelay: 5000, factor: 1, jitter: 0, maxRetries: 12, minUptime: 5000 },
};

/** A fresh copy (a caller's edits stay its own) of plain nested objects. */
function copy(value) {
  if (value === null || typeof value !== "object") return value;
  const result = {};
  Object.keys(value).forEach((key) => {
    result[key] = copy(value[key]);
  });
  return result;
}

export function defaults() {
  return copy(DEFAULTS);
}

export function presets() {
  return { article: copy(ARTICLE) };
}
