// An in-memory, WebSocket-shaped socket: what every library in the per-message benchmark
// runs on, and the raw baseline itself. Delivery is a plain function call (no EventTarget,
// no MessageEvent) so that the baseline is as cheap as a socket can be and the numbers
// show what each library adds on top.

export class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    this.readyState = FakeWebSocket.CONNECTING;
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
    this.readyState = FakeWebSocket.CLOSED;
  }

  open() {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatch("open", {});
  }

  receive(data) {
    this.dispatch("message", { data });
  }

  dispatch(type, event) {
    const handler = this["on" + type];
    if (handler) handler.call(this, event);
    const listeners = this.listeners[type];
    for (let i = 0; i < listeners.length; i++) listeners[i].call(this, event);
  }
}
