// Per-message cost in Chromium over in-memory sockets (see browser/messages.js): a bare
// one and a browser-like one; each library in a fresh page per socket kind and round,
// rounds interleaved so that drift in the machine's speed spreads over all libraries alike.

export const LIBRARIES = ["raw", "heartbeat-ws", "reconnecting-websocket", "websocket-heartbeat-js"];

/** Per socket kind: messages per timed run, warm-up messages, timed runs per page. The
 * browser-like socket spends microseconds per message, so it gets fewer. */
const SOCKETS = {
  bare: { messages: 200_000, warmup: 50_000, runs: 5 },
  "browser-like": { messages: 20_000, warmup: 20_000, runs: 10 },
};

export const MESSAGES_CONFIG = { sockets: SOCKETS, rounds: 5 };

/** ns per message of every run, by socket kind, library and direction, and ns per
 * performance.now() call (once per round, in a page of its own). */
export async function measureMessages(browser, origin) {
  const { sockets, rounds } = MESSAGES_CONFIG;
  const samples = Object.fromEntries(
    Object.keys(sockets).map((socket) => [socket, Object.fromEntries(LIBRARIES.map((library) => [library, { inbound: [], outbound: [] }]))]),
  );
  const clock = [];
  const inFreshPage = async (measure, argument) => {
    const { page, close } = await browser.open(`${origin}/messages.html`, "window.measureMessages");
    const result = await page.evaluate(measure, argument);
    await close();
    return result;
  };
  for (let round = 0; round < rounds; round++) {
    for (const [socket, counts] of Object.entries(sockets)) {
      for (const library of LIBRARIES) {
        const result = await inFreshPage(([library, socket, counts]) => window.measureMessages(library, socket, counts), [library, socket, counts]);
        samples[socket][library].inbound.push(...result.inbound);
        samples[socket][library].outbound.push(...result.outbound);
      }
    }
    clock.push(...(await inFreshPage((counts) => window.measureClock(counts), sockets.bare)));
  }
  return { samples, clock };
}
