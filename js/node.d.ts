// Types of the Node entry as an ES module (pkg/node.mjs): those of node.d.cts. Its default
// export, init(), is declared again here: an ES module importing CommonJS declarations
// would get the whole module as their default.

import type { InitInput, WasmExports } from "./node.cjs";

export * from "./node.cjs";

/**
 * Loads the wasm once and resolves to its exports; later calls return the same promise (a
 * failed load is tried again). By default `heartbeat_ws_bg.wasm` beside this file.
 */
export default function init(input?: InitInput | PromiseLike<InitInput>): Promise<WasmExports>;
