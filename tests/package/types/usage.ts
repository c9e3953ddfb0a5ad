// Compiled with `tsc --noEmit --strict` against pkg/index.d.ts (tests/package/types.test.mjs):
// the README's uses type-check, and the mistakes below are rejected.

import init, { HeartbeatSocket, browserTransport, type CloseEvent, type Stats, type Transport } from "heartbeat-ws";

export async function readmeUsage(): Promise<void> {
  await init();
  await init(new URL("https://example.com/heartbeat_ws_bg.wasm"));

  const socket = new HeartbeatSocket({
    url: "wss://example.com/ws",
    heartbeat: { interval: 10000, timeout: 5000, message: "ping", pong: "pong" },
    reconnect: { delay: 1000, maxDelay: 30000, shouldReconnect: ({ code }) => code !== 4001 },
    queue: { max: 100, overflow: "drop-newest" },
    debug: (line) => console.log(line),
  });
  socket.onopen = (e) => console.log(e.attempt, e.reconnected);
  socket.onmessage = (e) => console.log(typeof e.data === "string" ? e.data : e.data.byteLength);
  socket.onclose = (e: CloseEvent) => console.log(e.code, e.reason, e.wasClean, e.willReconnect);
  socket.onclose = null;
  socket.addEventListener("statechange", (e) => console.log(e.from, "->", e.to));
  socket.addEventListener("drop", (e) => console.log(e.reason, e.data));
  const queued: boolean = socket.send(new Uint8Array([1, 2, 3]));
  const stats: Stats = socket.stats();
  console.log(queued, stats.lastRtt ?? "no pong yet", socket.state === "open");
  socket.reconnect();
  socket.close(4000, "bye");

  const article = new HeartbeatSocket({ ...HeartbeatSocket.presets.article, url: async () => "wss://example.com/ws" });
  article.close();

  const custom: Transport = {
    connect: (url, protocols) => new WebSocket(url, protocols),
    watchLifecycle(signals) {
      signals.offline();
      return () => signals.online();
    },
  };
  new HeartbeatSocket({ url: "wss://example.com/ws", transport: custom, heartbeat: { message: null }, lifecycle: false }).close();
  new HeartbeatSocket({ url: "wss://example.com/ws", transport: browserTransport(WebSocket), reconnect: false, queue: false }).close();
}

export function mistakes(socket: HeartbeatSocket): void {
  // @ts-expect-error: the url is required
  new HeartbeatSocket({});
  // @ts-expect-error: intervals are numbers of milliseconds
  new HeartbeatSocket({ url: "wss://x/", heartbeat: { interval: "10s" } });
  // @ts-expect-error: no such overflow policy
  new HeartbeatSocket({ url: "wss://x/", queue: { overflow: "drop" } });
  // @ts-expect-error: no such event
  socket.addEventListener("pong", () => {});
  // @ts-expect-error: a number is not sendable
  socket.send(5);
  // @ts-expect-error: state is read-only
  socket.state = "open";
}
