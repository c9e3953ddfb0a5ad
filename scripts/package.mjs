// Turns the MVP wasm build into pkg/: wasm-bindgen glue, wasm-opt (the passes of
// wasm-opt-passes.mjs: -Oz, then import and export names minified, the glue rewritten to
// match), one bundled ES module, and the package files from pkg-template/.
//
//   node scripts/package.mjs <input.wasm> <out-dir>
//
// Tools: wasm-bindgen on PATH (pinned version), wasm-opt and esbuild from node_modules.

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FINISH, SHRINK } from "./wasm-opt-passes.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error("usage: node scripts/package.mjs <input.wasm> <out-dir>");
  process.exit(2);
}
const stage = join(root, "target/package");
const bindgen = join(stage, "bindgen");
const bin = (name) => join(root, "node_modules/.bin", name);
const run = (command, args) => execFileSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });

rmSync(stage, { recursive: true, force: true });
// No default module path: the entries load the wasm themselves, and the glue's default
// (`new URL(…, import.meta.url)`) is what the mini-program build cannot contain.
run("wasm-bindgen", ["--target", "web", "--omit-default-module-path", "--out-dir", bindgen, input]);

const shrunk = join(stage, "shrunk.wasm");
run(bin("wasm-opt"), [join(bindgen, "heartbeat_ws_bg.wasm"), ...SHRINK, "-o", shrunk]);
const optimized = join(stage, "heartbeat_ws_bg.wasm");
const map = JSON.parse(run(bin("wasm-opt"), [shrunk, ...FINISH, "-o", optimized]));
const gluePath = join(bindgen, "heartbeat_ws.js");
const glue = readFileSync(gluePath, "utf8");
const [importModule, ...otherModules] = new Set(
  WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(optimized))).map((entry) => entry.module),
);
if (otherModules.length > 0) throw new Error(`expected one import module, found ${[importModule, ...otherModules]}`);
// Imports have unique hashed names (`__wbg_…`); exports are always reached as
// `wasm.<name>` (a bare name may also be a JS-facing one, like browserTransport).
const imports = new Map(map.imports.map(([, from, to]) => [from, to]));
const exports = new Map(map.exports);
const anyOf = (names) => [...names].sort((a, b) => b.length - a.length).join("|");
let references = 0;
const rewritten = glue
  .replace(new RegExp(`\\b(${anyOf(imports.keys())})\\b`, "g"), (name) => (references++, imports.get(name)))
  .replace(new RegExp(`\\bwasm\\.(${anyOf(exports.keys())})\\b`, "g"), (_, name) => (references++, `wasm.${exports.get(name)}`))
  .replaceAll('"./heartbeat_ws_bg.js"', JSON.stringify(importModule));
if (imports.size === 0 || references < imports.size + exports.size - 1) {
  throw new Error(`found ${references} glue references for ${imports.size} imports and ${exports.size} exports`);
}
writeFileSync(gluePath, rewritten);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(optimized, join(out, "heartbeat_ws_bg.wasm"));
// The entries: the web's (ES module), and Node's as an ES module and as CommonJS (its
// import.meta.url comes from __filename there).
const bundle = (entry, outfile, ...options) =>
  run(bin("esbuild"), [join(root, entry), "--bundle", "--minify", "--target=es2020", "--log-level=warning", `--outfile=${join(out, outfile)}`, ...options]);
bundle("js/index.js", "index.js", "--format=esm");
bundle("js/node.js", "node.mjs", "--format=esm", "--platform=node");
bundle("js/node.js", "node.cjs", "--format=cjs", "--platform=node", "--define:import.meta.url=__importMetaUrl", `--inject:${join(root, "scripts/cjs-import-meta.js")}`);

// The package around the code: pkg-template/ (package.json, README), the hand-written
// types (the declaration files its package.json lists, from js/) and the licence. The
// version comes from Cargo.toml, so there is one to bump.
cpSync(join(root, "pkg-template"), out, { recursive: true });
const template = JSON.parse(readFileSync(join(root, "pkg-template/package.json"), "utf8"));
for (const types of template.files.filter((file) => /\.d\.c?ts$/.test(file))) cpSync(join(root, "js", types), join(out, types));
cpSync(join(root, "LICENSE"), join(out, "LICENSE"));
const version = /^version = "(.+)"$/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const manifestPath = join(out, "package.json");
const { name, ...rest } = template;
writeFileSync(manifestPath, JSON.stringify({ name, version, ...rest }, null, 2) + "\n");
