// Open, echo (text and binary), heartbeat RTT and stats, server pushes, close(), secrets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setupSuite, hbWait, hbLog, hbRaw, hbState, hbStats, connectionByLabel, waitUntil, freePort } from "./support.mjs";

const suite = setupSuite();

test("echo: text, ArrayBuffer and typed-array views round trip byte for byte", async () => {
  const page = await suite.page();
  const url = suite.ws({ label: "echo" });
  await page.evaluate((url) => window.hbt.create("a", { url }), url);
  const open = await hbWait(page, "a", { type: "open" });
  assert.deepEqual([open.attempt, open.reconnected, open.state], [1, false, "open"]);

  const sent = await page.evaluate(() => {
    const s = window.hbt.sockets.a;
    const buffer = new ArrayBuffer(256);
    new Uint8Array(buffer).forEach((_, i, a) => (a[i] = i));
    const big = new Uint8Array(70000).map((_, i) => (i * 7) & 255);
    const backing = new Uint8Array(32).map((_, i) => 200 + i);
    const view = new Uint8Array(backing.buffer, 3, 5); // offset view: only its 5 bytes go out
    const words = new Uint16Array([0x0102, 0xfffe, 0x8000]);
    const wordsView = words.subarray(1); // offset 2 bytes into the buffer
    const dataView = new DataView(backing.buffer, 10, 4);
    const results = [
      s.send("hello"),
      s.send("héllo ✓ 𝄞 \u0000 end"),
      s.send(""),
      s.send(buffer),
      s.send(view),
      s.send(wordsView),
      s.send(dataView),
      s.send(big.buffer),
    ];
    const bytes = (v) => Array.from(new Uint8Array(v.buffer ?? v, v.byteOffset ?? 0, v.byteLength));
    return { results, expect: [bytes(buffer), bytes(view), bytes(wordsView), bytes(dataView), bytes(big)] };
  });
  assert.deepEqual(sent.results, Array(8).fill(true), "send() returns true on an open socket");

  await hbWait(page, "a", { type: "message" }, { count: 8 });
  const messages = (await hbLog(page, "a", "message")).map((e) => e.data);
  assert.equal(messages.length, 8);
  assert.deepEqual(messages.slice(0, 3), ["hello", "héllo ✓ 𝄞 \u0000 end", ""]);
  for (const [i, bytes] of sent.expect.entries()) {
    assert.equal(messages[3 + i].kind, "ArrayBuffer", `binary message ${i} arrives as an ArrayBuffer`);
    assert.deepEqual(messages[3 + i].bytes, bytes, `binary message ${i} round trips byte for byte`);
  }
  const stats = await hbStats(page, "a");
  assert.equal(stats.messagesOut, 8);
  assert.equal(stats.messagesIn, 8);
  assert.equal(stats.opens, 1);
  assert.equal(stats.queued, 0);
  const conn = await connectionByLabel(suite.server, "echo");
  assert.equal(conn.messagesIn, 8, "the server saw exactly the 8 user messages");
});

test("heartbeat: pings are answered, heartbeat events carry the RTT, pongs are swallowed, stats count them", async () => {
  const page = await suite.page();
  const url = suite.ws({ label: "hb" });
  await page.evaluate((url) => window.hbt.create("a", { url, heartbeat: { interval: 150, timeout: 500 } }, { tap: true }), url);
  await hbWait(page, "a", { type: "open" });
  const third = await hbWait(page, "a", { type: "heartbeat" }, { count: 3 });
  const beats = (await hbLog(page, "a", "heartbeat")).slice(0, 3);
  for (const beat of beats) {
    assert.equal(typeof beat.rtt, "number");
    assert.ok(beat.rtt >= 0 && beat.rtt < 500, `rtt ${beat.rtt} within the timeout`);
  }
  // Pings go out after `interval` without traffic.
  const open = (await hbLog(page, "a", "open"))[0];
  assert.ok(beats[0].t - open.t >= 140, `first ping after the interval (${beats[0].t - open.t} ms)`);
  for (let i = 1; i < 3; i++) assert.ok(beats[i].t - beats[i - 1].t >= 140, `pings one interval apart`);
  assert.equal((await hbLog(page, "a", "message")).length, 0, "pongs are not delivered as messages");

  const stats = await hbStats(page, "a");
  assert.ok(stats.pingsSent >= 3 && stats.pongsReceived >= 3, JSON.stringify(stats));
  assert.equal(typeof stats.lastRtt, "number");
  assert.ok(stats.lastRtt >= 0 && stats.lastRtt < 500);
  assert.equal(stats.messagesIn, 0, "pongs are not counted as messages");
  assert.equal(stats.messagesOut, 0, "pings are not counted as messages");
  const raw = await hbRaw(page, "a");
  assert.ok(raw.filter((r) => r.kind === "send" && r.data === "ping").length >= 3, "the heartbeat text is 'ping'");
  const conn = await connectionByLabel(suite.server, "hb");
  assert.ok(conn.pingsIn >= 3 && conn.pongsOut >= 3, JSON.stringify(conn));
  assert.ok(third.rtt >= 0);
});

test("heartbeat: custom ping/pong texts (server ?ping=hb&pong=ack)", async () => {
  const page = await suite.page();
  const url = suite.ws({ label: "custom", ping: "hb", pong: "ack" });
  await page.evaluate(
    (url) => window.hbt.create("a", { url, heartbeat: { interval: 100, timeout: 500, message: "hb", pong: "ack" } }),
    url,
  );
  await hbWait(page, "a", { type: "heartbeat" }, { count: 2 });
  assert.equal((await hbLog(page, "a", "message")).length, 0);
  const conn = await connectionByLabel(suite.server, "custom");
  assert.ok(conn.pingsIn >= 2 && conn.pongsOut >= 2, JSON.stringify(conn));
});

test("push: periodic server pushes arrive as message events, in order; API send arrives too", async () => {
  const page = await suite.page();
  const url = suite.ws({ label: "push", push: 80 });
  await page.evaluate((url) => window.hbt.create("a", { url, heartbeat: { interval: 200, timeout: 200 } }), url);
  await hbWait(page, "a", { type: "message", data: "push 5" }, { timeout: 5000 });
  const data = (await hbLog(page, "a", "message")).map((e) => e.data);
  assert.deepEqual(data.slice(0, 5), ["push 1", "push 2", "push 3", "push 4", "push 5"]);
  const conn = await connectionByLabel(suite.server, "push");
  assert.equal(conn.behaviour.push, 80);
  await suite.server.api(`/api/connections/${conn.id}`, { push: 0, send: "from the API" });
  await hbWait(page, "a", { type: "message", data: "from the API" });
  assert.equal(await hbState(page, "a"), "open");
  assert.equal((await hbLog(page, "a", "close")).length, 0);
});

test("close(): final — close event, state closed, no more attempts, events or timers", async () => {
  const page = await suite.page();
  const url = suite.ws({ label: "final" });
  await page.evaluate(
    (url) => window.hbt.create("a", { url, heartbeat: { interval: 150, timeout: 1000 }, reconnect: { delay: 0 } }, { tap: true }),
    url,
  );
  await hbWait(page, "a", { type: "heartbeat" });
  const result = await page.evaluate(() => {
    const s = window.hbt.sockets.a;
    const before = window.hbt.logs.a.length;
    s.close(1000, "done");
    const sync = window.hbt.logs.a.slice(before);
    const attempts = (f) => {
      try {
        f();
        return "no error";
      } catch (e) {
        return String(e.message);
      }
    };
    return {
      sync,
      state: s.state,
      sendAfter: attempts(() => s.send("x")),
      reconnectAfter: attempts(() => s.reconnect()),
      closeAgain: attempts(() => s.close()),
      length: window.hbt.logs.a.length,
    };
  });
  assert.equal(result.state, "closed");
  const close = result.sync.find((e) => e.type === "close");
  assert.ok(close, "close() reports a close event");
  assert.deepEqual([close.code, close.reason, close.willReconnect], [1000, "done", false]);
  assert.ok(result.sync.some((e) => e.type === "statechange" && e.to === "closed"));
  assert.match(result.sendAfter, /closed/, "send after close throws");
  assert.match(result.reconnectAfter, /closed/, "reconnect after close throws");
  assert.equal(result.closeAgain, "no error", "close() twice is harmless");

  // The server sees the client's close frame.
  await waitUntil(async () => !(await suite.server.api("/api/connections")).some((c) => c.label === "final"), {
    message: "the server to drop the connection",
  });
  assert.match(suite.server.logs(), /closed by client \(1000\)/);

  // Nothing happens afterwards, even when the page signals online / visible.
  await page.evaluate(async () => {
    window.dispatchEvent(new Event("online"));
    Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
    await window.hbt.sleep(700);
  });
  const after = await page.evaluate(() => ({
    length: window.hbt.logs.a.length,
    connects: window.hbt.connects.a,
    timers: window.hbt.pendingTimers(),
    state: window.hbt.sockets.a.state,
  }));
  assert.equal(after.length, result.length, "no event after close()");
  assert.equal(after.connects, 1, "no attempt after close()");
  assert.equal(after.timers, 0, "no timer left after close()");
  assert.equal(after.state, "closed");
  assert.equal((await suite.server.api("/api/counters")).connections, 1);
});

test("close() while waiting to reconnect: no further attempt, queued messages reported as dropped", async () => {
  const page = await suite.page();
  const port = await freePort();
  await page.evaluate(
    (url) => window.hbt.create("a", { url, reconnect: { delay: 300, jitter: 0 } }, { tap: true }),
    `ws://127.0.0.1:${port}/ws`,
  );
  await hbWait(page, "a", { type: "reconnecting" });
  const result = await page.evaluate(async () => {
    const s = window.hbt.sockets.a;
    const queued = [s.send("q1"), s.send("q2")];
    const before = window.hbt.logs.a.length;
    s.close();
    const sync = window.hbt.logs.a.slice(before);
    await window.hbt.sleep(800);
    return { queued, sync, later: window.hbt.logs.a.length - before - sync.length, connects: window.hbt.connects.a, state: s.state, timers: window.hbt.pendingTimers() };
  });
  assert.deepEqual(result.queued, [false, false], "send while down queues (returns false)");
  assert.deepEqual(
    result.sync.filter((e) => e.type === "drop").map((e) => e.data),
    ["q1", "q2"],
    "queued messages are reported as dropped on close()",
  );
  assert.ok(result.sync.some((e) => e.type === "statechange" && e.from === "reconnecting" && e.to === "closed"));
  assert.equal(result.later, 0, "no event after close()");
  assert.equal(result.connects, 1, "the pending retry was cancelled");
  assert.equal(result.state, "closed");
  assert.equal(result.timers, 0, "no timer left after close()");
});

test("secrets: a ?token=s3cret URL with debug:true never shows up in library console lines or error messages", async () => {
  const page = await suite.page();
  const port = await freePort();
  const urls = {
    ok: suite.ws({ label: "secret", token: "s3cret" }),
    refused: suite.ws({ mode: "refuse", token: "s3cret" }),
    badParam: suite.ws({ pongDelay: "abc", token: "s3cret" }),
    noServer: `ws://127.0.0.1:${port}/ws?token=s3cret`,
    notWs: `${suite.server.url}/ws?token=s3cret`,
    userinfo: `ws://user:s3cret@127.0.0.1:${port}/ws`,
  };
  const errors = await page.evaluate(async (urls) => {
    const thrown = [];
    const options = (url) => ({ url, debug: true, heartbeat: { interval: 100, timeout: 100 }, reconnect: { delay: 50, maxRetries: 1 } });
    const ok = window.hbt.create("ok", options(urls.ok));
    await window.hbt.wait("ok", { type: "heartbeat" });
    ok.send("hello");
    await window.hbt.wait("ok", { type: "message" });
    ok.close();
    for (const name of ["refused", "badParam", "noServer", "userinfo"]) {
      window.hbt.create(name, options(urls[name]));
    }
    window.hbt.create("notWs", options(() => urls.notWs));
    window.hbt.create("provider", options(() => Promise.reject(new Error(`cannot reach ${urls.noServer}`))));
    for (const name of ["refused", "badParam", "noServer", "userinfo", "notWs", "provider"]) {
      await window.hbt.wait(name, { type: "giveup" }, { timeout: 8000 });
    }
    for (const bad of [urls.notWs, "not a url ?token=s3cret", "ftp://h/?token=s3cret"]) {
      try {
        new window.hb.HeartbeatSocket({ url: bad, debug: true });
      } catch (e) {
        thrown.push(String(e.message));
      }
    }
    return { thrown, events: window.hbt.logs };
  }, urls);
  // Chromium itself logs "WebSocket connection to '<full url>' failed: ..." for failed
  // handshakes; that line comes from the browser, not the library, and is excluded.
  const browserLine = /^WebSocket connection to '.*' failed/;
  const libraryLines = page.consoleLines.filter((l) => !browserLine.test(l.text));
  assert.ok(
    libraryLines.some((l) => l.text.startsWith("heartbeat-ws: connecting to")),
    "debug:true logs to the console",
  );
  const leaks = libraryLines.filter((l) => l.text.includes("s3cret")).map((l) => l.text);
  assert.deepEqual(leaks, [], "no library console line contains the secret");
  const messages = Object.values(errors.events)
    .flat()
    .filter((e) => e.type === "error")
    .map((e) => e.message);
  assert.ok(messages.length >= 5, `error events were emitted (${messages.length})`);
  assert.deepEqual(messages.filter((m) => m.includes("s3cret")), [], "no error event contains the secret");
  assert.equal(errors.thrown.length, 3, "invalid urls are rejected by the constructor");
  assert.deepEqual(errors.thrown.filter((m) => m.includes("s3cret")), [], `no thrown message contains the secret: ${errors.thrown}`);
  assert.doesNotMatch(suite.server.logs(), /s3cret/, "the dev server does not log query strings");
});

test("options: async url provider, subprotocols, binary heartbeat with a pong predicate", async () => {
  const page = await suite.page();
  const url = suite.ws({ label: "opts" });
  await page.evaluate((url) => {
    window.hbt.create("a", {
      url: async () => url,
      protocols: ["chat.v2", "chat.v1"],
      heartbeat: {
        interval: 150,
        timeout: 1000,
        message: new Uint8Array([9, 8, 7]).buffer,
        pong: (data) => data instanceof ArrayBuffer && new Uint8Array(data)[0] === 9,
      },
    });
  }, url);
  await hbWait(page, "a", { type: "open" });
  await hbWait(page, "a", { type: "heartbeat" }, { count: 2, timeout: 3000 });
  assert.deepEqual(await hbLog(page, "a", "message"), [], "binary pongs matched by the predicate are swallowed");
  const conn = await connectionByLabel(suite.server, "opts");
  assert.ok(conn.messagesIn >= 2 && conn.pingsIn === 0, "binary pings are plain binary messages to the server");
});

test("onX handler properties and removeEventListener; debug as a function", async () => {
  const page = await suite.page();
  const url = suite.ws({ label: "props", token: "s3cret" });
  const result = await page.evaluate(async (url) => {
    const seen = [];
    const lines = [];
    const s = new window.hb.HeartbeatSocket({ url, debug: (line) => lines.push(line) });
    const removed = () => seen.push("removed listener called");
    s.addEventListener("message", removed);
    s.removeEventListener("message", removed);
    s.onopen = (e) => seen.push(`open ${e.attempt} ${e.reconnected}`);
    s.onmessage = (e) => seen.push(`message ${e.data}`);
    s.onstatechange = (e) => seen.push(`state ${e.from}->${e.to}`);
    s.onclose = (e) => seen.push(`close ${e.code} ${e.willReconnect}`);
    const handlerIsKept = typeof s.onmessage === "function";
    await new Promise((resolve) => {
      const check = () => (s.state === "open" ? resolve() : window.hbt.sleep(10).then(check));
      check();
    });
    s.send("one");
    await window.hbt.sleep(400);
    s.onmessage = null;
    s.send("two");
    await window.hbt.sleep(300);
    const stats = s.stats();
    s.close();
    return { seen, lines, stats, handlerIsKept };
  }, url);
  assert.ok(result.handlerIsKept, "the onmessage getter returns the handler");
  assert.deepEqual(result.seen, ["state connecting->open", "open 1 false", "message one", "close 1000 false", "state open->closed"]);
  assert.equal(result.stats.messagesIn, 2, "a message without listeners still counts");
  assert.ok(result.lines.length > 3, "the debug function receives lines");
  assert.ok(result.lines.every((l) => l.startsWith("heartbeat-ws: ")), result.lines.join("\n"));
  assert.deepEqual(result.lines.filter((l) => l.includes("s3cret")), []);
  assert.deepEqual(page.consoleLines, [], "debug as a function does not write to the console");
});

test("heartbeat:false: no pings, and inbound messages are still delivered", async () => {
  const page = await suite.page();
  await page.evaluate((url) => window.hbt.create("a", { url, heartbeat: false }, { tap: true }), suite.ws({ label: "nohb" }));
  await hbWait(page, "a", { type: "open" });
  await page.evaluate(() => window.hbt.sockets.a.send("one"));
  await hbWait(page, "a", { type: "message", data: "one" }, { timeout: 2000 });
  await page.evaluate(() => window.hbt.sleep(500));
  const stats = await hbStats(page, "a");
  assert.deepEqual([stats.pingsSent, stats.messagesIn], [0, 1]);
  assert.equal((await suite.server.api("/api/counters")).pingsIn, 0);
});
