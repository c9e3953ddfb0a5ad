// The built package (pkg/) as a Node project installs it: resolved by name, loaded with
// init() from disk, talking to a real WebSocket server through the `ws` package.
// Run after `make build`: node --test tests/package/

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const PKG = join(ROOT, "pkg");
const manifest = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));

test("package.json: the name, the crate's version, and every file it lists or exports exists", () => {
  assert.equal(manifest.name, "heartbeat-ws");
  const crateVersion = /^version = "(.+)"$/m.exec(readFileSync(join(ROOT, "Cargo.toml"), "utf8"))[1];
  assert.equal(manifest.version, crateVersion);
  assert.equal(manifest.type, "module");
  const targets = (entry) => (typeof entry === "string" ? [entry] : Object.values(entry).flatMap(targets));
  const exported = targets(manifest.exports);
  for (const file of [...manifest.files, ...exported, manifest.main, manifest.types]) {
    assert.ok(existsSync(join(PKG, file)), `pkg/${file} exists`);
  }
});

/** The values (not types) a declaration file exports, as TypeScript reads it. */
function declaredValues(file) {
  const program = ts.createProgram([file], { noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file));
  const target = (symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => (target(symbol).flags & ts.SymbolFlags.Value) !== 0)
    .map((symbol) => symbol.name)
    .sort();
}

test("each entry's types declare exactly the values it exports", async () => {
  const require = createRequire(import.meta.url);
  const entries = [
    ["index.js", "index.d.ts", await import(pathToFileURL(join(PKG, "index.js")).href)],
    ["node.mjs", "node.d.ts", await import(pathToFileURL(join(PKG, "node.mjs")).href)],
    ["node.cjs", "node.d.cts", require(join(PKG, "node.cjs"))],
  ];
  for (const [entry, types, exports] of entries) {
    // esbuild's CommonJS marks itself as an ES module; that flag is no export.
    const values = Object.keys(exports).filter((name) => name !== "__esModule").sort();
    assert.deepEqual(declaredValues(join(PKG, types)), values, `${types} declares the values ${entry} exports`);
  }
});

// A project that depends on the package: node_modules/heartbeat-ws -> pkg/.
let project;
before(() => {
  project = mkdtempSync(join(tmpdir(), "heartbeat-ws-consumer-"));
  mkdirSync(join(project, "node_modules"));
  symlinkSync(PKG, join(project, "node_modules", "heartbeat-ws"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
});
after(() => rmSync(project, { recursive: true, force: true }));

test("a Node project imports it by name, loads the wasm from disk and keeps a real socket alive", () => {
  const ws = pathToFileURL(join(ROOT, "node_modules/ws/wrapper.mjs")).href;
  const script = `
    import init, { HeartbeatSocket, browserTransport } from "heartbeat-ws";
    import { WebSocket, WebSocketServer } from ${JSON.stringify(ws)};

    const first = init();
    const exports = await first;
    if (init() !== first) throw new Error("init() returned a new promise");
    // The exports' names are minified (scripts/package.mjs); the memory is among them.
    if (!Object.values(exports).some((value) => value instanceof WebAssembly.Memory)) {
      throw new Error("init() did not resolve to the wasm exports");
    }

    try {
      new HeartbeatSocket({ url: "ws://x/", heartbeat: { interval: "10s" } });
      throw new Error("a bad option was accepted");
    } catch (error) {
      if (!(error instanceof TypeError) || !error.message.startsWith("heartbeat.interval: expected")) throw error;
    }

    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    let connections = 0;
    server.on("connection", (peer) => {
      connections += 1;
      peer.on("message", (data) => peer.send(String(data) === "ping" ? "pong" : String(data)));
      if (connections === 1) setTimeout(() => peer.terminate(), 300); // a dropped TCP connection
    });

    const socket = new HeartbeatSocket({
      url: "ws://127.0.0.1:" + server.address().port + "/ws",
      transport: browserTransport(WebSocket),
      heartbeat: { interval: 50, timeout: 1000 },
      reconnect: { delay: 10, maxDelay: 10 },
    });
    const seen = [];
    const done = new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error("timed out; events: " + seen.join(", "))), 10000);
      socket.onmessage = (e) => seen.push("message " + e.data);
      socket.onheartbeat = (e) => seen.indexOf("heartbeat") < 0 && seen.push("heartbeat");
      socket.onopen = (e) => {
        seen.push("open " + e.reconnected);
        if (e.reconnected) resolve();
      };
    });
    socket.send("hello");
    await done;
    socket.close();
    if (socket.state !== "closed") throw new Error("state after close: " + socket.state);
    server.close();
    console.log(seen.join(", "));
  `;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8", timeout: 30000 });
  assert.equal(output.trim(), "open false, message hello, heartbeat, open true");
});
