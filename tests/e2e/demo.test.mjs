// End-to-end test of the demo page (demo/): it loads without console errors, its socket
// opens, the fault buttons visibly change what the page shows, side-by-side mode runs
// presets.article next to our options, and a full-page screenshot lands in ARTIFACTS.
//
// The steps share one page and run in order, each starting from the state the previous
// one left (like a person clicking through the demo). Timeouts are generous: the demo's
// own timings are short (interval 2 s, timeout 2 s, first retry ≤ 0.5 s), the machine
// may be slow.
//
// DEMO_SCREENSHOT=1 adds a longer last step that writes demo/screenshot.png (the README's).

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { ARTIFACTS, ROOT, launchBrowser, startDevServer } from "./support.mjs";

// Chromium logs a failed WebSocket handshake as a console error; refusing and stalling
// handshakes is what the fault buttons are for, so those lines are expected.
const EXPECTED_ERROR = /WebSocket connection to '[^']*' failed/;

let server;
let browser;
let page;

const panel = (key) => `[data-panel="${key}"]`;

/** Waits until panel `key` shows `state` (its data-state attribute drives the badge). */
async function waitForState(key, state, timeout = 15000) {
  await page.waitForFunction(
    ([selector, state]) => document.querySelector(selector)?.dataset.state === state,
    [panel(key), state],
    { timeout },
  );
}

const text = (selector) => page.locator(selector).first().innerText();

/** Clicks a fault button, after setting its number field when given. */
async function fault(id, value) {
  if (value !== undefined) await page.fill(`[data-param="${id}"]`, String(value));
  await page.click(`[data-fault="${id}"]`);
  // The status line says "busy" until the dev server has answered.
  await page.waitForFunction(() => document.querySelector("#action-status").dataset.kind !== "busy", null, { timeout: 5000 });
  assert.equal(await page.getAttribute("#action-status", "data-kind"), "ok", await text("#action-status"));
}

function unexpectedErrors() {
  return page.errors.filter((line) => !EXPECTED_ERROR.test(line));
}

describe("demo page", { timeout: 180_000 }, () => {
  before(async () => {
    server = await startDevServer();
    browser = await launchBrowser();
  });

  afterEach(async (t) => {
    if (t.passed || !page || page.isClosed()) return;
    // Leave a picture of what the page showed when the step failed, and its console.
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "demo-failure.png"), fullPage: true }).catch(() => {});
    process.stderr.write(`--- demo page console ---\n${page.consoleLines.map((l) => `[${l.type}] ${l.text}`).join("\n")}\n`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("loads without console errors and opens", async () => {
    page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${server.url}/demo/`);
    await waitForState("ours", "open");
    assert.equal(await text(`${panel("ours")} .state-badge`), "open");
    // One connection, tagged with the demo's label, so faults can find it.
    const connections = await server.api("/api/connections");
    assert.equal(connections.length, 1);
    assert.match(connections[0].label, /^demo-\w+-ours$/);
    // A pong shows up as an RTT in the stats (heartbeat interval 2 s).
    await page.waitForFunction((s) => /\d/.test(document.querySelector(s).textContent), `${panel("ours")} .stat-lastRtt dd`, {
      timeout: 10000,
    });
    assert.deepEqual(page.errors, []);
  });

  it("silent: the socket notices within interval + timeout and reconnects", async () => {
    const started = Date.now();
    await fault("silent");
    await page.waitForFunction((s) => document.querySelector(s).textContent.includes("4000 heartbeat timeout"), `${panel("ours")} .last-close`, {
      timeout: 15000,
    });
    const noticed = Date.now() - started;
    // interval 2000 + timeout 2000, plus slack for a loaded machine.
    assert.ok(noticed < 4000 + 3000, `noticed after ${noticed} ms`);
    assert.match(await text(`${panel("ours")} .fault-report`), /silent · noticed after/);
    // The retry gets a fresh (echo) connection.
    await waitForState("ours", "open");
    await page.waitForFunction((s) => /open again after/.test(document.querySelector(s).textContent), `${panel("ours")} .fault-report`, {
      timeout: 5000,
    });
  });

  it("refuse: retries fail with a countdown, back to normal gets it open again", async () => {
    // 30 s: long enough that only "back to normal" ends the outage.
    await fault("refuse", 30);
    await page.waitForSelector(`${panel("ours")} .attempt.failed >> nth=1`, { timeout: 15000 });
    assert.notEqual(await page.getAttribute(panel("ours"), "data-state"), "open");
    // Retry 3 waits 1-2 s (delay 500, factor 2, jitter 0.5): the countdown is visible.
    await page.waitForSelector(`${panel("ours")} .countdown:not([hidden])`, { timeout: 15000 });
    assert.match(await text(`${panel("ours")} .countdown`), /Retry #\d+ in/);
    assert.match(await text(`${panel("ours")} .attempts`), /failed/);
    assert.match(await text("#outage"), /Refusing upgrades/);

    await fault("normal");
    // The next retry is at most maxDelay (8 s) away.
    await waitForState("ours", "open", 20000);
    assert.match(await text(`${panel("ours")} .attempts`), /opened/);
  });

  it("options: a bad value shows the library's TypeError, a good one recreates the socket", async () => {
    await page.fill('[name="heartbeat.interval"]', "soon");
    await page.click('#options button[type="submit"]');
    await page.waitForSelector("#options .form-error:not([hidden])");
    assert.match(await text("#options .form-error"), /^heartbeat\.interval: expected a positive number/);
    assert.equal(await page.getAttribute('[name="heartbeat.interval"]', "class"), "invalid");

    await page.fill('[name="heartbeat.interval"]', "1000");
    await page.click('#options button[type="submit"]');
    await page.waitForSelector("#options .form-error", { state: "hidden" });
    await waitForState("ours", "open");
    assert.match(await page.locator(`${panel("ours")} pre`).textContent(), /interval: 1000/);
    // A new socket starts its own stats.
    await page.waitForFunction((s) => document.querySelector(s).textContent === "1", `${panel("ours")} .stat-opens dd`, { timeout: 5000 });
  });

  it("side by side: presets.article next to our options, faults hit both", async () => {
    await page.click("label.switch");
    await waitForState("article", "open");
    assert.match(await text(`${panel("article")} h2`), /presets\.article/);
    assert.match(page.url(), /\?compare/);
    const labels = (await server.api("/api/connections")).map((c) => c.label).sort();
    assert.equal(labels.length, 2);
    assert.match(labels[0], /-article$/);
    assert.match(labels[1], /-ours$/);

    // Slow pongs for a while: a bump in the RTT chart.
    await fault("slow-pongs", 600);
    await page.waitForFunction((s) => parseFloat(document.querySelector(s).textContent) >= 0.5, `${panel("ours")} .stat-lastRtt dd`, {
      timeout: 10000,
    });
    await fault("normal");

    // A server close reaches both; the article retries after a fixed 5 s.
    await fault("close-4001");
    for (const key of ["ours", "article"]) {
      await page.waitForFunction((s) => document.querySelector(s).textContent.includes("4001 kicked by the server"), `${panel(key)} .last-close`, {
        timeout: 10000,
      });
    }
    await page.waitForSelector(`${panel("article")} .countdown:not([hidden])`, { timeout: 5000 });
    await waitForState("ours", "open");
    await waitForState("article", "open", 20000);
    assert.match(await text(`${panel("article")} .attempts`), /5\.00 s \/ 5\.00 s/);

    // 1008 (policy violation) is not retried by default: both end closed, and "Reconnect
    // now" (socket.reconnect()) revives them.
    await fault("close-1008");
    for (const key of ["ours", "article"]) {
      await page.waitForFunction((s) => document.querySelector(s).textContent.includes("1008 policy violation"), `${panel(key)} .last-close`, {
        timeout: 10000,
      });
      await waitForState(key, "closed");
    }
    await page.click("#reconnect");
    await waitForState("ours", "open");
    await waitForState("article", "open");

    // Silent on both: ours notices within interval + timeout (now 1 s + 2 s); the
    // article's 10 s + 10 s heartbeat has not noticed by then.
    await fault("silent");
    await page.waitForFunction((s) => /silent · noticed after/.test(document.querySelector(s).textContent), `${panel("ours")} .fault-report`, {
      timeout: 10000,
    });
    assert.equal(await page.getAttribute(`${panel("article")} .fault-report`, "data-status"), "pending");
    assert.equal(await page.getAttribute(panel("article"), "data-state"), "open");
    await waitForState("ours", "open");
  });

  it("screenshot", async () => {
    // Let the RTT line of the new connection grow a little, then take the picture.
    await page.waitForTimeout(2500);
    await page.mouse.move(0, 0); // no hover highlight in the picture
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, "demo.png");
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 10_000);
    assert.deepEqual(unexpectedErrors(), []);
  });

  // The README's picture: about 50 s more, so the charts have a minute of history.
  it("screenshot for the README (DEMO_SCREENSHOT=1)", { skip: !process.env.DEMO_SCREENSHOT }, async () => {
    await fault("normal");
    await page.waitForTimeout(3000);
    await fault("slow-pongs", 250);
    await page.waitForTimeout(4000);
    await fault("slow-pongs", 700);
    await page.waitForTimeout(4000);
    await fault("normal");
    await page.waitForTimeout(3000);
    await fault("refuse", 3);
    await page.waitForTimeout(7000);
    await waitForState("ours", "open", 20000);
    await fault("push", 1500);
    await page.fill("#send-form input", "hello");
    await page.click("#send-form button[type=submit]");
    await page.waitForTimeout(2000);
    // The contrast the demo is about: ours notices a silent server within seconds, the
    // article's hand-written heartbeat after up to 20 s, then waits 5 s to retry.
    await fault("silent");
    await page.waitForFunction((s) => /noticed after/.test(document.querySelector(s).textContent), `${panel("article")} .fault-report`, {
      timeout: 30000,
    });
    await page.waitForTimeout(1200);
    await page.mouse.move(0, 0);
    const file = path.join(ROOT, "demo", "screenshot.png");
    await page.screenshot({ path: file, fullPage: true });
    fs.copyFileSync(file, path.join(ARTIFACTS, "demo-readme.png"));
    assert.deepEqual(unexpectedErrors(), []);
  });
});
