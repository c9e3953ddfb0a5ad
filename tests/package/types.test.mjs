// pkg/index.d.ts as a TypeScript project sees it: tests/package/types/usage.ts must compile
// with --strict, its `@ts-expect-error` lines included (each must be an error).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

test("index.d.ts type-checks the README's usage and rejects the common mistakes", () => {
  // tsconfig.json there maps "heartbeat-ws" to the built pkg/index.d.ts, as an installed
  // dependency would resolve.
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tests/package/types")], {
    encoding: "utf8",
  });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});
