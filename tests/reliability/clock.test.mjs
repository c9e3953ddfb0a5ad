// Defect 4: wall-clock steps broke the heartbeat. Set back 3 s, a silent server was found
// after 3.2 s instead of 0.2 s; stepped forward 60 s, a healthy connection was killed at
// once, without a ping. The library's clock is monotonic (js/clock.js,
// docs/behaviour.md#rule-8); a late timer is a reason to probe, not proof of death. The
// scenarios (clock-scenarios.mjs) run here, with `performance`, and in a child process
// without it (the Date.now fallback).
//
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`:
//   node --test tests/reliability/clock.test.mjs

import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { after, before, test } from "node:test";

import { SCENARIOS } from "./clock-scenarios.mjs";
import { ROOT, WS_MODULE, loadPackage, runChild, startDevServer } from "./support.mjs";

let server;
let env;
before(async () => {
  server = await startDevServer({ statics: {} });
  const { HeartbeatSocket, browserTransport } = await loadPackage();
  const { WebSocket } = await import(WS_MODULE);
  env = { HeartbeatSocket, transport: browserTransport(WebSocket), wsUrl: server.wsUrl, api: server.api };
});
after(() => server.stop());

for (const [name, scenario] of Object.entries(SCENARIOS)) {
  test(name, async (t) => {
    t.diagnostic(`result: ${await scenario(env)}`);
  });
}

const WITHOUT_PERFORMANCE = `
  // A platform without performance.now(): js/clock.js falls back to Date.now().
  Object.defineProperty(globalThis, "performance", { value: undefined, configurable: true });
  const { default: init, HeartbeatSocket, browserTransport } = await import(process.env.ENTRY);
  const { WebSocket } = await import(process.env.WS);
  const { SCENARIOS } = await import(process.env.SCENARIOS);
  await init();
  const http = await import("node:http");
  // Not fetch: Node's fetch needs performance.
  function api(apiPath, body) {
    return new Promise((resolve, reject) => {
      const request = http.request(process.env.API + apiPath, { method: body === undefined ? "GET" : "POST", headers: { "content-type": "application/json" } }, (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk) => (text += chunk)).on("end", () => resolve(JSON.parse(text)));
      });
      request.once("error", reject);
      request.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }
  const env = { HeartbeatSocket, transport: browserTransport(WebSocket), wsUrl: process.env.WS_URL, api };
  let failed = 0;
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    try {
      console.log("ok:", name, await scenario(env));
    } catch (error) {
      failed += 1;
      console.log("failed:", name, error.message);
    }
  }
  process.exitCode = failed;
`;

test("without performance (the Date.now fallback), the same scenarios pass", async (t) => {
  const result = await runChild(WITHOUT_PERFORMANCE, {
    env: {
      API: server.url,
      WS_URL: server.wsUrl,
      SCENARIOS: pathToFileURL(path.join(ROOT, "tests", "reliability", "clock-scenarios.mjs")).href,
    },
    ms: 60000,
  });
  for (const line of result.stdout.trim().split("\n")) t.diagnostic(line);
  assert.equal(result.code, 0, `exit ${result.code} (${result.signal})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
});
