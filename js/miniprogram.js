// Mini-program sockets: a WebSocket-shaped object over a platform SocketTask (wx, qq, tt,
// swan, ks, my, uni, Taro) or over the legacy global socket API (onSocketOpen,
// sendSocketMessage…), and the platform's network and foreground signals. Platform quirks
// end here: the library sees readyState, onopen, onmessage({data}), onerror({message}) and
// onclose({code, reason, wasClean}) as from a browser WebSocket.
// ES2017 syntax only, and no browser globals (WebAssembly, TextEncoder, URL, globalThis…):
// mini-program runtimes lack them.

import { decodeBase64, encodeBase64 } from "./base64.js";
import { describe, expected } from "./describe.js";
import { report } from "./listeners.js";
import { watchMiniProgramLifecycle } from "./miniprogram-lifecycle.js";
import { byteLength, outgoing as checkedOutgoing, settled } from "./payload.js";
import { errorText, redactUrls } from "./url.js";

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const ABNORMAL_CLOSURE = 1006;
const MAX_REASON_BYTES = 123;
const TASK_EVENTS = ["Open", "Message", "Error", "Close"];
const LEGACY_API = ["onSocketOpen", "onSocketMessage", "onSocketError", "onSocketClose", "sendSocketMessage", "closeSocket"];
const OPTIONS = { legacy: "a boolean", base64: "a boolean" };
const ONE_LEGACY_SOCKET =
  "miniProgramTransport: the legacy socket API (onSocketOpen, sendSocketMessage…) has one socket per app and another " +
  "HeartbeatSocket holds it; close that one first (socket.close()), or use SocketTask mode (miniProgramTransport(api) without legacy: true)";
const ignore = () => {};

/**
 * Sockets from a mini-program API object: `wx`, `qq`, `tt`, `swan`, `ks`, `my` (Alipay),
 * `uni` or `Taro`. Options: `legacy: true` uses the app-wide socket of the legacy API
 * (one HeartbeatSocket at a time); `base64` sends binary messages as base64 text with
 * `isBuffer: true`, as Alipay's sockets need (default: on for Alipay sockets, recognised by
 * their off* methods).
 */
export function miniProgramTransport(api, options) {
  if (api === null || (typeof api !== "object" && typeof api !== "function") || typeof api.connectSocket !== "function") {
    throw expected("miniProgramTransport: api", "a mini-program API object with connectSocket (wx, qq, tt, swan, ks, my, uni or Taro)", api);
  }
  const { legacy, base64 } = readOptions(options);
  if (legacy) requireLegacyApi(api, "options.legacy is true");
  const transport = {
    connect(url, protocols) {
      return legacy || tasklessApis.has(api) ? connectLegacy(api, url, protocols, base64) : connectTask(api, url, protocols, base64);
    },
    watchLifecycle: (signals) => watchMiniProgramLifecycle(api, signals),
  };
  if (legacy) transport.claim = () => claimLegacySocket(api);
  return transport;
}

function readOptions(options) {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") throw expected("miniProgramTransport: options", "an object", options);
  Object.keys(options).forEach((key) => {
    if (!Object.prototype.hasOwnProperty.call(OPTIONS, key)) {
      throw new TypeError(`miniProgramTransport: options.${key}: unknown option; expected one of ${Object.keys(OPTIONS).join(", ")}`);
    }
    if (options[key] !== undefined && typeof options[key] !== "boolean") {
      throw expected(`miniProgramTransport: options.${key}`, OPTIONS[key], options[key]);
    }
  });
  return options;
}

// The WebSocket-shaped object, and the reports of the platform side.

/**
 * A socket for the library, and `events`, through which the platform side reports to it.
 * Once the library lets go of the socket (calls `close`, or sets every handler to null),
 * reports are ignored: SocketTasks cannot remove their listeners.
 */
function socketShim() {
  let platform = null; // { send(data), close(frame), detach() } once there is a task
  let closedByLibrary = false;
  const socket = {
    readyState: CONNECTING,
    onopen: null,
    onmessage: null,
    onerror: null,
    onclose: null,
    send(data) {
      if (socket.readyState !== OPEN) throw new Error(`send: the socket is not open (readyState ${socket.readyState})`);
      platform.send(settled(checkedOutgoing(data)));
    },
    close(code, reason) {
      const frame = closeFrame(code, reason);
      if (closedByLibrary) return;
      closedByLibrary = true;
      if (socket.readyState !== CLOSED) socket.readyState = CLOSING;
      if (platform) {
        platform.detach();
        platform.close(frame);
      }
    },
  };
  const letGo = () =>
    closedByLibrary || (socket.onopen === null && socket.onmessage === null && socket.onerror === null && socket.onclose === null);
  const held = () => !letGo() && socket.readyState !== CLOSED;
  const dispatch = (handler, event) => {
    if (typeof handler !== "function") return;
    try {
      handler.call(socket, event);
    } catch (error) {
      report("a socket handler threw", error);
    }
  };
  const end = (code, reason) => {
    socket.readyState = CLOSED;
    if (platform) platform.detach();
    dispatch(socket.onclose, { type: "close", code, reason, wasClean: code !== ABNORMAL_CLOSURE });
  };
  const events = {
    letGo,
    held,
    attach(io) {
      platform = io;
    },
    opened() {
      if (!held() || socket.readyState !== CONNECTING) return;
      socket.readyState = OPEN;
      dispatch(socket.onopen, { type: "open" });
    },
    received(data) {
      if (held()) dispatch(socket.onmessage, { type: "message", data });
    },
    /** An error that leaves the socket usable (a failed send, an undecodable message). */
    reportError(message) {
      if (held()) dispatch(socket.onerror, { type: "error", message });
    },
    /** A failure that ends the socket: `error`, then `close` 1006 so the library retries. */
    fail(message) {
      if (!held()) return;
      dispatch(socket.onerror, { type: "error", message });
      if (!held()) return; // the library let go of it while handling the error
      end(ABNORMAL_CLOSURE, message);
      if (platform) platform.close({}); // frees the platform's socket slot (at most 5)
    },
    closed(code, reason) {
      if (closedByLibrary) socket.readyState = CLOSED;
      else if (socket.readyState !== CLOSED) end(code, reason);
    },
  };
  return { socket, events };
}

/** The `close()` arguments as the platform takes them; bad ones throw, as a browser's would. */
function closeFrame(code, reason) {
  const frame = {};
  if (code !== undefined) {
    if (code !== 1000 && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
      throw new RangeError(`close: code: expected 1000 or an integer from 3000 to 4999, got ${describe(code)}`);
    }
    frame.code = code;
  }
  if (reason !== undefined) {
    if (typeof reason !== "string" || byteLength(reason) > MAX_REASON_BYTES) {
      throw new RangeError(`close: reason: expected a string of at most ${MAX_REASON_BYTES} bytes in UTF-8, got ${describe(reason)}`);
    }
    frame.reason = reason;
  }
  return frame;
}

// Platform payloads.

/** Whether `value` is a payload object rather than message data. */
function isRecord(value) {
  return value !== null && typeof value === "object" && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value);
}

/** `result[name]`, or `result.data[name]` where Alipay's SocketTask nests its payload in `data`. */
function fieldOf(result, name) {
  if (!isRecord(result)) return undefined;
  return result[name] !== undefined ? result[name] : isRecord(result.data) ? result.data[name] : undefined;
}

/** A message's data: Alipay's `isBuffer` messages are base64, decoded to an ArrayBuffer. */
function messageData(result) {
  const payload = isRecord(result) && isRecord(result.data) ? result.data : result || {};
  return payload.isBuffer === true && typeof payload.data === "string" ? decodeBase64(payload.data) : payload.data;
}

function deliver(events, result) {
  let data;
  try {
    data = messageData(result);
  } catch (error) {
    events.reportError(`a message could not be read: ${errorText(error)}`);
    return;
  }
  events.received(data);
}

/** A close code the library can use: ByteDance reports a string, and background kills
 * report 0 or none (made 1006, abnormal, so the library reconnects). */
function closeCode(result) {
  let code = fieldOf(result, "code");
  if (typeof code === "string" && code.trim() !== "") code = Number(code);
  return Number.isInteger(code) && code >= 1000 && code <= 4999 ? code : ABNORMAL_CLOSURE;
}

function closeReason(result) {
  const reason = fieldOf(result, "reason");
  return typeof reason === "string" ? redactUrls(reason) : "";
}

/** The platform's error text (`errMsg`, Alipay's `errorMessage` and `error` code), redacted. */
function platformError(result, fallback) {
  const text = errorText(result, fallback);
  return isRecord(result) && typeof result.error === "number" ? `${text} (error ${result.error})` : text;
}

/** What `send` takes: binary as base64 text with `isBuffer` where the platform needs it. */
function outgoing(data, base64, fail) {
  return typeof data !== "string" && base64 ? { data: encodeBase64(data), isBuffer: true, fail } : { data, fail };
}

/**
 * The socket's `send` over the platform's `write` (a task's send, or sendSocketMessage):
 * binary as base64 if `base64`, and a failure reported as an error event of `events`.
 */
function sender(write, base64, events) {
  const fail = (result) => events.reportError(platformError(result, "send failed"));
  return (data) => settle(write(outgoing(data, base64, fail)));
}

/** Alipay's send and close also return a Promise; its rejection repeats what `fail` got. */
function settle(result) {
  if (result && typeof result.then === "function") result.then(undefined, ignore);
}

/** Closes a task, best effort: "closeSocket:fail websocket is not connected" on a task that
 * never opened is expected, and a task that throws is gone anyway. */
function closeQuietly(close, frame) {
  try {
    settle(close(Object.assign({ fail: ignore }, frame)));
  } catch (error) {
    // Nothing to do: the socket is gone either way.
  }
}

// connectSocket and SocketTasks.

// APIs whose connectSocket returned no SocketTask (base libraries before SocketTask): the
// legacy API from then on.
const tasklessApis = new WeakSet();

function connectOptions(url, protocols, fail, multiple) {
  const options = { url, fail };
  if (protocols !== undefined) options.protocols = typeof protocols === "string" ? [protocols] : protocols;
  // Alipay (also under uni or Taro) returns a SocketTask only with multiple: true; the
  // other platforms ignore the field.
  if (multiple) options.multiple = true;
  return options;
}

/**
 * Calls `api.connectSocket` (its `fail` callback fails `events`) and returns what it
 * returned, and the failure if `fail` was called before connectSocket returned (the
 * library has not set its handlers then: the caller throws instead).
 */
function startConnecting(api, url, protocols, multiple, events) {
  let returned = false;
  let early;
  const fail = (result) => {
    const message = platformError(result, "connectSocket failed");
    if (returned) events.fail(message);
    else early = message;
  };
  let task;
  try {
    task = api.connectSocket(connectOptions(url, protocols, fail, multiple));
  } catch (error) {
    throw new Error(errorText(error, "connectSocket failed"));
  }
  returned = true;
  return { task, early };
}

function isSocketTask(value) {
  return value !== null && typeof value === "object" && TASK_EVENTS.every((name) => typeof value["on" + name] === "function");
}

function connectTask(api, url, protocols, base64) {
  const { socket, events } = socketShim();
  const { task, early } = startConnecting(api, url, protocols, true, events);
  const promised = task !== null && typeof task === "object" && typeof task.then === "function";
  if (early !== undefined) {
    if (promised) task.then((arrived) => isSocketTask(arrived) && closeQuietly((frame) => arrived.close(frame), {}), ignore);
    else if (isSocketTask(task)) closeQuietly((frame) => task.close(frame), {});
    throw new Error(early);
  }
  if (promised) {
    // Taro: a Promise of the task.
    task.then(
      (arrived) => wireTask(arrived, events, base64, true),
      (error) => events.fail(platformError(error, "connectSocket failed")),
    );
  } else if (isSocketTask(task)) {
    wireTask(task, events, base64, false);
  } else {
    tasklessApis.add(api);
    requireLegacyApi(api, "connectSocket returned no SocketTask");
    useLegacySocket(api, legacyRouter(api), events, base64);
  }
  return socket;
}

/**
 * Listens to `task` for `events` (synchronously after connectSocket: an onOpen attached
 * later can be missed). `promised`: the task came from a Promise (Taro), so the library may
 * have let go of the socket meanwhile (the task is closed then), or the task may have
 * opened already.
 */
function wireTask(task, events, base64, promised) {
  if (!isSocketTask(task)) {
    events.fail(`connectSocket gave ${describe(task)} instead of a SocketTask`);
    return;
  }
  // Alipay's tasks, the only ones with off* methods, take binary as base64.
  const encode = base64 !== undefined ? base64 : typeof task.offMessage === "function";
  const listeners = {
    Open: () => events.opened(),
    Message: (result) => deliver(events, result),
    Error: (result) => events.fail(platformError(result, "socket error")),
    Close: (result) => events.closed(closeCode(result), closeReason(result)),
  };
  if (promised && events.letGo()) {
    closeQuietly((options) => task.close(options), {});
    return;
  }
  events.attach({
    send: sender((options) => task.send(options), encode, events),
    close: (frame) => closeQuietly((options) => task.close(options), frame),
    detach: () =>
      TASK_EVENTS.forEach((name) => {
        if (typeof task["off" + name] === "function") task["off" + name](listeners[name]);
      }),
  });
  TASK_EVENTS.forEach((name) => task["on" + name](listeners[name]));
  if (promised && task.readyState === OPEN) events.opened();
}

// The legacy global API: one app-wide socket, its listeners registered once per API object
// (they accumulate when registered again) and routed to the socket that owns it now.

// API object -> { current: the events of the socket that owns the legacy socket, claimed }.
const legacyRouters = new WeakMap();

function requireLegacyApi(api, why) {
  const missing = LEGACY_API.filter((name) => typeof api[name] !== "function");
  if (missing.length > 0) {
    throw new TypeError(`miniProgramTransport: ${why}, so the legacy socket API is needed, but api has no ${missing.join(", ")}`);
  }
}

function legacyRouter(api) {
  let router = legacyRouters.get(api);
  if (!router) {
    router = { current: null, claimed: false };
    const route = (report) => (result) => {
      if (router.current) report(router.current, result);
    };
    api.onSocketOpen(route((events) => events.opened()));
    api.onSocketMessage(route(deliver));
    api.onSocketError(route((events, result) => events.fail(platformError(result, "socket error"))));
    api.onSocketClose(route((events, result) => events.closed(closeCode(result), closeReason(result))));
    legacyRouters.set(api, router);
  }
  return router;
}

function connectLegacy(api, url, protocols, base64) {
  const router = legacyRouter(api);
  if (router.current && router.current.held()) throw new Error(ONE_LEGACY_SOCKET);
  const { socket, events } = socketShim();
  useLegacySocket(api, router, events, base64);
  const { early } = startConnecting(api, url, protocols, false, events);
  if (early !== undefined) throw new Error(early);
  return socket;
}

/** Makes `events` the owner of the app-wide socket. */
function useLegacySocket(api, router, events, base64) {
  router.current = events;
  // Alipay, the only platform with offSocketMessage, takes binary as base64.
  const encode = base64 !== undefined ? base64 : typeof api.offSocketMessage === "function";
  events.attach({
    send: sender((options) => api.sendSocketMessage(options), encode, events),
    // The app-wide socket belongs to a newer HeartbeatSocket attempt once it connected.
    close: (frame) => {
      if (router.current === events) closeQuietly((options) => api.closeSocket(options), frame);
    },
    detach: ignore,
  });
}

/** `transport.claim()` in legacy mode: one HeartbeatSocket at a time may use the legacy API. */
function claimLegacySocket(api) {
  const router = legacyRouter(api);
  if (router.claimed) throw new Error(ONE_LEGACY_SOCKET);
  router.claimed = true;
  let holding = true;
  return () => {
    if (holding) router.claimed = holding = false;
  };
}
