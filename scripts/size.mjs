// The size budget of the web package, gzipped (level 9): what a web page that uses
// HeartbeatSocket ships — its bundle of the web entry (every bundler drops the exports a
// page does not import: the mini-program transport, ReconnectingWebSocket) plus the wasm —
// must stay under 30,000 bytes (the goal is 24,000). The entry as a whole, as a page that
// loads pkg/index.js without a bundler gets it, is reported beside it. Prints a table and
// exits 1 when over.
//
//   node scripts/size.mjs pkg [--json]

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 30_000;
const dir = resolve(process.argv[2] || "pkg");
const root = resolve(new URL("..", import.meta.url).pathname);
const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;

// A page that imports what it uses, bundled and minified as an application would be.
const scratch = mkdtempSync(join(tmpdir(), "heartbeat-ws-size-"));
const page = join(scratch, "page.js");
writeFileSync(
  page,
  `import init, { HeartbeatSocket } from ${JSON.stringify(join(dir, "index.js"))};\n` +
    `init().then(() => new HeartbeatSocket({ url: "wss://example.com/ws" }));\n`,
);
execFileSync(join(root, "node_modules/.bin/esbuild"), [page, "--bundle", "--minify", "--format=esm", "--target=es2020", "--log-level=warning", `--outfile=${join(scratch, "out.js")}`]);
const pageBytes = readFileSync(join(scratch, "out.js"));
rmSync(scratch, { recursive: true, force: true });

const wasm = readFileSync(join(dir, "heartbeat_ws_bg.wasm"));
const entry = readFileSync(join(dir, "index.js"));
const measured = (bytes) => ({ bytes: bytes.length, gzipped: gzipped(bytes) });
const rows = {
  "a page's bundle using HeartbeatSocket": measured(pageBytes),
  "heartbeat_ws_bg.wasm": measured(wasm),
};
const total = Object.values(rows).reduce((sum, row) => sum + row.gzipped, 0);
const whole = measured(entry);

if (process.argv.includes("--json")) {
  // For benchmarks/size.mjs: the same numbers, unformatted.
  console.log(JSON.stringify({ rows, total, budget: BUDGET, entry: whole }));
} else {
  console.log("what                                      bytes    gzipped");
  for (const [name, row] of Object.entries(rows)) console.log(`${name.padEnd(38)}${String(row.bytes).padStart(9)}${String(row.gzipped).padStart(11)}`);
  console.log(`total (budget ${BUDGET})`.padEnd(47) + String(total).padStart(11));
  console.log(`${"index.js as a whole (+ wasm)".padEnd(38)}${String(whole.bytes).padStart(9)}${String(whole.gzipped).padStart(11)}   (${whole.gzipped + rows["heartbeat_ws_bg.wasm"].gzipped} with the wasm)`);
}
if (total >= BUDGET) {
  console.error(`size: a page using HeartbeatSocket ships ${total} bytes gzipped, over the ${BUDGET}-byte budget`);
  process.exit(1);
}
