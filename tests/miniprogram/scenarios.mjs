// The mini-program scenarios, run on a built entry of the library with miniProgramTransport
// over fake platform APIs whose SocketTasks are real WebSockets to the dev server
// (tests/miniprogram/platforms.mjs): the Node entry (integration.test.mjs) and the
// mini-program folder in a phone-shaped sandbox (sandbox.test.mjs) run the same ones.
// Run after `make build` and `cargo build -p heartbeat-ws-devserver`.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";

import { sleep, startDevServer, waitUntil } from "../e2e/support.mjs";
import * as platforms from "./platforms.mjs";

const EVENT_TYPES = ["open", "message", "close", "error", "reconnecting", "statechange"];
const TEXT = "你好，世界 🌏👋 心跳";

/** Whether `value` is an ArrayBuffer of any realm (the sandbox's are not Node's). */
const isArrayBuffer = (value) => Object.prototype.toString.call(value) === "[object ArrayBuffer]";
const bytes = (buffer) => [...new Uint8Array(buffer)];

/**
 * Registers the scenarios under `name`. `load()` resolves to the entry's loaded API:
 * `{ HeartbeatSocket, miniProgramTransport, realm }`, `realm` being where the entry runs:
 * its `Uint8Array`, `resolve(value)` (its Promise.resolve, as user code there would call),
 * and `arrayBuffer(bytes)` (received binary, as the platform makes it there).
 */
export function miniProgramScenarios(name, load) {
  describe(name, () => scenarios(load));
}

function scenarios(load) {
  let HeartbeatSocket;
  let miniProgramTransport;
  let realm;
  let server;
  before(async () => {
    ({ HeartbeatSocket, miniProgramTransport, realm } = await load());
    server = await startDevServer({ statics: {} });
  });
  after(() => server.stop());

  // What each test made, ended after it.
  const sockets = [];
  const apis = [];
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.state !== "closed" && socket.close());
    apis.splice(0).forEach((api) => api.dispose());
  });

  /** A platform API from `make` (platforms.mjs), in the entry's realm, ended after the test. */
  function platformApi(make) {
    const api = make({ arrayBuffer: realm.arrayBuffer });
    apis.push(api);
    return api;
  }

  /** A HeartbeatSocket over `api`, its events recorded with the time they came. */
  function connect(api, { query = "", transport = miniProgramTransport(api), ...options } = {}) {
    const socket = new HeartbeatSocket({ url: server.wsUrl + query, transport, ...options });
    sockets.push(socket);
    const events = [];
    for (const type of EVENT_TYPES) socket.addEventListener(type, (event) => events.push({ ...event, type, at: Date.now() }));
    const next = (type, matches = () => true, timeout = 3000) =>
      waitUntil(() => events.find((event) => event.type === type && matches(event)), { timeout, message: `a ${type} event` });
    const count = (type) => events.filter((event) => event.type === type).length;
    return { socket, events, next, count };
  }

  /** Sends TEXT and a typed-array view, and checks that both come back exactly. */
  async function echoes({ socket, next }) {
    await next("open");
    assert.equal(socket.send(TEXT), true);
    assert.equal((await next("message", (event) => typeof event.data === "string")).data, TEXT);
    const view = new realm.Uint8Array([0, 1, 2, 3, 128, 254, 255]).subarray(1, 6);
    assert.equal(socket.send(view), true);
    const echoed = await next("message", (event) => isArrayBuffer(event.data));
    assert.deepEqual(bytes(echoed.data), [1, 2, 3, 128, 254], "exactly the view's bytes, not its whole buffer");
  }

  test("WeChat-style task: Chinese text and emoji echo unchanged, binary goes both ways byte for byte", async () => {
    const api = platformApi(platforms.wechat);
    await echoes(connect(api));
    assert.equal(api.calls[0].multiple, true);
  });

  test("a URL provider's Promise is awaited before every attempt (a fresh token each time)", async () => {
    const api = platformApi(platforms.wechat);
    let issued = 0;
    const url = () => realm.resolve(`${server.wsUrl}?token=t${++issued}`);
    const { socket, next } = connect(api, { url, reconnect: { delay: 0, jitter: 0 } });
    await next("open");
    socket.reconnect();
    await next("open", (event) => event.reconnected);
    assert.deepEqual(
      api.calls.map((call) => call.url),
      [`${server.wsUrl}?token=t1`, `${server.wsUrl}?token=t2`],
    );
  });

  test("a silent server is detected and the connection replaced within interval + timeout + 100 ms", async () => {
    const api = platformApi(platforms.wechat);
    const { next } = connect(api, { query: "?mode=silent", heartbeat: { interval: 200, timeout: 200 }, reconnect: { delay: 0, jitter: 0 } });
    const opened = await next("open");
    const dead = await next("close");
    assert.equal(dead.reason, "heartbeat timeout");
    assert.equal(dead.willReconnect, true);
    // The heartbeat cannot decide before interval + timeout; 100 ms on top is the promise,
    // and 150 ms more absorbs a busy test machine.
    const detection = dead.at - opened.at;
    assert.ok(detection >= 390 && detection <= 650, `detected after ${detection} ms`);
    const replaced = await next("open", (event) => event.at > dead.at);
    assert.ok(replaced.at - opened.at <= 750, `replaced ${replaced.at - opened.at} ms after the first open`);
    assert.deepEqual(api.tasks[0].closeCalls, [{ code: 4000, reason: "heartbeat timeout" }], "closed without waiting for an onClose that never comes");
  });

  test("a background kill, then onAppShow: the retry happens at once, not after the 5 s delay", async () => {
    for (const [killCode, reported] of [[1000, 1000], [0, 1006]]) {
      const api = platformApi(platforms.wechat);
      const { next } = connect(api, { reconnect: { delay: 5000, jitter: 0 } });
      await next("open");
      api.fire("AppHide", { reason: 0 });
      api.killAll(killCode);
      const killed = await next("close");
      assert.deepEqual([killed.code, killed.reason, killed.willReconnect], [reported, "interrupted", true]);
      assert.equal((await next("reconnecting")).delay, 5000);
      await sleep(200);
      const shown = Date.now();
      api.fire("AppShow", { path: "pages/index/index" });
      const reopened = await next("open", (event) => event.at > killed.at, 2000);
      assert.ok(reopened.at - shown < 1000, `reopened ${reopened.at - shown} ms after onAppShow (code ${killCode})`);
      assert.equal(api.calls.length, 2);
    }
  });

  test("offline: no attempt while offline; back online: one attempt at once", async () => {
    const api = platformApi(platforms.wechat);
    const { socket, next } = connect(api, { reconnect: { delay: 100, jitter: 0 } });
    await next("open");
    // The network goes, and with it the socket (an open socket alone is only probed).
    api.fire("NetworkStatusChange", { isConnected: false, networkType: "none" });
    api.killAll(1006);
    await waitUntil(() => socket.state === "offline", { message: 'state "offline"' });
    // Without the offline state, a 100 ms retry delay would have made several attempts.
    await sleep(1000);
    assert.equal(api.calls.length, 1, "no attempt while offline");
    const online = Date.now();
    api.fire("NetworkStatusChange", { isConnected: true, networkType: "wifi" });
    const reopened = await next("open", (event) => event.at >= online);
    assert.ok(reopened.at - online < 1000, `reopened ${reopened.at - online} ms after going online`);
    await sleep(300);
    assert.equal(api.calls.length, 2, "exactly one attempt when back online");
  });

  test("two sockets share each platform hook; close() removes every hook the sockets added", async () => {
    const api = platformApi(platforms.wechat);
    const first = connect(api);
    const second = connect(api);
    await Promise.all([first.next("open"), second.next("open")]);
    assert.equal(api.hookCount(), 3, "one listener per hook for both sockets");
    api.fire("AppHide", { reason: 0 });
    api.fire("AppShow", {});
    first.socket.close();
    assert.equal(api.hookCount(), 3, "the second socket still watches");
    second.socket.close();
    assert.equal(api.hookCount(), 0);
  });

  test("the 5-task limit comes as an error event, and the socket retries later", async () => {
    const api = platformApi(platforms.wechat);
    const five = Array.from({ length: 5 }, () => connect(api));
    await Promise.all(five.map(({ next }) => next("open")));
    const sixth = connect(api, { reconnect: { delay: 200, jitter: 0 } });
    const refused = await sixth.next("error");
    assert.equal(refused.message, "connectSocket:fail exceed max task count");
    assert.equal((await sixth.next("close")).willReconnect, true);
    five[0].socket.close();
    await sixth.next("open", () => true, 5000);
    assert.ok(sixth.count("error") >= 1);
  });

  test("Alipay: multiple: true gets a task; binary goes out and comes in as base64", async () => {
    const api = platformApi(platforms.alipay);
    await echoes(connect(api));
    assert.equal(api.calls[0].multiple, true);
  });

  test("uni-app: the task that connectSocket returns only with a callback works end to end", async () => {
    await echoes(connect(platformApi(platforms.uni)));
  });

  test("Taro: the Promise of a task works end to end", async () => {
    await echoes(connect(platformApi(platforms.taro)));
  });

  test("legacy API: echo over the app-wide socket; a second HeartbeatSocket fails in its constructor until the first is closed", async () => {
    const api = platformApi(platforms.legacy);
    const first = connect(api, { transport: miniProgramTransport(api, { legacy: true }) });
    await echoes(first);
    assert.throws(
      () => new HeartbeatSocket({ url: server.wsUrl, transport: miniProgramTransport(api, { legacy: true }) }),
      /legacy socket API .* has one socket per app and another HeartbeatSocket holds it; close that one first/,
    );
    first.socket.close();
    const second = connect(api, { transport: miniProgramTransport(api, { legacy: true }) });
    await echoes(second);
    assert.equal(api.globalListenerCount(), 4, "the global listeners were registered once");
  });

  test("legacy API found on its own: connectSocket returning no task switches to it", async () => {
    const api = platformApi(platforms.legacy);
    const probe = connect(api, { reconnect: { delay: 0, jitter: 0 } });
    await echoes(probe);
    probe.socket.reconnect();
    await probe.next("open", (event) => event.reconnected);
    assert.equal(api.calls.length, 2);
    assert.ok(!("multiple" in api.calls[1]), "the second attempt uses the legacy API directly");
  });
}
