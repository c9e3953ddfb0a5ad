// Unit tests of the mini-program lifecycle hooks (js/miniprogram-lifecycle.js, reached
// through transport.watchLifecycle): shared per API object, removed when nobody watches.
import assert from "node:assert/strict";
import { test } from "node:test";

import { miniProgramTransport } from "../../js/miniprogram.js";
import { hookedApi, scriptedApi, signalsInto } from "./scripted.mjs";

/** A platform API with connectSocket and the hooks of `hookedApi(options)`. */
function platform(options) {
  return Object.assign(hookedApi(options), { connectSocket: scriptedApi().connectSocket });
}

test("network changes, hide and show become offline/online, background and foreground", () => {
  const api = platform();
  const log = [];
  miniProgramTransport(api).watchLifecycle(signalsInto(log, "a"));
  api.fire("onNetworkStatusChange", { isConnected: false, networkType: "none" });
  api.fire("onNetworkStatusChange", { isConnected: true, networkType: "wifi" });
  api.fire("onAppHide", { reason: 0 });
  api.fire("onAppShow", { path: "pages/index/index" });
  assert.deepEqual(log, ["a:offline", "a:online", "a:background", "a:foreground"]);
});

test("two sockets share one registration of each hook, and both are told", () => {
  const api = platform();
  const log = [];
  const stopA = miniProgramTransport(api).watchLifecycle(signalsInto(log, "a"));
  const stopB = miniProgramTransport(api).watchLifecycle(signalsInto(log, "b"));
  assert.deepEqual(api.registrations, { onNetworkStatusChange: 1, onAppShow: 1, onAppHide: 1 });
  api.fire("onAppHide");
  assert.deepEqual(log, ["a:background", "b:background"]);
  stopA();
  api.fire("onAppShow");
  assert.deepEqual(log.slice(2), ["b:foreground"], "a stopped watcher is not told");
  assert.deepEqual(api.removals, { onNetworkStatusChange: 0, onAppShow: 0, onAppHide: 0 }, "b still watches");
  stopB();
  stopB();
  assert.deepEqual(api.removals, { onNetworkStatusChange: 1, onAppShow: 1, onAppHide: 1 }, "the last one removes each hook once");
  assert.deepEqual(Object.values(api.listeners).map((list) => list.length), [0, 0, 0]);
});

test("watching again after everyone stopped registers the hooks again", () => {
  const api = platform();
  const log = [];
  miniProgramTransport(api).watchLifecycle(signalsInto(log, "a"))();
  const stop = miniProgramTransport(api).watchLifecycle(signalsInto(log, "b"));
  assert.deepEqual(api.registrations, { onNetworkStatusChange: 2, onAppShow: 2, onAppHide: 2 });
  api.fire("onAppShow");
  assert.deepEqual(log, ["b:foreground"]);
  stop();
});

test("hooks without an off* function stay registered once and ignore stopped watchers", () => {
  const api = platform({ off: ["offNetworkStatusChange"] });
  const log = [];
  miniProgramTransport(api).watchLifecycle(signalsInto(log, "a"))();
  assert.equal(api.listeners.onNetworkStatusChange.length, 0);
  assert.equal(api.listeners.onAppShow.length, 1, "cannot be removed");
  api.fire("onAppShow");
  assert.deepEqual(log, []);
  const stop = miniProgramTransport(api).watchLifecycle(signalsInto(log, "b"));
  assert.equal(api.registrations.onAppShow, 1, "not registered twice: listeners accumulate on the platforms");
  api.fire("onAppShow");
  assert.deepEqual(log, ["b:foreground"]);
  stop();
});

test("missing hook functions are skipped; other API objects have their own hooks", () => {
  const api = platform({ hooks: ["onAppShow"], off: [] });
  const other = platform();
  const log = [];
  miniProgramTransport(api).watchLifecycle(signalsInto(log, "a"));
  miniProgramTransport(other).watchLifecycle(signalsInto(log, "b"));
  api.fire("onAppShow");
  other.fire("onAppHide");
  assert.deepEqual(log, ["a:foreground", "b:background"]);
});

test("a watcher that throws is reported and the others are still told", (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const api = platform();
  const log = [];
  miniProgramTransport(api).watchLifecycle({ ...signalsInto(log, "a"), offline: () => { throw new Error("boom"); } });
  miniProgramTransport(api).watchLifecycle(signalsInto(log, "b"));
  api.fire("onNetworkStatusChange", { isConnected: false });
  assert.deepEqual(log, ["b:offline"]);
  assert.equal(errors.mock.callCount(), 1);
});

test("a watcher may stop while being told without making another miss the signal", () => {
  const api = platform();
  const log = [];
  const stopA = miniProgramTransport(api).watchLifecycle({ ...signalsInto(log, "a"), background: () => { log.push("a:background"); stopA(); } });
  miniProgramTransport(api).watchLifecycle(signalsInto(log, "b"));
  api.fire("onAppHide");
  assert.deepEqual(log, ["a:background", "b:background"]);
});
