// The JavaScript examples of README.md and pkg-template/README.md (the package's README),
// each compiled with `tsc --strict` as a user's project would: against the build it is
// about (`route`: make build's pkg/, or a wasm-pack target), in the kinds of project it is
// for (typescript.mjs: `dom`, `nodom`, `node`), with `prelude` declaring what a fragment
// takes from its context. An example for the DOM only must fail without it (it uses the
// DOM). Every example of the two files must have exactly one entry here
// (tests/js/readme-examples.test.mjs), so a new one cannot go unchecked. An entry with
// `sameAs` is a copy of a file that a test runs, checked to be that file.

import assert from "node:assert/strict";

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { COMPILERS, ROOT, codeBlocks, typecheck } from "./typescript.mjs";

const HEARTBEAT_SOCKET = 'import { HeartbeatSocket } from "heartbeat-ws";\n';
const URL_GIVEN = "declare const url: string;\n";

export const EXAMPLES = [
  { file: "README.md", contains: 'from "./pkg/index.js"', route: "make", kinds: ["dom", "nodom"] },
  { file: "README.md", contains: "new HeartbeatSocket({ ...HeartbeatSocket.presets.article, url });", route: "make", kinds: ["dom", "nodom"], prelude: HEARTBEAT_SOCKET + URL_GIVEN },
  { file: "README.md", contains: "// CommonJS: the same API", route: "make", kinds: ["node"], commonjs: true },
  { file: "README.md", contains: 'import { ReconnectingWebSocket } from "heartbeat-ws";', route: "make", kinds: ["dom", "nodom", "node"] },
  { file: "README.md", contains: 'const { ReconnectingWebSocket } = require("heartbeat-ws");', route: "make", kinds: ["node"], commonjs: true },
  // Run, not compiled: the mini-program page is the example project's, which the tests run in
  // a phone-shaped sandbox (tests/miniprogram/example.test.mjs); the README shows it as is.
  { file: "README.md", contains: 'require("../../heartbeat-ws/index.js")', sameAs: "examples/miniprogram/pages/index/index.js" },
  { file: "README.md", contains: 'from "ws"', route: "make", kinds: ["node"] },
  { file: "README.md", contains: "new WebSocket(url, protocols)", route: "make", kinds: ["dom"], prelude: HEARTBEAT_SOCKET + URL_GIVEN },
  {
    file: "README.md",
    contains: "const socket = new HeartbeatSocket({ url, transport: miniProgramTransport(wx) });",
    route: "make",
    kinds: ["nodom"],
    prelude: 'import { HeartbeatSocket, miniProgramTransport } from "heartbeat-ws";\n' + URL_GIVEN,
  },
  { file: "pkg-template/README.md", contains: "fetchTokenUrl", route: "make", kinds: ["dom", "nodom"] },
  { file: "pkg-template/README.md", contains: 'from "ws"', route: "make", kinds: ["node"] },
  { file: "pkg-template/README.md", contains: 'socket.onopen = () => socket.send("hello")', route: "bundler", kinds: ["dom", "nodom"] },
  { file: "pkg-template/README.md", contains: 'from "./pkg/heartbeat_ws.js"', route: "web", kinds: ["dom"] },
  { file: "pkg-template/README.md", contains: 'require("heartbeat-ws")', route: "nodejs", kinds: ["node"], commonjs: true },
];

/** Each example with its entry; throws if an example has no entry, or an entry no (or several) examples. */
export function examples() {
  const blocks = [...codeBlocks("README.md"), ...codeBlocks("pkg-template/README.md")];
  const matched = EXAMPLES.map((entry) => {
    const found = blocks.filter((block) => block.file === entry.file && block.code.includes(entry.contains));
    assert.equal(found.length, 1, `${entry.file}: exactly one example contains ${JSON.stringify(entry.contains)}`);
    if (entry.sameAs) assert.equal(found[0].code, readFileSync(join(ROOT, entry.sameAs), "utf8"), `${entry.file} shows ${entry.sameAs} as it is`);
    return { ...entry, ...found[0] };
  });
  for (const block of blocks) {
    const entries = matched.filter((example) => example.file === block.file && example.index === block.index);
    assert.equal(entries.length, 1, `${block.file}, example ${block.index + 1}, has no entry in tests/package/examples.mjs:\n${block.code}`);
  }
  return matched;
}

/** The file name and source of `example` in a project. */
function asFile(example) {
  const name = `${example.file.replace(/\W+/g, "-")}-${example.index + 1}.${example.commonjs ? "cjs" : "ts"}`;
  // An ES module even without imports (a fragment), so that its names stay its own.
  const source = (example.prelude || "") + example.code + (example.commonjs ? "" : "\nexport {};\n");
  return [name, source];
}

/**
 * Type-checks the examples of `route` against `packageDir`, with `extra` files ({ kind:
 * { name: source } }) compiled alongside, with every pinned TypeScript. Asserts that each
 * compiles where it is for, and that DOM-only ones fail without the DOM.
 */
export function checkExamples({ route, packageDir, extra = {} }) {
  const ofRoute = examples().filter((example) => example.route === route);
  for (const compiler of COMPILERS) {
    for (const kind of ["dom", "nodom", "node"]) {
      const files = { ...Object.fromEntries(ofRoute.filter((example) => example.kinds.includes(kind)).map(asFile)), ...extra[kind] };
      if (Object.keys(files).length === 0) continue;
      const result = typecheck({ label: route, kind, packageDir, files, compiler });
      assert.ok(result.ok, `TypeScript ${compiler.version}, ${kind} project, ${route} build:\n${result.output}`);
    }
    // One at a time: an example may need the DOM through the build's own types.
    for (const example of ofRoute.filter((example) => example.kinds.includes("dom") && !example.kinds.includes("nodom"))) {
      const [name, source] = asFile(example);
      const result = typecheck({ label: `${route}-dom-only`, kind: "nodom", packageDir, files: { [name]: source }, compiler });
      assert.ok(!result.ok, `TypeScript ${compiler.version}: ${example.file}'s example ${example.index + 1} compiles without the DOM: list "nodom" among its kinds`);
    }
  }
}
