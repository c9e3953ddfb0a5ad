// Page side of the silent-server benchmark: a library connects to a dev server endpoint
// that goes silent right after the handshake (half-open: no data, no close), and every
// WebSocket the page makes is timestamped, so both libraries are measured by the same
// clock: from the open (the last sign of life) to the library's reconnect decision and to
// the next connection attempt.

import init, { HeartbeatSocket, browserTransport } from "/pkg/index.js";
import WebsocketHeartbeatJs from "./websocket-heartbeat-js.js";

/** url -> { attempts, opens, closes }: performance.now() of each socket's creation,
 * open event and close event (the browser's own close, after a closing handshake). */
const timelines = new Map();

class RecordedWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols);
    let timeline = timelines.get(url);
    if (!timeline) timelines.set(url, (timeline = { attempts: [], opens: [], closes: [] }));
    timeline.attempts.push(performance.now());
    this.addEventListener("open", () => timeline.opens.push(performance.now()));
    this.addEventListener("close", () => timeline.closes.push(performance.now()));
  }
}

// Each starts the library on `url` with the given timings and a reconnect delay of 0,
// calls `onReconnect` when the library decides to reconnect, and returns its stop function.
const LIBRARIES = {
  async "heartbeat-ws"(url, { interval, timeout }, onReconnect) {
    await init();
    const socket = new HeartbeatSocket({
      url,
      transport: browserTransport(RecordedWebSocket),
      heartbeat: { interval, timeout },
      reconnect: { delay: 0 },
      lifecycle: false,
    });
    socket.onreconnecting = onReconnect;
    return () => socket.close();
  },
  async "websocket-heartbeat-js"(url, { interval, timeout }, onReconnect) {
    // It calls the global WebSocket constructor, with no way to pass another.
    window.WebSocket = RecordedWebSocket;
    const socket = new WebsocketHeartbeatJs({ url, pingTimeout: interval, pongTimeout: timeout, reconnectTimeout: 0 });
    socket.onreconnect = onReconnect;
    return () => socket.close();
  },
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One connection to a silent endpoint, watched until the library's next attempt or `cap`
 * ms after the open. Milliseconds since the open, null where it did not happen. */
async function sample(library, url, timings, cap) {
  let reconnectAt = null;
  const stop = await LIBRARIES[library](url, timings, () => (reconnectAt ??= performance.now()));
  const opened = () => timelines.get(url)?.opens[0];
  const connectDeadline = performance.now() + 5000;
  while (opened() === undefined) {
    if (performance.now() > connectDeadline) throw new Error(`${library}: ${url} did not open within 5 s`);
    await sleep(10);
  }
  const openAt = opened();
  const { attempts, closes } = timelines.get(url);
  while (attempts.length < 2 && performance.now() - openAt < cap) await sleep(10);
  stop();
  const since = (at) => (at == null ? null : at - openAt);
  return { reconnect: since(reconnectAt), nextAttempt: since(attempts[1]), browserClose: since(closes[0]) };
}

/** `count` samples at once, each on its own connection; the label gives each a URL, and so
 * a timeline, of its own. */
window.measureSilent = (library, { wsUrl, count, cap, interval, timeout }) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      sample(library, `${wsUrl}?mode=silent&label=${library}-${i + 1}`, { interval, timeout }, cap),
    ),
  );
