// Node's use of make build's package as an ES module (the `node` project of
// tests/package/typescript.mjs): `heartbeat-ws` resolves to node.d.ts.

import { readFileSync } from "node:fs";
import { WebSocket } from "ws";
import init, { HeartbeatSocket, browserTransport, type InitInput } from "heartbeat-ws";

export async function uses(): Promise<void> {
  await init();
  await init("./node_modules/heartbeat-ws/heartbeat_ws_bg.wasm");
  await init(new URL("./heartbeat_ws_bg.wasm", import.meta.url));
  await init(readFileSync("heartbeat_ws_bg.wasm"));
  const input: InitInput = Buffer.from([0, 97, 115, 109]);
  console.log(input);
  const socket = new HeartbeatSocket({ url: "ws://127.0.0.1:8787/ws", transport: browserTransport(WebSocket) });
  socket.binaryType = "nodebuffer";
  socket.close();
  // @ts-expect-error: init takes no number
  await init(5);
}
