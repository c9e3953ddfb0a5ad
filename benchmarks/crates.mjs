// Where the wasm's bytes go, by crate: `twiggy top` over the wasm-bindgen output that keeps
// function names (target/package/bindgen/heartbeat_ws_bg.wasm, written by `make build`),
// as it is and after the package's own two wasm-opt passes (scripts/wasm-opt-passes.mjs)
// with function names kept (-g): the shipped file is that, without the names. Needs twiggy
// (`cargo install twiggy`) and wasm-opt (node_modules/.bin).

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { FINISH, SHRINK } from "../scripts/wasm-opt-passes.mjs";
import { ROOT } from "./harness.mjs";

const NAMED = path.join(ROOT, "target", "package", "bindgen", "heartbeat_ws_bg.wasm");
const SHRUNK = path.join(ROOT, "target", "package", "named-shrunk.wasm");
const OPTIMIZED = path.join(ROOT, "target", "package", "named-optimized.wasm");
// The package's passes (scripts/wasm-opt-passes.mjs) with the function names kept (-g;
// --strip-debug would drop them).
const PASSES = [
  [NAMED, SHRUNK, [...SHRINK, "-g"]],
  [SHRUNK, OPTIMIZED, [...FINISH.filter((flag) => flag !== "--strip-debug"), "-g"]],
];

/** The crate (or part of the package) an item of `twiggy top` belongs to. Generic code is
 * counted where it comes from: serde's serializers for the binding's `stats()` object are
 * serde's, the binding's own instances of `Rc` or `Vec` are the binding's. */
function crateOf(name) {
  if (/serde_wasm_bindgen|serde_core|serde\[|hashbrown/.test(name)) return "serde-wasm-bindgen (and serde)";
  if (/wasm_bindgen_futures|js_sys\[[0-9a-f]+\]::futures|futures_(core|util|task)/.test(name)) return "wasm-bindgen-futures (js-sys futures)";
  if (/heartbeat_ws\[[0-9a-f]+\]::core::/.test(name)) return "heartbeat-ws core (src/core)";
  if (/heartbeat_ws\[[0-9a-f]+\]::binding::|^(control|binding)_|__wbg_(control|binding)_free/.test(name)) return "heartbeat-ws binding (src/binding)";
  if (/^import /.test(name)) return "imports (one per JavaScript function called)";
  if (/wasm_bindgen\[|__wbindgen|__wbg_|^elem\[|^table\[/.test(name)) return "wasm-bindgen (Rust side of the glue)";
  if (/js_sys\[/.test(name)) return "js-sys";
  if (/lol_alloc/.test(name)) return "lol_alloc (allocator)";
  if (/^data segment/.test(name)) return "data (constants, strings)";
  if (/\b(core|alloc|std|compiler_builtins|panic_abort)\[/.test(name)) return "Rust std (core, alloc, compiler_builtins)";
  return "other (tables, exports, types)";
}

function byCrate(wasm) {
  const csv = execFileSync("twiggy", ["top", "-n", "1000000", "-f", "csv", wasm], { encoding: "utf8" });
  const totals = new Map();
  let all = 0;
  for (const line of csv.trim().split("\n").slice(1)) {
    const match = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
    if (!match) throw new Error(`unexpected twiggy line: ${line}`);
    const name = match[1].startsWith('"') ? match[1].slice(1, -1).replace(/""/g, '"') : match[1];
    const bytes = Number(match[2]);
    // Names and other custom sections are not shipped (wasm-opt strips them).
    if (/^"?function names"? subsection$|^custom section/.test(name)) continue;
    const crate = crateOf(name);
    totals.set(crate, (totals.get(crate) || 0) + bytes);
    all += bytes;
  }
  return { totals: Object.fromEntries([...totals].sort((a, b) => b[1] - a[1])), all };
}

export function measureCrates() {
  if (!fs.existsSync(NAMED)) throw new Error(`${NAMED} is missing: run make build`);
  for (const [input, output, flags] of PASSES) {
    // The second pass prints its renaming (JSON) on stdout: not needed here.
    execFileSync(path.join(ROOT, "node_modules", ".bin", "wasm-opt"), [input, ...flags, "-o", output], { stdio: ["ignore", "ignore", "inherit"] });
  }
  return { named: byCrate(NAMED), optimized: byCrate(OPTIMIZED) };
}
