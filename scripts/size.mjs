// The size budget of the web package, gzipped (level 9): what a web page that uses
// HeartbeatSocket ships — its bundle of the web entry (every bundler drops the exports a
// page does not import: the mini-program transport, ReconnectingWebSocket) plus the wasm —
// must stay under 30,000 bytes (the goal is 24,000). The entry as a whole, as a page that
// loads pkg/index.js without a bundler gets it, is reported beside it. Prints a table and
// exits 1 when over.
//
//   node scripts/size.mjs pkg

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
const rows = [
  ["a page's bundle using HeartbeatSocket", pageBytes],
  ["heartbeat_ws_bg.wasm", wasm],
];
const total = rows.reduce((sum, [, bytes]) => sum + gzipped(bytes), 0);
console.log("what                                      bytes    gzipped");
for (const [name, bytes] of rows) console.log(`${name.padEnd(38)}${String(bytes.length).padStart(9)}${String(gzipped(bytes)).padStart(11)}`);
console.log(`${"total (budget " + BUDGET + ")".padEnd(0)}`.padEnd(47) + String(total).padStart(11));
console.log(`${"index.js as a whole (+ wasm)".padEnd(38)}${String(entry.length).padStart(9)}${String(gzipped(entry)).padStart(11)}   (${gzipped(entry) + gzipped(wasm)} with the wasm)`);
if (total >= BUDGET) {
  console.error(`size: a page using HeartbeatSocket ships ${total} bytes gzipped, over the ${BUDGET}-byte budget`);
  process.exit(1);
}
