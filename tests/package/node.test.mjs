// The built package (pkg/) as a Node project installs it: resolved by name, loaded with
// init() from disk, talking to a real WebSocket server through the `ws` package.
// Run after `make build`: node --test tests/package/

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

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

test("index.d.ts declares every export of index.js", async () => {
  const entry = await import(pathToFileURL(join(PKG, "index.js")).href);
  // index.d.ts and the declaration files it re-exports from ("./x.js" is x.d.ts).
  const index = readFileSync(join(PKG, "index.d.ts"), "utf8");
  const reexported = [...index.matchAll(/^export .* from "\.\/(.+)\.js";$/gm)].map((match) => readFileSync(join(PKG, `${match[1]}.d.ts`), "utf8"));
  const types = [index, ...reexported].join("\n");
  for (const name of Object.keys(entry)) {
    const declared = name === "default" ? /export default function init\(/ : new RegExp(`export (class|function) ${name}\\b`);
    assert.match(types, declared, `index.d.ts declares ${name}`);
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
