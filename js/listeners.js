// The listeners of one HeartbeatSocket, the events they receive, and its debug lines.
// ES2017 syntax only: mini-program runtimes on older phones have no `??`, `?.` or `||=`.

import { expected } from "./describe.js";
import { redactUrl } from "./url.js";

/**
 * Every event type, in the order the README lists them. The wasm side emits all but
 * `message` (their `type` is its serde tag, src/binding/objects.rs); a test pins the two
 * lists together, and index.d.ts and the README against this one.
 */
export const EVENT_TYPES = ["open", "message", "close", "error", "reconnecting", "giveup", "heartbeat", "drop", "statechange"];

function checkType(method, type) {
  if (EVENT_TYPES.indexOf(type) < 0) throw expected(`${method}: type`, `one of ${EVENT_TYPES.join(", ")}`, type);
}

function checkListener(method, listener) {
  const callable = typeof listener === "function" || (listener !== null && typeof listener === "object" && typeof listener.handleEvent === "function");
  if (!callable) throw expected(`${method}: listener`, "a function or an object with a handleEvent method", listener);
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

/** Reports a problem in user code, even when console.error itself throws. */
export function report(what, error) {
  try {
    console.error(`heartbeat-ws: ${what}:`, error);
  } catch (unreportable) {
    // Nowhere left to report it; the socket carries on (docs/behaviour.md#rule-12).
  }
}

export class Listeners {
  /** `debug`: the `debug` option: true (console.debug), a function, or off. */
  constructor(debug) {
    this.debug = debug === true ? (line) => console.debug(line) : typeof debug === "function" ? debug : null;
    // As clear() does, here too: fields set in the constructor are kept in the object.
    this.handlers = {};
    this.added = null;
  }

  /** Writes a debug line, if debugging, ending with `url` (redacted) if given. */
  trace(line, url) {
    if (!this.debug) return;
    try {
      this.debug("heartbeat-ws: " + line + (url === undefined ? "" : redactUrl(url)));
    } catch (error) {
      report("the debug function threw", error);
    }
  }

  /** Forgets every listener: after close() nothing more is emitted. The lists of added
   * listeners are made on the first addEventListener (most sockets only have handlers). */
  clear() {
    this.handlers = {};
    this.added = null;
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
    if (this.added === null) this.added = {};
    const list = this.added[type] || (this.added[type] = []);
    if (list.indexOf(listener) < 0) list.push(listener);
  }

  remove(type, listener) {
    checkType("removeEventListener", type);
    checkListener("removeEventListener", listener);
    const list = this.added === null ? undefined : this.added[type];
    if (list) this.added[type] = list.filter((known) => known !== listener);
  }

  /** Whether anybody listens to `type`. */
  wants(type) {
    return Boolean(this.handlers[type] || (this.added !== null && this.added[type]));
  }

  /** Calls the handler, then added listeners (as they were when the event started). A
   * listener that throws is reported and the others still run (docs/behaviour.md#rule-12). */
  emit(event) {
    if (this.debug && LINES[event.type]) this.trace(LINES[event.type](event));
    const handler = this.handlers[event.type];
    const added = this.added === null ? undefined : this.added[event.type];
    if (handler) call(handler, event);
    if (added) for (const listener of added.slice()) call(listener, event);
  }
}

/** Defines the `on<type>` handler properties on `prototype`, whose objects keep their
 * `Listeners` in `_listeners`: a function or null, called before added listeners. */
export function defineHandlers(prototype) {
  EVENT_TYPES.forEach((type) => {
    Object.defineProperty(prototype, "on" + type, {
      get() {
        return this._listeners.handler(type);
      },
      set(handler) {
        this._listeners.setHandler(type, handler);
      },
    });
  });
}

function call(listener, event) {
  try {
    if (typeof listener === "function") listener(event);
    else listener.handleEvent(event);
  } catch (error) {
    report(`a ${event.type} listener threw`, error);
  }
}
