// Half-open connections: a server that goes silent must be detected within
// interval + timeout + 100 ms of the last message received, then the socket reconnects.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { setupSuite, hbWait, hbLog, hbRaw, connectionByLabel, ensureArtifacts } from "./support.mjs";

const suite = setupSuite();

const INTERVAL = 200;
const TIMEOUT = 200;
const BOUND = INTERVAL + TIMEOUT + 100; // product requirement
const HEARTBEAT = { interval: INTERVAL, timeout: TIMEOUT };

/** Creates socket "a" whose first `faulty` attempts use `faultUrl`, later ones `echoUrl`. */
async function createSwitching(page, faultUrl, echoUrl, faulty = 1) {
  await page.evaluate(
    ([faultUrl, echoUrl, faulty, heartbeat]) =>
      window.hbt.create("a", { url: window.hbt.switching(faultUrl, echoUrl, faulty), heartbeat, reconnect: { delay: 0, minUptime: 0 } }, { tap: true }),
    [faultUrl, echoUrl, faulty, HEARTBEAT],
  );
}

/**
 * The detection latency of the death of raw connection `conn`: from the last sign of life
 * seen on that socket (its open or its last inbound message) to the library's close event.
 */
async function detection(page, conn, closeIndex) {
  const raw = (await hbRaw(page, "a")).filter((r) => r.conn === conn);
  const close = (await hbLog(page, "a", "close"))[closeIndex];
  assert.ok(close, `close event #${closeIndex + 1}`);
  const alive = raw.filter((r) => (r.kind === "open" || r.kind === "message") && r.seq < close.seq);
  assert.ok(alive.length > 0, "the connection opened");
  const last = alive.at(-1);
  const closeCalled = raw.find((r) => r.kind === "close-called");
  return {
    latency: close.t - last.t,
    lastKind: last.kind,
    lastData: last.data,
    close,
    closeCalled,
    browserClose: raw.find((r) => r.kind === "close"),
  };
}

const measured = [];
function record(t, scenario, result) {
  const entry = { scenario, latency: Math.round(result.latency * 10) / 10, last: result.lastKind, lastData: result.lastData };
  measured.push(entry);
  t.diagnostic(`silent detection ${scenario}: ${entry.latency} ms after the last ${result.lastKind} (bound ${BOUND} ms)`);
  fs.appendFileSync(path.join(ensureArtifacts(), "silent-latencies.jsonl"), JSON.stringify({ at: new Date().toISOString(), ...entry }) + "\n");
}

function assertDetected(result, label) {
  const { close } = result;
  assert.equal(close.code, 4000, `${label}: close code`);
  assert.equal(close.reason, "heartbeat timeout", `${label}: close reason`);
  assert.equal(close.willReconnect, true, `${label}: willReconnect`);
  assert.ok(
    result.latency <= BOUND,
    `${label}: detected ${result.latency.toFixed(1)} ms after the last message (bound ${BOUND} ms)`,
  );
  assert.ok(
    result.latency >= INTERVAL + TIMEOUT - 10,
    `${label}: not declared dead before interval + timeout of silence (${result.latency.toFixed(1)} ms)`,
  );
  // The library closes the old socket itself (best effort) and does not wait for the
  // browser's close event.
  assert.ok(result.closeCalled, `${label}: the dead socket was closed by the library`);
  assert.deepEqual([result.closeCalled.code, result.closeCalled.reason], [4000, "heartbeat timeout"]);
  if (result.browserClose) assert.ok(result.browserClose.seq > close.seq, `${label}: close event before the browser's close`);
}

async function assertReconnected(page, closes) {
  // The open after the last death (every death is followed by one reconnected open).
  const open = await hbWait(page, "a", { type: "open", reconnected: true }, { count: closes, timeout: 3000 });
  const log = await hbLog(page, "a");
  const reconnecting = log.filter((e) => e.type === "reconnecting" && e.seq < open.seq);
  assert.equal(reconnecting.length, closes, "one reconnecting event per death");
  // minUptime 0: every death after an open starts a new streak, whose first retry is at once.
  assert.ok(reconnecting.every((e) => e.delay === 0), "reconnect delay 0");
  assert.equal(open.state, "open");
  // The new connection is healthy: its heartbeat is answered.
  await hbWait(page, "a", { type: "heartbeat" }, { since: open.i, timeout: 3000 });
}

test("mode=silent from the handshake on: dead after interval + timeout, then reconnects (3 deaths)", async (t) => {
  const page = await suite.page();
  await createSwitching(page, suite.ws({ mode: "silent", label: "silent" }), suite.ws({ label: "echo" }), 3);
  await hbWait(page, "a", { type: "close" }, { count: 3, timeout: 5000 });
  for (let i = 0; i < 3; i++) {
    const result = await detection(page, i + 1, i);
    record(t, `mode=silent #${i + 1}`, result);
    assertDetected(result, `death ${i + 1}`);
    assert.equal(result.lastKind, "open");
  }
  await assertReconnected(page, 3);
});

test("silentAfter: pongs stop mid-connection; detected from the last pong", async (t) => {
  const page = await suite.page();
  await createSwitching(page, suite.ws({ silentAfter: 700, label: "sa" }), suite.ws({ label: "echo" }));
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 5000 });
  const beats = await hbLog(page, "a", "heartbeat");
  assert.ok(beats.length >= 2, `pongs were answered before the silence (${beats.length})`);
  assert.ok(beats.every((b) => b.seq < close.seq));
  const result = await detection(page, 1, 0);
  record(t, "silentAfter=700 (pings)", result);
  assertDetected(result, "silentAfter");
  assert.deepEqual([result.lastKind, result.lastData], ["message", "pong"]);
  await assertReconnected(page, 1);
});

test("silentAfter with push: detected from the last pushed message", async (t) => {
  const page = await suite.page();
  await createSwitching(page, suite.ws({ push: 50, silentAfter: 600, label: "sp" }), suite.ws({ label: "echo" }));
  await hbWait(page, "a", { type: "close" }, { timeout: 5000 });
  const messages = await hbLog(page, "a", "message");
  assert.ok(messages.length >= 5, `pushes arrived before the silence (${messages.length})`);
  const result = await detection(page, 1, 0);
  record(t, "silentAfter=600 (push=50)", result);
  assertDetected(result, "silentAfter+push");
  assert.equal(result.lastKind, "message");
  assert.match(result.lastData, /^push \d+$/);
  await assertReconnected(page, 1);
});

test("live switch to silent through the API: detected from the last message", async (t) => {
  const page = await suite.page();
  await createSwitching(page, suite.ws({ label: "live" }), suite.ws({ label: "echo" }));
  await hbWait(page, "a", { type: "heartbeat" }, { count: 2, timeout: 3000 });
  const conn = await connectionByLabel(suite.server, "live");
  const patched = await suite.server.api(`/api/connections/${conn.id}`, { mode: "silent" });
  assert.equal(patched.behaviour.mode, "silent");
  await hbWait(page, "a", { type: "close" }, { timeout: 5000 });
  const result = await detection(page, 1, 0);
  record(t, "API mode=silent", result);
  assertDetected(result, "API silent");
  await assertReconnected(page, 1);
});

test("silent detection summary", (t) => {
  assert.ok(measured.length > 0);
  const latencies = measured.map((m) => m.latency);
  t.diagnostic(
    `silent detection latencies (ms): ${latencies.join(", ")}; min ${Math.min(...latencies)}, max ${Math.max(...latencies)}, bound ${BOUND}`,
  );
});
