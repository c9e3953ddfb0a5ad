// The mini-program scenarios (scenarios.mjs) on the Node entry: pkg/node.mjs, its wasm read
// from disk. Run after `make build` and `cargo build -p heartbeat-ws-devserver`.
import init, { HeartbeatSocket, miniProgramTransport } from "../../pkg/node.mjs";
import { miniProgramScenarios } from "./scenarios.mjs";

miniProgramScenarios("the Node entry (pkg/node.mjs)", async () => {
  await init();
  return {
    HeartbeatSocket,
    miniProgramTransport,
    realm: { Uint8Array, resolve: (value) => Promise.resolve(value), arrayBuffer: (buffer) => buffer },
  };
});
