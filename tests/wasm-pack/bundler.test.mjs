// `wasm-pack build` (the bundler target): the package it makes, the package README's
// example type-checked against its types, and an app that imports it, bundled by Vite 8
// and run in Chromium: a socket kept alive against the dev server (pages/bundler.html).

import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { before, test } from "node:test";

import { checkExamples } from "../package/examples.mjs";
import { checkRoute, gzipped } from "../package/routes.mjs";
import { EXPECTED } from "./pages/scenario.js";
import { ROOT, build, checkPackage, runPage } from "./support.mjs";

let dir;
before(() => {
  dir = build("bundler");
});

test("the package: files, published files, README and types", () => {
  checkPackage(dir, { type: "module" });
});

test("the package README's example type-checks against its types with every pinned TypeScript", () => {
  checkExamples({ route: "bundler", packageDir: dir });
});

// An app whose node_modules/heartbeat-ws is the package, bundled as `vite build` would.
const app = join(ROOT, "target/wasm-pack/vite-app");
let dist;

test("Vite 8 bundles an app that imports it, with no configuration", async () => {
  rmSync(app, { recursive: true, force: true });
  mkdirSync(join(app, "node_modules"), { recursive: true });
  cpSync(join(ROOT, "tests/wasm-pack/pages"), app, { recursive: true });
  symlinkSync(dir, join(app, "node_modules/heartbeat-ws"), "dir");
  const { build: bundle } = await import("vite");
  await bundle({ root: app, configFile: false, logLevel: "warn", build: { rollupOptions: { input: join(app, "bundler.html") } } });
  dist = join(app, "dist");
  const assets = readdirSync(join(dist, "assets"));
  assert.ok(assets.some((file) => file.endsWith(".wasm")), `the bundle has the wasm: ${assets}`);
});

test("in Chromium: the bundled app keeps a socket alive against the dev server", async () => {
  assert.ok(dist, "the app was bundled");
  const outcome = await runPage({ "/": relative(ROOT, dist) }, "/bundler.html");
  assert.deepEqual(outcome, { result: EXPECTED, errors: [] });
});

test("README.md's route table gives its size, as bundled, and wasm", () => {
  assert.ok(dist, "the app was bundled");
  const assets = readdirSync(join(dist, "assets")).map((file) => join("assets", file));
  checkRoute("wasm-pack build", { measured: gzipped(dist, assets), wasm: join(dir, "heartbeat_ws_bg.wasm") });
});
