// Browser WebSocket transport and page lifecycle signals. Also runs in Node with the
// `ws` package's WebSocket (which has no page lifecycle: the watcher then does nothing).

/**
 * Sockets made by a WebSocket constructor: the browser's by default, or e.g. Node's `ws`.
 * Binary messages arrive as ArrayBuffers.
 */
export function browserTransport(WebSocketCtor = globalThis.WebSocket) {
  if (typeof WebSocketCtor !== "function") {
    throw new TypeError(
      "transport: there is no WebSocket constructor here; pass one, e.g. browserTransport(WebSocket) " +
        "with WebSocket from the ws package; in a mini-program, pass transport: miniProgramTransport(wx) " +
        "(or my, tt, swan, qq, ks, uni, Taro) to new HeartbeatSocket",
    );
  }
  return {
    connect(url, protocols) {
      const socket = protocols === undefined ? new WebSocketCtor(url) : new WebSocketCtor(url, protocols);
      socket.binaryType = "arraybuffer";
      return socket;
    },
    watchLifecycle: watchBrowserLifecycle,
  };
}

/**
 * Starts watching network and visibility changes for one socket, reporting them to
 * `signals` (see inbox.js): with the transport's own `watchLifecycle` (mini-programs) if
 * it has one, else the page's. Returns the function that stops watching; neither ever
 * throws (failures are reported).
 */
export function watchLifecycle({ transport }, signals) {
  const watch = typeof transport.watchLifecycle === "function" ? transport.watchLifecycle : watchBrowserLifecycle;
  let stop;
  try {
    stop = watch.call(transport, signals);
  } catch (error) {
    console.error("heartbeat-ws: transport.watchLifecycle threw:", error);
  }
  return () => {
    try {
      if (typeof stop === "function") stop();
    } catch (error) {
      console.error("heartbeat-ws: the lifecycle stop function threw:", error);
    }
  };
}

/**
 * Reports network (`online`/`offline`) and visibility (`visibilitychange`) changes of the
 * page to `signals`, and the current state at once if offline or hidden. Returns a
 * function that removes every listener it added.
 */
export function watchBrowserLifecycle(signals) {
  const global = globalThis;
  const page = global.document;
  const removers = [];
  const listen = (target, type, listener) => {
    if (target && typeof target.addEventListener === "function") {
      target.addEventListener(type, listener);
      removers.push(() => target.removeEventListener(type, listener));
    }
  };
  listen(global, "online", () => signals.online());
  listen(global, "offline", () => signals.offline());
  listen(page, "visibilitychange", () =>
    page.visibilityState === "hidden" ? signals.background() : signals.foreground(),
  );
  if (removers.length > 0 && global.navigator && global.navigator.onLine === false) signals.offline();
  if (page && page.visibilityState === "hidden") signals.background();
  return () => removers.splice(0).forEach((remove) => remove());
}
