// The mini-program build's entry (bundled by scripts/miniprogram.mjs into
// pkg/miniprogram/index.js, CommonJS and ES2017, together with the wasm-bindgen glue): the
// same API as the web entry, with init() loading the wasm through WXWebAssembly, which
// takes only the path of a file inside the code package. No browser global is used
// (WebAssembly, fetch, URL, TextEncoder, globalThis…): mini-programs on phones lack them.

/* global __filename, WXWebAssembly */
import {
  __wbg_finalize_init,
  __wbg_get_imports,
  HeartbeatSocket,
  ReconnectingWebSocket,
  miniProgramTransport,
  useLoader,
} from "../target/package/bindgen/heartbeat_ws.js";
import { describe } from "./describe.js";
import { errorText } from "./url.js";

export { HeartbeatSocket, ReconnectingWebSocket, miniProgramTransport };

// A ReconnectingWebSocket made before init() settled loads the module itself, where init()
// finds the wasm without a path (not on WeChat: call init(path) first there).
useLoader(init);

const WASM_FILE = "heartbeat_ws_bg.wasm";
const WASM_PATH = /\.wasm(\.br)?$/;
const EXAMPLES =
  `"/miniprogram_npm/heartbeat-ws/${WASM_FILE}" after Build npm, or "/heartbeat-ws/${WASM_FILE}" ` +
  `for the folder copied to the project root (".wasm.br" for the compressed file, base library 2.14.0+)`;

let loading = null;

/**
 * Loads the wasm module and resolves to its exports; later calls return the same promise
 * (a failed load is tried again). `path` is the code-package path of heartbeat_ws_bg.wasm
 * or heartbeat_ws_bg.wasm.br; without it, the .wasm beside this file, where the platform
 * tells a module its own file name.
 */
export function init(path) {
  if (!loading) {
    loading = new Promise((resolve) => resolve(instantiate(path === undefined ? besideThisFile() : checked(path))));
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

export default init;

function checked(path) {
  if (typeof path !== "string" || !WASM_PATH.test(path)) {
    throw new TypeError(`init: path: expected the code-package path of ${WASM_FILE} (or .wasm.br), e.g. ${EXAMPLES}; got ${describe(path)}`);
  }
  return path;
}

/** The .wasm in this file's folder, from the module's `__filename` (WeChat gives none). */
function besideThisFile() {
  const folder = typeof __filename === "string" ? __filename.slice(0, __filename.lastIndexOf("/") + 1) : "";
  if (!folder) {
    throw new Error(`heartbeat-ws: init() needs the code-package path of ${WASM_FILE}, as this platform does not tell a module where it is: call init(path) with e.g. ${EXAMPLES}`);
  }
  return folder + WASM_FILE;
}

function instantiate(path) {
  if (typeof WXWebAssembly !== "object" || WXWebAssembly === null || typeof WXWebAssembly.instantiate !== "function") {
    throw new Error("heartbeat-ws: this runtime has no WXWebAssembly (WeChat base library 2.13.0 or later has it)");
  }
  return WXWebAssembly.instantiate(path, __wbg_get_imports()).then(
    // WeChat's typings promise the Instance; the standard shape { module, instance } is taken too.
    (result) => (result.instance ? __wbg_finalize_init(result.instance, result.module) : __wbg_finalize_init(result, undefined)),
    (error) => {
      throw new Error(`heartbeat-ws: WXWebAssembly could not load ${JSON.stringify(path)} (${errorText(error, "no reason given")}); pass init() the code-package path of ${WASM_FILE}, e.g. ${EXAMPLES}`);
    },
  );
}
