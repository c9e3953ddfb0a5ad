// The library's clock: monotonic milliseconds, so that setting the wall clock back or
// forward changes no deadline (docs/behaviour.md#rule-8). `performance.now()` where the
// platform has it; otherwise `Date.now()`'s forward steps, added up: a step back adds
// nothing, and the clock goes on from where it was at the wall clock's pace (clamping
// Date.now() instead would stand the clock still until the wall clock caught up, and
// every deadline with it).

const performanceClock = typeof performance === "object" && performance !== null && typeof performance.now === "function" ? performance : null;
let elapsed = 0;
let lastWall = null;

/** Milliseconds on a clock that never goes backwards. */
export function now() {
  if (performanceClock !== null) return performanceClock.now();
  const wall = Date.now();
  if (lastWall === null) elapsed = wall;
  else if (wall > lastWall) elapsed += wall - lastWall;
  lastWall = wall;
  return elapsed;
}

/** Whether event timestamps (`event.timeStamp`) are on the same clock as `now()`. */
export const EVENTS_ON_CLOCK = performanceClock !== null;
