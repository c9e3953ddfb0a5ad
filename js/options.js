// Reads HeartbeatSocket options. Every bad field throws a TypeError naming its path, what
// was expected and what was given, e.g.
// `heartbeat.interval: expected a positive number of milliseconds, got "10s"`.
// The options are copied once (each field read once, own properties only) and the copy is
// checked and used: a getter or a Proxy cannot pass the check and then say something else.
// Numeric defaults are not applied here: the Rust core owns them (src/core/config.rs).
// ES2017 syntax only (mini-programs).

import { browserTransport } from "./browser.js";
import { expected } from "./describe.js";
import { isArrayBuffer } from "./payload.js";
import { isWebSocketUrl, redactUrl } from "./url.js";

// A rule: [what is expected, test]. An object of rules is a section: an object with only
// those keys (or `false`, for the sections below the top, which can be turned off).
const rule = (what, test) => [what, test];
const isNumber = (value) => typeof value === "number" && !Number.isNaN(value);
const isFunction = (value) => typeof value === "function";
const isString = (value) => typeof value === "string";
const isCount = (value) => isNumber(value) && value >= 0 && (Number.isInteger(value) || value === Infinity);
const isOutgoing = (value) => isString(value) || isArrayBuffer(value) || isFunction(value);
const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

const MILLIS = rule("a positive number of milliseconds", (value) => isNumber(value) && value > 0);
const MILLIS_OR_ZERO = rule("a non-negative number of milliseconds", (value) => isNumber(value) && value >= 0);
const MATCHER = rule("a string or a function (data) => boolean", (value) => isString(value) || isFunction(value));
const OUTGOING = rule("a string, an ArrayBuffer or a function returning one", isOutgoing);
const COUNT = rule("a non-negative integer", isCount);

/** The queue's overflow policies, by name (src/binding/options.rs reads the name). */
export const OVERFLOWS = ["drop-oldest", "drop-newest", "throw"];

/** Every option, by path: the one list of option names (index.d.ts and the README are tested against it). */
export const SCHEMA = {
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
  queue: { max: COUNT, maxBytes: COUNT, overflow: rule('"drop-oldest", "drop-newest" or "throw"', (value) => OVERFLOWS.indexOf(value) >= 0) },
  lifecycle: rule('"auto" or false', (value) => value === "auto" || value === false),
  debug: rule("a boolean or a function (line) => void", (value) => typeof value === "boolean" || isFunction(value)),
};

// Fields without which their section makes no sense.
const REQUIRED = ["url", "heartbeat.answer.ping", "heartbeat.answer.pong"];

function fail(path, what, value) {
  throw expected(path, what, value);
}

/**
 * A checked copy of `value` (a section) against `schema`: only own enumerable keys, each
 * read exactly once; unknown keys (`constructor` and `__proto__` included) are errors.
 * `path` prefixes field names in errors.
 */
function copy(value, schema, path) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(path || "options", path ? "false or an object" : "an object", value);
  }
  const prefix = path ? path + "." : "";
  const result = {};
  for (const key of Object.keys(value)) {
    if (!hasOwn(schema, key)) {
      throw new TypeError(`${prefix}${key}: unknown option; expected one of ${Object.keys(schema).join(", ")}`);
    }
    const field = value[key];
    const rules = schema[key];
    if (field === undefined) continue;
    if (!Array.isArray(rules)) result[key] = field === false ? false : copy(field, rules, prefix + key);
    else if (rules[1](field)) result[key] = field;
    else fail(prefix + key, rules[0], field);
  }
  for (const key of Object.keys(schema)) {
    if (result[key] === undefined && REQUIRED.indexOf(prefix + key) >= 0) fail(prefix + key, schema[key][0] || "an object", undefined);
  }
  return result;
}

/**
 * The options of `new HeartbeatSocket(options)`, checked: own data properties with the
 * public names (so src/binding/options.rs can read them without running user code), every
 * section present as `false` or an object, and the default transport filled in.
 */
export class Settings {
  constructor(options) {
    const settings = copy(options, SCHEMA, "");
    if (isString(settings.url) && !isWebSocketUrl(settings.url)) fail("url", "a ws: or wss: URL", redactUrl(settings.url));
    if (Array.isArray(settings.protocols)) {
      const protocols = settings.protocols.slice();
      protocols.forEach((protocol, index) => isString(protocol) || fail(`protocols[${index}]`, "a string", protocol));
      settings.protocols = protocols;
    }
    for (const section of ["heartbeat", "reconnect", "queue"]) {
      if (settings[section] === undefined) settings[section] = {};
    }
    if (settings.transport === undefined) settings.transport = browserTransport();
    Object.assign(this, settings);
  }
}
