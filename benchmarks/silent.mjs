// Silent-server detection in Chromium against the dev server (see browser/silent.js). All
// samples run at once, each on its own connection, so that a library that never recovers
// costs one cap, not one per sample. The cap is above Chromium's 60 s closing-handshake
// timeout, which is what a library that waits for the browser's close event waits for.

const SILENT_LIBRARIES = ["heartbeat-ws", "heartbeat-ws, anyMessage: false", "websocket-heartbeat-js"];

/** The server goes silent right after the handshake, or after a second of traffic: a
 * message every 50 ms (pings answered) for 1 s. */
const SCENARIOS = [
  { name: "silent from the handshake", query: "mode=silent" },
  { name: "silent after 1 s of messages every 50 ms", query: "push=50&silentAfter=1000" },
];

export const SILENT_CONFIG = { interval: 200, timeout: 200, count: 5, cap: 75_000 };

export async function measureSilent(browser, origin, wsUrl) {
  const { page, close } = await browser.open(`${origin}/silent.html`, "window.measureSilent");
  try {
    return await page.evaluate(([scenarios, libraries, options]) => window.measureSilent(scenarios, libraries, options), [
      SCENARIOS,
      SILENT_LIBRARIES,
      { ...SILENT_CONFIG, wsUrl },
    ]);
  } finally {
    await close();
  }
}
