// ReconnectingWebSocket: a drop-in for the reconnecting-websocket package (4.4) and
// partysocket's ReconnectingWebSocket, as a layer over HeartbeatSocket. It keeps their
// constructor, options, members and events; the connection itself is a HeartbeatSocket
// (the same core and binding), so heartbeat, half-open detection, jitter and lifecycle
// handling come by asking for them. What it adds is what a WebSocket look-alike needs and
// a HeartbeatSocket does not do: starting closed, readyState, a close event after close()
// on the next task, reconnect(code, reason) (the current HeartbeatSocket is closed with
// them and a new one started, queued messages carried over), sends kept while there is no
// connection at all, and an `error` event with the message "TIMEOUT" for a connect timeout.
// ES2017 syntax only (mini-programs).

import { now } from "./clock.js";
import { browserTransport } from "./browser.js";
import { describe, expected } from "./describe.js";
import { EVENT_TYPES, Listeners, defineHandlers } from "./listeners.js";
import { SCHEMA, Settings } from "./options.js";
import { byteLength, outgoing, settled } from "./payload.js";
import { HeartbeatSocket } from "./socket.js";
import { errorText, isWebSocketUrl, redactUrl } from "./url.js";

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * reconnecting-websocket's defaults, kept here: they differ from HeartbeatSocket's, and the
 * heartbeat and lifecycle handling are off unless asked for. `minReconnectionDelay`
 * defaults to a draw from [MIN_DELAY_FLOOR, MIN_DELAY_FLOOR + MIN_DELAY_SPREAD) ms.
 */
export const DEFAULTS = {
  maxReconnectionDelay: 10000,
  reconnectionDelayGrowFactor: 1.3,
  minUptime: 5000,
  connectionTimeout: 4000,
  maxRetries: Infinity,
  maxEnqueuedMessages: Infinity,
  startClosed: false,
  debug: false,
  heartbeat: false,
  lifecycle: false,
  jitter: 0,
};
export const MIN_DELAY_FLOOR = 1000;
export const MIN_DELAY_SPREAD = 4000;

const isBoolean = (value) => typeof value === "boolean";
const isFunction = (value) => typeof value === "function";

// Nothing at the top level of this module runs code: a bundle that does not use
// ReconnectingWebSocket leaves all of it out.

/** Every option, by name, with the rule of the HeartbeatSocket option it becomes (one home for each check). */
const rules = () => ({
  WebSocket: ["a WebSocket constructor", isFunction],
  maxReconnectionDelay: SCHEMA.reconnect.maxDelay,
  minReconnectionDelay: SCHEMA.reconnect.delay,
  reconnectionDelayGrowFactor: SCHEMA.reconnect.factor,
  minUptime: SCHEMA.reconnect.minUptime,
  connectionTimeout: SCHEMA.connectTimeout,
  maxRetries: SCHEMA.reconnect.maxRetries,
  maxEnqueuedMessages: SCHEMA.queue.max,
  startClosed: ["a boolean", isBoolean],
  debug: SCHEMA.debug,
  heartbeat: ["a boolean or an object (HeartbeatSocket's heartbeat option)", (value) => isBoolean(value) || (value !== null && typeof value === "object")],
  lifecycle: SCHEMA.lifecycle,
  shouldReconnect: SCHEMA.reconnect.shouldReconnect,
  jitter: SCHEMA.reconnect.jitter,
  transport: SCHEMA.transport,
});

/** Every option name, in the README's order (a test pins the two together). */
export const optionNames = () => Object.keys(rules());

/** The options, checked (own enumerable keys, each read once) with the defaults filled in. */
function readOptions(options) {
  if (options === undefined) options = {};
  if (options === null || typeof options !== "object") throw expected("options", "an object", options);
  const known = rules();
  const result = {};
  for (const key of Object.keys(options)) {
    const rule = Object.prototype.hasOwnProperty.call(known, key) ? known[key] : null;
    if (rule === null) throw new TypeError(`${key}: unknown option; expected one of ${Object.keys(known).join(", ")}`);
    const value = options[key];
    if (value === undefined) continue;
    if (!rule[1](value)) throw expected(key, rule[0], value);
    result[key] = value;
  }
  if (result.WebSocket !== undefined && result.transport !== undefined) {
    throw new TypeError("WebSocket, transport: give one of them (a transport makes its own sockets)");
  }
  for (const key of Object.keys(DEFAULTS)) if (result[key] === undefined) result[key] = DEFAULTS[key];
  if (result.minReconnectionDelay === undefined) result.minReconnectionDelay = MIN_DELAY_FLOOR + Math.random() * MIN_DELAY_SPREAD;
  return result;
}

/** The transport for the `WebSocket` option, or the global WebSocket, checked now. */
function transportFor(options) {
  if (options.transport !== undefined) return options.transport;
  const Ctor = options.WebSocket !== undefined ? options.WebSocket : typeof WebSocket === "function" ? WebSocket : undefined;
  if (Ctor === undefined) {
    throw new TypeError("WebSocket: there is no global WebSocket here; pass a constructor (options.WebSocket, e.g. the ws package's) or a transport");
  }
  return browserTransport(Ctor);
}

/**
 * A URL as a browser's WebSocket takes it: `http:`/`https:` become `ws:`/`wss:`, and in a
 * page a relative URL is resolved against it. Anything else is left for the checks.
 */
function webSocketUrl(url) {
  if (typeof url !== "string") return url;
  const web = /^(https?):/i.exec(url);
  if (web !== null) return (web[1].length === 5 ? "wss" : "ws") + url.slice(web[1].length);
  const page = typeof location === "object" && location !== null && typeof location.href === "string" ? location.href : null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || page === null) return url;
  return webSocketUrl(resolveAgainst(page, url));
}

/**
 * `url` (relative: "//host/p", "/p" or "p") resolved against the page's URL, by hand: the
 * URL class is not named anywhere in the package (mini-program runtimes lack it). Dot
 * segments are left to the server, as in a URL the page wrote out.
 */
function resolveAgainst(page, url) {
  const [, scheme, origin, path] = /^([a-z][a-z0-9+.-]*:)(\/\/[^/?#]*)?([^?#]*)/i.exec(page);
  if (url.slice(0, 2) === "//") return scheme + url;
  if (url.charAt(0) === "/") return scheme + (origin || "") + url;
  return scheme + (origin || "") + path.slice(0, path.lastIndexOf("/") + 1) + url;
}

/** Static protocols as the original passes them: a falsy value means none. */
function staticProtocols(protocols) {
  return protocols ? protocols : undefined;
}

/** What a protocols provider gave, checked: a string, an array of strings, or none. */
function providedProtocols(protocols) {
  if (!protocols) return undefined;
  const valid = typeof protocols === "string" || (Array.isArray(protocols) && protocols.every((protocol) => typeof protocol === "string"));
  if (!valid) throw new Error(`protocols: the provider gave ${describe(protocols)} instead of a string or an array of strings`);
  return protocols;
}

const isThenable = (value) => value !== null && (typeof value === "object" || typeof value === "function") && typeof value.then === "function";

// The wasm module, loaded on demand: the entries register their init(), so that a
// ReconnectingWebSocket made before init() was awaited (or called at all) starts once the
// module is ready, as code written for reconnecting-websocket expects.
let loader = null;
let loaded = false;

/** Called by the entries (js/index.js, js/node.js) with their init(). */
export function useLoader(init) {
  loader = init;
}

/** null when the module is ready (or nothing can load it: HeartbeatSocket then says so), else a Promise of it. */
function whenLoaded() {
  if (loaded || loader === null) return null;
  return new Promise((resolve) => resolve(loader())).then(() => {
    loaded = true;
  });
}

export class ReconnectingWebSocket {
  /**
   * `url`: a ws:/wss: URL (http: and https: are taken as ws: and wss:), or a function
   * returning one or a Promise of one, asked before every attempt. `protocols`: a string,
   * an array of strings, or such a function. `options`: reconnecting-websocket's, and
   * heartbeat-ws's `heartbeat`, `lifecycle`, `shouldReconnect`, `jitter`, `transport`.
   */
  constructor(url, protocols, options) {
    defineHandlersOnce();
    const settings = readOptions(options);
    if (typeof url !== "string" && typeof url !== "function") throw expected("url", SCHEMA.url[0], url);
    const target = webSocketUrl(url);
    if (typeof target === "string" && !isWebSocketUrl(target)) throw expected("url", "a ws: or wss: URL", redactUrl(target));
    const provided = typeof url === "function" || typeof protocols === "function";
    this._urlOption = url;
    this._protocolsOption = protocols;
    this._provided = undefined; // the protocols a provider gave for the attempt under way
    this._minUptime = settings.minUptime;
    this._maxEnqueued = settings.maxEnqueuedMessages;
    const reconnect = {
      delay: Math.min(settings.minReconnectionDelay, settings.maxReconnectionDelay),
      maxDelay: settings.maxReconnectionDelay,
      factor: settings.reconnectionDelayGrowFactor,
      jitter: settings.jitter,
      maxRetries: settings.maxRetries,
      minUptime: settings.minUptime,
      // The original reconnects after every close; shouldReconnect may veto.
      shouldReconnect: settings.shouldReconnect || (() => true),
    };
    // The options of every HeartbeatSocket this object runs, checked now.
    this._settings = {
      url: provided ? () => this._provide() : target,
      protocols: typeof protocols === "function" ? undefined : staticProtocols(protocols),
      transport: this._observe(transportFor(settings)),
      heartbeat: settings.heartbeat === true ? {} : settings.heartbeat,
      reconnect,
      connectTimeout: settings.connectionTimeout,
      queue: { max: settings.maxEnqueuedMessages, maxBytes: Infinity, overflow: "drop-newest" },
      lifecycle: settings.lifecycle,
      debug: settings.debug,
    };
    new Settings(this._settings);

    this._listeners = new Listeners(false); // debug lines come from the HeartbeatSocket
    this._inner = null; // the current HeartbeatSocket (or the last one, once closed)
    this._active = false; // whether _inner runs (not closed by close() or reconnect())
    this._loading = null; // the Promise of the wasm module this object waits for
    this._retiring = null; // while closing _inner: { announce, willReconnect }
    this._pendingClose = null; // the close event of close() or reconnect(), due on the next task
    this._held = []; // messages sent while no HeartbeatSocket runs
    this._heldBytes = 0;
    this._raw = null; // the latest socket made
    this._live = false; // whether the current attempt has a socket (connecting or open)
    this._lastUrl = "";
    this._binaryType = undefined; // set by the user; otherwise each socket's own default
    this._retries = 0;
    this._openedAt = -1; // when the open connection opened (clock.js), -1 when none is open
    if (!settings.startClosed) this._start();
  }

  static get CONNECTING() {
    return CONNECTING;
  }

  static get OPEN() {
    return OPEN;
  }

  static get CLOSING() {
    return CLOSING;
  }

  static get CLOSED() {
    return CLOSED;
  }

  get CONNECTING() {
    return CONNECTING;
  }

  get OPEN() {
    return OPEN;
  }

  get CLOSING() {
    return CLOSING;
  }

  get CLOSED() {
    return CLOSED;
  }

  /**
   * CONNECTING during an attempt; OPEN; CLOSING from close() or reconnect() until their
   * close event; CLOSED while waiting to retry, after giving up, after close() and when
   * started closed.
   */
  get readyState() {
    if (this._pendingClose !== null) return CLOSING;
    if (this._loading !== null) return CONNECTING;
    if (!this._active) return CLOSED;
    const state = this._inner.state;
    return state === "open" ? OPEN : state === "connecting" ? CONNECTING : CLOSED;
  }

  /** The URL of the latest socket ("" before the first). */
  get url() {
    return this._lastUrl;
  }

  get protocol() {
    return this._inner !== null ? this._inner.protocol : "";
  }

  get extensions() {
    return this._inner !== null ? this._inner.extensions : "";
  }

  /** Bytes the socket has not sent yet, and those of the messages waiting to be sent. */
  get bufferedAmount() {
    return this._heldBytes + (this._inner !== null ? this._inner.bufferedAmount : 0);
  }

  /** As set, applied to every later socket; until set, the latest socket's own ("blob" before the first). */
  get binaryType() {
    if (this._binaryType !== undefined) return this._binaryType;
    const own = this._raw !== null ? readField(this._raw, "binaryType") : undefined;
    return typeof own === "string" ? own : "blob";
  }

  set binaryType(type) {
    if (typeof type !== "string") throw expected("binaryType", "a string", type);
    this._binaryType = type;
    if (this._active) this._inner.binaryType = type;
  }

  /** Retries in the current streak: 0 on the first attempt, and again once a connection stayed open `minUptime` ms. */
  get retryCount() {
    if (this._openedAt >= 0 && now() - this._openedAt >= this._minUptime) return 0;
    return this._retries;
  }

  /**
   * Sends now if open, otherwise keeps the message (at most `maxEnqueuedMessages`; a
   * message over that is dropped with a `drop` event) until a connection opens. Returns
   * whether it was handed to the socket.
   */
  send(data) {
    if (this._active) return this._inner.send(data);
    const message = settled(outgoing(data));
    if (this._held.length >= this._maxEnqueued) {
      this._dispatch({ type: "drop", data: message, reason: "overflow" });
    } else {
      this._keep(message);
    }
    return false;
  }

  /**
   * Closes with `code` (1000 or 3000–4999) and `reason`, and stops reconnecting until
   * reconnect(). A connection or attempt under way ends with a close event on the next
   * task (readyState CLOSING until then); with none, nothing is emitted.
   */
  close(code, reason) {
    this._loading = null;
    if (this._active) this._retire(code === undefined ? 1000 : code, reason, false);
  }

  /**
   * Closes the current connection or attempt, if any, with `code` and `reason` (a close
   * event follows on the next task), and connects again now with the retry count reset;
   * also after close() or giving up, and when started closed.
   */
  reconnect(code, reason) {
    this._retries = 0;
    if (this._loading !== null) return;
    if (this._active) this._retire(code === undefined ? 1000 : code, reason, true);
    this._start();
  }

  /** Adds `listener` (a function or an object with `handleEvent`) for `type`; unknown types are ignored. */
  addEventListener(type, listener) {
    if (EVENT_TYPES.indexOf(type) >= 0 && listener != null) this._listeners.add(type, listener);
  }

  removeEventListener(type, listener) {
    if (EVENT_TYPES.indexOf(type) >= 0 && listener != null) this._listeners.remove(type, listener);
  }

  /** Calls the listeners of `event.type` with `event`; returns true. */
  dispatchEvent(event) {
    if (event !== null && typeof event === "object" && EVENT_TYPES.indexOf(event.type) >= 0) this._listeners.emit(event);
    return true;
  }

  _start() {
    const pending = whenLoaded();
    if (pending === null) return this._run();
    this._loading = pending;
    pending.then(
      () => {
        if (this._loading !== pending) return;
        this._loading = null;
        this._run();
      },
      (error) => {
        if (this._loading !== pending) return;
        this._loading = null;
        this._dispatch({ type: "error", message: "loading the wasm module failed: " + errorText(error, "no reason given") });
        this._dispatch({ type: "close", code: 1006, reason: "", wasClean: false, willReconnect: false });
      },
    );
  }

  /** Starts a HeartbeatSocket and hands it the messages kept meanwhile. */
  _run() {
    const inner = new HeartbeatSocket(this._settings);
    this._inner = inner;
    this._active = true;
    inner.binaryType = this._binaryType;
    const relay = (event) => {
      if (this._inner === inner) this._relay(event);
    };
    // As the inner socket's handlers, its only listeners: emitting to a handler copies no list.
    EVENT_TYPES.forEach((type) => {
      inner["on" + type] = relay;
    });
    const held = this._held.splice(0);
    this._heldBytes = 0;
    held.forEach((message) => inner.send(message));
  }

  /**
   * Closes the current HeartbeatSocket with `code` and `reason` (it checks them first, and
   * throws without closing if they are wrong). Its close event is announced on the next
   * task if it had a socket; its queued messages are kept for the next one.
   */
  _retire(code, reason, willReconnect) {
    this._retiring = { announce: this._live, willReconnect };
    try {
      this._inner.close(code, reason);
    } finally {
      this._retiring = null;
    }
    this._active = false;
    this._live = false;
    this._openedAt = -1;
  }

  /** An event of the current HeartbeatSocket. */
  _relay(event) {
    const retiring = this._retiring;
    if (event.type === "open") this._openedAt = now();
    else if (event.type === "reconnecting") this._retries = event.attempt;
    else if (event.type === "close") {
      this._retries = this.retryCount;
      this._openedAt = -1;
      this._live = false;
      if (retiring !== null) {
        if (retiring.announce) this._closeLater(Object.assign(event, { willReconnect: retiring.willReconnect }));
        return;
      }
      // The core's own teardown of an attempt that took too long (src/core/machine.rs);
      // reconnecting-websocket reports it as an error "TIMEOUT".
      if (event.code === 4000 && event.reason === "connect timeout" && !event.wasClean) this._dispatch({ type: "error", message: "TIMEOUT" });
    } else if (retiring !== null) {
      // Closing for close() or reconnect(): queued messages wait for the next connection;
      // the rest (state changes) is the retired socket's business.
      if (event.type === "drop" && event.reason === "closed") this._keep(event.data);
      return;
    }
    this._dispatch(event);
  }

  _keep(message) {
    this._held.push(message);
    this._heldBytes += byteLength(message);
  }

  _closeLater(event) {
    if (this._pendingClose !== null) this._flushClose();
    this._pendingClose = event;
    setTimeout(() => {
      if (this._pendingClose === event) this._flushClose();
    }, 0);
  }

  _flushClose() {
    const event = this._pendingClose;
    this._pendingClose = null;
    this._dispatch(event);
  }

  _dispatch(event) {
    if (this._pendingClose !== null && this._pendingClose !== event) this._flushClose();
    event.target = this;
    this._listeners.emit(event);
  }

  /** URL provider of the HeartbeatSocket when the URL or the protocols come from a function. */
  _provide() {
    const url = typeof this._urlOption === "function" ? this._urlOption() : this._urlOption;
    const protocols = typeof this._protocolsOption === "function" ? this._protocolsOption() : undefined;
    if (!isThenable(url) && !isThenable(protocols)) return this._answer(url, protocols);
    return Promise.all([url, protocols]).then((answers) => this._answer(answers[0], answers[1]));
  }

  _answer(url, protocols) {
    if (typeof this._protocolsOption === "function") this._provided = providedProtocols(protocols);
    return webSocketUrl(url);
  }

  /** `transport`, reporting each socket it makes (its URL, binaryType and liveness are read here). */
  _observe(transport) {
    const observed = Object.create(transport);
    observed.connect = (url, protocols) => {
      const socket = transport.connect(url, typeof this._protocolsOption === "function" ? this._provided : protocols);
      if (socket !== null && typeof socket === "object") {
        this._raw = socket;
        this._live = true;
        const own = readField(socket, "url");
        this._lastUrl = typeof own === "string" && own !== "" ? own : url;
      }
      return socket;
    };
    return observed;
  }
}

/** `object[name]`, or undefined if reading it throws. */
function readField(object, name) {
  try {
    return object[name];
  } catch (error) {
    return undefined;
  }
}

/**
 * The `onX` handler properties, as on HeartbeatSocket, kept across reconnections. Defined
 * by the first constructor call rather than at the top level (see above).
 */
function defineHandlersOnce() {
  if (!Object.prototype.hasOwnProperty.call(ReconnectingWebSocket.prototype, "onopen")) defineHandlers(ReconnectingWebSocket.prototype);
}
