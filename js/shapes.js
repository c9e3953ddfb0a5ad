// Plain objects handed to users, built here from values the wasm side passes.

/** The argument of reconnect.shouldReconnect. */
export function closeDetails(code, reason, wasClean) {
  return { code, reason, wasClean };
}

/** What stats() returns. */
export function stats(opens, closes, reconnects, pingsSent, pongsReceived, lastRtt, messagesIn, messagesOut, dropped, queued) {
  return { opens, closes, reconnects, pingsSent, pongsReceived, lastRtt, messagesIn, messagesOut, dropped, queued };
}

/** An options preset: heartbeat and reconnect settings, to spread before a url. */
export function preset(interval, timeout, anyMessage, delay, maxDelay, factor, jitter, maxRetries, minUptime) {
  return {
    heartbeat: { interval, timeout, message: "ping", pong: "pong", anyMessage },
    reconnect: { delay, maxDelay, factor, jitter, maxRetries, minUptime },
  };
}
