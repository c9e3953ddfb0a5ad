// Entry point of the demo page: loads the library, creates the panel(s) and wires the
// fault buttons, the client buttons, the send box and the options form to them.

import init, { HeartbeatSocket } from "/pkg/index.js";
import { refreshPalette } from "./charts.js";
import * as api from "./devserver-api.js";
import { BACK_TO_NORMAL, renderFaults } from "./faults.js";
import { duration, source } from "./format.js";
import { DEMO_OPTIONS, OptionsForm } from "./options-form.js";
import { Panel } from "./panel.js";

const $ = (selector) => document.querySelector(selector);

// Every tab gets its own labels, so two open demos never break each other's sockets.
const session = Math.random().toString(36).slice(2, 7);
const panelsBox = $("#panels");
const status = $("#action-status");
const outageLine = $("#outage");

try {
  await init();
} catch (error) {
  $("#loading").dataset.failed = "";
  throw error;
}
$("#loading").remove();

const ours = new Panel({
  key: "ours",
  title: "heartbeat-ws",
  subtitle: "with the options on the left: notices a dead link within <b>interval + timeout</b>, retries with exponential backoff and jitter",
  label: `demo-${session}-ours`,
  code: (options) => `new HeartbeatSocket(${source({ url: "ws://…/ws", ...options })})`,
});
let article = null; // the second panel, in side-by-side mode

const panels = () => (article ? [ours, article] : [ours]);

panelsBox.append(ours.root);
ours.start(DEMO_OPTIONS);

// --- side by side ------------------------------------------------------------------------

const compare = $("#compare");
compare.addEventListener("change", () => setCompare(compare.checked));
if (new URLSearchParams(location.search).has("compare")) {
  compare.checked = true;
  setCompare(true);
}

function setCompare(on) {
  if (on && !article) {
    const preset = HeartbeatSocket.presets.article;
    article = new Panel({
      key: "article",
      title: "presets.article",
      subtitle: "the popular tutorial’s hand-written WeChat heartbeat: ping every <b>10 s</b>, dead <b>10 s</b> later, retry every <b>5 s</b>, 12 tries",
      label: `demo-${session}-article`,
      code: () => `new HeartbeatSocket({ ...HeartbeatSocket.presets.article, url })\n\n// presets.article = ${source(preset)}`,
    });
    panelsBox.append(article.root);
    article.start(preset);
  } else if (!on && article) {
    article.destroy();
    article = null;
  }
  panelsBox.classList.toggle("compare", on);
  // Keep the mode in the address, so a reload (or a shared link) shows the same thing.
  const params = new URLSearchParams(location.search);
  if (on) params.set("compare", "1");
  else params.delete("compare");
  history.replaceState(null, "", `${location.pathname}${params.size ? "?" + params : ""}${location.hash}`);
}

// --- faults --------------------------------------------------------------------------------

renderFaults($("#faults"), applyFault);

let outage = null; // {text, until}: a refuse/stall window, counted down under the buttons

async function applyFault(fault, value) {
  const targets = panels();
  const name = fault.param ? `${fault.label.toLowerCase()} ${value} ${fault.param.unit}` : fault.label.toLowerCase();
  say(`${fault.label}: asking the dev server…`, "busy");
  for (const panel of targets) panel.noteFault(name, fault.kills ?? false);
  try {
    if (fault.server) await fault.server(value);
    let hit = targets;
    if (fault.patch) {
      const labels = await api.patchLabelled(targets.map((p) => p.label), fault.patch(value));
      hit = targets.filter((p) => labels.includes(p.label));
    }
    // A server-wide fault counts for every panel; a connection fault only where it landed.
    const missed = fault.server ? [] : targets.filter((p) => !hit.includes(p));
    for (const panel of missed) panel.withdrawFault("not applied: no open connection right now");
    if (fault === BACK_TO_NORMAL) outage = null;
    else if (fault.outage) outage = { text: fault.outage, until: performance.now() + value * 1000 };
    say(
      `${fault.label}: applied to ${hit.length} connection${hit.length === 1 ? "" : "s"}` +
        (missed.length ? ` (${missed.length} not connected right now, nothing to break)` : ""),
    );
  } catch (error) {
    for (const panel of targets) panel.withdrawFault("refused by the dev server");
    say(`${fault.label}: the dev server said “${error.message}”`, "error");
  }
}

function say(text, kind = "ok") {
  status.textContent = text;
  status.dataset.kind = kind;
}

// --- client actions ------------------------------------------------------------------------

$("#reconnect").addEventListener("click", () => panels().forEach((p) => p.reconnectNow()));
$("#close").addEventListener("click", () => panels().forEach((p) => p.close()));

const sendForm = $("#send-form");
let burst = 0;
sendForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = sendForm.elements.text.value;
  if (text) panels().forEach((p) => p.send(text));
});
$("#send-burst").addEventListener("click", () => {
  // Five numbered messages at once: while disconnected they fill the queue (and overflow
  // it when queue.max is small), then go out together on the next open.
  for (let i = 0; i < 5; i++) {
    burst += 1;
    panels().forEach((p) => p.send(`burst ${burst}`));
  }
});

// --- options -------------------------------------------------------------------------------

new OptionsForm($("#options"), (options) => {
  ours.start(options);
  say("Options applied: the heartbeat-ws panel has a new socket.");
});

// --- theme ---------------------------------------------------------------------------------

const THEMES = ["auto", "light", "dark"];
const themeButton = $("#theme");
function setTheme(theme) {
  if (theme === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  themeButton.textContent = `theme: ${theme}`;
  localStorage.setItem("heartbeat-ws-demo-theme", theme);
  refreshPalette();
}
themeButton.addEventListener("click", () => {
  const current = document.documentElement.dataset.theme ?? "auto";
  setTheme(THEMES[(THEMES.indexOf(current) + 1) % THEMES.length]);
});
setTheme(localStorage.getItem("heartbeat-ws-demo-theme") ?? "auto");

// --- dev server status ---------------------------------------------------------------------

const serverStatus = $("#server-status");
async function pollServer() {
  try {
    const counters = await api.counters();
    serverStatus.dataset.ok = "true";
    serverStatus.textContent = `dev server · ${counters.open} open`;
    serverStatus.title = `GET /api/counters: ${JSON.stringify(counters)}`;
  } catch {
    serverStatus.dataset.ok = "false";
    serverStatus.textContent = "dev server unreachable";
  }
}
pollServer();
setInterval(pollServer, 2000);

// --- animation loop ------------------------------------------------------------------------

// About 20 frames a second is smooth enough for second-scale events and keeps the CPU
// (and a loaded test machine) free.
let lastFrame = 0;
function frame(now) {
  if (now - lastFrame >= 50) {
    lastFrame = now;
    for (const panel of panels()) panel.render(now);
    const outageLeft = outage ? outage.until - now : 0;
    outageLine.hidden = outageLeft <= 0;
    if (outageLeft > 0) outageLine.textContent = `${outage.text} for ${duration(outageLeft)} more`;
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

document.body.dataset.ready = "true";
