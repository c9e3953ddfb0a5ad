// Per-message cost in Chromium over an in-memory socket (see browser/messages.js): each
// library in a fresh page per round, rounds interleaved so that drift in the machine's
// speed spreads over all libraries alike.

export const LIBRARIES = ["raw", "heartbeat-ws", "reconnecting-websocket", "websocket-heartbeat-js"];

export const MESSAGES_CONFIG = { messages: 200_000, warmup: 50_000, runs: 5, rounds: 5 };

/** ns per message of every run, by library and direction, and ns per Date.now() call
 * (once per round, in a page of its own). */
export async function measureMessages(browser, origin, config = MESSAGES_CONFIG) {
  const samples = Object.fromEntries(LIBRARIES.map((library) => [library, { inbound: [], outbound: [] }]));
  const clock = [];
  const inFreshPage = async (measure, argument) => {
    const { page, close } = await browser.open(`${origin}/messages.html`, "window.measureMessages");
    const result = await page.evaluate(measure, argument);
    await close();
    return result;
  };
  for (let round = 0; round < config.rounds; round++) {
    for (const library of LIBRARIES) {
      const result = await inFreshPage(([library, config]) => window.measureMessages(library, config), [library, config]);
      samples[library].inbound.push(...result.inbound);
      samples[library].outbound.push(...result.outbound);
    }
    clock.push(...(await inFreshPage((config) => window.measureClock(config), config)));
  }
  return { samples, clock };
}
