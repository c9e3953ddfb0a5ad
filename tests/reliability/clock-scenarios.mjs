// The scenarios of clock.test.mjs, in a module of their own so that a child process
// without `performance` (the Date.now fallback of js/clock.js) runs them too. Each takes
// `{ HeartbeatSocket, transport, wsUrl, api }` (`api(path, body)` calls the dev server's
// control API) and throws to fail.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const realNow = Date.now;

/** Real elapsed milliseconds, whatever the test does to Date.now (and without `performance`). */
function stopwatch() {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e6;
}

async function until(condition, what, ms = 5000) {
  const elapsed = stopwatch();
  while (!condition()) {
    if (elapsed() > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Steps the wall clock (Date.now) by `ms` from now on. */
function stepWallClock(ms) {
  Date.now = () => realNow() + ms;
}

function restoreWallClock() {
  Date.now = realNow;
}

/** An open socket that has had one pong, its events, and its connection on the server
 * (labelled `name` and this process's id: a dead connection of an earlier run may linger). */
async function healthy(env, name, heartbeat) {
  const label = `${name}-${process.pid}`;
  const events = [];
  const socket = new env.HeartbeatSocket({ url: `${env.wsUrl}?label=${label}`, transport: env.transport, heartbeat, reconnect: { delay: 50, jitter: 0 } });
  for (const type of ["open", "close", "heartbeat"]) socket.addEventListener(type, (event) => events.push(event));
  await until(() => events.some((event) => event.type === "heartbeat"), "the first pong");
  const list = await env.api("/api/connections");
  const connection = list.find((c) => c.label === label && c.state === "open");
  return { socket, events, connection };
}

/** Clock set back 3 s, then the server goes silent: found in interval + timeout, not 3 s later. */
export async function silentServerAfterTheClockStepsBack(env) {
  const { socket, events, connection } = await healthy(env, "clock-back", { interval: 100, timeout: 100 });
  try {
    stepWallClock(-3000);
    await env.api(`/api/connections/${connection.id}`, { mode: "silent" });
    const elapsed = stopwatch();
    await until(() => events.some((event) => event.type === "close"), "the silent server to be found", 6000);
    const found = elapsed();
    const close = events.find((event) => event.type === "close");
    if (close.code !== 4000) throw new Error(`closed with ${close.code} ${close.reason}, not the heartbeat timeout`);
    if (found > 1500) throw new Error(`the silent server was found after ${Math.round(found)} ms (interval + timeout: 200 ms)`);
    return Math.round(found);
  } finally {
    restoreWallClock();
    socket.close();
  }
}

/** Clock stepped forward 60 s on a healthy connection: it stays open and keeps pinging. */
export async function healthyConnectionAfterTheClockStepsForward(env) {
  const { socket, events } = await healthy(env, "clock-forward", { interval: 100, timeout: 300 });
  try {
    const pongsBefore = events.filter((event) => event.type === "heartbeat").length;
    stepWallClock(60000);
    await sleep(1000);
    const closes = events.filter((event) => event.type === "close");
    if (closes.length > 0) throw new Error(`the healthy connection was closed: ${JSON.stringify(closes)}`);
    const pongs = events.filter((event) => event.type === "heartbeat").length - pongsBefore;
    if (pongs < 3) throw new Error(`${pongs} pongs in the second after the step: the heartbeat stopped`);
    return pongs;
  } finally {
    restoreWallClock();
    socket.close();
  }
}

/** The event loop blocked for 1 s (a late foreground timer): the connection is probed, not killed. */
export async function lateTimerProbes(env) {
  const { socket, events } = await healthy(env, "late-timer", { interval: 100, timeout: 100 });
  try {
    const pongsBefore = events.filter((event) => event.type === "heartbeat").length;
    const elapsed = stopwatch();
    while (elapsed() < 1000);
    await sleep(500);
    const closes = events.filter((event) => event.type === "close");
    if (closes.length > 0) throw new Error(`the connection was killed after a late timer: ${JSON.stringify(closes)}`);
    const pongs = events.filter((event) => event.type === "heartbeat").length - pongsBefore;
    if (pongs < 1) throw new Error("no pong after the late timer: it was not probed");
    return pongs;
  } finally {
    socket.close();
  }
}

export const SCENARIOS = {
  "the clock set back 3 s: a silent server is found in interval + timeout": silentServerAfterTheClockStepsBack,
  "the clock stepped forward 60 s: a healthy connection stays open and keeps pinging": healthyConnectionAfterTheClockStepsForward,
  "a timer 1 s late (event loop blocked): the connection is probed, not killed": lateTimerProbes,
};
