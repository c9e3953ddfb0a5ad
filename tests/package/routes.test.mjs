// make build's row of README.md's route table: its size and MVP-only wasm (the other
// routes' rows are held by tests/wasm-pack/). Run after `make build`.

import { join } from "node:path";
import { test } from "node:test";

import { checkRoute, gzipped } from "./routes.mjs";
import { ROOT } from "./typescript.mjs";

test("README.md's route table gives make build's size and wasm", () => {
  const pkg = join(ROOT, "pkg");
  // What a page loads, as scripts/size.mjs counts it.
  checkRoute("make build", { measured: gzipped(pkg, ["index.js", "heartbeat_ws_bg.wasm"]), wasm: join(pkg, "heartbeat_ws_bg.wasm") });
});
