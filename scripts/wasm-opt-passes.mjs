// The two wasm-opt passes of the package (scripts/package.mjs), here so that the crate
// benchmark (benchmarks/crates.mjs) measures the same passes with the names kept.

// The MVP feature set, stated: given only --enable-mutable-globals, binaryen 132 still
// rewrote shift pairs into sign-extension instructions, which iOS mini-programs reject.
const FEATURES = ["--mvp-features", "--enable-mutable-globals"];

/** First: optimize for size until nothing changes. Flattening and re-looping first lets
 * -Oz find a few hundred more bytes (measured). --low-memory-unused lets it fold constant
 * offsets into loads and stores (about 250 bytes gzipped): rustc lays the stack out first,
 * growing down from 1 MiB towards address 0, and the data after it, so the lowest KiB is
 * reached only by a stack already overflowed. */
export const SHRINK = [...FEATURES, "--flatten", "--rereloop", "--low-memory-unused", "-Oz", "-Oz", "--converge"];

/** Then: strip what is not shipped and give imports and exports short names. This pass
 * prints the renaming as JSON ({ imports: [[module, old, new]], exports: [[old, new]] });
 * the import module (the glue's "./heartbeat_ws_bg.js") is renamed too. */
export const FINISH = [...FEATURES, "--strip-debug", "--strip-producers", "--strip-target-features", "--minify-imports-and-exports-and-modules"];
