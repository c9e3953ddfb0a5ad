// A socket as the wasm side sees it: opened through the transport, its events posted to the
// driver (see inbox.js), inbound messages classified here (pong, server ping or data) so
// payloads never cross into wasm, and let go without waiting. ES2017 syntax (mini-programs).

import { describe } from "./describe.js";
import { CLOSED, CLOSED_FINAL, CLOSED_RETRY, DATA, FAILED, OPENED, PING, PONG } from "./inbox.js";
import { errorText } from "./url.js";

/**
 * Sorts inbound messages: `pong` and `ping` (the server ping to answer) are each a string
 * to compare with, a predicate, or undefined when unused. A throwing predicate is
 * reported and means "no".
 */
export function classifier(pong, ping) {
  const isPong = matcher(pong, "heartbeat.pong");
  const isPing = matcher(ping, "heartbeat.answer.ping");
  return (data) => (isPong(data) ? PONG : isPing(data) ? PING : DATA);
}

function matcher(expected, name) {
  if (typeof expected !== "function") return (data) => expected !== undefined && data === expected;
  return (data) => {
    try {
      return Boolean(expected(data));
    } catch (error) {
      console.error(`heartbeat-ws: the ${name} predicate threw:`, error);
      return false;
    }
  };
}

/**
 * Everything sockets need, fixed for a HeartbeatSocket's life: the transport, protocols,
 * the inbound classifier (from `classifier`, or undefined without heartbeat),
 * `shouldReconnect`, the heartbeat message and the answer to server pings (each a string,
 * an ArrayBuffer, a function making one, or null/undefined when unused), and the URL
 * provider (when the url is a function).
 */
export function connection(transport, protocols, classify, shouldReconnect, ping, answer, urlProvider) {
  return { transport, protocols, classify: classify || (() => DATA), shouldReconnect, ping, answer, urlProvider };
}

/**
 * Calls the transport's optional `claim()` once, when a HeartbeatSocket is made with it (a
 * transport with a shared resource, such as the legacy mini-program socket, throws if it is
 * taken). Returns the function that gives the claim back when that HeartbeatSocket is
 * closed for good (or undefined without `claim`); it never throws and runs once.
 */
export function claim({ transport }) {
  if (typeof transport.claim !== "function") return undefined;
  const giveBack = transport.claim();
  if (typeof giveBack !== "function") {
    throw new TypeError(`transport.claim() returned ${describe(giveBack)} instead of a function that gives the claim back`);
  }
  let claimed = true;
  return () => {
    if (!claimed) return;
    claimed = false;
    try {
      giveBack();
    } catch (error) {
      console.error("heartbeat-ws: the function returned by transport.claim() threw:", error);
    }
  };
}

/**
 * Opens the socket of `attempt` and attaches handlers posting its events. If the transport
 * fails, posts that (synchronously) and returns null.
 */
export function open({ transport, protocols, classify, shouldReconnect }, url, attempt, post) {
  let socket;
  try {
    socket = transport.connect(url, protocols);
    if (socket === null || typeof socket !== "object") {
      throw new TypeError(`transport.connect returned ${describe(socket)} instead of a socket`);
    }
    socket.onopen = () => post(OPENED, attempt, undefined, 0, false);
    socket.onmessage = (event) => {
      const data = event.data;
      post(classify(data), attempt, data, 0, false);
    };
    socket.onerror = (event) => post(FAILED, attempt, errorText(event, "socket error"), 0, false);
    socket.onclose = (event) => {
      const code = event && typeof event.code === "number" ? event.code : 1006;
      const reason = event && typeof event.reason === "string" ? event.reason : "";
      const wasClean = event && typeof event.wasClean === "boolean" ? event.wasClean : code !== 1006;
      post(verdict(shouldReconnect, { code, reason, wasClean }), attempt, reason, code, wasClean);
    };
    return socket;
  } catch (error) {
    if (socket !== null && typeof socket === "object") release(socket, 1000, "");
    post(FAILED, attempt, errorText(error, "transport.connect failed"), 0, false);
    return null;
  }
}

/** Asks `shouldReconnect` about a close: only `false` vetoes, so a function that forgets
 * to return does not stop reconnection; a throwing one is reported and the core decides. */
function verdict(shouldReconnect, details) {
  if (!shouldReconnect) return CLOSED;
  try {
    return shouldReconnect(details) === false ? CLOSED_FINAL : CLOSED_RETRY;
  } catch (error) {
    console.error("heartbeat-ws: reconnect.shouldReconnect threw:", error);
    return CLOSED;
  }
}

/** Hands `data` to the socket; returns why that failed, or undefined. */
export function send(socket, data) {
  try {
    socket.send(data);
  } catch (error) {
    return errorText(error, "send failed");
  }
}

/**
 * Sends one of the library's own messages: the heartbeat ping, or (`answer` true) the
 * answer to a server ping. Failures are not reported: the heartbeat deadline will tell.
 */
export function sendOwn({ ping, answer: reply }, socket, answer) {
  let message = answer ? reply : ping;
  const name = answer ? "the heartbeat.answer.pong function" : "the heartbeat.message function";
  if (typeof message === "function") {
    try {
      message = message();
    } catch (error) {
      console.error(`heartbeat-ws: ${name} threw:`, error);
      return;
    }
    if (typeof message !== "string" && !(message instanceof ArrayBuffer)) {
      console.error(`heartbeat-ws: ${name} returned ${describe(message)} instead of a string or an ArrayBuffer`);
      return;
    }
  }
  send(socket, message);
}

/** Detaches the handlers first, so the socket can never report again, then closes it with
 * `code` (if not 0), best effort: a socket that is already closing may throw. */
export function release(socket, code, reason) {
  try {
    socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
    if (code) socket.close(code, reason);
  } catch (error) {
    // Nothing to do: the socket is gone either way.
  }
}
