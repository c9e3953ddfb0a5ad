// Types of the mini-program build (pkg/miniprogram/index.js, CommonJS, copied into a
// mini-program project as it is): the shared API (api.d.cts, shipped beside it) and
// init(path). DOM-free, like the typings of WeChat's TypeScript template.

export * from "./api.cjs";

/**
 * Loads the wasm once through WXWebAssembly and resolves when it is ready; later calls
 * return the same promise (a failed load is tried again). `path` is the code-package path
 * of `heartbeat_ws_bg.wasm` (or `.wasm.br`, base library 2.14.0+), e.g.
 * "/miniprogram_npm/heartbeat-ws/heartbeat_ws_bg.wasm" after Build npm. Without it, the
 * file beside this module where the platform tells a module its file name (WeChat does not).
 */
export function init(path?: string): Promise<unknown>;
export default init;
