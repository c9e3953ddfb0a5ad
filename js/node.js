// The package's entry in Node (bundled into pkg/node.mjs and pkg/node.cjs by
// scripts/package.mjs): the same API as the web entry, with init() reading the wasm shipped
// beside this file from disk (Node's fetch cannot read file: URLs).

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { HeartbeatSocket, ReconnectingWebSocket, browserTransport, initSync, miniProgramTransport, useLoader } from "../target/package/bindgen/heartbeat_ws.js";

export { HeartbeatSocket, ReconnectingWebSocket, browserTransport, miniProgramTransport };

// A ReconnectingWebSocket made before init() settled (or without it) loads the module itself.
useLoader(init);

let loading = null;

/**
 * Loads the wasm module and resolves to its exports; later calls return the same promise
 * (a failed load is tried again). `input` may be a path, bytes or a WebAssembly.Module; by
 * default the .wasm next to this file.
 */
export default function init(input) {
  if (!loading) {
    loading = Promise.resolve(input)
      .then((source) => initSync({ module: source === undefined ? readFileSync(fileURLToPath(new URL("heartbeat_ws_bg.wasm", import.meta.url))) : load(source) }));
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

function load(source) {
  if (typeof source === "string") return readFileSync(source);
  if (source instanceof URL) return readFileSync(fileURLToPath(source));
  return source;
}
