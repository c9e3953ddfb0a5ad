// The example project (examples/miniprogram/) as WeChat runs it: app.js and the page in
// the phone-shaped sandbox (phone.mjs; WeChat's modules get no __filename), with the
// mini-program folder where `make build` copies it, a fake wx whose SocketTasks are real
// WebSockets to the dev server, and the page's view (its WXML and WXSS compiled by WeChat's
// official compiler) rendered into jsdom by miniprogram-simulate, the page's own code
// driving it through setData. Run after `make build` and
// `cargo build -p heartbeat-ws-devserver`.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { JSDOM } from "jsdom";

import { startDevServer, waitUntil } from "../e2e/support.mjs";
import { phone } from "./phone.mjs";
import { wechat } from "./platforms.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const EXAMPLE = join(ROOT, "examples/miniprogram");
const PAGE = join(EXAMPLE, "pages/index/index");
const QUERY = { taskId: "42", userId: "7" };

// miniprogram-simulate renders into the DOM of the global window and document.
const { window } = new JSDOM("<!doctype html><html><body></body></html>");
Object.assign(globalThis, { window, document: window.document, Event: window.Event, CustomEvent: window.CustomEvent });
const simulate = createRequire(import.meta.url)("miniprogram-simulate");

let server;
let wsBase; // the page's app.globalData.wsUrl: the dev server's WebSocket endpoint, as a folder
const viewFolder = mkdtempSync(join(tmpdir(), "heartbeat-ws-example-view-"));
before(async () => {
  server = await startDevServer({ statics: {} });
  wsBase = `${server.wsUrl}/`;
});
after(() => {
  server.stop();
  rmSync(viewFolder, { recursive: true, force: true });
});

/**
 * The example app in a phone sandbox: the page's definition (what it gave Page()), the fake
 * wx, and the sandbox. The library folder is mounted where `make build` copies it.
 */
function exampleApp() {
  let sandbox;
  const wx = wechat({ arrayBuffer: (buffer) => sandbox.realm.arrayBuffer(buffer) });
  const defined = {};
  sandbox = phone({
    mounts: { "/": EXAMPLE, "/heartbeat-ws": join(ROOT, "pkg/miniprogram") },
    globals: { wx, App: (app) => (defined.app = app), getApp: () => defined.app, Page: (page) => (defined.page = page) },
  });
  sandbox.require("/app.js");
  defined.app.globalData.wsUrl = wsBase;
  sandbox.require("/pages/index/index.js");
  return { sandbox, wx, page: defined.page };
}

/**
 * The page's view as a custom component (miniprogram-simulate renders components, not
 * pages): the page's WXML and WXSS, its data, its functions as methods, onLoad(QUERY) when
 * attached and onUnload when detached.
 */
function renderPage(page) {
  copyFileSync(`${PAGE}.wxml`, join(viewFolder, "view.wxml"));
  copyFileSync(`${PAGE}.wxss`, join(viewFolder, "view.wxss"));
  writeFileSync(join(viewFolder, "view.json"), JSON.stringify({ component: true }));
  writeFileSync(join(viewFolder, "view.js"), "Component(globalThis.pageAsComponent);\n");
  globalThis.pageAsComponent = {
    data: JSON.parse(JSON.stringify(page.data)),
    methods: Object.fromEntries(Object.entries(page).filter(([, value]) => typeof value === "function")),
    lifetimes: {
      attached() {
        this.onLoad(QUERY);
      },
      detached() {
        this.onUnload();
      },
    },
  };
  const view = simulate.render(simulate.load(join(viewFolder, "view"), "page", { rootPath: viewFolder, compiler: "official" }));
  view.attach(window.document.createElement("div"));
  return view;
}

test("the page: onLoad connects to the article's URL with the article's preset; its view follows the socket; onUnload closes it", async () => {
  const { wx, page } = exampleApp();
  const view = renderPage(page);
  const shown = (id) => view.querySelector(`#${id}`).dom.textContent;
  const shows = (id, expected, message) => waitUntil(() => (expected instanceof RegExp ? expected.test(shown(id)) : shown(id) === expected), { message: `#${id} showing ${expected}${message ? ` (${message})` : ""}` });
  try {
    assert.deepEqual([shown("state"), shown("rtt"), shown("attempts")], ["connecting", "—", "0"]);
    await shows("state", "open");
    assert.equal(wx.calls[0].url, `${wsBase}websocket?42&7`, "app.globalData.wsUrl + 'websocket?' + taskId + '&' + userId");
    const [connection] = await server.api("/api/connections");
    assert.equal(connection.path, "/ws/websocket");

    view.querySelector("#send").dispatchEvent("tap");
    await shows("messages", "你好 👋", "the server's echo");

    // Back to the foreground while open: the socket probes at once, and the pong's RTT shows.
    wx.fire("AppShow", {});
    await shows("rtt", /^\d+(\.\d+)? ms$/);

    // A background kill: the article's fixed 5 s delay waits, and onAppShow retries at once.
    wx.killAll(1000);
    await shows("state", "reconnecting");
    assert.equal(shown("attempts"), "1");
    assert.equal(wx.calls.length, 1, "the retry waits for the article's 5 s");
    wx.fire("AppShow", {});
    await shows("state", "open", "reopened on onAppShow");
    assert.equal(wx.calls.length, 2);

    view.detach();
    await shows("state", "closed");
    assert.equal(wx.hookCount(), 0, "no lifecycle hook left");
    assert.equal(wx.tasks[1].closeCalls[0].code, 1000);
  } finally {
    wx.dispose();
  }
});

test("the page unloaded before the wasm has loaded: no socket is ever made", async () => {
  const { sandbox, wx, page } = exampleApp();
  const instance = { ...page, data: JSON.parse(JSON.stringify(page.data)), setData(patch) { Object.assign(this.data, patch); } };
  instance.onLoad(QUERY);
  instance.onUnload();
  // The same promise as the page's init(); the page's own callback, registered first, has run.
  await sandbox.require("/heartbeat-ws/index.js").init("/heartbeat-ws/heartbeat_ws_bg.wasm");
  assert.equal(instance.socket, undefined, "no HeartbeatSocket was made");
  assert.equal(wx.calls.length, 0);
});
