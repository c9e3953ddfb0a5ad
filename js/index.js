// The package entry (bundled into pkg/index.js by scripts/package.mjs together with the
// wasm-bindgen glue). Loads the wasm once and re-exports the API. For the web and Node
// only: it uses fetch, URL and import.meta, which mini-programs lack (they get a loader
// of their own).

import { HeartbeatSocket, browserTransport, initSync } from "../target/package/bindgen/heartbeat_ws.js";

export { HeartbeatSocket, browserTransport };
// Part of the API in every build (see SPEC); web pages that do not use it can let their
// bundler drop it.
export { miniProgramTransport } from "./miniprogram.js";

let loading = null;

/**
 * Loads the wasm module and resolves to its exports; later calls return the same promise
 * (a failed load is tried again). `input` may be a URL or path, a Response, bytes or a
 * WebAssembly.Module; by default the .wasm next to this file (read from disk in Node).
 */
export default function init(input) {
  if (!loading) {
    loading = compile(input === undefined ? defaultWasm() : input).then((module) => initSync({ module }));
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
