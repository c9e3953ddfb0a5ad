// The dev server's JSON control API (devserver/README.md, "Control API"). The page and
// the API share an origin, so plain fetch() works; the API lives at the server root even
// when the demo itself is mounted elsewhere (the tests serve it at /demo/).

const API = new URL("/api/", location.href);

/** GET (no body) or POST (with a body) an API path; resolves to the parsed JSON. */
async function call(path, body) {
  const init = body === undefined
    ? { method: "GET" }
    : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(new URL(path, API), init);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  // Errors come back as {"error": "..."} naming the bad field: show that, not the status.
  if (!response.ok) throw new Error(json?.error ?? `${init.method} /api/${path}: HTTP ${response.status}`);
  return json;
}

const connections = () => call("connections");

/**
 * Applies `patch` to every open connection whose label is in `labels` (the demo tags
 * each of its sockets with a label in the URL, so it never touches anyone else's).
 * Resolves to the labels that were hit: a socket that is between connections right now
 * has nothing to break.
 */
export async function patchLabelled(labels, patch) {
  const targets = (await connections()).filter((c) => c.state === "open" && labels.includes(c.label));
  await Promise.all(targets.map((c) => call(`connections/${c.id}`, patch)));
  return [...new Set(targets.map((c) => c.label))];
}

/** Answers every upgrade with 503 for `ms` (0 cancels): a backend restarting. */
export const refuse = (ms) => call("refuse", { ms });

/** Accepts TCP but never answers upgrades for `ms` (0 cancels): a hung load balancer. */
export const stall = (ms) => call("stall", { ms });

export const counters = () => call("counters");
