// One connection as the library sees it: the transport's socket, which the data plane uses
// directly, and a handle on it for the wasm side. ES2017 syntax only (mini-programs).

import { DEFAULT_PONG } from "./defaults.js";
import { describe } from "./describe.js";
import { report } from "./listeners.js";
import { isArrayBuffer } from "./payload.js";
import { errorText } from "./url.js";

/** What an inbound message is, to the heartbeat. */
export const DATA = 0;
export const PONG = 1;
export const PING = 2;

function matcher(expected, name) {
  if (typeof expected !== "function") return (data) => expected !== undefined && data === expected;
  return (data) => {
    try {
      return Boolean(expected(data));
    } catch (error) {
      report(`the ${name} predicate threw`, error);
      return false;
    }
  };
}

/** The classifier of the default heartbeat (pong "pong", no server pings), shared. */
const byDefault = (data) => (data === DEFAULT_PONG ? PONG : DATA);

/**
 * Sorts inbound messages into DATA, PONG and PING (a server ping to answer), or null when
 * there is no heartbeat (everything is data). Strings are compared directly: this runs
 * for every message.
 */
export function classifier(heartbeat) {
  if (heartbeat === false) return null;
  const pong = heartbeat.pong === undefined ? DEFAULT_PONG : heartbeat.pong;
  const ping = heartbeat.answer ? heartbeat.answer.ping : undefined;
  if (pong === DEFAULT_PONG && ping === undefined) return byDefault;
  if (typeof pong === "string" && typeof ping !== "function") {
    return (data) => (data === pong ? PONG : data === ping ? PING : DATA);
  }
  const isPong = matcher(pong, "heartbeat.pong");
  const isPing = matcher(ping, "heartbeat.answer.ping");
  return (data) => (isPong(data) ? PONG : isPing(data) ? PING : DATA);
}

/**
 * One of the library's own messages (the heartbeat ping, or the answer to a server ping):
 * `message` itself, or what it returns if it is a function; undefined (reported) if the
 * function throws or returns something that cannot be sent.
 */
export function ownMessage(message, name) {
  if (typeof message !== "function") return message;
  let value;
  try {
    value = message();
  } catch (error) {
    report(`the ${name} function threw`, error);
    return undefined;
  }
  if (typeof value === "string" || isArrayBuffer(value)) return value;
  report(`the ${name} function returned ${describe(value)} instead of a string or an ArrayBuffer`);
  return undefined;
}

const OPEN_EVENT = Object.freeze({ type: "open" });
const ignoreError = () => {};

/** A close event in the WebSocket shape, whatever the transport handed over: a code is an
 * integer from 0 to 65535, anything else is no code at all (1006). The wasm side tells the
 * three events it handles apart by their `type`. */
function closeEvent(event) {
  try {
    const code = event ? event.code : undefined;
    const reason = event ? event.reason : undefined;
    const wasClean = event ? event.wasClean : undefined;
    const valid = typeof code === "number" && code >= 0 && code <= 65535 && Math.floor(code) === code;
    return {
      type: "close",
      code: valid ? code : 1006,
      reason: typeof reason === "string" ? reason : "",
      wasClean: typeof wasClean === "boolean" ? wasClean : valid && code !== 1006,
    };
  } catch (error) {
    return { type: "close", code: 1006, reason: "", wasClean: false };
  }
}

function attach(socket, property, handler) {
  try {
    socket[property] = handler;
  } catch (error) {
    // A socket that refuses a handler is dealt with by the heartbeat and the timeouts.
  }
}

/**
 * What the wasm side touches of a socket, through web-sys's typed WebSocket interface:
 * setting and clearing `onopen`, `onerror` and `onclose`, clearing `onmessage` (the data
 * plane sets it, in JavaScript) and `close(code, reason)`. Whatever the
 * transport is, nothing here throws, and events arrive in the WebSocket shape: a hostile
 * or buggy transport cannot throw into wasm or hand it malformed events.
 */
export class SocketHandle {
  constructor(raw, onmessage) {
    this.raw = raw;
    this.opened = this.failed = this.ended = null;
    // Node's `ws` sockets are EventEmitters, and one that emits `error` with no listener
    // crashes the process. Closing a socket that is still connecting makes `ws` emit one
    // after the library let go of it: this listener stays for the socket's life. (The
    // socket's onerror goes with its other handlers: docs/behaviour.md#rule-2.)
    if (typeof raw.on === "function" && typeof raw.emit === "function") {
      try {
        raw.on("error", ignoreError);
      } catch (error) {
        // Not an EventEmitter after all.
      }
    }
    attach(raw, "onmessage", onmessage);
    attach(raw, "onopen", () => this.opened && this.opened(OPEN_EVENT));
    attach(raw, "onerror", (event) => this.failed && this.failed({ type: "error", message: errorText(event, "socket error") }));
    attach(raw, "onclose", (event) => this.ended && this.ended(closeEvent(event)));
  }

  set onopen(handler) {
    this.detachIfCleared("onopen", (this.opened = handler));
  }

  set onerror(handler) {
    this.detachIfCleared("onerror", (this.failed = handler));
  }

  set onclose(handler) {
    this.detachIfCleared("onclose", (this.ended = handler));
  }

  /** The wasm side only ever clears it. */
  set onmessage(handler) {
    this.detachIfCleared("onmessage", handler);
  }

  close(code, reason) {
    try {
      this.raw.close(code, reason);
    } catch (error) {
      // Best effort: a socket that is already closing may throw.
    }
  }

  detachIfCleared(property, handler) {
    if (handler == null) attach(this.raw, property, null);
  }
}
