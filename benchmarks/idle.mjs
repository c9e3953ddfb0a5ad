// Idle cost and memory of many open sockets in Node (see node/idle-client.mjs): one client
// process per library and round, against a dev server in a process of its own.
// - measureIdle: the libraries one after another;
// - measureIdlePair: heartbeat-ws and websocket-heartbeat-js at the same time, each against
//   a dev server of its own (the server takes at most 1,024 connections), so that both run
//   under the same load of the machine: on a busy machine the CPU time of runs made one
//   after another varies more than the two libraries differ.

import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./harness.mjs";
import { waitUntil } from "../tests/e2e/support.mjs";

const IDLE_LIBRARIES = ["raw", "heartbeat-ws", "reconnecting-websocket", "websocket-heartbeat-js"];
const PAIR = ["heartbeat-ws", "websocket-heartbeat-js"];

export const IDLE_CONFIG = { sockets: 1000, seconds: 30, rounds: 2, pairRounds: 4 };

const CLIENT = path.join(ROOT, "benchmarks", "node", "idle-client.mjs");
const run = promisify(execFile);

/** Waits until the dev server has let go of the previous client's connections. */
function drained(devServer) {
  return waitUntil(async () => (await devServer.api("/api/connections")).length === 0, {
    timeout: 30_000,
    interval: 200,
    message: "the dev server to let go of the previous client's connections",
  });
}

/** One client process: its result (see idle-client.mjs). */
async function client(library, devServer) {
  await drained(devServer);
  const { stdout } = await run(process.execPath, ["--expose-gc", CLIENT, library, devServer.wsUrl, String(IDLE_CONFIG.sockets), String(IDLE_CONFIG.seconds)], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(stdout.trim().split("\n").pop());
}

/** Every run's result, by library; rounds interleave the libraries. */
export async function measureIdle(devServer) {
  const runs = Object.fromEntries(IDLE_LIBRARIES.map((library) => [library, []]));
  for (let round = 0; round < IDLE_CONFIG.rounds; round++) {
    for (const library of IDLE_LIBRARIES) runs[library].push(await client(library, devServer));
  }
  return runs;
}

/** Every run's result, by library, of the pair run at the same time; the two dev servers
 * swap between rounds. */
export async function measureIdlePair(devServers) {
  const runs = Object.fromEntries(PAIR.map((library) => [library, []]));
  for (let round = 0; round < IDLE_CONFIG.pairRounds; round++) {
    const results = await Promise.all(PAIR.map((library, index) => client(library, devServers[(index + round) % 2])));
    results.forEach((result, index) => runs[PAIR[index]].push(result));
  }
  return runs;
}
