// make build's types (pkg/*.d.ts, pkg/*.d.cts) as projects that depend on the package see
// them, with each pinned TypeScript (tests/package/typescript.mjs): the READMEs' examples
// for this build compile under --strict where they are for (tests/package/examples.mjs),
// and so do the uses in tests/package/types/ for a web page (DOM), a mini-program (no DOM)
// and Node (ES module and CommonJS), whose `@ts-expect-error` mistakes must be rejected.
// Run after `make build`.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { checkExamples } from "./examples.mjs";
import { ROOT } from "./typescript.mjs";

const uses = (...names) => Object.fromEntries(names.map((name) => [name, readFileSync(join(ROOT, "tests/package/types", name), "utf8")]));

test("the READMEs' examples and tests/package/types/ type-check against pkg/ with every pinned TypeScript", () => {
  checkExamples({
    route: "make",
    packageDir: join(ROOT, "pkg"),
    extra: { dom: uses("usage.ts"), nodom: uses("nodom.ts", "miniprogram.ts"), node: uses("node.ts", "node.cts") },
  });
});
