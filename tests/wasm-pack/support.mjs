// What the wasm-pack route tests share: building a target (target/ is shared, so only the
// first build compiles), checking the package it makes, and running the scenario
// (pages/scenario.js) in Chromium.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";

import { launchBrowser, startDevServer } from "../e2e/support.mjs";
import { ROOT } from "../package/typescript.mjs";

export { ROOT };

/** `wasm-pack build --target <target>` into target/wasm-pack/<target>; returns that folder. */
export function build(target) {
  const outDir = join(ROOT, "target/wasm-pack", target);
  // Every file checked comes from this build.
  rmSync(outDir, { recursive: true, force: true });
  const run = spawnSync("wasm-pack", ["build", "--target", target, "--out-dir", outDir], { cwd: ROOT, encoding: "utf8" });
  if (run.error && run.error.code === "ENOENT") throw new Error("wasm-pack is not installed: run scripts/setup.sh test");
  assert.equal(run.status, 0, `wasm-pack build --target ${target} failed:\n${run.stdout}${run.stderr}`);
  return outDir;
}

export function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * The package wasm-pack made: the files its glue imports exist and `npm publish` would
 * include them, package.json names the crate's version and the types, the README is the
 * package's (pkg-template/README.md, through the crate's `readme`), and the types are the
 * hand-written API, not wasm-bindgen's `unknown`s.
 */
export function checkPackage(dir, { type }) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const crateVersion = /^version = "(.+)"$/m.exec(readFileSync(join(ROOT, "Cargo.toml"), "utf8"))[1];
  assert.equal(manifest.name, "heartbeat-ws");
  assert.equal(manifest.version, crateVersion);
  assert.equal(manifest.type, type, "package.json type");
  assert.equal(manifest.main, "heartbeat_ws.js");
  assert.equal(manifest.types, "heartbeat_ws.d.ts");

  const files = filesUnder(dir);
  // The bundler target's glue is in two files.
  const glue = ["heartbeat_ws.js", "heartbeat_ws_bg.js"].filter((file) => files.includes(file)).map((file) => readFileSync(join(dir, file), "utf8")).join("\n");
  const snippets = [...glue.matchAll(/(?:from ['"]|require\(String\.raw`)\.\/(snippets\/[^'"`]+)/g)].map((match) => match[1]);
  assert.ok(snippets.length > 0, "the glue imports no snippets: expected the library's js/ modules");
  for (const file of snippets) assert.ok(files.includes(file), `the glue imports ${file}, which is missing`);
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8" }));
  const published = new Set(packed.files.map((file) => file.path));
  for (const file of ["heartbeat_ws.js", "heartbeat_ws_bg.wasm", "heartbeat_ws.d.ts", "README.md", ...snippets]) {
    assert.ok(published.has(file), `npm publish would leave out ${file}`);
  }

  assert.equal(readFileSync(join(dir, "README.md"), "utf8"), readFileSync(join(ROOT, "pkg-template/README.md"), "utf8"), "the package's README");
  const types = readFileSync(join(dir, "heartbeat_ws.d.ts"), "utf8");
  // wasm-bindgen indents the text it is given.
  const words = (text) => text.replace(/\s+/g, " ").trim();
  assert.ok(words(types).includes(words(readFileSync(join(ROOT, "js/api.d.cts"), "utf8"))), "heartbeat_ws.d.ts carries js/api.d.cts");
  assert.doesNotMatch(types, /^export let \w+: unknown;$/m, "no export typed unknown");
  assert.doesNotMatch(types, /export (function __heartbeat_ws_start|class Binding|class Control)\b/, "internal exports stay out of the types");
}

/**
 * Serves `statics` ({ urlPrefix: dir relative to the repository }) with the dev server,
 * opens `page` in headless Chromium and returns what the page's scenario reported
 * (`window.scenario`: { result } or { error }). The page learns the WebSocket URL from its
 * own address.
 */
export async function runPage(statics, page) {
  const server = await startDevServer({ statics });
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage(`${server.url}${page}`);
    await tab.waitForFunction(() => window.scenario !== undefined, null, { timeout: 30000 });
    const outcome = await tab.evaluate(() => window.scenario);
    return { ...outcome, errors: tab.errors.slice() };
  } finally {
    await browser.close();
    await server.stop();
  }
}
