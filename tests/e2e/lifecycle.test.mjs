// Lifecycle "auto" in the browser: offline/online (Playwright network emulation) and
// visibilitychange.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setupSuite, hbWait, hbLog, hbRaw, hbState, hbConnects, connectionByLabel } from "./support.mjs";

const suite = setupSuite();

const signals = (page) => page.evaluate(() => window.hbt.signals);

/** Simulates the page becoming visible (or hidden). */
function setVisibility(page, state) {
  return page.evaluate((state) => {
    Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
    Object.defineProperty(document, "hidden", { value: state === "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
    return window.hbt.signals.at(-1);
  }, state);
}

/** The first raw entry of `kind` after signal `signal`. */
async function firstAfter(page, signal, kind, data) {
  const raw = await hbRaw(page, "a");
  return raw.find((r) => r.seq > signal.seq && r.kind === kind && (data === undefined || r.data === data));
}

test("offline while open: probe ping at once, dead after the probe timeout, state offline, no attempts; online reconnects at once", async () => {
  const page = await suite.page();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, heartbeat: { interval: 10000, timeout: 1000 }, reconnect: { delay: 100, jitter: 0 } }, { tap: true }),
    suite.ws({ label: "off" }),
  );
  await hbWait(page, "a", { type: "open" });
  await page.context().setOffline(true);
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 4000 });
  const offline = (await signals(page)).find((s) => s.kind === "offline");
  assert.ok(offline, "the page saw the offline event");
  const probe = await firstAfter(page, offline, "send", "ping");
  assert.ok(probe, "a probe ping was sent");
  assert.ok(probe.t - offline.t < 100, `probe sent ${(probe.t - offline.t).toFixed(1)} ms after offline`);
  // Network emulation blocks the open socket, so the probe (timeout min(1000, 3000)) fails.
  assert.deepEqual([close.code, close.reason], [4000, "heartbeat timeout"]);
  const waited = close.t - probe.t;
  assert.ok(waited >= 990 && waited <= 1400, `probe timed out after ${waited.toFixed(1)} ms (1000)`);
  assert.equal(await hbState(page, "a"), "offline");
  const afterClose = await hbLog(page, "a");
  assert.ok(afterClose.some((e) => e.type === "statechange" && e.from === "open" && e.to === "offline"));
  assert.ok(!afterClose.some((e) => e.type === "reconnecting"), "no retry is scheduled while offline");

  await page.evaluate(() => window.hbt.sleep(800));
  assert.equal(await hbConnects(page, "a"), 1, "no attempt while offline");
  assert.equal(await hbState(page, "a"), "offline");

  await page.context().setOffline(false);
  const open = await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
  const online = (await signals(page)).find((s) => s.kind === "online");
  const connect = await firstAfter(page, online, "connect");
  assert.ok(connect.t - online.t < 100, `retried ${(connect.t - online.t).toFixed(1)} ms after online`);
  assert.equal(open.state, "open");
});

test("offline probe timeout is capped at 3000 ms (heartbeat.timeout 20000)", async () => {
  const page = await suite.page();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, heartbeat: { interval: 20000, timeout: 20000 }, reconnect: { delay: 100 } }, { tap: true }),
    suite.ws({ label: "cap" }),
  );
  await hbWait(page, "a", { type: "open" });
  await page.context().setOffline(true);
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 6000 });
  const offline = (await signals(page)).find((s) => s.kind === "offline");
  const probe = await firstAfter(page, offline, "send", "ping");
  assert.ok(probe && probe.t - offline.t < 100, "probe ping at once");
  const waited = close.t - probe.t;
  assert.ok(waited >= 2990 && waited <= 3400, `probe timed out after ${waited.toFixed(1)} ms (3000)`);
  assert.equal(await hbState(page, "a"), "offline");
});

test("created while offline: state offline, no attempt; online connects at once", async () => {
  const page = await suite.page();
  await page.context().setOffline(true);
  await page.evaluate((url) => window.hbt.create("a", { url, reconnect: { delay: 100 } }, { tap: true }), suite.ws({ label: "late" }));
  await page.evaluate(() => window.hbt.sleep(600));
  assert.equal(await hbState(page, "a"), "offline");
  assert.equal(await hbConnects(page, "a"), 0, "no attempt while offline");
  await page.context().setOffline(false);
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 3000 });
  const online = (await signals(page)).find((s) => s.kind === "online");
  const connect = await firstAfter(page, online, "connect");
  assert.ok(connect.t - online.t < 100, `connected ${(connect.t - online.t).toFixed(1)} ms after online`);
  assert.deepEqual([open.attempt, open.reconnected], [1, false]);
});

test("offline while waiting to retry: attempts stop; online retries at once", async () => {
  const page = await suite.page();
  await page.evaluate(
    ([refused, echo]) => {
      window.useEcho = false;
      window.hbt.create(
        "a",
        { url: () => (window.useEcho ? echo : refused), reconnect: { delay: 300, factor: 1, jitter: 0 } },
        { tap: true },
      );
    },
    [suite.ws({ mode: "refuse" }), suite.ws({ label: "back" })],
  );
  await hbWait(page, "a", { type: "reconnecting" });
  await page.context().setOffline(true);
  await hbWait(page, "a", { type: "statechange", to: "offline" }, { timeout: 2000 });
  const before = await hbConnects(page, "a");
  await page.evaluate(() => window.hbt.sleep(1000));
  assert.equal(await hbConnects(page, "a"), before, "no attempt while offline (the 300 ms retry was cancelled)");
  assert.equal(await hbState(page, "a"), "offline");
  await page.evaluate(() => (window.useEcho = true));
  await page.context().setOffline(false);
  await hbWait(page, "a", { type: "open" }, { timeout: 3000 });
  const online = (await signals(page)).find((s) => s.kind === "online");
  const connect = await firstAfter(page, online, "connect");
  assert.ok(connect.t - online.t < 100, `retried ${(connect.t - online.t).toFixed(1)} ms after online`);
});

test("visibilitychange to visible while reconnecting: immediate retry instead of the 5 s wait", async () => {
  const page = await suite.page();
  await page.evaluate(
    ([refused, echo]) =>
      window.hbt.create("a", { url: window.hbt.switching(refused, echo), reconnect: { delay: 5000, jitter: 0 } }, { tap: true }),
    [suite.ws({ mode: "refuse" }), suite.ws({ label: "vis" })],
  );
  const waiting = await hbWait(page, "a", { type: "reconnecting" });
  assert.equal(waiting.delay, 5000);
  const visible = await setVisibility(page, "visible");
  assert.equal(visible.visibilityState, "visible");
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 2000 });
  const connect = await firstAfter(page, visible, "connect");
  assert.ok(connect.t - visible.t < 100, `retried ${(connect.t - visible.t).toFixed(1)} ms after visibilitychange`);
  assert.ok(open.t - waiting.t < 2000, "did not wait for the 5 s backoff");
});

test("visibilitychange to visible while open: a probe ping checks the connection", async () => {
  const page = await suite.page();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, heartbeat: { interval: 10000, timeout: 1000 } }, { tap: true }),
    suite.ws({ label: "probe" }),
  );
  await hbWait(page, "a", { type: "open" });
  const hidden = await setVisibility(page, "hidden");
  assert.equal(hidden.visibilityState, "hidden");
  const visible = await setVisibility(page, "visible");
  const beat = await hbWait(page, "a", { type: "heartbeat" }, { timeout: 2000 });
  const probe = await firstAfter(page, visible, "send", "ping");
  assert.ok(probe && probe.t - visible.t < 100, "probe ping at once");
  assert.ok(beat.seq > probe.seq && beat.rtt < 1000);
  assert.equal(await hbState(page, "a"), "open");
  const conn = await connectionByLabel(suite.server, "probe");
  assert.equal(conn.pingsIn, 1);
});

test("lifecycle:false ignores offline/online and visibility signals", async () => {
  const page = await suite.page();
  await page.evaluate(
    ([refused, echo]) =>
      window.hbt.create(
        "a",
        { url: window.hbt.switching(refused, echo), lifecycle: false, reconnect: { delay: 1500, jitter: 0 } },
        { tap: true },
      ),
    [suite.ws({ mode: "refuse" }), suite.ws({ label: "nolc" })],
  );
  const waiting = await hbWait(page, "a", { type: "reconnecting" });
  await setVisibility(page, "visible");
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.evaluate(() => window.hbt.sleep(500));
  assert.equal(await hbConnects(page, "a"), 1, "no early retry");
  assert.equal(await hbState(page, "a"), "reconnecting");
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 4000 });
  assert.ok(open.t - waiting.t >= 1490, "waited for the backoff delay");
});

test("visible while open on a half-open link: the probe (timeout min(timeout, 3000)) detects it early", async () => {
  const page = await suite.page();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, heartbeat: { interval: 10000, timeout: 1000 }, reconnect: { delay: 5000 } }, { tap: true }),
    suite.ws({ label: "half" }),
  );
  await hbWait(page, "a", { type: "open" });
  const conn = await connectionByLabel(suite.server, "half");
  await suite.server.api(`/api/connections/${conn.id}`, { mode: "silent" });
  const visible = await setVisibility(page, "visible");
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assert.deepEqual([close.code, close.reason, close.willReconnect], [4000, "heartbeat timeout", true]);
  const probe = await firstAfter(page, visible, "send", "ping");
  assert.ok(probe && probe.t - visible.t < 100, "probe ping at once");
  const waited = close.t - probe.t;
  assert.ok(waited >= 990 && waited <= 1400, `probe timed out after ${waited.toFixed(1)} ms (1000), not after the 10 s interval`);
});
