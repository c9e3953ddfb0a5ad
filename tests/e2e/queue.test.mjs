// The send queue: messages sent while down are flushed in order before the open event;
// overflow policies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setupSuite, hbWait, hbLog, hbRaw, hbStats, connectionByLabel } from "./support.mjs";

const suite = setupSuite();

/** Socket "a" against a refuse window, so it stays down for about `ms`. */
async function createDown(page, label, queue, ms = 600) {
  await suite.server.api("/api/refuse", { ms });
  await page.evaluate(
    ([url, queue]) =>
      window.hbt.create("a", { url, queue, reconnect: { delay: 100, factor: 1, jitter: 0 } }, { tap: true }),
    [suite.ws({ label }), queue],
  );
}

function send(page, items) {
  return page.evaluate((items) => items.map((item) => window.hbt.sockets.a.send(item)), items);
}

/** Raw sends on connection `conn` and the open event that followed them. */
async function flushed(page, openEvent, conn) {
  const raw = await hbRaw(page, "a");
  return raw.filter((r) => r.kind === "send" && r.conn === conn).map((r) => ({ data: r.data, beforeOpen: r.seq < openEvent.seq }));
}

test("messages sent while connecting are flushed in order on open, before the open event", async () => {
  const page = await suite.page();
  await createDown(page, "q", undefined);
  const results = await send(page, ["q1", "q2", "q3", "q4", "q5"]);
  assert.deepEqual(results, [false, false, false, false, false], "send() returns false while queued");
  assert.equal((await hbStats(page, "a")).queued, 5);
  const open = await hbWait(page, "a", { type: "open" }, { timeout: 5000 });
  assert.ok(open.attempt >= 2, "the refuse window made attempts fail first");
  const sends = await flushed(page, open, open.attempt);
  assert.deepEqual(sends.map((s) => s.data), ["q1", "q2", "q3", "q4", "q5"]);
  assert.ok(sends.every((s) => s.beforeOpen), "flushed before the open event");
  await hbWait(page, "a", { type: "message" }, { count: 5 });
  assert.deepEqual((await hbLog(page, "a", "message")).map((m) => m.data), ["q1", "q2", "q3", "q4", "q5"]);
  const stats = await hbStats(page, "a");
  assert.deepEqual([stats.queued, stats.dropped, stats.messagesOut], [0, 0, 5]);
});

test("messages sent while reconnecting are flushed in order after the reconnect, before open", async () => {
  const page = await suite.page();
  await page.evaluate(
    (url) => {
      let attempt = 0;
      window.hbt.create("a", { url: () => `${url}&n=${++attempt}`, reconnect: { delay: 300, jitter: 0 } }, { tap: true });
    },
    suite.ws({ label: "rq" }),
  );
  await hbWait(page, "a", { type: "open" });
  assert.deepEqual(await send(page, ["before"]), [true]);
  await hbWait(page, "a", { type: "message", data: "before" });
  const conn = await connectionByLabel(suite.server, "rq");
  await suite.server.api(`/api/connections/${conn.id}`, { drop: { after: 0 } });
  await hbWait(page, "a", { type: "reconnecting" }, { timeout: 3000 });
  assert.deepEqual(await send(page, ["a", "b", "c", new Uint8Array([1, 2, 3]), "d"]), [false, false, false, false, false]);
  const open = await hbWait(page, "a", { type: "open", reconnected: true }, { timeout: 3000 });
  const sends = await flushed(page, open, 2);
  assert.deepEqual(
    sends.map((s) => (typeof s.data === "string" ? s.data : s.data.bytes)),
    ["a", "b", "c", [1, 2, 3], "d"],
    "flushed in order on the new connection",
  );
  assert.ok(sends.every((s) => s.beforeOpen), "before the open event");
  await hbWait(page, "a", { type: "message", data: "d" }, { timeout: 3000 });
  const messages = (await hbLog(page, "a", "message")).map((m) => m.data);
  assert.deepEqual(messages, ["before", "a", "b", "c", { kind: "ArrayBuffer", bytes: [1, 2, 3] }, "d"]);
  const second = await connectionByLabel(suite.server, "rq");
  assert.equal(second.messagesIn, 5);
});

test("drop-oldest overflow: the oldest queued messages are dropped with drop events", async () => {
  const page = await suite.page();
  await createDown(page, "do", { max: 3, overflow: "drop-oldest" });
  assert.deepEqual(await send(page, ["m1", "m2", "m3", "m4", "m5"]), [false, false, false, false, false]);
  const drops = await hbLog(page, "a", "drop");
  assert.deepEqual(drops.map((d) => d.data), ["m1", "m2"]);
  for (const drop of drops) assert.ok(typeof drop.reason === "string" && drop.reason.length > 0, `drop reason ${drop.reason}`);
  const stats = await hbStats(page, "a");
  assert.deepEqual([stats.queued, stats.dropped], [3, 2]);
  await hbWait(page, "a", { type: "message" }, { count: 3, timeout: 5000 });
  assert.deepEqual((await hbLog(page, "a", "message")).map((m) => m.data), ["m3", "m4", "m5"]);
});

test("drop-newest overflow: new messages are dropped while the queue is full", async () => {
  const page = await suite.page();
  await createDown(page, "dn", { max: 3, overflow: "drop-newest" });
  assert.deepEqual(await send(page, ["m1", "m2", "m3", "m4", "m5"]), [false, false, false, false, false]);
  assert.deepEqual((await hbLog(page, "a", "drop")).map((d) => d.data), ["m4", "m5"]);
  await hbWait(page, "a", { type: "message" }, { count: 3, timeout: 5000 });
  assert.deepEqual((await hbLog(page, "a", "message")).map((m) => m.data), ["m1", "m2", "m3"]);
});

test("throw overflow: send throws when the queue is full, nothing is dropped", async () => {
  const page = await suite.page();
  await createDown(page, "th", { max: 2, overflow: "throw" });
  const result = await page.evaluate(() => {
    const s = window.hbt.sockets.a;
    const out = [s.send("m1"), s.send("m2")];
    try {
      s.send("m3");
      out.push("no throw");
    } catch (e) {
      out.push(e.message);
    }
    return out;
  });
  assert.equal(result[0], false);
  assert.equal(result[1], false);
  assert.match(result[2], /full/);
  assert.deepEqual(await hbLog(page, "a", "drop"), []);
  await hbWait(page, "a", { type: "message" }, { count: 2, timeout: 5000 });
  assert.deepEqual((await hbLog(page, "a", "message")).map((m) => m.data), ["m1", "m2"]);
});

test("queue.maxBytes counts UTF-8 bytes (drop-oldest)", async () => {
  const page = await suite.page();
  await createDown(page, "mb", { maxBytes: 10, overflow: "drop-oldest" });
  // "ééé" is 6 UTF-8 bytes (3 UTF-16 units): 6 + 4 = 10 fits, one more byte does not.
  await send(page, ["ééé", "abcd"]);
  assert.deepEqual(await hbLog(page, "a", "drop"), [], "10 bytes fit in maxBytes 10");
  await send(page, ["x"]);
  assert.deepEqual((await hbLog(page, "a", "drop")).map((d) => d.data), ["ééé"]);
  await hbWait(page, "a", { type: "message" }, { count: 2, timeout: 5000 });
  assert.deepEqual((await hbLog(page, "a", "message")).map((m) => m.data), ["abcd", "x"]);
});

test("queue:false: send while not open throws", async () => {
  const page = await suite.page();
  await createDown(page, "nq", false);
  const message = await page.evaluate(() => {
    try {
      window.hbt.sockets.a.send("x");
      return "no throw";
    } catch (e) {
      return e.message;
    }
  });
  assert.match(message, /not open/);
});
