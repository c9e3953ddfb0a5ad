// Outages: refused upgrades (window and mode), giveup, stalled handshakes (connect
// timeout), nothing listening, invalid parameters, reconnect().
import { test } from "node:test";
import assert from "node:assert/strict";
import { setupSuite, hbWait, hbLog, hbRaw, hbState, hbStats, hbConnects, freePort, waitUntil } from "./support.mjs";

const suite = setupSuite();

/**
 * Checks that each retry started `delay` ms after the failure that caused it (the raw
 * error/close of the previous socket; the reconnecting event itself is emitted a little
 * later, after the library has done its bookkeeping), generously late under load.
 */
function assertRetryTiming(log, raw) {
  const connects = raw.filter((r) => r.kind === "connect");
  const waits = log.filter((e) => e.type === "reconnecting");
  for (const [i, wait] of waits.entries()) {
    const next = connects.find((c) => c.seq > wait.seq);
    if (!next && i === waits.length - 1) break; // the last retry may still be waiting
    assert.ok(next, `retry ${wait.attempt} happened`);
    const failure = raw.filter((r) => (r.kind === "error" || r.kind === "close") && r.seq < wait.seq).at(-1);
    const waited = next.t - failure.t;
    assert.ok(waited >= wait.delay - 2, `retry ${wait.attempt} waited ${waited.toFixed(1)} ms >= ${wait.delay}`);
    assert.ok(waited <= wait.delay + 250, `retry ${wait.attempt} waited ${waited.toFixed(1)} ms, about ${wait.delay}`);
  }
}

test("/api/refuse window: failed attempts back off exponentially (jitter 0, factor 2), then connect", async () => {
  const page = await suite.page();
  const refuse = await suite.server.api("/api/refuse", { ms: 1200, status: 503 });
  assert.equal(typeof refuse.refuseUntil, "number");
  await page.evaluate(
    (url) => window.hbt.create("a", { url, reconnect: { delay: 100, factor: 2, jitter: 0, maxDelay: 10000 } }, { tap: true }),
    suite.ws({ label: "r" }),
  );
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 8000 });
  const log = await hbLog(page, "a");
  const waits = log.filter((e) => e.type === "reconnecting");
  assert.ok(waits.length >= 3, `several failed attempts (${waits.length})`);
  assert.deepEqual(
    waits.map((e) => [e.attempt, e.delay]),
    waits.map((_, i) => [i + 1, 100 * 2 ** i]),
    "reconnecting {attempt, delay}: 1/100, 2/200, 3/400, ...",
  );
  const closes = log.filter((e) => e.type === "close");
  assert.equal(closes.length, waits.length, "one close per failed attempt");
  assert.ok(closes.every((c) => c.code === 1006 && c.willReconnect === true), JSON.stringify(closes));
  assert.ok(log.filter((e) => e.type === "error").length >= waits.length, "an error event per failed attempt");
  assert.deepEqual([open.attempt, open.reconnected], [waits.length + 1, false], "open reports the attempt number");
  assertRetryTiming(log, await hbRaw(page, "a"));
  const counters = await suite.server.api("/api/counters");
  assert.equal(counters.refused, waits.length);
  assert.equal(counters.connections, 1);
  const stats = await hbStats(page, "a");
  assert.equal(stats.reconnects, waits.length);
  assert.equal(stats.opens, 1);
});

test("/api/refuse with another status (502) also fails the handshake; {ms:0} cancels the window", async () => {
  const page = await suite.page();
  await suite.server.api("/api/refuse", { ms: 60000, status: 502 });
  await page.evaluate(
    (url) => window.hbt.create("a", { url, reconnect: { delay: 300, factor: 1, jitter: 0 } }, { tap: true }),
    suite.ws({ label: "r" }),
  );
  await hbWait(page, "a", { type: "reconnecting" }, { timeout: 3000 });
  assert.match(suite.server.logs(), /refused[^\n]*502/);
  const cancelled = await suite.server.api("/api/refuse", { ms: 0 });
  assert.equal(cancelled.refuseUntil, null);
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 3000 });
  assert.ok(open.attempt >= 2);
});

test("mode=refuse with maxRetries 2: giveup after 3 attempts, state closed; reconnect() revives it", async () => {
  const page = await suite.page();
  await page.evaluate(
    ([refused, echo]) => {
      window.useEcho = false;
      window.hbt.create(
        "a",
        { url: () => (window.useEcho ? echo : refused), reconnect: { delay: 50, factor: 2, jitter: 0, maxRetries: 2 } },
        { tap: true },
      );
    },
    [suite.ws({ mode: "refuse" }), suite.ws({ label: "revived" })],
  );
  const giveup = await hbWait(page, "a", { type: "giveup" }, { timeout: 5000 });
  assert.equal(giveup.attempts, 3);
  const log = await hbLog(page, "a");
  assert.deepEqual(
    log.filter((e) => e.type === "reconnecting").map((e) => [e.attempt, e.delay]),
    [
      [1, 50],
      [2, 100],
    ],
  );
  const closes = log.filter((e) => e.type === "close");
  assert.deepEqual(
    closes.map((c) => c.willReconnect),
    [true, true, false],
    "the last close says it will not reconnect",
  );
  assert.equal(await hbState(page, "a"), "closed");
  assert.ok(log.some((e) => e.type === "statechange" && e.to === "closed"));
  await page.evaluate(() => window.hbt.sleep(400));
  assert.equal(await hbConnects(page, "a"), 3, "no attempt after giveup");
  assert.equal((await suite.server.api("/api/counters")).refused, 3);

  // reconnect() revives a socket that gave up, with a fresh retry counter.
  await page.evaluate(() => {
    window.useEcho = true;
    window.hbt.sockets.a.reconnect();
  });
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 3000 });
  assert.deepEqual([open.attempt, open.reconnected], [1, false]);
});

test("reconnect() on an open socket drops it (close 4000 'reconnect') and connects again at once", async () => {
  const page = await suite.page();
  await page.evaluate((url) => window.hbt.create("a", { url, reconnect: { delay: 5000 } }, { tap: true }), suite.ws({ label: "re" }));
  await hbWait(page, "a", { type: "open" });
  await page.evaluate(() => window.hbt.sockets.a.reconnect());
  const close = await hbWait(page, "a", { type: "close" });
  assert.deepEqual([close.code, close.reason, close.willReconnect], [4000, "reconnect", true]);
  const open = await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
  assert.ok(open.t - close.t < 1000, "no backoff wait");
  assert.deepEqual(await hbLog(page, "a", "reconnecting"), [], "no wait, so no reconnecting event");
});

test("mode=stall: connect timeout closes with 4000 'connect timeout', then the retry connects", async () => {
  const page = await suite.page();
  await page.evaluate(
    ([stall, echo]) =>
      window.hbt.create("a", { url: window.hbt.switching(stall, echo), connectTimeout: 300, reconnect: { delay: 0 } }, { tap: true }),
    [suite.ws({ mode: "stall", label: "st" }), suite.ws({ label: "echo" })],
  );
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.reason, close.willReconnect], [4000, "connect timeout", true]);
  const raw = await hbRaw(page, "a");
  const connect = raw.find((r) => r.conn === 1 && r.kind === "connect");
  const waited = close.t - connect.t;
  assert.ok(waited >= 290 && waited <= 600, `connect timeout after ${waited.toFixed(1)} ms (300)`);
  const closeCalled = raw.find((r) => r.conn === 1 && r.kind === "close-called");
  assert.deepEqual([closeCalled?.code, closeCalled?.reason], [4000, "connect timeout"], "the library closed the stalled socket");
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 3000 });
  assert.equal(open.attempt, 2);
  const counters = await suite.server.api("/api/counters");
  assert.equal(counters.stalled, 1);
  // The browser gives up the stalled TCP connection, so the server releases it.
  await waitUntil(async () => !(await suite.server.api("/api/connections")).some((c) => c.state === "stalled"), {
    timeout: 5000,
    message: "the stalled connection to be released",
  });
});

test("/api/stall window: attempts time out until the window ends, then connect", async () => {
  const page = await suite.page();
  const stall = await suite.server.api("/api/stall", { ms: 800 });
  assert.equal(typeof stall.stallUntil, "number");
  await page.evaluate(
    (url) => window.hbt.create("a", { url, connectTimeout: 250, reconnect: { delay: 50, factor: 1, jitter: 0 } }, { tap: true }),
    suite.ws({ label: "sw" }),
  );
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 6000 });
  const closes = (await hbLog(page, "a", "close")).filter((c) => c.seq < open.seq);
  assert.ok(closes.length >= 2, `several connect timeouts (${closes.length})`);
  for (const close of closes) assert.deepEqual([close.code, close.reason, close.willReconnect], [4000, "connect timeout", true]);
  assert.equal(open.attempt, closes.length + 1);
  const counters = await suite.server.api("/api/counters");
  assert.ok(counters.stalled >= 2, JSON.stringify(counters));
});

test("nothing listening on the port: error, close 1006, reconnecting, again", async () => {
  const page = await suite.page();
  const port = await freePort();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, reconnect: { delay: 100, factor: 2, jitter: 0 } }, { tap: true }),
    `ws://127.0.0.1:${port}/ws`,
  );
  await hbWait(page, "a", { type: "reconnecting", attempt: 2 }, { timeout: 5000 });
  const log = await hbLog(page, "a");
  const first = log.slice(0, log.findIndex((e) => e.type === "reconnecting") + 1);
  assert.deepEqual(
    first.map((e) => e.type),
    ["error", "close", "statechange", "reconnecting"],
    "a failed attempt reports error, close, statechange, reconnecting",
  );
  assert.equal(typeof first[0].message, "string");
  assert.deepEqual([first[1].code, first[1].wasClean, first[1].willReconnect], [1006, false, true]);
  assert.deepEqual([first[2].from, first[2].to], ["connecting", "reconnecting"]);
  assert.deepEqual([first[3].attempt, first[3].delay], [1, 100]);
  assertRetryTiming(log, await hbRaw(page, "a"));
  assert.equal(await hbState(page, "a"), "reconnecting");
  await page.evaluate(() => window.hbt.sockets.a.close());
});

test("an invalid dev-server parameter (400 answer) is a failed attempt", async () => {
  const page = await suite.page();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, reconnect: { delay: 1000, jitter: 0 } }),
    suite.ws({ pongDelay: "abc" }),
  );
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.willReconnect], [1006, true]);
  await hbWait(page, "a", { type: "reconnecting" });
  assert.match(suite.server.logs(), /rejected[^\n]*pongDelay/);
});
