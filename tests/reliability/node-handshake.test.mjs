// Defect 2: with Node's `ws` (the README's Node setup, `browserTransport(WebSocket)`),
// letting go of a socket that was still connecting made `ws` emit `error` after the
// library had detached its handler: "Unhandled 'error' event", and the process exited.
// Each way the library lets go of a connecting socket (a connect timeout, close(),
// reconnect(), going offline) runs in a child process against a server that never
// answers the handshake (`?mode=stall`); the child must live on and exit 0.
//
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`:
//   node --test tests/reliability/node-handshake.test.mjs

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { runChild, startDevServer } from "./support.mjs";

let server;
before(async () => {
  server = await startDevServer({ statics: {} });
});
after(() => server.stop());

/**
 * A child that makes a socket to a stalling server, waits for the server to hold the
 * handshake, lets go of the socket the way `letGo` says (code run with `socket`, `signals`
 * and `url` in scope), then lives 1.5 s more and prints "alive".
 */
function child(letGo, options = "") {
  return `
    const { default: init, HeartbeatSocket, browserTransport } = await import(process.env.ENTRY);
    const { WebSocket } = await import(process.env.WS);
    await init();
    const url = process.env.STALL_URL;
    let signals = null;
    const transport = Object.assign(browserTransport(WebSocket), { watchLifecycle: (s) => { signals = s; return () => {}; } });
    const attempts = [];
    const socket = new HeartbeatSocket({ url: () => { attempts.push(Date.now()); return url; }, transport, ${options} });
    socket.onerror = (event) => console.log("error event:", event.message);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the handshake is under way, stalled
    if (socket.state !== "connecting") throw new Error("expected a connecting socket, got " + socket.state);
    ${letGo}
    await new Promise((resolve) => setTimeout(resolve, 1500));
    console.log("alive after", attempts.length, "attempts, state", socket.state);
    socket.close();
  `;
}

const PATHS = {
  "a connect timeout": child("", "connectTimeout: 400, reconnect: { delay: 100, jitter: 0 }"),
  "close()": child("socket.close();"),
  "reconnect()": child("socket.reconnect();", "connectTimeout: 60000"),
  "going offline": child("signals.offline(); if (socket.state !== 'offline') throw new Error('not offline: ' + socket.state);", "connectTimeout: 60000"),
};

for (const [name, source] of Object.entries(PATHS)) {
  test(`letting go of a connecting ws socket by ${name} does not crash Node`, async () => {
    const stalled = (await server.api("/api/counters")).stalled;
    const result = await runChild(source, { env: { STALL_URL: `${server.wsUrl}?mode=stall&token=s3cret` } });
    const output = `exit ${result.code} (${result.signal})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    assert.doesNotMatch(result.stderr, /Unhandled 'error' event/, output);
    assert.equal(result.code, 0, output);
    assert.match(result.stdout, /^alive after \d+ attempts/m, output);
    assert.ok((await server.api("/api/counters")).stalled > stalled, "the server held the handshake");
  });
}
