// A mini-program's use of make build's package without the DOM (the `nodom` project of
// tests/package/typescript.mjs: ES2020 and WeChat's typings, library checks on).

import init, { HeartbeatSocket, miniProgramTransport, type InitInput, type WasmExports } from "heartbeat-ws";

export async function uses(bytes: ArrayBuffer): Promise<void> {
  const exports: WasmExports = await init("/heartbeat-ws/heartbeat_ws_bg.wasm");
  console.log(Object.keys(exports).length);
  await init(bytes);
  const input: InitInput = new Uint8Array(bytes);
  await init(Promise.resolve(input));
  const socket = new HeartbeatSocket({ url: "wss://example.com/ws", transport: miniProgramTransport(wx, { legacy: false }) });
  socket.onmessage = (e) => console.log(e.data);
  socket.close();
}

export function mistakes(socket: HeartbeatSocket): void {
  // @ts-expect-error: init takes no number
  init(5);
  // @ts-expect-error: not a platform API object
  miniProgramTransport({ request: wx.request });
  // @ts-expect-error: there is no free()
  socket.free();
}
