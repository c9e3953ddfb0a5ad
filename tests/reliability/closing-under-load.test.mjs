// Defect 5: messages handed to a closing socket vanished without a drop event (with `ws`,
// about 40 per server close under load: a CLOSING `ws` socket drops what it is given,
// silently). Now a socket that is not open gets nothing: the message waits for the next
// connection (docs/behaviour.md#rule-6). Under load against a server that closes every
// connection (1000 and 1001) mid-stream, every message is echoed exactly once, in order,
// or reported by a drop event, or was on the wire when the server closed (see ledger.mjs).
//
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`:
//   node --test tests/reliability/closing-under-load.test.mjs

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Ledger, brokenPromises, recordingTransport } from "./ledger.mjs";
import { WS_MODULE, loadPackage, sleep, startDevServer, waitUntil } from "./support.mjs";

const SENDING_MS = 4000;
const PREFIX = "m";

let server;
before(async () => {
  server = await startDevServer({ statics: {} });
});
after(() => server.stop());

test("under load against a server that closes mid-stream, no message vanishes", async (t) => {
  const { HeartbeatSocket, browserTransport } = await loadPackage();
  const { WebSocket } = await import(WS_MODULE);
  const ledger = new Ledger();
  const { transport, sockets } = recordingTransport(browserTransport(WebSocket), ledger, PREFIX);
  let attempt = 0;
  const socket = new HeartbeatSocket({
    // Each connection is closed by the server after 150 ms, with 1000 and 1001 in turn.
    url: () => `${server.wsUrl}?label=load&closeAfter=150&close=${++attempt % 2 ? 1000 : 1001}`,
    transport,
    reconnect: { delay: 0, jitter: 0, minUptime: 0 },
    queue: { max: 10 }, // less than a reconnection's worth: some are dropped, and reported
  });
  let closes = 0;
  socket.addEventListener("close", () => closes++);
  socket.addEventListener("message", (event) => {
    const text = String(event.data);
    if (text.startsWith(PREFIX)) ledger.echoed(sockets.count, Number(text.slice(PREFIX.length)));
  });
  socket.addEventListener("drop", (event) => ledger.dropped(Number(String(event.data).slice(PREFIX.length)), event.reason));

  // Bursts of 10 every millisecond or so: as fast as the server echoes, not faster (what
  // outruns it waits in the socket's buffer, and dies with the connection).
  try {
    const stopAt = Date.now() + SENDING_MS;
    while (Date.now() < stopAt) {
      for (let i = 0; i < 10; i++) {
        socket.send(PREFIX + ledger.accepted);
        ledger.sent();
      }
      await sleep(1);
    }
    // Let what is queued go out and come back, then close (which drops what is still queued).
    await waitUntil(() => socket.stats().queued === 0 && socket.state === "open", { timeout: 10000, message: "the queue to drain" });
    await sleep(50);
  } finally {
    socket.close();
  }

  const summary = ledger.summary();
  t.diagnostic(`server closes: ${closes}; ${JSON.stringify({ ...summary, duplicated: summary.duplicated.length, echoedAndDropped: summary.echoedAndDropped.length, rewritten: summary.rewritten.length, writtenNotOpen: summary.writtenNotOpen.length, reordered: summary.reordered.length, unaccounted: summary.unaccounted.length })}`);
  assert.ok(closes >= 10, `the server closed ${closes} connections`);
  assert.ok(summary.sent > 10000, `${summary.sent} messages sent`);
  assert.ok(summary.dropped > 0, "some messages overflowed the queue while reconnecting");
  assert.deepEqual(brokenPromises(summary), []);
});
