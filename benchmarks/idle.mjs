// Idle cost and memory of many open sockets in Node (see node/idle-client.mjs): one client
// process per library and round, against the dev server in a process of its own.

import { execFileSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./harness.mjs";

export const IDLE_LIBRARIES = ["raw", "heartbeat-ws", "reconnecting-websocket", "websocket-heartbeat-js"];

export const IDLE_CONFIG = { sockets: 1000, seconds: 30, rounds: 2 };

const CLIENT = path.join(ROOT, "benchmarks", "node", "idle-client.mjs");

/** Waits until the dev server has let go of the previous client's connections. */
async function drained(devServer) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const open = (await devServer.api("/api/connections")).length;
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`the dev server still has ${open} connections open`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every run's result (see idle-client.mjs), by library; rounds interleave the libraries. */
export async function measureIdle(devServer, config = IDLE_CONFIG, libraries = IDLE_LIBRARIES) {
  const runs = Object.fromEntries(libraries.map((library) => [library, []]));
  for (let round = 0; round < config.rounds; round++) {
    for (const library of libraries) {
      await drained(devServer);
      const output = execFileSync(
        process.execPath,
        ["--expose-gc", CLIENT, library, devServer.wsUrl, String(config.sockets), String(config.seconds)],
        { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
      );
      runs[library].push(JSON.parse(output.trim().split("\n").pop()));
    }
  }
  return runs;
}
