// A web page's use of make build's package (the `dom` project of tests/package/typescript.mjs):
// what the README shows and more must compile under --strict, and the mistakes below must
// be rejected (each `@ts-expect-error` must meet an error).

import init, {
  HeartbeatSocket,
  browserTransport,
  type CloseEvent,
  type Defaults,
  type HeartbeatSocketEventType,
  type Stats,
  type Transport,
  type WasmExports,
} from "heartbeat-ws";

export async function uses(): Promise<void> {
  const exports: WasmExports = await init();
  console.log(exports instanceof Object);
  await init(new URL("https://example.com/heartbeat_ws_bg.wasm"));
  await init(fetch("/heartbeat_ws_bg.wasm"));
  await init(await WebAssembly.compileStreaming(fetch("/heartbeat_ws_bg.wasm")));
  await init(new Uint8Array([0, 97, 115, 109]));
  await init("/heartbeat_ws_bg.wasm");

  const socket = new HeartbeatSocket({
    url: "wss://example.com/ws",
    protocols: ["chat"],
    heartbeat: { interval: 10000, timeout: 5000, message: "ping", pong: "pong", answer: { ping: "sping", pong: () => "spong" } },
    reconnect: { delay: 1000, maxDelay: 30000, shouldReconnect: ({ code }) => code !== 4001 },
    queue: { max: 100, overflow: "drop-newest" },
    debug: (line) => console.log(line),
  });
  socket.onopen = (e) => console.log(e.attempt, e.reconnected);
  socket.onmessage = (e) => console.log(typeof e.data === "string" ? e.data : e.data.byteLength);
  socket.onclose = (e: CloseEvent) => console.log(e.code, e.reason, e.wasClean, e.willReconnect);
  socket.onclose = null;
  socket.addEventListener("statechange", (e) => console.log(e.from, "->", e.to));
  socket.addEventListener("drop", (e) => console.log(e.reason, typeof e.data === "string" ? e.data : e.data.byteLength));
  const listener = { handleEvent: (e: { rtt: number }) => console.log(e.rtt) };
  socket.addEventListener("heartbeat", listener);
  socket.removeEventListener("heartbeat", listener);
  const sent: boolean = socket.send(new Uint8Array([1, 2, 3]));
  socket.send(new DataView(new ArrayBuffer(4)));
  socket.send(new ArrayBuffer(2));
  const stats: Stats = socket.stats();
  console.log(sent, stats.lastRtt ?? "no pong yet", stats.queuedBytes, socket.state === "open");
  console.log(socket.url, socket.protocol, socket.extensions, socket.bufferedAmount);
  socket.binaryType = "blob";
  socket.binaryType = undefined;
  const type: HeartbeatSocketEventType = "giveup";
  console.log(type);
  socket.reconnect();
  socket.close(4000, "bye");
  socket.close();

  const defaults: Defaults = HeartbeatSocket.defaults;
  console.log(defaults.heartbeat.interval + defaults.queue.maxBytes, defaults.reconnect.maxRetries === Infinity);
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
  new HeartbeatSocket({ url: "wss://example.com/ws", transport: browserTransport() }).close();
}

export function mistakes(socket: HeartbeatSocket, shared: Uint8Array<SharedArrayBuffer>): void {
  // @ts-expect-error: the url is required
  new HeartbeatSocket({});
  // @ts-expect-error: intervals are numbers of milliseconds
  new HeartbeatSocket({ url: "wss://x/", heartbeat: { interval: "10s" } });
  // @ts-expect-error: no such overflow policy
  new HeartbeatSocket({ url: "wss://x/", queue: { overflow: "drop" } });
  // @ts-expect-error: no such option
  new HeartbeatSocket({ url: "wss://x/", retries: 3 });
  // @ts-expect-error: no such event
  socket.addEventListener("pong", () => {});
  // @ts-expect-error: a listener object needs handleEvent
  socket.addEventListener("open", { handle: () => {} });
  // @ts-expect-error: a number is not sendable
  socket.send(5);
  // @ts-expect-error: WebSockets refuse views of a SharedArrayBuffer
  socket.send(shared);
  // @ts-expect-error: state is read-only
  socket.state = "open";
  // @ts-expect-error: url is read-only
  socket.url = "wss://y/";
  // @ts-expect-error: there is no free(): close() frees the wasm side
  socket.free();
  // @ts-expect-error: defaults are read-only
  HeartbeatSocket.defaults = HeartbeatSocket.defaults;
  // (init(5) compiles here: the DOM's WebAssembly.Module is an empty interface.)
}
