// Types of the web entry (pkg/index.js): the shared API (api.d.cts) and init(). They
// compile without the "dom" lib (init.d.cts says how).

import type { BufferView } from "./api.cjs";
import type { GlobalInstance, WasmExports, WasmModule } from "./init.cjs";

export * from "./api.cjs";
export type { WasmExports, WasmModule } from "./init.cjs";

/** Where the wasm is: its URL (a string or a `URL`), a `Response`, its bytes or a compiled module. */
export type InitInput = string | GlobalInstance<"URL"> | GlobalInstance<"Response"> | ArrayBuffer | BufferView | WasmModule;

/**
 * Loads the wasm once and resolves to its exports; later calls return the same promise (a
 * failed load is tried again). By default the `.wasm` beside `index.js`, fetched.
 */
export default function init(input?: InitInput | PromiseLike<InitInput>): Promise<WasmExports>;
