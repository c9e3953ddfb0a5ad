// The package entry (bundled into pkg/index.js by scripts/package.mjs together with the
// wasm-bindgen glue). Loads the wasm once and re-exports the API.

import initWasm, { HeartbeatSocket, browserTransport } from "../target/package/bindgen/heartbeat_ws.js";

export { HeartbeatSocket, browserTransport };

/**
 * Loads the wasm module; later calls return the same promise (and a failed load is tried
 * again). `input` is anything wasm-bindgen's init accepts (a URL, a Response, bytes, a
 * Module); by default the .wasm next to this file, read from disk in Node.
 */
let loading = null;

export default function init(input) {
  if (!loading) {
    loading = initWasm({ module_or_path: input === undefined ? defaultWasm() : input });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

function defaultWasm() {
  const url = new URL("heartbeat_ws_bg.wasm", import.meta.url);
  // Node's fetch cannot read file: URLs; read the file instead (getBuiltinModule keeps
  // bundlers for the web from trying to resolve "fs").
  const nodeProcess = globalThis.process;
  if (url.protocol === "file:" && nodeProcess && typeof nodeProcess.getBuiltinModule === "function") {
    return nodeProcess.getBuiltinModule("fs").promises.readFile(url);
  }
  return url;
}
