// Every JavaScript example of README.md and pkg-template/README.md is type-checked: each
// has one entry in tests/package/examples.mjs, which says against which build and in which
// projects (tests/package/types.test.mjs and tests/wasm-pack/ compile them).

import { test } from "node:test";

import { examples } from "../package/examples.mjs";

test("every example of the READMEs has exactly one entry in tests/package/examples.mjs", () => {
  examples();
});
