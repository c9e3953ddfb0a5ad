// The library's clock: monotonic milliseconds, so that setting the wall clock back or
// forward changes no deadline (Behaviour 8). `performance.now()` where the platform has
// it; otherwise `Date.now()`, never allowed to go backwards.

const performanceClock = typeof performance === "object" && performance !== null && typeof performance.now === "function" ? performance : null;
let latest = 0;

/** Milliseconds on a clock that never goes backwards. */
export function now() {
  if (performanceClock !== null) return performanceClock.now();
  const wall = Date.now();
  if (wall > latest) latest = wall;
  return latest;
}

/** Whether event timestamps (`event.timeStamp`) are on the same clock as `now()`. */
export const EVENTS_ON_CLOCK = performanceClock !== null;
