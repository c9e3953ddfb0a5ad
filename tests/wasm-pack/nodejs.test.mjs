// `wasm-pack build --target nodejs`: the package it makes, the package README's example
// type-checked against its types, and the package installed from its tarball (as from a
// registry) in a Node project that require()s it: a socket kept alive against the dev
// server, with nothing printed on stderr (no warning about the ES-module snippets).

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";

import { startDevServer } from "../e2e/support.mjs";
import { checkExamples } from "../package/examples.mjs";
import { checkRoute, gzipped } from "../package/routes.mjs";
import { EXPECTED } from "./pages/scenario.js";
import { ROOT, build, checkPackage, filesUnder } from "./support.mjs";

let dir;
let project;
before(() => {
  dir = build("nodejs");
  project = mkdtempSync(join(tmpdir(), "heartbeat-ws-nodejs-"));
});
after(() => rmSync(project, { recursive: true, force: true }));

test("the package: files, published files, README and types", () => {
  checkPackage(dir, { type: undefined });
});

test("the package README's example type-checks against its types with every pinned TypeScript", () => {
  checkExamples({ route: "nodejs", packageDir: dir });
});

test("installed from its tarball, require() gives a socket that stays alive, quietly", async () => {
  // npm install <tarball> puts the files in node_modules as a registry install does.
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", project], { cwd: dir, encoding: "utf8" }));
  const installed = join(project, "node_modules/heartbeat-ws");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(project, packed.filename), "-C", installed, "--strip-components=1"]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const script = `
    const api = require("heartbeat-ws");
    const { WebSocket } = require(${JSON.stringify(join(ROOT, "node_modules/ws"))});
    import(${JSON.stringify(pathToFileURL(join(ROOT, "tests/wasm-pack/pages/scenario.js")).href)})
      .then(({ keepAlive }) => keepAlive({
        api,
        url: process.env.WS_URL,
        transport: api.browserTransport(WebSocket),
        drop: () => fetch(process.env.DROP_URL, { method: "POST", headers: { "content-type": "application/json" }, body: '{"drop":{"after":0}}' })
          .then((response) => { if (!response.ok) throw new Error("drop: " + response.status); }),
      }))
      .then((result) => console.log(result), (error) => { console.error(error); process.exitCode = 1; });
  `;
  writeFileSync(join(project, "main.cjs"), script);
  const server = await startDevServer({ statics: {} });
  try {
    const run = spawnSync(process.execPath, ["main.cjs"], {
      cwd: project,
      encoding: "utf8",
      timeout: 30000,
      env: { ...process.env, WS_URL: `${server.wsUrl}?label=nodejs`, DROP_URL: `${server.url}/api/connections/all` },
    });
    assert.deepEqual({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }, { status: 0, stdout: EXPECTED, stderr: "" });
  } finally {
    await server.stop();
  }
});

test("README.md's route table gives its size and wasm", () => {
  const loaded = filesUnder(dir).filter((file) => file.endsWith(".js") || file.endsWith(".wasm"));
  checkRoute("wasm-pack build --target nodejs", { measured: gzipped(dir, loaded), wasm: join(dir, "heartbeat_ws_bg.wasm") });
});
