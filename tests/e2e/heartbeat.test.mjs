// Heartbeat faults: swallowed pings (no-pong), slow pongs, server-driven heartbeats.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setupSuite, hbWait, hbLog, hbRaw, hbState, hbStats, connectionByLabel, waitUntil } from "./support.mjs";

const suite = setupSuite();

/** Creates socket "a"; reconnection waits long so a death leaves it "reconnecting". */
function create(page, url, heartbeat, extra = {}) {
  return page.evaluate(
    ([url, heartbeat, extra]) => window.hbt.create("a", { url, heartbeat, reconnect: { delay: 10000, jitter: 0 }, ...extra }, { tap: true }),
    [url, heartbeat, extra],
  );
}

/** Asserts that socket "a" stays open, without a close event, for `ms`. */
async function assertStaysOpen(page, ms) {
  await page.evaluate((ms) => window.hbt.sleep(ms), ms);
  assert.equal(await hbState(page, "a"), "open");
  assert.deepEqual(await hbLog(page, "a", "close"), [], "no close event");
}

/** Milliseconds from the open event to the (first) close event. */
async function lifetime(page) {
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 5000 });
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 5000 });
  return { ms: close.t - open.t, close };
}

function assertHeartbeatDeath(close) {
  assert.deepEqual([close.code, close.reason, close.willReconnect], [4000, "heartbeat timeout", true]);
}

test("no-pong + anyMessage:false: dies after interval + timeout although pushes keep arriving", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ mode: "no-pong", push: 50, label: "np" }), { interval: 200, timeout: 200, anyMessage: false });
  const { ms, close } = await lifetime(page);
  assertHeartbeatDeath(close);
  assert.ok(ms >= 390 && ms <= 400 + 300, `died ${ms.toFixed(1)} ms after open (interval + timeout = 400)`);
  const messages = (await hbLog(page, "a", "message")).filter((m) => m.seq < close.seq);
  assert.ok(messages.length >= 4, `pushes were delivered as messages (${messages.length})`);
  assert.equal(await hbState(page, "a"), "reconnecting");
  const raw = await hbRaw(page, "a");
  assert.ok(raw.some((r) => r.kind === "send" && r.data === "ping"), "the client pinged");
  assert.equal((await suite.server.api("/api/counters")).pongsOut, 0, "the server never ponged");
});

test("no-pong + anyMessage:true with pushes: inbound data proves liveness, the socket stays open", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ mode: "no-pong", push: 50, label: "np2" }), { interval: 300, timeout: 300, anyMessage: true });
  await hbWait(page, "a", { type: "open" });
  await assertStaysOpen(page, 1500);
  assert.ok((await hbLog(page, "a", "message")).length >= 15, "pushes keep arriving");
});

test("no-pong without traffic (anyMessage:true): dies after interval + timeout", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ mode: "no-pong", label: "np3" }), { interval: 200, timeout: 200 });
  const { ms, close } = await lifetime(page);
  assertHeartbeatDeath(close);
  assert.ok(ms >= 390 && ms <= 700, `died ${ms.toFixed(1)} ms after open`);
  const conn = (await suite.server.api("/api/counters"));
  assert.ok(conn.pingsIn >= 1 && conn.pongsOut === 0, JSON.stringify(conn));
});

test("slow pongs: pongDelay < timeout keeps the socket open, rtt ≈ pongDelay", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ pongDelay: 150, label: "slow" }), { interval: 200, timeout: 1000 });
  await hbWait(page, "a", { type: "heartbeat" }, { count: 3, timeout: 5000 });
  const beats = await hbLog(page, "a", "heartbeat");
  for (const beat of beats) assert.ok(beat.rtt >= 145 && beat.rtt <= 500, `rtt ${beat.rtt} ≈ 150`);
  assert.equal(await hbState(page, "a"), "open");
  assert.deepEqual(await hbLog(page, "a", "close"), []);
  const stats = await hbStats(page, "a");
  assert.ok(stats.lastRtt >= 145, `stats.lastRtt ${stats.lastRtt}`);
  const conn = await connectionByLabel(suite.server, "slow");
  assert.equal(conn.behaviour.pongDelay, 150);
});

test("slow pongs: pongDelay > timeout kills the connection after interval + timeout", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ pongDelay: 600, label: "slower" }), { interval: 200, timeout: 200 });
  const { ms, close } = await lifetime(page);
  assertHeartbeatDeath(close);
  assert.ok(ms >= 390 && ms <= 700, `died ${ms.toFixed(1)} ms after open`);
  assert.deepEqual(await hbLog(page, "a", "heartbeat"), [], "no pong arrived in time");
});

test("slow pongs set live through the API: the open connection dies", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ label: "live" }), { interval: 150, timeout: 600 });
  await hbWait(page, "a", { type: "heartbeat" }, { count: 2, timeout: 3000 });
  const conn = await connectionByLabel(suite.server, "live");
  await suite.server.api(`/api/connections/${conn.id}`, { pongDelay: 2000 });
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 4000 });
  assertHeartbeatDeath(close);
});

test("server pings: the client answers them (message:null + answer), pings are not messages, the link stays up", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ serverPing: 100, ping: "hb", pong: "ack", label: "sp" }), {
    interval: 300,
    timeout: 300,
    message: null,
    answer: { ping: "hb", pong: "ack" },
  });
  await hbWait(page, "a", { type: "open" });
  await assertStaysOpen(page, 1200);
  const conn = await connectionByLabel(suite.server, "sp");
  assert.ok(conn.serverPingsOut >= 8, `server pinged (${conn.serverPingsOut})`);
  assert.ok(conn.pongsIn >= conn.serverPingsOut - 2, `client answered: pongsIn ${conn.pongsIn} / serverPingsOut ${conn.serverPingsOut}`);
  assert.equal(conn.pingsIn, 0, "the client sends no pings of its own");
  assert.deepEqual(await hbLog(page, "a", "message"), [], "server pings are not delivered as messages");
  const raw = await hbRaw(page, "a");
  assert.ok(raw.filter((r) => r.kind === "send" && r.data === "ack").length >= 8, "answers are the pong text");
  assert.ok(!raw.some((r) => r.kind === "send" && r.data === "hb"), "no client ping");
  const stats = await hbStats(page, "a");
  assert.equal(stats.pingsSent, 0);

  // Application messages still flow.
  await page.evaluate(() => window.hbt.sockets.a.send("data"));
  await hbWait(page, "a", { type: "message", data: "data" });

  // The server stops pinging: silence of interval + timeout is death.
  await suite.server.api(`/api/connections/${conn.id}`, { serverPing: 0 });
  const close = await hbWait(page, "a", { type: "close" }, { timeout: 3000 });
  assertHeartbeatDeath(close);
  const lastIn = (await hbRaw(page, "a")).filter((r) => r.kind === "message" && r.seq < close.seq).at(-1);
  const silence = close.t - lastIn.t;
  assert.ok(silence >= 590 && silence <= 700, `dead ${silence.toFixed(1)} ms after the last server message (interval + timeout = 600)`);
});

test("server pings with the default texts: 'ping' answered with 'pong'", async () => {
  const page = await suite.page();
  await create(page, suite.ws({ serverPing: 100, label: "sp2" }), {
    interval: 300,
    timeout: 300,
    message: null,
    answer: { ping: "ping", pong: "pong" },
  });
  await hbWait(page, "a", { type: "open" });
  const conn = await waitUntil(
    async () => {
      const c = await connectionByLabel(suite.server, "sp2");
      return c.pongsIn >= 5 && c;
    },
    { message: "5 answered server pings" },
  );
  assert.equal(conn.messagesOut, conn.serverPingsOut, "the server sent only pings");
  assert.deepEqual(await hbLog(page, "a", "message"), []);
  assert.equal(await hbState(page, "a"), "open");
});
