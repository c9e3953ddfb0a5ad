// Reads HeartbeatSocket options for the wasm side. Every bad field throws a TypeError
// naming its path, what was expected and what was given, e.g.
// `heartbeat.interval: expected a positive number of milliseconds, got "10s"`.
// Numeric defaults are not applied here: the Rust core owns them (NaN means "not given").
// ES2017 syntax only (mini-programs).

import { browserTransport } from "./browser.js";
import { classifier, connection } from "./connection.js";
import { expected } from "./describe.js";
import { isWebSocketUrl, redactUrl } from "./url.js";

// A rule: [what is expected, test]. An object of rules is a section: an object with only
// those keys (or `false`, for the sections that can be turned off).
const rule = (expected, test) => [expected, test];
const isNumber = (value) => typeof value === "number" && !Number.isNaN(value);
const isFunction = (value) => typeof value === "function";
const isString = (value) => typeof value === "string";
const isCount = (value) => isNumber(value) && value >= 0 && (Number.isInteger(value) || value === Infinity);
const isOutgoing = (value) => isString(value) || value instanceof ArrayBuffer || isFunction(value);

const MILLIS = rule("a positive number of milliseconds", (value) => isNumber(value) && value > 0);
const MILLIS_OR_ZERO = rule("a non-negative number of milliseconds", (value) => isNumber(value) && value >= 0);
const MATCHER = rule("a string or a function (data) => boolean", (value) => isString(value) || isFunction(value));
const OUTGOING = rule("a string, an ArrayBuffer or a function returning one", isOutgoing);
const COUNT = rule("a non-negative integer", isCount);
const OVERFLOWS = ["drop-oldest", "drop-newest", "throw"];

const SCHEMA = {
  url: rule("a ws: or wss: URL string, or a function returning one (or a Promise of one)", (value) => isString(value) || isFunction(value)),
  protocols: rule("a string or an array of strings", (value) => isString(value) || Array.isArray(value)),
  transport: rule("an object with a connect(url, protocols) method", (value) => value !== null && typeof value === "object" && isFunction(value.connect)),
  heartbeat: {
    interval: MILLIS,
    timeout: MILLIS,
    message: rule("a string, an ArrayBuffer, a function returning one, or null (the server drives the heartbeat)", (value) => value === null || isOutgoing(value)),
    pong: MATCHER,
    anyMessage: rule("a boolean", (value) => typeof value === "boolean"),
    answer: { ping: MATCHER, pong: OUTGOING },
  },
  reconnect: {
    delay: MILLIS_OR_ZERO,
    maxDelay: MILLIS_OR_ZERO,
    factor: rule("a number of at least 1", (value) => isNumber(value) && value >= 1 && value !== Infinity),
    jitter: rule("a number from 0 to 1", (value) => isNumber(value) && value >= 0 && value <= 1),
    maxRetries: rule("a non-negative integer or Infinity", isCount),
    minUptime: MILLIS_OR_ZERO,
    shouldReconnect: rule("a function ({code, reason, wasClean}) => boolean", isFunction),
  },
  connectTimeout: MILLIS,
  queue: { max: COUNT, maxBytes: COUNT, overflow: rule('"drop-oldest", "drop-newest" or "throw"', (value) => OVERFLOWS.includes(value)) },
  lifecycle: rule('"auto" or false', (value) => value === "auto" || value === false),
  debug: rule("a boolean or a function (line) => void", (value) => typeof value === "boolean" || isFunction(value)),
};

// Fields without which their section makes no sense.
const REQUIRED = ["url", "heartbeat.answer.ping", "heartbeat.answer.pong"];

function fail(path, what, value) {
  throw expected(path, what, value);
}

/** Checks `value` against `schema` (a section); `path` prefixes field names in errors. */
function check(value, schema, path) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    // Every section below the top can be turned off with false.
    fail(path || "options", path ? "false or an object" : "an object", value);
  }
  const prefix = path ? path + "." : "";
  for (const key of Object.keys(value)) {
    if (!(key in schema)) {
      throw new TypeError(`${prefix}${key}: unknown option; expected one of ${Object.keys(schema).join(", ")}`);
    }
  }
  for (const key of Object.keys(schema)) {
    const field = value[key];
    const expected = schema[key];
    if (field === undefined && !REQUIRED.includes(prefix + key)) continue;
    if (!Array.isArray(expected)) {
      if (field !== false) check(field, expected, prefix + key);
    } else if (!expected[1](field)) {
      fail(prefix + key, expected[0], field);
    }
  }
  return value;
}

/**
 * Checks `options` and returns what the wasm side reads: the numbers in the order of `Slot`
 * in src/options.rs, then the values in the order of `Value` there: the URL (when it is a
 * string), the `connection` settings (with the defaults that are JavaScript values: the
 * transport and the heartbeat messages) and the `debug` option.
 */
export function readOptions(options) {
  const top = check(options, SCHEMA, "");
  if (isString(top.url) && !isWebSocketUrl(top.url)) fail("url", "a ws: or wss: URL", redactUrl(top.url));
  if (Array.isArray(top.protocols)) {
    top.protocols.forEach((protocol, index) => isString(protocol) || fail(`protocols[${index}]`, "a string", protocol));
  }
  const section = (value) => (value === false ? false : value || {});
  const heartbeat = section(top.heartbeat);
  const reconnect = section(top.reconnect);
  const queue = section(top.queue);
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
    isString(top.url) ? top.url : undefined,
    connection(
      top.transport || browserTransport(),
      // A copy, so later changes to the caller's array do not affect reconnections.
      Array.isArray(top.protocols) ? top.protocols.slice() : top.protocols,
      heartbeat ? classifier(heartbeat.pong === undefined ? "pong" : heartbeat.pong, answer && answer.ping) : undefined,
      reconnect && reconnect.shouldReconnect,
      heartbeat ? ping : null, // null: the client sends no pings
      answer && answer.pong,
      isFunction(top.url) ? top.url : undefined,
    ),
    top.debug,
  ];
}
