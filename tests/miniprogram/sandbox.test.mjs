// The mini-program folder (pkg/miniprogram/) as a phone runs it, in the sandbox of
// phone.mjs: what its files are made of, how init() finds the wasm, and the mini-program
// scenarios (scenarios.mjs) end to end against the dev server. Run after `make build` and
// `cargo build -p heartbeat-ws-devserver`.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync } from "node:zlib";

import * as acorn from "acorn";

import { ABSENT, UNTOUCHABLE, phone } from "./phone.mjs";
import { miniProgramScenarios } from "./scenarios.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const FOLDER = join(ROOT, "pkg/miniprogram");
// The folder copied into a project's root as heartbeat-ws/, as the README says.
const mounts = { "/heartbeat-ws": FOLDER };
const WASM = "/heartbeat-ws/heartbeat_ws_bg.wasm";
const EXAMPLE_PATHS = /e\.g\. "\/miniprogram_npm\/heartbeat-ws\/heartbeat_ws_bg\.wasm" after Build npm, or "\/heartbeat-ws\/heartbeat_ws_bg\.wasm"/;

/** The folder's API, required in a fresh phone sandbox made with `options`. */
function library(options = {}) {
  const sandbox = phone({ mounts, ...options });
  return { sandbox, ...sandbox.require("/heartbeat-ws/index.js") };
}

/** Checks a rejection from the sandbox (its errors are of the sandbox's realm). */
async function rejects(promise, name, message) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.name, name);
    assert.match(error.message, message);
    return true;
  });
}

miniProgramScenarios("the mini-program folder in a phone-shaped sandbox", async () => {
  const { sandbox, init, HeartbeatSocket, miniProgramTransport } = library();
  await init(`${WASM}.br`);
  assert.deepEqual(sandbox.loads, [`${WASM}.br`]);
  return { HeartbeatSocket, miniProgramTransport, realm: sandbox.realm };
});

test("the sandbox is phone-shaped: browser APIs unreadable, global objects absent, no code from strings, require confined", async () => {
  const sandbox = phone({ mounts });
  for (const name of UNTOUCHABLE) assert.throws(() => sandbox.run(`typeof ${name}`), new RegExp(`${name} is not defined on a phone`));
  for (const name of ABSENT) assert.equal(sandbox.run(`typeof ${name}`), "undefined", name);
  assert.throws(() => sandbox.run("(function () {}).constructor('return 1')"), /Code generation from strings disallowed/);
  assert.throws(() => sandbox.require("fs"), /module "fs" is not defined/);
  assert.throws(() => sandbox.require("../../package.json", "/heartbeat-ws/index.js"), /module "\/package\.json\.js" is not defined/);
  await rejects(sandbox.run("WXWebAssembly").instantiate(readFileSync(join(FOLDER, "heartbeat_ws_bg.wasm")), {}), "TypeError", /code-package path/);
  await rejects(sandbox.run("WXWebAssembly").instantiate("/heartbeat-ws/index.js", {}), "Error", /no \.wasm or \.wasm\.br file/);
});

test("the folder: one CommonJS ES2017 script requiring nothing and naming no browser API, its types, and the wasm twice (plain and brotli)", () => {
  assert.deepEqual(readdirSync(FOLDER).sort(), ["api.d.cts", "heartbeat_ws_bg.wasm", "heartbeat_ws_bg.wasm.br", "index.d.ts", "index.js"]);
  const code = readFileSync(join(FOLDER, "index.js"), "utf8");
  // A script (no import/export, no import.meta) in ES2017 syntax, or acorn throws.
  const program = acorn.parse(code, { ecmaVersion: 2017, sourceType: "script" });
  const named = new Set();
  const requires = [];
  (function visit(node, parent) {
    if (!node || typeof node.type !== "string") return;
    const isPropertyName = parent && ((parent.type === "MemberExpression" && parent.property === node && !parent.computed) || (parent.type === "Property" && parent.key === node && !parent.computed));
    if (node.type === "Identifier" && !isPropertyName) named.add(node.name);
    if (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "require") requires.push(code.slice(node.start, node.end));
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach((child) => visit(child, node));
      else if (value && typeof value === "object") visit(value, node);
    }
  })(program, null);
  assert.deepEqual(requires, []);
  assert.deepEqual(UNTOUCHABLE.filter((name) => named.has(name)), [], "browser APIs and code generation are never named, not even in a typeof");
  assert.ok(named.has("WXWebAssembly") && named.has("module"), "the walk sees the free names it should");
  const wasm = readFileSync(join(FOLDER, "heartbeat_ws_bg.wasm"));
  assert.ok(brotliDecompressSync(readFileSync(join(FOLDER, "heartbeat_ws_bg.wasm.br"))).equals(wasm), "the .br holds the same wasm");
  assert.ok(wasm.equals(readFileSync(join(ROOT, "pkg/heartbeat_ws_bg.wasm"))), "the web package's wasm");
});

test("init(path) instantiates that package path through WXWebAssembly, once", async () => {
  const { sandbox, init, HeartbeatSocket } = library();
  const create = () => new HeartbeatSocket({ url: "wss://example.com/ws", transport: { connect() {} } });
  assert.throws(create, /call init\(\) and wait for it/);
  const loading = init(WASM);
  assert.equal(init(WASM), loading, "later calls return the same promise");
  await loading;
  const socket = create();
  assert.equal(socket.state, "connecting");
  socket.close();
  assert.deepEqual(sandbox.loads, [WASM]);
});

test("init() finds the .wasm beside the module where the platform gives modules __filename", async () => {
  const { sandbox, init } = library({ moduleFilenames: true });
  await init();
  assert.deepEqual(sandbox.loads, [WASM]);
});

test("init() where the platform does not say where a module is (WeChat): an error saying what to pass; init(path) then works", async () => {
  const { sandbox, init } = library();
  await rejects(init(), "Error", /^heartbeat-ws: init\(\) needs the code-package path of heartbeat_ws_bg\.wasm/);
  await rejects(init(), "Error", EXAMPLE_PATHS);
  await init(WASM);
  assert.deepEqual(sandbox.loads, [WASM], "a failed init() is tried again");
});

test("init(path) with something else than a .wasm or .wasm.br path: a TypeError naming the argument", async () => {
  const { sandbox, init } = library();
  await rejects(init(sandbox.realm.resolve(1)), "TypeError", /^init: path: expected the code-package path of heartbeat_ws_bg\.wasm \(or \.wasm\.br\), e\.g\. .*; got an object$/);
  await rejects(init("/heartbeat-ws/index.js"), "TypeError", /; got "\/heartbeat-ws\/index\.js"$/);
  assert.deepEqual(sandbox.loads, []);
});

test("init(path) with a path where there is no file: the error names the path, the platform's reason, and what to pass", async () => {
  const { init } = library();
  await rejects(init("/nowhere/heartbeat_ws_bg.wasm"), "Error", /^heartbeat-ws: WXWebAssembly could not load "\/nowhere\/heartbeat_ws_bg\.wasm" \(WXWebAssembly\.instantiate: no \.wasm or \.wasm\.br file at \/nowhere\/heartbeat_ws_bg\.wasm in the code package\); pass init\(\) the code-package path/);
  await rejects(init("/nowhere/heartbeat_ws_bg.wasm"), "Error", EXAMPLE_PATHS);
});

test("init() takes WXWebAssembly's result as an Instance (WeChat's typings) or as { module, instance }", async () => {
  for (const instanceOnly of [true, false]) {
    const { init, HeartbeatSocket } = library({ instanceOnly });
    await init(WASM);
    assert.equal(HeartbeatSocket.presets.article.reconnect.delay, 5000, `instanceOnly: ${instanceOnly}`);
  }
});

test("a runtime without WXWebAssembly: init() says which base library has it", async () => {
  const { init } = library({ globals: { WXWebAssembly: undefined } });
  await rejects(init(WASM), "Error", /^heartbeat-ws: this runtime has no WXWebAssembly \(WeChat base library 2\.13\.0 or later has it\)$/);
});
