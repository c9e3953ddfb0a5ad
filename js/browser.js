// Browser WebSocket transport and page lifecycle signals. Also runs in Node with the
// `ws` package's WebSocket or Node's own (which have no page lifecycle: the watcher then
// does nothing). ES2017 syntax only (mini-programs).

import { report } from "./listeners.js";

/**
 * Sockets made by a WebSocket constructor: the browser's by default, or e.g. Node's `ws`.
 */
export function browserTransport(WebSocketCtor) {
  const Ctor = WebSocketCtor === undefined && typeof WebSocket === "function" ? WebSocket : WebSocketCtor;
  if (typeof Ctor !== "function") {
    throw new TypeError(
      "transport: there is no WebSocket constructor here; pass one, e.g. browserTransport(WebSocket) " +
        "with WebSocket from the ws package; in a mini-program, pass transport: miniProgramTransport(wx) " +
        "(or my, tt, swan, qq, ks, uni, Taro) to new HeartbeatSocket",
    );
  }
  return {
    connect(url, protocols) {
      return protocols === undefined ? new Ctor(url) : new Ctor(url, protocols);
    },
    watchLifecycle: watchBrowserLifecycle,
  };
}

const nothingToStop = () => {};

/**
 * Starts watching network and visibility changes for one socket, reporting them to
 * `signals`: with the transport's own `watchLifecycle` (mini-programs) if it has one, else
 * the page's. Returns the function that stops watching (one shared no-op when the watcher
 * gave none: nothing is kept per socket where there is nothing to watch, as in Node).
 * Neither ever throws: a transport whose watcher (or its stop function, or even reading
 * it) throws is reported.
 */
export function watchLifecycle(transport, signals) {
  let stop;
  try {
    const watch = typeof transport.watchLifecycle === "function" ? transport.watchLifecycle : watchBrowserLifecycle;
    stop = watch.call(transport, signals);
  } catch (error) {
    report("transport.watchLifecycle threw", error);
  }
  if (typeof stop !== "function") return nothingToStop;
  return () => {
    try {
      stop();
    } catch (error) {
      report("the lifecycle stop function threw", error);
    }
  };
}

/**
 * Reports network (`online`/`offline`) and visibility (`visibilitychange`) changes of the
 * page to `signals`, and the current state at once if offline or hidden. Returns a
 * function that removes every listener it added, or nothing if it added none.
 */
export function watchBrowserLifecycle(signals) {
  const page = typeof document === "object" && document !== null ? document : null;
  const scope = typeof window === "object" && window !== null ? window : typeof self === "object" && self !== null ? self : null;
  const removers = [];
  const listen = (target, type, listener) => {
    if (target && typeof target.addEventListener === "function") {
      target.addEventListener(type, listener);
      removers.push(() => target.removeEventListener(type, listener));
    }
  };
  listen(scope, "online", () => signals.online());
  listen(scope, "offline", () => signals.offline());
  listen(page, "visibilitychange", () => (page.visibilityState === "hidden" ? signals.background() : signals.foreground()));
  if (removers.length > 0 && typeof navigator === "object" && navigator !== null && navigator.onLine === false) signals.offline();
  if (page && page.visibilityState === "hidden") signals.background();
  if (removers.length > 0) return () => removers.splice(0).forEach((remove) => remove());
  return undefined;
}
