// The web package's entry (bundled into pkg/index.js by scripts/package.mjs together with
// the wasm-bindgen glue): loads the wasm once and re-exports the API. For the web and
// bundlers; Node has its own entry (js/node.js) and mini-programs their own build.

import { HeartbeatSocket, ReconnectingWebSocket, browserTransport, initSync, miniProgramTransport, useLoader } from "../target/package/bindgen/heartbeat_ws.js";

export { HeartbeatSocket, ReconnectingWebSocket, browserTransport, miniProgramTransport };

// A ReconnectingWebSocket made before init() settled (or without it) loads the module itself.
useLoader(init);

let loading = null;

/**
 * Loads the wasm module and resolves to its exports; later calls return the same promise
 * (a failed load is tried again). `input` may be a URL or path, a Response, bytes or a
 * WebAssembly.Module; by default the .wasm next to this file.
 */
export default function init(input) {
  if (!loading) {
    loading = compile(input === undefined ? new URL("heartbeat_ws_bg.wasm", import.meta.url) : input).then((module) => initSync({ module }));
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

async function compile(input) {
  let source = await input;
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === "string" || source instanceof URL) source = await fetch(source);
  if (typeof Response === "function" && source instanceof Response) {
    if (!source.ok) throw new Error(`heartbeat-ws: fetching the wasm failed: ${source.status} ${source.statusText}`);
    // compileStreaming needs the application/wasm MIME type; without it, compile the bytes.
    return WebAssembly.compileStreaming(source.clone()).catch(async () => WebAssembly.compile(await source.arrayBuffer()));
  }
  return WebAssembly.compile(source);
}
