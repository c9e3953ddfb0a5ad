// Silent-server detection in Chromium against the dev server (see browser/silent.js).
// The samples of one library run at once, each on its own connection, so that a library
// that never recovers costs one cap, not one per sample. The cap is above Chromium's
// 60 s closing-handshake timeout, which is what a library that waits for the browser's close
// event waits for.

export const SILENT_CONFIG = { interval: 200, timeout: 200, count: 5, cap: 75_000 };

export async function measureSilent(browser, origin, wsUrl, config = SILENT_CONFIG) {
  const samples = {};
  for (const library of ["heartbeat-ws", "websocket-heartbeat-js"]) {
    const { page, close } = await browser.open(`${origin}/silent.html`, "window.measureSilent");
    samples[library] = await page.evaluate(([library, options]) => window.measureSilent(library, options), [
      library,
      { ...config, wsUrl },
    ]);
    await close();
  }
  return samples;
}
