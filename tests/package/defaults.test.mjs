// The defaults README.md and js/api.d.cts write in brackets are HeartbeatSocket.defaults,
// which the built wasm serves from the Rust core (src/core/config.rs). Run after `make build`.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

import { ROOT, paths, readmeOptions, typeOptions } from "../js/documented.mjs";

/** A default as the documents write it: [10000], ["ping"], [true], [Infinity]. */
const written = (value) => (typeof value === "string" ? JSON.stringify(value) : String(value));

test("the documented defaults are HeartbeatSocket.defaults", async () => {
  const { default: init, HeartbeatSocket } = await import(pathToFileURL(join(ROOT, "pkg/node.mjs")).href);
  await init();
  const defaults = HeartbeatSocket.defaults;
  const isValue = (value) => value === null || typeof value !== "object";
  const valueAt = (path) => path.split(".").reduce((object, key) => object[key], defaults);
  const leaves = paths(defaults, isValue).filter((path) => isValue(valueAt(path)));
  for (const [document, options] of [["README.md", readmeOptions()], ["js/api.d.cts", typeOptions()]]) {
    for (const path of leaves) {
      assert.equal(options.get(path), written(valueAt(path)), `${document}: the default of ${path}`);
    }
    // Options documented with a default that HeartbeatSocket.defaults does not hold.
    const others = [...options].filter(([path, value]) => value !== undefined && !leaves.includes(path)).map(([path]) => path);
    assert.deepEqual(others, ["protocols", "transport"], `${document}: defaults besides HeartbeatSocket.defaults (none, and a transport made per socket)`);
  }
});
