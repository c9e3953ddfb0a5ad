// Server-initiated closes and TCP resets: which ones reconnect, shouldReconnect vetoes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setupSuite, hbWait, hbLog, hbRaw, hbState, hbConnects, connectionByLabel, waitUntil } from "./support.mjs";

const suite = setupSuite();

/** Socket "a": first attempt `first`, later attempts `later` (plain echo by default). */
function createSwitching(page, first, later, options = {}) {
  return page.evaluate(
    ([first, later, options]) =>
      window.hbt.create("a", { url: window.hbt.switching(first, later), reconnect: { delay: 50, jitter: 0 }, ...options }, { tap: true }),
    [first, later ?? suite.ws({ label: "again" }), options],
  );
}

test("close=4001&reason=bye&closeAfter=200: close event carries the code, then the socket reconnects", async () => {
  const page = await suite.page();
  await createSwitching(page, suite.ws({ close: 4001, reason: "bye", closeAfter: 200, label: "c" }));
  const first = await hbWait(page, "a", { type: "open" });
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual(
    { code: close.code, reason: close.reason, wasClean: close.wasClean, willReconnect: close.willReconnect },
    { code: 4001, reason: "bye", wasClean: true, willReconnect: true },
  );
  assert.ok(close.t - first.t >= 180, `closed after closeAfter (${(close.t - first.t).toFixed(0)} ms)`);
  const reconnecting = await hbWait(page, "a", { type: "reconnecting" });
  assert.deepEqual([reconnecting.attempt, reconnecting.delay], [1, 50]);
  const open = await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
  assert.equal(open.state, "open");
  assert.equal((await suite.server.api("/api/counters")).closes, 1, "the server counted its close frame");
});

test("close=1000 (normal closure by the server) reconnects too", async () => {
  const page = await suite.page();
  await createSwitching(page, suite.ws({ close: 1000, closeAfter: 100 }));
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.willReconnect], [1000, true]);
  await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
});

test("close codes the default policy vetoes (1002, 1003, 1007, 1008, 1009, 1010): state closed, no retry", async () => {
  const page = await suite.page();
  const codes = [1002, 1003, 1007, 1008, 1009, 1010];
  const urls = Object.fromEntries(codes.map((code) => [code, suite.ws({ close: code, reason: `policy ${code}`, closeAfter: 100 })]));
  const results = await page.evaluate(
    async ([urls, codes]) => {
      const out = {};
      for (const code of codes) window.hbt.create(`c${code}`, { url: urls[code], reconnect: { delay: 0 } }, { tap: true });
      for (const code of codes) await window.hbt.wait(`c${code}`, { type: "close" }, { timeout: 3000 });
      await window.hbt.sleep(400);
      for (const code of codes) {
        const name = `c${code}`;
        out[code] = { log: window.hbt.logs[name], state: window.hbt.sockets[name].state, connects: window.hbt.connects[name] };
      }
      return out;
    },
    [urls, codes],
  );
  for (const code of codes) {
    const { log, state, connects } = results[code];
    const close = log.find((e) => e.type === "close");
    assert.equal(close.code, code, `close event code ${code}`);
    assert.equal(close.reason, `policy ${code}`);
    assert.equal(close.willReconnect, false, `${code}: willReconnect false`);
    assert.equal(state, "closed", `${code}: state closed`);
    assert.equal(connects, 1, `${code}: no retry`);
    assert.ok(!log.some((e) => e.type === "reconnecting"), `${code}: no reconnecting event`);
    assert.ok(log.some((e) => e.type === "statechange" && e.to === "closed"));
  }
});

test("other server close codes (1001, 1011, 1012, 1013, 3000, 4999) reconnect", async () => {
  const page = await suite.page();
  const codes = [1001, 1011, 1012, 1013, 3000, 4999];
  const urls = Object.fromEntries(codes.map((code) => [code, suite.ws({ close: code, closeAfter: 100 })]));
  const closes = await page.evaluate(
    async ([urls, codes, echo]) => {
      const out = {};
      for (const code of codes) window.hbt.create(`c${code}`, { url: window.hbt.switching(urls[code], echo), reconnect: { delay: 0 } });
      for (const code of codes) {
        out[code] = await window.hbt.wait(`c${code}`, { type: "close" }, { timeout: 3000 });
        await window.hbt.wait(`c${code}`, { type: "open", reconnected: true }, { timeout: 3000 });
      }
      return out;
    },
    [urls, codes, suite.ws({ label: "again" })],
  );
  for (const code of codes) assert.deepEqual([closes[code].code, closes[code].willReconnect], [code, true], `code ${code}`);
});

test("shouldReconnect veto: close 4001 with shouldReconnect returning false -> closed", async () => {
  const page = await suite.page();
  await page.evaluate((url) => {
    window.calls = [];
    window.hbt.create(
      "a",
      {
        url,
        reconnect: {
          delay: 0,
          shouldReconnect: (info) => {
            window.calls.push({ ...info });
            return info.code !== 4001;
          },
        },
      },
      { tap: true },
    );
  }, suite.ws({ close: 4001, reason: "go away", closeAfter: 100 }));
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.reason, close.willReconnect], [4001, "go away", false]);
  await page.evaluate(() => window.hbt.sleep(300));
  assert.equal(await hbState(page, "a"), "closed");
  assert.deepEqual(await page.evaluate(() => window.calls), [{ code: 4001, reason: "go away", wasClean: true }]);
  assert.equal(await hbConnects(page, "a"), 1, "no retry");
  assert.deepEqual(await hbLog(page, "a", "reconnecting"), []);
});

test("shouldReconnect may allow a code the default vetoes (1008 -> retry)", async () => {
  const page = await suite.page();
  // "a" keeps the default policy, "b" allows every retry.
  const url1008 = suite.ws({ close: 1008, reason: "policy", closeAfter: 100 });
  await createSwitching(page, url1008, suite.ws({ label: "again" }), {});
  await page.evaluate(
    ([first, later]) =>
      window.hbt.create("b", { url: window.hbt.switching(first, later), reconnect: { delay: 0, shouldReconnect: () => true } }),
    [url1008, suite.ws({ label: "b" })],
  );
  const closeA = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([closeA.code, closeA.willReconnect], [1008, false], "default policy vetoes 1008");
  const closeB = await hbWait(page, "b", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([closeB.code, closeB.willReconnect], [1008, true], "shouldReconnect overrides the default");
  await hbWait(page, "b", { type: "open", reconnected: true }, { timeout: 3000 });
});

test("dropAfter=300: TCP reset -> close 1006 (not clean), then reconnect", async () => {
  const page = await suite.page();
  await createSwitching(page, suite.ws({ dropAfter: 300, label: "d" }));
  const open = await hbWait(page, "a", { type: "open" });
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.wasClean, close.willReconnect], [1006, false, true]);
  assert.ok(close.t - open.t >= 280, `dropped after ${(close.t - open.t).toFixed(0)} ms`);
  await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
  assert.equal((await suite.server.api("/api/counters")).drops, 1);
});

test("API close and drop orders on a live connection; /api/connections/all send", async () => {
  const page = await suite.page();
  await page.evaluate(
    ([x, y]) => {
      window.hbt.create("x", { url: x, reconnect: { delay: 50, jitter: 0 } });
      window.hbt.create("y", { url: y, reconnect: { delay: 50, jitter: 0 } });
    },
    [suite.ws({ label: "x" }), suite.ws({ label: "y" })],
  );
  await hbWait(page, "x", { type: "open" });
  await hbWait(page, "y", { type: "open" });
  const all = await suite.server.api("/api/connections/all", { send: "to everyone" });
  assert.equal(all.length, 2);
  await hbWait(page, "x", { type: "message", data: "to everyone" });
  await hbWait(page, "y", { type: "message", data: "to everyone" });

  const x = await connectionByLabel(suite.server, "x");
  const y = await connectionByLabel(suite.server, "y");
  await suite.server.api(`/api/connections/${x.id}`, { close: { code: 4002, reason: "api", after: 0 } });
  await suite.server.api(`/api/connections/${y.id}`, { drop: { after: 0 } });
  const closeX = await hbWait(page, "x", { type: "close" }, { timeout: 3000 });
  const closeY = await hbWait(page, "y", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([closeX.code, closeX.reason, closeX.wasClean, closeX.willReconnect], [4002, "api", true, true]);
  assert.deepEqual([closeY.code, closeY.wasClean, closeY.willReconnect], [1006, false, true]);
  await hbWait(page, "x", { type: "open", reconnected: true }, { timeout: 3000 });
  await hbWait(page, "y", { type: "open", reconnected: true }, { timeout: 3000 });
  const counters = await suite.server.api("/api/counters");
  assert.deepEqual([counters.closes, counters.drops, counters.open], [1, 1, 2]);
});

test("server shutdown-style close 1001 (api/reset closeAll) reconnects", async () => {
  const page = await suite.page();
  await page.evaluate((url) => window.hbt.create("a", { url, reconnect: { delay: 50, jitter: 0 } }), suite.ws({ label: "r" }));
  await hbWait(page, "a", { type: "open" });
  await suite.server.api("/api/reset", { closeAll: true });
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.willReconnect], [1001, true]);
  await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
  await waitUntil(async () => (await suite.server.api("/api/counters")).open === 1, { message: "one open connection" });
});

test("heartbeat death: the library reopens without waiting for the browser to close the dead socket", async () => {
  // Heartbeat death with a silent server: the browser's own close event arrives much
  // later (or never), but the library reports close and reconnects at once.
  const page = await suite.page();
  await createSwitching(page, suite.ws({ mode: "silent" }), suite.ws({ label: "again" }), {
    heartbeat: { interval: 100, timeout: 100 },
    reconnect: { delay: 0 },
  });
  const open = await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
  const raw = await hbRaw(page, "a");
  const browserClose = raw.find((r) => r.conn === 1 && r.kind === "close");
  assert.ok(!browserClose || browserClose.seq > open.seq, "reopened before the browser closed the dead socket");
});

test("minUptime: short-lived connections count as failed retries (giveup), long enough ones reset the counter", async () => {
  const page = await suite.page();
  // Every connection is closed by the server with 4001 after 300 ms.
  const url = suite.ws({ close: 4001, closeAfter: 300 });
  await page.evaluate((url) => {
    const reconnect = { delay: 50, factor: 2, jitter: 0, maxRetries: 2 };
    window.hbt.create("short", { url, reconnect: { ...reconnect, minUptime: 5000 } });
    window.hbt.create("long", { url, reconnect: { ...reconnect, minUptime: 100 } });
  }, url);
  const giveup = await hbWait(page, "short", { type: "giveup" }, { timeout: 5000 });
  assert.equal(giveup.attempts, 3);
  const short = await hbLog(page, "short", "reconnecting");
  assert.deepEqual(
    short.map((e) => [e.attempt, e.delay]),
    [
      [1, 50],
      [2, 100],
    ],
    "uptime below minUptime: the retry counter keeps growing",
  );
  assert.deepEqual(
    (await hbLog(page, "short", "open")).map((e) => e.attempt),
    [1, 2, 3],
  );
  assert.equal(await hbState(page, "short"), "closed");

  // Same server behaviour, minUptime 100: every connection counts as up, so it never gives up.
  await hbWait(page, "long", { type: "reconnecting" }, { count: 4, timeout: 5000 });
  const long = await hbLog(page, "long", "reconnecting");
  assert.ok(long.every((e) => e.attempt === 1 && e.delay === 50), JSON.stringify(long.map((e) => [e.attempt, e.delay])));
  assert.deepEqual(await hbLog(page, "long", "giveup"), []);
  await page.evaluate(() => window.hbt.sockets.long.close());
});

test("reconnect:false: a server close ends the socket (state closed, willReconnect false)", async () => {
  const page = await suite.page();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, reconnect: false }, { tap: true }),
    suite.ws({ close: 4001, closeAfter: 100 }),
  );
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.willReconnect], [4001, false]);
  await page.evaluate(() => window.hbt.sleep(300));
  assert.equal(await hbState(page, "a"), "closed");
  assert.equal(await hbConnects(page, "a"), 1);
});
