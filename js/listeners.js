// The listeners of one HeartbeatSocket, and the event objects they receive. The wasm side
// hands over each event's fields (see `deliver`); object literals are built here, where
// they are small and fast, instead of field by field across the wasm boundary.
// ES2017 syntax only: mini-program runtimes on older phones have no `??`, `?.` or `||=`.

import { expected } from "./describe.js";
import { redactUrl } from "./url.js";

const TYPES = ["open", "message", "close", "error", "reconnecting", "giveup", "heartbeat", "drop", "statechange"];

function checkType(method, type) {
  if (!TYPES.includes(type)) throw expected(`${method}: type`, `one of ${TYPES.join(", ")}`, type);
}

function checkListener(method, listener) {
  if (typeof listener !== "function") throw expected(`${method}: listener`, "a function", listener);
}

// One debug line per event worth logging (messages are not).
const LINES = {
  statechange: (e) => `state ${e.from} -> ${e.to}`,
  open: (e) => `open on attempt ${e.attempt}`,
  close: (e) => `closed ${e.code}${e.reason ? " " + e.reason : ""}${e.willReconnect ? ", will reconnect" : ""}`,
  reconnecting: (e) => `retry ${e.attempt} in ${e.delay} ms`,
  giveup: (e) => `gave up after ${e.attempts} attempts`,
  heartbeat: (e) => `pong after ${e.rtt} ms`,
  drop: (e) => `dropped a message: ${e.reason}`,
  error: (e) => `error: ${e.message}`,
};

export class Listeners {
  /** `debug`: the `debug` option: true (console.debug), a function, or off. */
  constructor(debug) {
    this.debug = debug === true ? (line) => console.debug(line) : typeof debug === "function" ? debug : null;
    this.clear();
  }

  /** Writes a debug line, if debugging, ending with `url` (redacted) if given. Error
   * messages arrive here already redacted (js/url.js `errorText`). */
  trace(line, url) {
    if (!this.debug) return;
    try {
      this.debug("heartbeat-ws: " + line + (url === undefined ? "" : redactUrl(url)));
    } catch (error) {
      console.error("heartbeat-ws: the debug function threw:", error);
    }
  }

  /** Forgets every listener: after close() nothing more is emitted. */
  clear() {
    this.handlers = {};
    this.added = {};
  }

  handler(type) {
    return this.handlers[type] || null;
  }

  setHandler(type, handler) {
    if (handler != null && typeof handler !== "function") throw expected(`on${type}`, "a function or null", handler);
    this.handlers[type] = handler || null;
  }

  add(type, listener) {
    checkType("addEventListener", type);
    checkListener("addEventListener", listener);
    const list = this.added[type] || (this.added[type] = []);
    if (!list.includes(listener)) list.push(listener);
  }

  remove(type, listener) {
    checkType("removeEventListener", type);
    checkListener("removeEventListener", listener);
    const list = this.added[type];
    if (list) this.added[type] = list.filter((known) => known !== listener);
  }

  /** Calls the handler, then added listeners (as they were when the event started). A
   * listener that throws is reported and the others still run (Behaviour 12). */
  emit(event) {
    if (this.debug && LINES[event.type]) this.trace(LINES[event.type](event));
    const handler = this.handlers[event.type];
    const added = this.added[event.type];
    if (handler) call(handler, event);
    if (added) for (const listener of added.slice()) call(listener, event);
  }

  /** The hot path, kept apart: no object is made when nobody listens. */
  message(data) {
    if (this.handlers.message || this.added.message) this.emit({ type: "message", data });
  }

  /**
   * Any other event, by kind (the order of `Kind` in src/listeners.rs), with its fields in
   * a fixed set of parameters: two numbers, two texts, two flags and a payload.
   */
  deliver(kind, number, other, text, otherText, flag, otherFlag, data) {
    switch (kind) {
      case 0:
        return this.emit({ type: "open", attempt: number, reconnected: flag });
      case 1:
        return this.emit({ type: "close", code: number, reason: text, wasClean: flag, willReconnect: otherFlag });
      case 2:
        return this.emit({ type: "error", message: text });
      case 3:
        return this.emit({ type: "reconnecting", attempt: number, delay: other });
      case 4:
        return this.emit({ type: "giveup", attempts: number });
      case 5:
        return this.emit({ type: "heartbeat", rtt: number });
      case 6:
        return this.emit({ type: "drop", data, reason: text });
      default:
        return this.emit({ type: "statechange", from: text, to: otherText });
    }
  }
}

function call(listener, event) {
  try {
    listener(event);
  } catch (error) {
    console.error(`heartbeat-ws: a ${event.type} listener threw:`, error);
  }
}
