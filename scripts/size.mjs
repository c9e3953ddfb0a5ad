// The size budget of the web package: the entry a page loads (glue, adapters, listeners,
// option checks) and the wasm, gzipped, under 30,000 bytes (the goal is 24,000).
// Prints a table and exits 1 when over.
//
//   node scripts/size.mjs pkg

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 30_000; // bytes, gzipped
const dir = process.argv[2] || "pkg";
// Everything a web page loads: the bundled entry (glue, adapters, listeners, option
// checks) and the wasm module.
const files = ["index.js", "heartbeat_ws_bg.wasm"];

let total = 0;
console.log("file                      bytes    gzipped");
for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log(`${file.padEnd(24)}${String(bytes.length).padStart(7)}${String(gzipped).padStart(11)}`);
}
console.log(`${"total".padEnd(24)}${"".padStart(7)}${String(total).padStart(11)}   budget ${BUDGET}`);
if (total >= BUDGET) {
  console.error(`size: the web package is ${total} bytes gzipped, over the ${BUDGET}-byte budget`);
  process.exit(1);
}
