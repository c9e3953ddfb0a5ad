// What the init() functions of make build's entries (index.d.ts, node.d.cts) take and give.
// The DOM's and Node's classes are looked up on `globalThis`, so these compile without
// them (mini-program projects have neither) and are `never` where a project lacks one.
// CommonJS-format declarations, like api.d.cts, for both kinds of entry.

/** Instances of the global class `Name` (e.g. the DOM's `Response`), or `never` where the project's libs have none. */
export type GlobalInstance<Name extends string> = typeof globalThis extends { [K in Name]: { prototype: infer Instance } } ? Instance : never;

/** A compiled `WebAssembly.Module`, where the project's libs declare one. */
export type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer Module } } } ? Module : never;

/** The wasm instance's exports: `WebAssembly.Exports` where the project's libs declare it. */
export type WasmExports = typeof globalThis extends { WebAssembly: { Instance: { prototype: { exports: infer Exports } } } }
  ? Exports
  : Readonly<Record<string, unknown>>;
