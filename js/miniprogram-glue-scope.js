// What the wasm-bindgen glue expects from its surroundings and a mini-program on a phone
// lacks. The mini-program build (scripts/miniprogram.mjs) injects these exports into the
// bundle's module scope with esbuild's `inject`: the bundle's free references to these
// names resolve here, and no global is read or created. ES2017 syntax only.

export { TextDecoder, TextEncoder } from "./utf8.js";

/**
 * The global object of last resort. js-sys looks for `self`, `window`, `globalThis`, then
 * `global` (each with a `typeof` check), and wasm-bindgen-futures reads `queueMicrotask`
 * from what it found: with none of them (older iOS engines, ByteDance, Alipay's IDE) that
 * read would throw inside wasm. This stand-in is found instead; without `queueMicrotask`
 * on it, futures are woken through `Promise.resolve().then`, which every runtime has.
 */
export const global = Object.freeze({});
