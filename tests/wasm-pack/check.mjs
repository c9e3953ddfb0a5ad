// Proves that `wasm-pack build --target web` on this crate gives users a working package:
// the build succeeds, the package has (and would publish) every file its glue imports, and
// that glue, loaded in Node, keeps a real WebSocket alive: open, echo, heartbeat, reconnect
// after the server drops the TCP connection, close.
//
//   node tests/wasm-pack/check.mjs      (exits 0 only if everything passed)
//
// wasm-pack writes to target/wasm-pack/pkg, never to pkg/ (the optimized build's output),
// and shares target/ with the other builds so repeated runs are incremental.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WebSocket, WebSocketServer } from "ws";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const outDir = join(root, "target/wasm-pack/pkg");
const WAIT_MS = 10_000;

function log(line) {
  console.log(`wasm-pack check: ${line}`);
}

function buildPackage() {
  // Remove the previous output so every file checked below comes from this build.
  rmSync(outDir, { recursive: true, force: true });
  const started = Date.now();
  const build = spawnSync("wasm-pack", ["build", "--target", "web", "--out-dir", outDir], { cwd: root, stdio: "inherit" });
  if (build.error && build.error.code === "ENOENT") {
    throw new Error("wasm-pack is not installed: run scripts/setup.sh test");
  }
  if (build.error) throw build.error;
  assert.equal(build.status, 0, `wasm-pack build failed (exit ${build.status}); its output is above`);
  log(`built ${relative(root, outDir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(outDir, join(entry.parentPath, entry.name)));
}

// The files users import must exist, and `npm publish` must include them: the glue
// imports the library's JS snippets, so a package without snippets/ would not load.
function checkPackageFiles() {
  const required = ["heartbeat_ws.js", "heartbeat_ws_bg.wasm", "heartbeat_ws.d.ts", "package.json"];
  for (const file of required) assert.ok(existsSync(join(outDir, file)), `wasm-pack wrote no ${file}`);

  const glue = readFileSync(join(outDir, "heartbeat_ws.js"), "utf8");
  const snippetImports = [...glue.matchAll(/from ['"]\.\/(snippets\/[^'"]+)['"]/g)].map((match) => match[1]);
  assert.ok(snippetImports.length > 0, "the glue imports no snippets: expected the library's js/ modules");
  const snippets = filesUnder(join(outDir, "snippets"));
  for (const file of snippetImports) assert.ok(snippets.includes(file), `the glue imports ${file}, which is missing`);

  const manifest = JSON.parse(readFileSync(join(outDir, "package.json"), "utf8"));
  const cargoVersion = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "(.+)"$/m)[1];
  assert.equal(manifest.name, "heartbeat-ws");
  assert.equal(manifest.version, cargoVersion, "package.json version follows Cargo.toml");
  assert.equal(manifest.type, "module", "--target web glue is an ES module");
  assert.equal(manifest.main, "heartbeat_ws.js");
  assert.equal(manifest.types, "heartbeat_ws.d.ts");

  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: outDir, encoding: "utf8" }),
  );
  const published = new Set(packed.files.map((file) => file.path));
  for (const file of [...required, ...snippets]) assert.ok(published.has(file), `npm publish would leave out ${file}`);

  const types = readFileSync(join(outDir, "heartbeat_ws.d.ts"), "utf8");
  for (const declaration of ["class HeartbeatSocket", "function browserTransport", "default function __wbg_init"]) {
    assert.ok(types.includes(declaration), `heartbeat_ws.d.ts lacks "${declaration}"`);
  }
  log(`package files present and published: ${required.join(", ")} and ${snippets.length} snippets`);
}

// An echo server that answers "ping" with "pong" and counts what it saw.
async function startServer() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const seen = { connections: [], pings: 0 };
  server.on("connection", (connection) => {
    seen.connections.push(connection);
    connection.on("message", (data, isBinary) => {
      if (!isBinary && data.toString() === "ping") {
        seen.pings++;
        connection.send("pong");
      } else {
        connection.send(data, { binary: isBinary });
      }
    });
  });
  return { server, seen, url: `ws://127.0.0.1:${server.address().port}/` };
}

// Event types in order, repeats counted: "statechange, open, heartbeat ×40".
function summarize(events) {
  const runs = [];
  for (const { type } of events) {
    const last = runs[runs.length - 1];
    if (last && last.type === type) last.count++;
    else runs.push({ type, count: 1 });
  }
  return runs.map(({ type, count }) => (count > 1 ? `${type} ×${count}` : type)).join(", ") || "none";
}

// Records every event of `socket`, so a wait can start after the event already happened.
function recordEvents(socket) {
  const events = [];
  const wakeups = new Set();
  for (const type of ["open", "message", "close", "error", "reconnecting", "giveup", "heartbeat", "statechange"]) {
    socket.addEventListener(type, (event) => {
      events.push({ type, event });
      for (const wake of wakeups) wake();
    });
  }
  function waitFor(type, what, matches = () => true) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find((entry) => entry.type === type && matches(entry.event));
        if (!found) return;
        wakeups.delete(check);
        clearTimeout(timer);
        resolve(found.event);
      };
      const timer = setTimeout(() => {
        wakeups.delete(check);
        reject(new Error(`no ${what} within ${WAIT_MS} ms; events so far: ${summarize(events)}`));
      }, WAIT_MS);
      wakeups.add(check);
      check();
    });
  }
  return { waitFor };
}

async function runScenario() {
  const glue = await import(pathToFileURL(join(outDir, "heartbeat_ws.js")).href);
  // What a user of --target web calls; Node's fetch cannot read the default file: URL, so
  // hand over the bytes.
  await glue.default({ module_or_path: readFileSync(join(outDir, "heartbeat_ws_bg.wasm")) });

  const { server, seen, url } = await startServer();
  let socket;
  try {
    socket = new glue.HeartbeatSocket({
      url,
      transport: glue.browserTransport(WebSocket),
      heartbeat: { interval: 100, timeout: 2000, message: "ping", pong: "pong" },
      reconnect: { delay: 100, jitter: 0 },
    });
    const { waitFor } = recordEvents(socket);

    const firstOpen = await waitFor("open", "first open event");
    assert.deepEqual([firstOpen.attempt, firstOpen.reconnected], [1, false], "first open event");
    assert.equal(socket.state, "open");
    log("opened");

    const greeting = "hello through the wasm-pack build";
    assert.equal(socket.send(greeting), true, "send() on an open socket hands the message over");
    await waitFor("message", "echoed message", (event) => event.data === greeting);
    log("echo received");

    const beat = await waitFor("heartbeat", "heartbeat event");
    assert.ok(Number.isFinite(beat.rtt) && beat.rtt >= 0, `heartbeat rtt is a number of ms, got ${beat.rtt}`);
    assert.ok(seen.pings >= 1, "the server received a ping");
    log(`heartbeat answered, rtt ${beat.rtt} ms`);

    // Drop the TCP connection without a close frame, as a dying network would.
    seen.connections[0].terminate();
    const drop = await waitFor("close", "close event after the server dropped the connection");
    assert.equal(drop.willReconnect, true, "a dropped connection is retried");
    const secondOpen = await waitFor("open", "reopen after the drop", (event) => event.reconnected === true);
    assert.equal(socket.state, "open");
    assert.equal(seen.connections.length, 2, "the server saw exactly one new connection");
    log(`reconnected on attempt ${secondOpen.attempt}`);

    socket.close();
    assert.equal(socket.state, "closed");
    const stats = socket.stats();
    assert.equal(stats.opens, 2, `stats.opens: ${JSON.stringify(stats)}`);
    assert.ok(stats.reconnects >= 1 && stats.pingsSent >= 1 && stats.pongsReceived >= 1, JSON.stringify(stats));
    log("closed");
  } finally {
    if (socket && socket.state !== "closed") socket.close();
    for (const connection of seen.connections) connection.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
}

try {
  buildPackage();
  checkPackageFiles();
  await runScenario();
} catch (error) {
  console.error(`wasm-pack check failed: ${error.message}`);
  process.exit(1);
}
// close() promises no timers left, so Node must now exit by itself; if anything still
// keeps it busy, this (unref'd) timer fires.
setTimeout(() => {
  console.error("wasm-pack check failed: Node is still busy after close(); a timer or socket was left behind");
  process.exit(1);
}, WAIT_MS).unref();
process.once("beforeExit", () => log("passed"));
