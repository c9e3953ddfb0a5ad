// The soak: 20 sockets in headless Chromium against the dev server, which suffers a random
// fault every 0.5–3 s (a silent connection, a TCP reset, a refused or stalled upgrade, a
// slow pong, a close code, a stalled handshake, a restart of the server), driven from here
// through the dev server's control API and query parameters. Every socket sends numbered
// messages. At the end, per socket: every message was echoed once, in order, or reported by
// a drop event, or was on the wire when its connection died (tests/reliability/ledger.mjs);
// never more than one live socket (in the page, and in the server's list of connections per
// label); wasm memory, page listeners and timers back to their baseline.
//
//   SOAK_SECONDS=300 node --test tests/soak/   (make soak; make test runs 60 s: test-soak)
//   SOAK_SEED=1234 replays the same faults in the same order.
// Needs pkg/ (make build; HEARTBEAT_WS_PKG=dir serves another build), the dev server
// (cargo build -p heartbeat-ws-devserver) and Chromium.
// Writes its figures to target/soak/results.json.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { ROOT, freePort, launchBrowser, sleep, startDevServer, waitUntil } from "../e2e/support.mjs";

const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const SEED = Number(process.env.SOAK_SEED || Date.now() % 100000);
const SOCKETS = 20;
const SEND_EVERY_MS = 50;
const OPTIONS = {
  heartbeat: { interval: 1000, timeout: 1000 },
  reconnect: { delay: 200, maxDelay: 2000, jitter: 0.5, minUptime: 2000 },
  connectTimeout: 2000,
  queue: { max: 40 },
};
// Codes a server may close with that the default policy retries.
const CLOSE_CODES = [1000, 1001, 1011, 1012, 1013, 4000, 4001];

/** A small seeded generator (mulberry32): the same seed gives the same faults. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`soak: ${SOCKETS} sockets under random faults for ${SECONDS} s (seed ${SEED})`, { timeout: (SECONDS + 180) * 1000 }, async (t) => {
  const rand = random(SEED);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const between = (low, high) => Math.round(low + rand() * (high - low));

  // The page comes from one server; the sockets go to another, which faults and restarts.
  const pkg = process.env.HEARTBEAT_WS_PKG || "pkg"; // another build, e.g. of an older commit
  const pages = await startDevServer({ statics: { "/": "tests/soak/page", "/pkg": pkg, "/reliability": "tests/reliability" }, args: ["--quiet"] });
  const port = await freePort();
  // Restarted on the same port (the sockets' URLs name it); a port just released can take
  // a moment to bind again.
  async function startFaulty() {
    for (let tries = 1; ; tries++) {
      try {
        return await startDevServer({ statics: {}, args: ["--port", String(port), "--quiet"] });
      } catch (error) {
        if (tries === 5) throw error;
        await sleep(200);
      }
    }
  }
  let faulty = await startFaulty();
  const wsUrl = faulty.wsUrl;
  const browser = await launchBrowser();
  const api = (apiPath, body) => faulty.api(apiPath, body);

  try {
    const page = await browser.newPage(`${pages.url}/`);
    const baseline = await page.evaluate(() => window.soak.load());
    await page.evaluate((config) => window.soak.start(config), { wsUrl, count: SOCKETS, every: SEND_EVERY_MS, options: OPTIONS });
    await sleep(500);
    const running = await page.evaluate(() => window.soak.resources());
    // The counts can fall back to the baseline only if they rose: each socket watches the
    // network and the page's visibility, and keeps a timer.
    assert.ok(running.listeners >= baseline.listeners + SOCKETS, `page listeners while running: ${running.listeners}`);
    assert.ok(running.timers >= baseline.timers + SOCKETS, `pending timers while running: ${running.timers}`);

    /** The newest open connection of socket `index` on the server, if any. */
    async function connectionOf(index) {
      const list = await api("/api/connections");
      return list.filter((connection) => connection.label === `s${index}` && connection.state === "open").pop();
    }
    async function patch(body) {
      for (let tries = 0; tries < 3; tries++) {
        const connection = await connectionOf(between(0, SOCKETS - 1));
        if (connection) return api(`/api/connections/${connection.id}`, body).then(() => true, () => false);
      }
      return false;
    }

    const FAULTS = {
      silent: () => patch({ mode: "silent" }),
      "TCP reset": () => patch({ drop: { after: 0 } }),
      "slow pong": () => patch({ pongDelay: between(1500, 4000) }),
      "close code": () => patch({ close: { code: pick(CLOSE_CODES), reason: "soak" } }),
      "refused upgrades": () => api("/api/refuse", { ms: between(300, 2500), status: pick([502, 503]) }).then(() => true),
      "stalled upgrades": () => api("/api/stall", { ms: between(300, 2500) }).then(() => true),
      "stalled handshake (query)": () => page.evaluate(([index]) => window.soak.nextAttempt(index, "&mode=stall"), [between(0, SOCKETS - 1)]).then(() => true),
      "server restart": async () => {
        await faulty.stop();
        await sleep(between(100, 1500));
        faulty = await startFaulty();
        return true;
      },
    };
    const faults = Object.fromEntries(Object.keys(FAULTS).map((kind) => [kind, 0]));

    // Meanwhile, the server's view: never two live connections of one socket. A connection
    // the client gave up on stays listed until its close completes; a silent one (which the
    // server never closes) is left out, as are connections that had no chance to close yet.
    let serverMaxLive = 0;
    const overlaps = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          const list = await api("/api/connections");
          const byLabel = {};
          for (const connection of list) {
            if (connection.state !== "open" || connection.behaviour.mode === "silent") continue;
            (byLabel[connection.label] = byLabel[connection.label] || []).push(connection);
          }
          for (const [label, connections] of Object.entries(byLabel)) {
            serverMaxLive = Math.max(serverMaxLive, connections.length);
            if (connections.length > 1) overlaps.push({ label, ids: connections.map((c) => c.id) });
          }
        } catch (restarting) {
          // The server is restarting.
        }
        await sleep(200);
      }
    })();

    const end = Date.now() + SECONDS * 1000;
    while (Date.now() < end) {
      await sleep(between(500, 3000));
      const kind = pick(Object.keys(FAULTS));
      if (await FAULTS[kind]()) faults[kind] += 1;
    }
    sampling = false;
    await sampler;

    // Calm: no windows, every socket open with nothing queued, the last echoes back.
    await api("/api/reset", {});
    await page.evaluate(() => window.soak.stopSending());
    await waitUntil(() => page.evaluate(() => window.soak.settled()), {
      timeout: 30000,
      message: "every socket open with an empty queue",
    }).catch(async (error) => {
      throw new Error(`${error.message}; states: ${await page.evaluate(() => window.soak.states())}`);
    });
    await sleep(1500);
    const results = await page.evaluate(() => window.soak.finish());
    await sleep(500); // close() frees the wasm side in a microtask; timers are cleared at once
    const after = await page.evaluate(() => window.soak.resources());

    const total = (key) => results.reduce((sum, result) => sum + result.summary[key], 0);
    const figures = {
      seconds: SECONDS,
      seed: SEED,
      sockets: SOCKETS,
      faults,
      messages: {
        sent: total("sent"),
        echoed: total("echoed"),
        dropped: total("dropped"),
        lostInFlight: total("lostInFlight"),
        duplicated: total("duplicated"),
        reordered: total("reordered"),
        writtenNotOpen: total("writtenNotOpen"),
        unaccounted: total("unaccounted"),
      },
      connectionsCarryingMessages: total("sockets"),
      opens: results.reduce((sum, result) => sum + result.opens, 0),
      maxLiveInPage: Math.max(...results.map((result) => result.maxLive)),
      maxLiveOnServer: serverMaxLive,
      resources: { baseline, running, after },
      pageErrors: page.errors.filter((line) => line.startsWith("uncaught")),
    };
    fs.mkdirSync(path.join(ROOT, "target", "soak"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, "target", "soak", "results.json"), JSON.stringify({ figures, results }, null, 2));
    t.diagnostic(JSON.stringify(figures));

    for (const result of results) {
      assert.deepEqual(result.broken, [], `${result.label}: every message echoed once in order, dropped with an event, or lost in flight`);
      assert.ok(result.summary.echoed > 0, `${result.label}: echoes arrived`);
      assert.ok(result.maxLive <= 1, `${result.label}: ${result.maxLive} live transport sockets at once`);
    }
    assert.deepEqual(overlaps, [], "the server never saw two live connections of one socket");
    assert.deepEqual(figures.pageErrors, [], "no uncaught exception in the page");
    assert.ok(Object.values(faults).reduce((sum, n) => sum + n, 0) >= SECONDS / 3, `faults injected: ${JSON.stringify(faults)}`);
    assert.equal(after.listeners, baseline.listeners, "page listeners back to the baseline");
    assert.equal(after.timers, baseline.timers, "pending timers back to the baseline");
    assert.ok(after.memoryBytes - baseline.memoryBytes <= 2 * 65536, `wasm memory grew by ${after.memoryBytes - baseline.memoryBytes} bytes`);
  } finally {
    await browser.close();
    await faulty.stop();
    await pages.stop();
  }
});
