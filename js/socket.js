// The public HeartbeatSocket. It is split in two planes:
// - the control plane, in wasm (src/binding/): the Rust core decides every state change,
//   deadline and retry, and drives sockets through the methods prefixed `_` below;
// - the data plane, here: while a connection is open with nothing queued, send() hands
//   data straight to the socket, and an inbound message that is not a pong or a server
//   ping goes straight to the listeners. No call into wasm, no clock read and no timer per
//   message: the core asks for the time of the last message when it needs it. That time
//   is the event's `timeStamp` where events carry one on our clock (browsers); otherwise
//   one clock read times all the messages a task delivers (see `timeTask`).
// ES2017 syntax only (mini-programs).

import { watchLifecycle } from "./browser.js";
import { DATA, PONG, SocketHandle, classifier, ownMessage } from "./connection.js";
import { DEFAULT_PING, defaults, presets } from "./defaults.js";
import { EVENTS_ON_CLOCK, now } from "./clock.js";
import { describe, expected } from "./describe.js";
import { Listeners, defineHandlers, report } from "./listeners.js";
import { Settings } from "./options.js";
import { outgoing, settled } from "./payload.js";
import { errorText } from "./url.js";

let binding = null;

/** Called once by the wasm module as it starts (src/binding/mod.rs): how sockets reach their control plane. */
export function registerBinding(value) {
  binding = value;
}

function loaded() {
  if (binding === null) {
    throw new Error("heartbeat-ws: the wasm module is not loaded: call init() and wait for it before using HeartbeatSocket");
  }
  return binding;
}

export class HeartbeatSocket {
  /** Checks `options` (a TypeError names any bad field) and starts connecting. */
  constructor(options) {
    const control = loaded();
    const settings = new Settings(options);
    // What the JavaScript side needs of the options later (the control plane parses them
    // all at start): kept one by one, so that the Settings object is not kept for good.
    this._transport = settings.transport;
    this._protocols = settings.protocols;
    this._urlOption = settings.url; // a URL, or the function that provides one
    this._heartbeat = settings.heartbeat; // false, or the section (its messages)
    const reconnect = settings.reconnect;
    this._reconnectVeto = reconnect && typeof reconnect.shouldReconnect === "function" ? reconnect.shouldReconnect : null;
    this._lifecycle = settings.lifecycle !== false;
    this._listeners = new Listeners(settings.debug);
    this._classify = classifier(settings.heartbeat);
    this._raw = null; // the socket of the live attempt, for the data plane
    this._url = settings.url; // the URL of the live (or last) attempt
    this._binaryType = "arraybuffer";
    this._conn = 0; // its attempt number; 0: none
    this._direct = false; // open with nothing queued: send() hands data straight over
    this._messagesIn = 0;
    this._messagesOut = 0;
    this._lastIn = -1; // when the last message not yet reported to the core arrived
    this._timedInTask = false; // _lastIn is the time of the current task (see timeTask)
    this._stopWatching = null;
    this._closing = false; // close() is under way: the claim goes back before its final close event
    this._final = null; // after close(): the last stats; the wasm side is freed
    this._unclaim = claim(this._transport);
    try {
      this._control = control.start(this, settings);
    } catch (error) {
      this._release();
      throw error;
    }
    this._watch();
  }

  /**
   * How binary messages arrive, set on the live socket and every later one: "arraybuffer"
   * [default], "blob" in browsers, or what else the transport's sockets take (`ws` has
   * "nodebuffer"); `undefined` leaves each socket's own default.
   */
  get binaryType() {
    return this._binaryType;
  }

  set binaryType(type) {
    if (type !== undefined && typeof type !== "string") throw expected("binaryType", "a string or undefined", type);
    this._binaryType = type;
    if (this._raw !== null) applyBinaryType(this._raw, type);
  }

  /** The URL of the current (or last) attempt: a URL provider's answer when there is one. */
  get url() {
    return typeof this._url === "string" ? this._url : "";
  }

  /** The subprotocol the server chose for the current socket ("" when none, or not open). */
  get protocol() {
    return socketString(this._raw, "protocol");
  }

  /** The extensions the server chose for the current socket ("" when none, or not open). */
  get extensions() {
    return socketString(this._raw, "extensions");
  }

  /** Bytes waiting: those the current socket has not sent yet, and those in the queue. */
  get bufferedAmount() {
    const buffered = this._raw !== null ? this._raw.bufferedAmount : 0;
    return (typeof buffered === "number" ? buffered : 0) + this.stats().queuedBytes;
  }

  /** `"connecting"`, `"open"`, `"reconnecting"`, `"offline"` or `"closed"`. */
  get state() {
    return this._final === null ? this._control.state() : "closed";
  }

  /**
   * Sends a string, an ArrayBuffer or a typed array (exactly its bytes): `true` if handed
   * to the open socket, `false` if queued (or dropped with a `drop` event). Throws after
   * close() and when it cannot queue.
   */
  send(data) {
    const message = outgoing(data);
    if (this._final !== null) throw new Error("send: the socket is closed");
    if (this._direct) {
      const socket = this._raw;
      const ready = socket.readyState;
      if (ready === 1 || ready === undefined) {
        try {
          socket.send(message);
        } catch (error) {
          this._control.sendFailed(errorText(error, "send failed"), settled(message));
          return false;
        }
        this._messagesOut++;
        return true;
      }
    }
    return this._control.send(settled(message));
  }

  /**
   * Closes for good with `code` (1000 or 3000–4999) and `reason`: no reconnection, no timer
   * or listener left, and the wasm side's memory is freed. Later calls do nothing.
   */
  close(code, reason) {
    if (this._final !== null) return;
    const control = this._control;
    this._closing = true;
    try {
      control.close(this, code, reason);
    } finally {
      this._closing = false;
    }
    if (this._final !== null) return; // a close listener called close() and finished it
    this._final = this.stats();
    this._release();
    this._listeners.clear();
    // Freed once every call into it has returned (close() may run inside a listener).
    Promise.resolve().then(() => control.free());
  }

  /** Drops the current socket and connects again now with the retry counter reset; also after giving up. */
  reconnect() {
    if (this._final !== null) throw new Error("reconnect: the socket is closed");
    this._control.reconnect(this);
    this._watch();
  }

  /** `{ opens, closes, reconnects, pingsSent, pongsReceived, lastRtt, messagesIn, messagesOut, dropped, queued }`. */
  stats() {
    if (this._final !== null) return Object.assign({}, this._final);
    return this._control.stats(this._messagesIn, this._messagesOut);
  }

  /** Adds `listener` (a function or an object with `handleEvent`) for events of `type`, once. */
  addEventListener(type, listener) {
    this._listeners.add(type, listener);
  }

  removeEventListener(type, listener) {
    this._listeners.remove(type, listener);
  }

  /** Ready-made options: `{ article }` reproduces the source article's timings; spread it and add a `url`. */
  static get presets() {
    return presets();
  }

  /** The default of every option that has one. */
  static get defaults() {
    return defaults();
  }

  // The control plane's side of the data plane, called from src/binding/ (never by users).

  /** Opens the socket of attempt `conn`; returns its handle for the wasm side. */
  _open(conn, url) {
    this._conn = conn;
    // The URL comes decoded from wasm memory: a string of its own, unless it is the
    // option's, which every attempt then shares.
    this._url = url === this._urlOption ? this._urlOption : url;
    this._raw = null;
    this._direct = false;
    this._lastIn = -1;
    this._timedInTask = false;
    const raw = this._transport.connect(url, this._protocols);
    if (raw === null || typeof raw !== "object") throw new TypeError(`transport.connect returned ${typeof raw} instead of a socket`);
    this._raw = raw;
    // How message data arrives is the data plane's business, set before any can arrive.
    applyBinaryType(raw, this._binaryType);
    return new SocketHandle(raw, this._receiver(conn));
  }

  /** The `onmessage` of socket `conn`: the inbound data plane. */
  _receiver(conn) {
    return (event) => {
      if (conn !== this._conn) return;
      const data = event.data;
      const kind = this._classify === null ? DATA : this._classify(data);
      if (kind !== DATA) {
        if (kind === PONG) this._control.pong(conn);
        else this._control.serverPing(conn);
        return;
      }
      this._messagesIn++;
      const stamp = event.timeStamp;
      if (EVENTS_ON_CLOCK && typeof stamp === "number") this._lastIn = stamp;
      else if (!this._timedInTask) timeTask(this);
      if (this._listeners.wants("message")) this._listeners.emit({ type: "message", data });
    };
  }

  /** When the last message arrived, if one did since the last call; -1 otherwise. */
  _activity() {
    const last = this._lastIn;
    this._lastIn = -1;
    this._timedInTask = false;
    return last;
  }

  /** Hands a user message the core let through to socket `conn`: `true` if handed over,
   * `false` if the socket is closing (the core queues it again), or why the socket refused it. */
  _handOver(conn, data) {
    const outcome = this._write(conn, data);
    if (outcome === true) this._messagesOut++;
    return outcome;
  }

  _write(conn, data) {
    const socket = this._raw;
    if (conn !== this._conn || socket === null) return false;
    const ready = socket.readyState;
    if (ready !== 1 && ready !== undefined) return false;
    try {
      socket.send(data);
    } catch (error) {
      return errorText(error, "send failed");
    }
    return true;
  }

  /** Sends the heartbeat ping, or (`answer`) the answer to a server ping. Failures are not
   * reported: the heartbeat deadline will tell. */
  _sendOwn(conn, answer) {
    const heartbeat = this._heartbeat;
    const message = answer
      ? ownMessage(heartbeat.answer.pong, "heartbeat.answer.pong")
      : ownMessage(heartbeat.message === undefined ? DEFAULT_PING : heartbeat.message, "heartbeat.message");
    if (message !== undefined) this._write(conn, message);
  }

  /** After the core acted: whether send() may go straight to socket `conn` (0: no), and
   * whether the socket is closed (given up, vetoed or closed by the user). */
  _settle(conn, closed) {
    this._direct = conn !== 0 && conn === this._conn && this._raw !== null;
    if (closed) this._unwatch();
  }

  _emit(event) {
    // The claim on the transport goes back before the final close event of close(), so
    // that a close listener may open the next socket on a single-socket transport.
    if (this._closing && event.type === "close" && !event.willReconnect) this._release();
    this._listeners.emit(event);
  }

  _trace(line, url) {
    this._listeners.trace(line, url);
  }

  /** `reconnect.shouldReconnect`'s verdict on a close: only `false` vetoes; undefined when
   * there is no function or it threw (reported), so the core's default decides. */
  _shouldReconnect(code, reason, wasClean) {
    const decide = this._reconnectVeto;
    if (!decide) return undefined;
    try {
      return decide({ code, reason, wasClean }) !== false;
    } catch (error) {
      report("reconnect.shouldReconnect threw", error);
      return undefined;
    }
  }

  /** Asks the URL provider: a URL string, a Promise of one, or anything else (checked later). */
  _provideUrl() {
    return this._urlOption();
  }

  _watch() {
    if (!this._lifecycle || this._stopWatching !== null) return;
    this._stopWatching = watchLifecycle(this._transport, new LifecycleSignals(this._control));
  }

  _unwatch() {
    const stop = this._stopWatching;
    this._stopWatching = null;
    if (stop !== null) stop();
  }

  _release() {
    this._unwatch();
    const unclaim = this._unclaim;
    this._unclaim = null;
    if (unclaim !== null) {
      try {
        unclaim();
      } catch (error) {
        report("the function transport.claim() returned threw", error);
      }
    }
  }
}

// Messages whose events carry no timestamp on our clock (Node's `ws`, the mini-program
// transport, custom ones) are timed once per task: the messages one task delivers (frames
// parsed from one network read, a test's loop) arrived together, so the clock is read at
// the first of them, and the sockets timed in this task are listed to be cleared after it.
const timedThisTask = [];
const afterTask = typeof queueMicrotask === "function" ? (callback) => queueMicrotask(callback) : (callback) => Promise.resolve().then(callback);

function timeTask(socket) {
  socket._lastIn = now();
  socket._timedInTask = true;
  if (timedThisTask.push(socket) === 1) afterTask(endTask);
}

function endTask() {
  for (let i = 0; i < timedThisTask.length; i++) timedThisTask[i]._timedInTask = false;
  timedThisTask.length = 0;
}

/** What a lifecycle watcher reports to: one socket's control plane. One object with its
 * methods on the prototype, not four closures, for every socket. */
class LifecycleSignals {
  constructor(control) {
    this.control = control;
  }

  online() {
    this.control.online();
  }

  offline() {
    this.control.offline();
  }

  foreground() {
    this.control.foreground();
  }

  background() {}
}

function applyBinaryType(socket, type) {
  if (type === undefined) return;
  try {
    socket.binaryType = type;
  } catch (error) {
    // A socket that takes no binaryType delivers binary its own way.
  }
}

/** `socket[name]` if it is a string, else "" (no socket, or a transport without it). */
function socketString(socket, name) {
  const value = socket !== null ? socket[name] : undefined;
  return typeof value === "string" ? value : "";
}

/**
 * Calls the transport's optional `claim()`, once per HeartbeatSocket: a transport with a
 * shared resource (the legacy mini-program socket API has one socket per app) throws if it
 * is taken. Returns the function that gives the claim back, or null.
 */
function claim(transport) {
  if (typeof transport.claim !== "function") return null;
  const giveBack = transport.claim();
  if (typeof giveBack !== "function") {
    throw new TypeError(`transport.claim() returned ${describe(giveBack)} instead of a function that gives the claim back`);
  }
  return giveBack;
}

defineHandlers(HeartbeatSocket.prototype);
