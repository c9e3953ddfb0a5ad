// ReconnectingWebSocket's types (pkg/api.d.cts) as TypeScript sees them: tests/node/types/usage.ts, code written for
// reconnecting-websocket with only the import changed, must compile with --strict, its
// `@ts-expect-error` lines included (each must be an error).

import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

import { ROOT, assert } from "./support.mjs";

test("the types of ReconnectingWebSocket type reconnecting-websocket code and rejects wrong options", () => {
  // tsconfig.json there maps "heartbeat-ws" to the built pkg/index.d.ts.
  const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "tests/node/types")], { encoding: "utf8" });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});
