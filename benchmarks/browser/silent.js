// Page side of the silent-server benchmark: a library connects to a dev server endpoint
// that goes silent (half-open: no data, no close), either right after the handshake or
// after a second of traffic, and every WebSocket the page makes is timestamped, so all
// libraries are measured by the same clock: from the last sign of life (the open, or the
// last message the socket received) to the library's reconnect decision and to the next
// connection attempt.

import init, { HeartbeatSocket, browserTransport } from "/pkg/index.js";
import WebsocketHeartbeatJs from "./websocket-heartbeat-js.js";

/** url -> { attempts, opens, closes, lastMessage }: performance.now() of each socket's
 * creation, open event and close event (the browser's own close, after a closing
 * handshake), and of the last message the first of them received. */
const timelines = new Map();

class RecordedWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols);
    let timeline = timelines.get(url);
    if (!timeline) timelines.set(url, (timeline = { attempts: [], opens: [], closes: [], lastMessage: null }));
    timeline.attempts.push(performance.now());
    const first = timeline.attempts.length === 1;
    this.addEventListener("open", () => timeline.opens.push(performance.now()));
    if (first) this.addEventListener("message", () => (timeline.lastMessage = performance.now()));
    this.addEventListener("close", () => timeline.closes.push(performance.now()));
  }
}

// Each starts the library on `url` with the given timings and a reconnect delay of 0,
// calls `onReconnect` when the library decides to reconnect, and returns its stop function.
const LIBRARIES = {
  "heartbeat-ws": heartbeatWs(true),
  "heartbeat-ws, anyMessage: false": heartbeatWs(false),
  async "websocket-heartbeat-js"(url, { interval, timeout }, onReconnect) {
    // It calls the global WebSocket constructor, with no way to pass another.
    window.WebSocket = RecordedWebSocket;
    const socket = new WebsocketHeartbeatJs({ url, pingTimeout: interval, pongTimeout: timeout, reconnectTimeout: 0 });
    socket.onreconnect = onReconnect;
    return () => socket.close();
  },
};

function heartbeatWs(anyMessage) {
  return async (url, { interval, timeout }, onReconnect) => {
    await init();
    const socket = new HeartbeatSocket({
      url,
      transport: browserTransport(RecordedWebSocket),
      heartbeat: { interval, timeout, anyMessage },
      reconnect: { delay: 0 },
      lifecycle: false,
    });
    socket.onreconnecting = onReconnect;
    return () => socket.close();
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One connection to an endpoint that goes silent, watched until the library's next
 * attempt or `cap` ms after the open. Milliseconds since the last sign of life of the
 * first socket (its open, or the last message it received before the second attempt),
 * null where a step did not happen. */
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
  const timeline = timelines.get(url);
  while (timeline.attempts.length < 2 && performance.now() - openAt < cap) await sleep(10);
  stop();
  const lastSign = Math.max(openAt, timeline.lastMessage ?? openAt);
  const since = (at) => (at == null ? null : at - lastSign);
  return {
    reconnect: since(reconnectAt),
    nextAttempt: since(timeline.attempts[1]),
    browserClose: since(timeline.closes[0]),
    traffic: lastSign - openAt,
  };
}

/** For each scenario (`{ name, query }`), `count` samples of each library, all at once,
 * each on its own connection to `${wsUrl}?${query}`; the label gives each a URL, and so a
 * timeline, of its own. Resolves to samples by scenario and library. */
window.measureSilent = async (scenarios, libraries, { wsUrl, count, cap, interval, timeout }) => {
  const samplesOf = (scenario, s, library, l) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => sample(library, `${wsUrl}?${scenario.query}&label=s${s}-l${l}-${i + 1}`, { interval, timeout }, cap)),
    );
  // Every sample starts before the first await: all run at once.
  const byScenario = scenarios.map(async (scenario, s) => {
    const byLibrary = libraries.map(async (library, l) => [library, await samplesOf(scenario, s, library, l)]);
    return [scenario.name, Object.fromEntries(await Promise.all(byLibrary))];
  });
  return Object.fromEntries(await Promise.all(byScenario));
};
