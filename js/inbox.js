// What the JavaScript helpers post to a socket's wasm driver, through one callback:
// `post(kind, attempt, data, number, flag)`. The kinds are shared with src/inbox.rs.

export const OPENED = 0; // the socket of `attempt` opened
export const DATA = 1; // a message (`data`)
export const PONG = 2; // a message matching heartbeat.pong
export const PING = 3; // a message matching heartbeat.answer.ping
export const FAILED = 4; // the socket failed; `data` is the error message
export const CLOSED = 5; // the socket closed; `data` is the reason, `number` the code, `flag` wasClean
export const URL_RESOLVED = 6; // the URL provider gave `data` for `attempt`
export const URL_FAILED = 7; // the URL provider failed; `data` is why
export const LIFECYCLE = 8; // `number`: 0 online, 1 offline, 2 foreground, 3 background

/** The signals object handed to lifecycle watchers. */
export function lifecycleSignals(post) {
  const signal = (number) => () => post(LIFECYCLE, 0, undefined, number, false);
  return { online: signal(0), offline: signal(1), foreground: signal(2), background: signal(3) };
}
