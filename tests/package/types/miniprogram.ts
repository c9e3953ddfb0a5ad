// A mini-program's use of the mini-program folder (pkg/miniprogram/, the `./miniprogram`
// export) without the DOM: its own types (index.d.ts with api.d.cts beside it).

import { init, HeartbeatSocket, ReconnectingWebSocket, miniProgramTransport } from "heartbeat-ws/miniprogram";

export async function usesTheFolder(): Promise<void> {
  await init("/miniprogram_npm/heartbeat-ws/heartbeat_ws_bg.wasm");
  const socket = new HeartbeatSocket({ ...HeartbeatSocket.presets.article, url: "wss://example.com/ws", transport: miniProgramTransport(wx) });
  socket.onheartbeat = (e) => console.log(e.rtt);
  socket.close();
  const drop = new ReconnectingWebSocket("wss://example.com/ws", undefined, { transport: miniProgramTransport(wx) });
  drop.close();
}

export function folderMistakes(): void {
  // @ts-expect-error: the folder's init takes a code-package path, not bytes
  init(new ArrayBuffer(8));
}
