// The built package as a Node project gets it: packed with `npm pack`, installed by name
// in a scratch project, then used from ES modules and CommonJS, with the ws package and
// with Node's own WebSocket, against the dev server; and the Node example
// (examples/node/worker.mjs) running in that project until SIGTERM.
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`.

import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { PKG, ROOT, assert, startDevServer, waitUntil } from "./support.mjs";

let devserver;
let project;
let tarball;

before(async () => {
  devserver = await startDevServer({ statics: {}, args: ["--quiet"] });
  project = mkdtempSync(path.join(tmpdir(), "heartbeat-ws-node-"));
  const packed = execFileSync("npm", ["pack", PKG, "--pack-destination", project, "--silent"], { encoding: "utf8" }).trim().split("\n").pop();
  tarball = path.join(project, packed);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "worker", private: true }));
  execFileSync("npm", ["install", tarball, "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], { cwd: project, stdio: "ignore" });
  symlinkSync(path.join(ROOT, "node_modules", "ws"), path.join(project, "node_modules", "ws"), "dir");
});
after(async () => {
  await devserver.stop();
  rmSync(project, { recursive: true, force: true });
});

/** Runs `source` in the scratch project as `file` (its extension picks ESM or CommonJS); returns stdout. */
function run(file, source, args = []) {
  writeFileSync(path.join(project, file), source);
  return execFileSync(process.execPath, [...args, file], { cwd: project, encoding: "utf8", timeout: 20000 }).trim();
}

test("the packed package has the entries, the wasm and the types; exports pick them per condition", () => {
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
  for (const file of ["index.js", "node.mjs", "node.cjs", "heartbeat_ws_bg.wasm", "index.d.ts", "api.d.cts", "package.json"]) {
    assert.ok(listing.includes(`package/${file}`), `${file} is packed`);
  }
  const installed = path.join(project, "node_modules", "heartbeat-ws");
  assert.equal(run("resolve.cjs", 'console.log(require.resolve("heartbeat-ws"))'), path.join(installed, "node.cjs"));
  assert.equal(run("resolve.mjs", 'console.log(import.meta.resolve("heartbeat-ws"))'), `file://${path.join(installed, "node.mjs")}`);
  const manifest = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8"));
  assert.deepEqual(manifest.exports["."], {
    node: { import: { types: "./node.d.ts", default: "./node.mjs" }, require: { types: "./node.d.cts", default: "./node.cjs" } },
    browser: { types: "./index.d.ts", default: "./index.js" },
    import: { types: "./index.d.ts", default: "./index.js" },
    require: { types: "./node.d.cts", default: "./node.cjs" },
    default: { types: "./index.d.ts", default: "./index.js" },
  });
  assert.deepEqual(manifest.exports["./miniprogram"], { types: "./miniprogram/index.d.ts", default: "./miniprogram/index.js" });
  assert.equal(manifest.engines.node, ">=18");
});

// One round trip through the dev server's echo, then close; prints what happened.
const roundTrip = (make) => `
  const socket = ${make};
  socket.onopen = () => socket.send("hello");
  socket.onmessage = (event) => {
    console.log("echo " + event.data);
    socket.close();
  };
  socket.onclose = (event) => console.log("closed " + event.code);
`;

test("ES modules: a ReconnectingWebSocket made before init() loads the wasm from disk (no fetch) and runs", () => {
  const output = run(
    "esm.mjs",
    `
    delete globalThis.fetch; // the Node entry must not need it
    import("heartbeat-ws").then(({ ReconnectingWebSocket }) => import("ws").then(({ WebSocket }) => {
      ${roundTrip(`new ReconnectingWebSocket(${JSON.stringify(devserver.wsUrl)}, [], { WebSocket })`)}
    }));
  `,
  );
  assert.equal(output, "echo hello\nclosed 1000");
});

test("CommonJS: require() gives the same API; init() and HeartbeatSocket with browserTransport(ws) work", () => {
  const output = run(
    "cjs.cjs",
    `
    const { default: init, HeartbeatSocket, ReconnectingWebSocket, browserTransport } = require("heartbeat-ws");
    const { WebSocket } = require("ws");
    if (typeof ReconnectingWebSocket !== "function") throw new Error("no ReconnectingWebSocket");
    init().then(() => {
      ${roundTrip(`new HeartbeatSocket({ url: ${JSON.stringify(devserver.wsUrl)}, transport: browserTransport(WebSocket) })`)}
    });
  `,
  );
  assert.equal(output, "echo hello\nclosed 1000");
});

test("Node's own WebSocket (Node 22, or 20 with --experimental-websocket) is used when none is given", () => {
  const flags = Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-websocket", "--no-warnings"] : [];
  const output = run(
    "global.mjs",
    `
    import init, { HeartbeatSocket, ReconnectingWebSocket } from "heartbeat-ws";
    if (typeof WebSocket !== "function") throw new Error("no global WebSocket");
    await init();
    const url = ${JSON.stringify(devserver.wsUrl)};
    const first = new ReconnectingWebSocket(url);
    first.onopen = () => {
      console.log("rws open " + (first.binaryType === "blob"));
      first.close();
      ${roundTrip("new HeartbeatSocket({ url })")}
    };
  `,
    flags,
  );
  assert.equal(output, "rws open true\necho hello\nclosed 1000");
});

test("the Node example logs reconnects and exits 0 on SIGTERM", async (t) => {
  copyFileSync(path.join(ROOT, "examples", "node", "worker.mjs"), path.join(project, "worker.mjs"));
  const child = spawn(process.execPath, ["worker.mjs"], {
    cwd: project,
    env: { ...process.env, WS_URL: `${devserver.wsUrl}?label=worker` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  t.after(() => child.kill("SIGKILL"));
  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  await waitUntil(() => output.includes(" connected\n"), { timeout: 10000, message: `"connected" in ${JSON.stringify(output)}` });
  await devserver.api("/api/connections/all", { drop: { after: 0 } }); // a TCP reset, no close frame
  await waitUntil(() => output.includes(" reconnected\n"), { timeout: 10000, message: `"reconnected" in ${JSON.stringify(output)}` });
  child.kill("SIGTERM");
  const { code, signal } = await exited;
  const lines = output.trim().split("\n").map((line) => line.replace(/^\S+ /, ""));
  assert.deepEqual([code, signal], [0, null], output);
  assert.deepEqual(lines, [
    "connected",
    "closed 1006, will reconnect",
    "reconnecting: retry 1 in " + /retry 1 in (\d+) ms/.exec(output)[1] + " ms",
    "reconnected",
    "SIGTERM received, closing",
    "closed 1000 worker shutting down",
  ]);
});
