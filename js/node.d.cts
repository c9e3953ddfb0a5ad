// Types of the Node entry (pkg/node.cjs, and through node.d.ts pkg/node.mjs): the shared
// API (api.d.cts) and init(), which reads the wasm from disk.

import type { BufferView } from "./api.cjs";
import type { GlobalInstance, WasmExports, WasmModule } from "./init.cjs";

export * from "./api.cjs";
export type { WasmExports, WasmModule } from "./init.cjs";

/** Where the wasm is: a path, a `file:` URL, its bytes (a Buffer included) or a compiled module. */
export type InitInput = string | GlobalInstance<"URL"> | ArrayBuffer | BufferView | WasmModule;

/**
 * Loads the wasm once and resolves to its exports; later calls return the same promise (a
 * failed load is tried again). By default `heartbeat_ws_bg.wasm` beside this file.
 */
export default function init(input?: InitInput | PromiseLike<InitInput>): Promise<WasmExports>;
