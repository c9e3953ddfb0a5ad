// Mini-program platform APIs whose SocketTasks are real WebSockets (the ws package), for
// the integration tests: WeChat-like (wx, qq, tt…), Alipay's my, uni-app, Taro and the
// legacy global socket API, each with the platform's quirks, plus the lifecycle hooks and
// the faults a phone adds: a background kill, the 5-task limit, and a task.close() after
// which the platform reports nothing (as on a dead path). Binary is re-encoded with Node's
// Buffer, independently of js/base64.js. Every maker takes `{ arrayBuffer }`: how the
// platform makes the ArrayBuffer of a received binary message (by default Node's own; a
// sandbox passes one that makes it in the sandbox's realm, as a phone's platform would).

import { WebSocket } from "ws";
import { TASK_EVENTS, addListenerMethods } from "./scripted.mjs";

const HOOKS = ["NetworkStatusChange", "AppShow", "AppHide"];
const MAX_TASKS = 5;

const hostArrayBuffer = (buffer) => buffer;

/**
 * A SocketTask over a WebSocket. `alipay`: binary as base64 text with `isBuffer` both
 * ways (inbound nested in `data`, as @mini-types/alipay declares), and off* methods.
 */
function socketTask(url, protocols, { alipay = false, arrayBuffer = hostArrayBuffer } = {}) {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = "arraybuffer";
  const listeners = Object.fromEntries(TASK_EVENTS.map((name) => [name, []]));
  let silenced = false; // after task.close() or a kill, the task reports nothing more
  const emit = (name, result) => {
    if (!silenced) listeners[name].slice().forEach((listener) => listener(result));
  };
  ws.on("open", () => emit("Open", { header: {} }));
  ws.on("message", (data, isBinary) => {
    if (!isBinary) emit("Message", { data: Buffer.from(data).toString() });
    else if (alipay) emit("Message", { data: { socketTaskID: "1", data: Buffer.from(data).toString("base64"), isBuffer: true } });
    else emit("Message", { data: arrayBuffer(data) });
  });
  ws.on("error", (error) => emit("Error", { errMsg: `onError: ${error.message}` }));
  ws.on("close", (code, reason) => emit("Close", { code, reason: reason.toString() }));
  const task = {
    ws,
    closeCalls: [],
    /** Holds one of the platform's socket slots until its WebSocket is closed. */
    holdsSlot: () => ws.readyState !== WebSocket.CLOSED,
    send({ data, isBuffer, fail }) {
      if (alipay && typeof data !== "string") throw new TypeError("Alipay's SocketTask.send takes only strings");
      if (ws.readyState !== WebSocket.OPEN) {
        fail({ errMsg: "sendSocketMessage:fail WebSocket is not connected" });
        return;
      }
      ws.send(alipay && isBuffer ? Buffer.from(data, "base64") : data);
    },
    close({ code, reason, fail }) {
      task.closeCalls.push({ code, reason });
      silenced = true;
      if (ws.readyState !== WebSocket.OPEN) {
        fail({ errMsg: "closeSocket:fail websocket is not connected" });
        ws.terminate();
        return;
      }
      ws.close(code, reason);
      // A silent peer never answers the closing handshake: let the slot go as a phone would.
      setTimeout(() => ws.terminate(), 500).unref();
    },
    /** The app went to the background and the platform cut the socket. */
    kill(code) {
      emit("Close", { code, reason: "interrupted" });
      silenced = true;
      ws.terminate();
    },
  };
  addListenerMethods(task, listeners, alipay);
  return task;
}

/** A task for a connectSocket call that failed: it never reports anything. */
function deadTask() {
  const task = { closeCalls: [], holdsSlot: () => false, send() {}, close: (options) => task.closeCalls.push(options), kill() {} };
  for (const name of TASK_EVENTS) task["on" + name] = () => {};
  return task;
}

/** What every fake platform has: the lifecycle hooks, its tasks, and faults to inject. */
function platform(connect, arrayBuffer = hostArrayBuffer) {
  const hooks = Object.fromEntries(HOOKS.map((name) => [name, []]));
  const api = {
    calls: [],
    tasks: [],
    connectSocket(options) {
      api.calls.push({ ...options, at: Date.now() });
      return connect(options);
    },
    /** A task for `options`, or (beyond 5 live tasks) a failure reported by `fail`. */
    newTask(options, { alipay = false } = {}) {
      if (api.tasks.filter((task) => task.holdsSlot()).length >= MAX_TASKS) {
        setTimeout(() => options.fail({ errMsg: "connectSocket:fail exceed max task count" }), 0);
        return deadTask();
      }
      const task = socketTask(options.url, options.protocols, { alipay, arrayBuffer });
      api.tasks.push(task);
      return task;
    },
    fire: (name, result) => hooks[name].slice().forEach((listener) => listener(result)),
    hookCount: () => HOOKS.reduce((count, name) => count + hooks[name].length, 0),
    killAll(code) {
      api.tasks.filter((task) => task.holdsSlot()).forEach((task) => task.kill(code));
    },
    /** Ends every WebSocket, for the test's cleanup. */
    dispose: () => api.tasks.forEach((task) => task.ws && task.ws.terminate()),
  };
  for (const name of HOOKS) {
    api["on" + name] = (listener) => hooks[name].push(listener);
    api["off" + name] = (listener) => {
      const index = hooks[name].indexOf(listener);
      if (index >= 0) hooks[name].splice(index, 1);
    };
  }
  return api;
}

/** WeChat (and qq, tt, swan, ks): connectSocket returns the task. */
export function wechat({ arrayBuffer } = {}) {
  const api = platform((options) => api.newTask(options), arrayBuffer);
  return api;
}

/** Alipay's my: a SocketTask only with multiple: true, binary as base64. */
export function alipay({ arrayBuffer } = {}) {
  const api = platform((options) => (options.multiple === true ? api.newTask(options, { alipay: true }) : undefined), arrayBuffer);
  return api;
}

/** uni-app: the task only when a callback is passed, else a Promise. */
export function uni({ arrayBuffer } = {}) {
  const api = platform(
    (options) => (options.success || options.fail || options.complete ? api.newTask(options) : Promise.resolve({ errMsg: "connectSocket:ok" })),
    arrayBuffer,
  );
  return api;
}

/** Taro: a Promise of the task, resolved on a later turn. */
export function taro({ arrayBuffer } = {}) {
  const api = platform((options) => new Promise((resolve) => setTimeout(() => resolve(api.newTask(options)), 0)), arrayBuffer);
  return api;
}

/**
 * A base library without SocketTask: connectSocket returns nothing, one app-wide socket
 * (a new one closes the old), the global onSocket* listeners, sendSocketMessage and
 * closeSocket.
 */
export function legacy({ arrayBuffer } = {}) {
  const listeners = Object.fromEntries(TASK_EVENTS.map((name) => [name, []]));
  let current = null;
  const api = platform((options) => {
    if (current) current.close({ code: 1000, reason: "replaced", fail() {} });
    current = api.newTask(options);
    for (const name of TASK_EVENTS) current["on" + name]((result) => listeners[name].slice().forEach((listener) => listener(result)));
    return undefined;
  }, arrayBuffer);
  for (const name of TASK_EVENTS) api["onSocket" + name] = (listener) => listeners[name].push(listener);
  api.sendSocketMessage = (options) => current.send(options);
  api.closeSocket = (options) => current.close(options);
  api.globalListenerCount = () => TASK_EVENTS.reduce((count, name) => count + listeners[name].length, 0);
  return api;
}
