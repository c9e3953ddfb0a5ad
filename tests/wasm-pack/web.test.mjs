// `wasm-pack build --target web`: the package it makes, the package README's example
// type-checked against its types, and the page use it is for: in Chromium, init() then a
// socket kept alive against the dev server (pages/web.html, pages/scenario.js).

import assert from "node:assert/strict";
import { join } from "node:path";
import { before, test } from "node:test";

import { checkExamples } from "../package/examples.mjs";
import { checkRoute, gzipped } from "../package/routes.mjs";
import { EXPECTED } from "./pages/scenario.js";
import { build, checkPackage, filesUnder, runPage } from "./support.mjs";

let dir;
before(() => {
  dir = build("web");
});

test("the package: files, published files, README and types", () => {
  checkPackage(dir, { type: "module" });
});

test("the package README's example type-checks against its types with every pinned TypeScript", () => {
  checkExamples({ route: "web", packageDir: dir });
});

test("in Chromium: await init(), then a socket kept alive against the dev server", async () => {
  const outcome = await runPage({ "/": "tests/wasm-pack", "/pkg": "target/wasm-pack/web" }, "/pages/web.html");
  assert.deepEqual(outcome, { result: EXPECTED, errors: [] });
});

test("README.md's route table gives its size and wasm", () => {
  const loaded = filesUnder(dir).filter((file) => file.endsWith(".js") || file.endsWith(".wasm"));
  checkRoute("wasm-pack build --target web", { measured: gzipped(dir, loaded), wasm: join(dir, "heartbeat_ws_bg.wasm") });
});
