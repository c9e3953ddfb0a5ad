// What the JavaScript helpers post to a socket's wasm driver, through one callback:
// `post(kind, attempt, data, number, flag)`. The kinds are shared with src/inbox.rs.

export const OPENED = 0; // the socket of `attempt` opened
export const DATA = 1; // a message (`data`)
export const PONG = 2; // a message matching heartbeat.pong
export const PING = 3; // a message matching heartbeat.answer.ping
export const FAILED = 4; // the socket failed; `data` is the error message
// The socket closed; `data` is the reason, `number` the code, `flag` wasClean. The three
// kinds carry reconnect.shouldReconnect's answer: none (no function, or it threw: the
// core's default decides), yes, or no.
export const CLOSED = 5;
export const CLOSED_RETRY = 6;
export const CLOSED_FINAL = 7;
export const URL_RESOLVED = 8; // the URL provider gave `data` for `attempt`
export const URL_FAILED = 9; // the URL provider failed; `data` is why
export const LIFECYCLE = 10; // `number`: 0 online, 1 offline, 2 foreground, 3 background

/** The signals object handed to lifecycle watchers. */
export function lifecycleSignals(post) {
  const signal = (number) => () => post(LIFECYCLE, 0, undefined, number, false);
  return { online: signal(0), offline: signal(1), foreground: signal(2), background: signal(3) };
}
