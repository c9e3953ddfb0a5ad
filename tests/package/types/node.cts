// Node's use of make build's package as CommonJS: `heartbeat-ws` resolves to node.d.cts,
// whose `default` is init().

import heartbeat = require("heartbeat-ws");

export async function uses(): Promise<void> {
  await heartbeat.default("heartbeat_ws_bg.wasm");
  const socket = new heartbeat.HeartbeatSocket({ url: "ws://127.0.0.1:8787/ws" });
  const stats: heartbeat.Stats = socket.stats();
  console.log(stats.opens);
  socket.close();
}
