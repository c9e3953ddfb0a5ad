// Reads HeartbeatSocket options for the wasm side. Every bad field throws a TypeError
// naming its path, what was expected and what was given, e.g.
// `heartbeat.interval: expected a positive number of milliseconds, got "10s"`.
// Numeric defaults are not applied here: the Rust core owns them (NaN means "not given").
// The URL's scheme is checked on the Rust side, where URLs are redacted.
// ES2017 syntax only (mini-programs).

import { classifier } from "./connection.js";
import { describe } from "./describe.js";

const KEYS = {
  options: ["url", "protocols", "transport", "heartbeat", "reconnect", "connectTimeout", "queue", "lifecycle", "debug"],
  heartbeat: ["interval", "timeout", "message", "pong", "anyMessage", "answer"],
  "heartbeat.answer": ["ping", "pong"],
  reconnect: ["delay", "maxDelay", "factor", "jitter", "maxRetries", "minUptime", "shouldReconnect"],
  queue: ["max", "maxBytes", "overflow"],
};

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const isNumber = (value) => typeof value === "number" && !Number.isNaN(value);
const isCount = (value) => isNumber(value) && value >= 0 && (Number.isInteger(value) || value === Infinity);
const isBuffer = (value) => value instanceof ArrayBuffer;
const isFunction = (value) => typeof value === "function";
const isString = (value) => typeof value === "string";

function fail(path, expected, value) {
  throw new TypeError(`${path}: expected ${expected}, got ${describe(value)}`);
}

/** Checks that `value` is an object with only the keys known at `path`. */
function fields(value, path) {
  if (!isObject(value)) fail(path, "an object", value);
  const known = KEYS[path];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${path === "options" ? "" : path + "."}${key}: unknown option; expected one of ${known.join(", ")}`);
    }
  }
  return value;
}

/** Checks `value[key]` with `valid`, if present. */
function check(value, path, key, valid, expected) {
  const field = value[key];
  if (field !== undefined && !valid(field)) fail(path === "options" ? key : `${path}.${key}`, expected, field);
}

const MILLIS = "a positive number of milliseconds";
const MILLIS_OR_ZERO = "a non-negative number of milliseconds";
const positive = (value) => isNumber(value) && value > 0;
const nonNegative = (value) => isNumber(value) && value >= 0;
const matcher = (value) => isString(value) || isFunction(value);
const MATCHER = "a string or a function (data) => boolean";
const outgoing = (value) => isString(value) || isBuffer(value) || isFunction(value);

/**
 * Checks `options` and returns what the wasm side reads: the numbers in the order of `Slot`
 * in src/options.rs, then the values in the order of `Value` there (the JavaScript values
 * the binding keeps, with the defaults that are JavaScript values: heartbeat messages).
 */
export function readOptions(options) {
  const top = fields(options, "options");
  if (!isString(top.url) && !isFunction(top.url)) {
    fail("url", "a ws: or wss: URL string, or a function returning one (or a Promise of one)", top.url);
  }
  if (top.protocols !== undefined && !isString(top.protocols)) {
    if (!Array.isArray(top.protocols)) fail("protocols", "a string or an array of strings", top.protocols);
    top.protocols.forEach((protocol, index) => isString(protocol) || fail(`protocols[${index}]`, "a string", protocol));
  }
  check(top, "options", "transport", (t) => isObject(t) && isFunction(t.connect), "an object with a connect(url, protocols) method");
  check(top, "options", "connectTimeout", positive, MILLIS);
  check(top, "options", "lifecycle", (value) => value === "auto" || value === false, '"auto" or false');
  check(top, "options", "debug", (value) => typeof value === "boolean" || isFunction(value), "a boolean or a function (line) => void");

  const section = (value, check) => (value === false ? false : check(value === undefined ? {} : value));
  const heartbeat = section(top.heartbeat, checkHeartbeat);
  const reconnect = section(top.reconnect, checkReconnect);
  const queue = section(top.queue, checkQueue);
  const answer = heartbeat && heartbeat.answer ? heartbeat.answer : undefined;
  const ping = heartbeat && heartbeat.message !== undefined ? heartbeat.message : "ping";
  // A number (booleans as 0 or 1), or NaN when not given.
  const given = (section, key) => (section && section[key] !== undefined ? Number(section[key]) : NaN);
  return [
    // The order of `Slot` in src/options.rs.
    Number(heartbeat !== false), // heartbeat on
    given(heartbeat, "interval"),
    given(heartbeat, "timeout"),
    Number(ping !== null), // the client sends pings
    given(heartbeat, "anyMessage"),
    Number(reconnect !== false), // reconnect on
    given(reconnect, "delay"),
    given(reconnect, "maxDelay"),
    given(reconnect, "factor"),
    given(reconnect, "jitter"),
    given(reconnect, "maxRetries"),
    given(reconnect, "minUptime"),
    given(top, "connectTimeout"),
    Number(queue !== false), // queue on
    given(queue, "max"),
    given(queue, "maxBytes"),
    queue && queue.overflow !== undefined ? OVERFLOWS.indexOf(queue.overflow) : NaN,
    Number(top.lifecycle !== false), // lifecycle "auto"
    // The order of `Value` in src/options.rs.
    top.url,
    // A copy, so later changes to the caller's array do not affect reconnections.
    Array.isArray(top.protocols) ? top.protocols.slice() : top.protocols,
    // undefined: the default transport, made once the wasm side has checked the URL.
    top.transport,
    heartbeat ? classifier(heartbeat.pong === undefined ? "pong" : heartbeat.pong, answer && answer.ping) : undefined,
    heartbeat ? ping : null, // the heartbeat message; null: the client sends none
    answer && answer.pong, // the answer to server pings
    reconnect && reconnect.shouldReconnect,
    top.debug,
  ];
}

const OVERFLOWS = ["drop-oldest", "drop-newest", "throw"];

function checkHeartbeat(value) {
  const heartbeat = fields(value, "heartbeat");
  check(heartbeat, "heartbeat", "interval", positive, MILLIS);
  check(heartbeat, "heartbeat", "timeout", positive, MILLIS);
  check(heartbeat, "heartbeat", "anyMessage", (value) => typeof value === "boolean", "a boolean");
  check(heartbeat, "heartbeat", "message", (value) => value === null || outgoing(value),
    "a string, an ArrayBuffer, a function returning one, or null (the server drives the heartbeat)");
  check(heartbeat, "heartbeat", "pong", matcher, MATCHER);
  if (heartbeat.answer !== undefined && heartbeat.answer !== false) {
    const answer = fields(heartbeat.answer, "heartbeat.answer");
    if (!matcher(answer.ping)) fail("heartbeat.answer.ping", MATCHER, answer.ping);
    if (!outgoing(answer.pong)) fail("heartbeat.answer.pong", "a string, an ArrayBuffer or a function returning one", answer.pong);
  }
  return heartbeat;
}

function checkReconnect(value) {
  const reconnect = fields(value, "reconnect");
  check(reconnect, "reconnect", "delay", nonNegative, MILLIS_OR_ZERO);
  check(reconnect, "reconnect", "maxDelay", nonNegative, MILLIS_OR_ZERO);
  check(reconnect, "reconnect", "factor", (value) => isNumber(value) && value >= 1 && value !== Infinity, "a number of at least 1");
  check(reconnect, "reconnect", "jitter", (value) => isNumber(value) && value >= 0 && value <= 1, "a number from 0 to 1");
  check(reconnect, "reconnect", "maxRetries", isCount, "a non-negative integer or Infinity");
  check(reconnect, "reconnect", "minUptime", nonNegative, MILLIS_OR_ZERO);
  check(reconnect, "reconnect", "shouldReconnect", isFunction, "a function ({code, reason, wasClean}) => boolean");
  return reconnect;
}

function checkQueue(value) {
  const queue = fields(value, "queue");
  check(queue, "queue", "max", isCount, "a non-negative integer");
  check(queue, "queue", "maxBytes", isCount, "a non-negative integer");
  check(queue, "queue", "overflow", (value) => OVERFLOWS.includes(value), '"drop-oldest", "drop-newest" or "throw"');
  return queue;
}
