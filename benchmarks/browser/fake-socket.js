// In-memory, WebSocket-shaped sockets that every library in the per-message benchmark runs
// on, and that are the raw baseline themselves. Two kinds:
// - BareWebSocket delivers events by plain function calls (no EventTarget, no event
//   object of the platform's), so that the baseline is as cheap as a socket can be and the
//   numbers show what each library adds on top;
// - BrowserLikeWebSocket dispatches as heavily as a browser does: it is an EventTarget,
//   each message is a new MessageEvent (which carries a `timeStamp`) dispatched from a
//   microtask of its own, `on<type>` handlers are event handler attributes, and
//   `readyState` is an accessor on the prototype.
// Both count the bytes they are handed by send().

const CONSTANTS = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };

export class BareWebSocket {
  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    this.readyState = CONSTANTS.CONNECTING;
    this.binaryType = "blob";
    this.bufferedAmount = 0;
    this.protocol = "";
    this.extensions = "";
    this.onopen = this.onmessage = this.onerror = this.onclose = null;
    this.listeners = { open: [], message: [], error: [], close: [] };
    this.bytesSent = 0;
  }

  // reconnecting-websocket listens through addEventListener, the others through onX.
  addEventListener(type, listener) {
    this.listeners[type].push(listener);
  }

  removeEventListener(type, listener) {
    this.listeners[type] = this.listeners[type].filter((known) => known !== listener);
  }

  send(data) {
    this.bytesSent += data.length;
  }

  close() {
    this.readyState = CONSTANTS.CLOSED;
  }

  open() {
    this.readyState = CONSTANTS.OPEN;
    this.dispatch("open", {});
  }

  /** Delivers every message at once, each by a plain call; resolves when all have been. */
  async receive(data, count) {
    for (let i = 0; i < count; i++) this.dispatch("message", { data });
  }

  dispatch(type, event) {
    const handler = this["on" + type];
    if (handler) handler.call(this, event);
    const listeners = this.listeners[type];
    for (let i = 0; i < listeners.length; i++) listeners[i].call(this, event);
  }
}

export class BrowserLikeWebSocket extends EventTarget {
  constructor(url, protocols) {
    super();
    this.url = url;
    this.protocols = protocols;
    this.state = CONSTANTS.CONNECTING;
    this.binaryType = "blob";
    this.bufferedAmount = 0;
    this.protocol = "";
    this.extensions = "";
    this.handlers = { open: null, message: null, error: null, close: null };
    this.wrappers = { open: null, message: null, error: null, close: null };
    this.bytesSent = 0;
  }

  get readyState() {
    return this.state;
  }

  send(data) {
    if (this.state !== CONSTANTS.OPEN) throw new Error("BrowserLikeWebSocket: send on a socket that is not open");
    this.bytesSent += data.length;
  }

  close() {
    this.state = CONSTANTS.CLOSED;
  }

  open() {
    this.state = CONSTANTS.OPEN;
    this.dispatchEvent(new Event("open"));
  }

  /** Delivers `count` messages, each a new MessageEvent dispatched from a microtask of its
   * own (a browser dispatches each from a task of its own); resolves after the last. */
  async receive(data, count) {
    for (let i = 0; i < count; i++) {
      await null;
      this.dispatchEvent(new MessageEvent("message", { data }));
    }
  }
}

for (const [name, value] of Object.entries(CONSTANTS)) {
  for (const target of [BareWebSocket, BareWebSocket.prototype, BrowserLikeWebSocket, BrowserLikeWebSocket.prototype]) {
    Object.defineProperty(target, name, { value, enumerable: true });
  }
}

// Event handler attributes, as browsers have them: setting a function registers a listener
// that calls the current handler (unless one is registered already, which keeps its place
// among the others); setting null removes it.
for (const type of ["open", "message", "error", "close"]) {
  Object.defineProperty(BrowserLikeWebSocket.prototype, "on" + type, {
    get() {
      return this.handlers[type];
    },
    set(handler) {
      this.handlers[type] = typeof handler === "function" ? handler : null;
      if (this.handlers[type] === null && this.wrappers[type] !== null) {
        this.removeEventListener(type, this.wrappers[type]);
        this.wrappers[type] = null;
      } else if (this.handlers[type] !== null && this.wrappers[type] === null) {
        this.wrappers[type] = (event) => this.handlers[type].call(this, event);
        this.addEventListener(type, this.wrappers[type]);
      }
    },
  });
}
