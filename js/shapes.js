// Plain objects handed to users, built here from values the wasm side passes.

/** What stats() returns; `lastRtt` is null before the first pong. */
export function stats(opens, closes, reconnects, pingsSent, pongsReceived, lastRtt, messagesIn, messagesOut, dropped, queued) {
  if (lastRtt === undefined) lastRtt = null;
  return { opens, closes, reconnects, pingsSent, pongsReceived, lastRtt, messagesIn, messagesOut, dropped, queued };
}

/** `HeartbeatSocket.presets`, with `article` made of the core's values. */
export function presets(interval, timeout, anyMessage, delay, maxDelay, factor, jitter, maxRetries, minUptime) {
  return {
    article: {
      heartbeat: { interval, timeout, message: "ping", pong: "pong", anyMessage },
      reconnect: { delay, maxDelay, factor, jitter, maxRetries, minUptime },
    },
  };
}
