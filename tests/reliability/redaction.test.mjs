// Defect 6: secrets leaked through redaction when a token held ', ), ", <, > or a
// backtick (`Invalid URL: ws://127.0.0.1:99999/ws?token=a'SECRET`): the redaction stopped at
// that character. Through the public API: error events, debug lines and thrown errors
// (docs/behaviour.md#rule-11).
//
// Run after `make build`: node --test tests/reliability/redaction.test.mjs

import assert from "node:assert/strict";
import { before, test } from "node:test";

import { WS_MODULE, loadPackage, sleep } from "./support.mjs";

const CHARACTERS = ["'", ")", '"', "<", ">", "`", "]", "}", ",", ";"];

let HeartbeatSocket;
let browserTransport;
let WebSocket;
before(async () => {
  ({ HeartbeatSocket, browserTransport } = await loadPackage());
  ({ WebSocket } = await import(WS_MODULE));
});

/** What a socket with these options says (error events, debug lines) in its first attempts. */
async function said(options) {
  const lines = [];
  const socket = new HeartbeatSocket({ reconnect: { delay: 0, jitter: 0, maxRetries: 1 }, ...options, debug: (line) => lines.push(line) });
  socket.addEventListener("error", (event) => lines.push(`error event: ${event.message}`));
  await sleep(50);
  socket.close();
  return lines;
}

for (const character of CHARACTERS) {
  test(`a token with ${character} in it stays out of error events, debug lines and thrown errors`, async () => {
    const secret = `a${character}SECRET`;
    const lines = [];
    // The transport's own error (ws: "Invalid URL: ws://127.0.0.1:99999/ws?token=…").
    lines.push(...(await said({ url: `ws://127.0.0.1:99999/ws?token=${secret}`, transport: browserTransport(WebSocket) })));
    lines.push(...(await said({ url: `ws://127.0.0.1:99999/ws#${secret}`, transport: browserTransport(WebSocket) })));
    // A URL provider that fails, naming the URL, and one that gives a URL of the wrong scheme.
    lines.push(...(await said({ url: () => { throw new Error(`no token for wss://auth.invalid/?token=${secret} today`); }, transport: browserTransport(WebSocket) })));
    lines.push(...(await said({ url: () => `https://wrong.invalid/ws?token=${secret}`, transport: browserTransport(WebSocket) })));
    // A transport whose sockets fail with a message quoting the URL.
    const quoting = { connect: (url) => {
      const socket = { send() {}, close() {} };
      setTimeout(() => socket.onerror && socket.onerror({ message: `refused (${url})` }), 0);
      return socket;
    } };
    lines.push(...(await said({ url: `wss://h.invalid/ws?token=${secret}`, transport: quoting })));
    // Construction errors.
    for (const url of [`http://h.invalid/ws?token=${secret}`, `wss://user:${secret}@/ws`]) {
      try {
        new HeartbeatSocket({ url, transport: quoting }).close();
        lines.push(`accepted ${url}`);
      } catch (error) {
        lines.push(`thrown: ${error.message}`);
      }
    }
    assert.ok(lines.some((line) => line.startsWith("error event: ")), "error events were seen");
    assert.ok(lines.some((line) => line.startsWith("thrown: ")), "errors were thrown");
    const leaks = lines.filter((line) => line.includes("SECRET"));
    assert.deepEqual(leaks, [], "lines that carry the secret");
  });
}
