// The page side of the browser routes: runs scenario.js against the dev server that
// serves the page, and leaves the outcome in `window.scenario` for the test to read.

import { keepAlive } from "./scenario.js";

export function run(api) {
  const url = location.origin.replace(/^http/, "ws") + "/ws?label=wasm-pack";
  const drop = () =>
    fetch("/api/connections/all", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ drop: { after: 0 } }) }).then(
      (response) => {
        if (!response.ok) throw new Error(`the dev server refused the drop: ${response.status}`);
      },
    );
  return keepAlive({ api, url, drop }).then(
    (result) => (window.scenario = { result }),
    (error) => (window.scenario = { error: String(error && error.stack ? error.stack : error) }),
  );
}
