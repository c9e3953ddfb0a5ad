// Code written for reconnecting-websocket, with only the import changed, as TypeScript
// sees its declarations in pkg/api.d.cts (through pkg/index.d.ts): it must compile with --strict, and
// each `@ts-expect-error` line must be an error.

import { ReconnectingWebSocket } from "heartbeat-ws";

const urls = ["ws://a.example/ws", "ws://b.example/ws"];
let next = 0;
const rws = new ReconnectingWebSocket(() => urls[next++ % urls.length], [], {
  WebSocket, // a constructor, e.g. the ws package's
  connectionTimeout: 1000,
  maxRetries: 10,
  maxEnqueuedMessages: 100,
  minUptime: 5000,
  startClosed: false,
  heartbeat: { interval: 10000, timeout: 5000 },
  shouldReconnect: (close) => close.code !== 4001,
});
const async = new ReconnectingWebSocket(async () => "wss://example.com/ws", async () => ["v2", "v1"]);
async.close(1000, "bye");

rws.addEventListener("open", () => rws.send("hello!"));
rws.addEventListener("message", { handleEvent: (event) => console.log(event.data, event.target.url) });
rws.onclose = (event) => console.log(event.code, event.reason, event.wasClean, event.willReconnect);
rws.onerror = (event) => console.log(event.message === "TIMEOUT");
rws.addEventListener("reconnecting", (event) => console.log(event.attempt, event.delay));
rws.binaryType = "arraybuffer";
const states: number[] = [rws.readyState, rws.retryCount, rws.bufferedAmount, ReconnectingWebSocket.OPEN, rws.CLOSED];
const texts: string[] = [rws.url, rws.protocol, rws.extensions];
const sent: boolean = rws.send(new Uint8Array([1, 2]));
rws.reconnect(4000, "new token");
console.log(states, texts, sent);

// @ts-expect-error: an unknown option
new ReconnectingWebSocket("ws://x/", [], { reconnectionDelay: 5 });
// @ts-expect-error: maxRetries is a number
new ReconnectingWebSocket("ws://x/", [], { maxRetries: "5" });
// @ts-expect-error: readyState is read-only
rws.readyState = 1;
