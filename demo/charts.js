// The two live charts of a panel, drawn on <canvas> by hand (no chart library):
//   Timeline  - one colored band per connection state, scrolling right to left;
//   RttChart  - heartbeat round-trip times as a line over the same time window.
// Both share WINDOW_MS and a left GUTTER, so stacked one above the other their time axes
// line up exactly and a state change sits right above the RTT points around it.

export const WINDOW_MS = 60_000;
const GUTTER = 46;
const RIGHT = 10;

// ---------------------------------------------------------------------------------------
// Colors come from the CSS custom properties in style.css, so the charts follow the
// light/dark theme. The properties use light-dark(), which getPropertyValue() would return
// unresolved; resolving them through a probe element's `color` gives plain rgb() strings.

let cachedPalette = null;
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => (cachedPalette = null));

/** Forget the cached colors (call after switching the theme by hand). */
export function refreshPalette() {
  cachedPalette = null;
}

function palette() {
  if (cachedPalette) return cachedPalette;
  const probe = document.createElement("span");
  probe.style.display = "none";
  document.body.append(probe);
  const read = (name) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color;
  };
  cachedPalette = {
    state: {
      connecting: read("--state-connecting"),
      open: read("--state-open"),
      reconnecting: read("--state-reconnecting"),
      offline: read("--state-offline"),
      closed: read("--state-closed"),
    },
    background: read("--chart-bg"),
    grid: read("--chart-grid"),
    text: read("--text-muted"),
    strong: read("--text"),
    line: read("--rtt-line"),
    fault: read("--fault"),
    close: read("--close-mark"),
    onBand: read("--on-band"),
  };
  probe.remove();
  return cachedPalette;
}

const FONT = "11px ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const BOLD = "600 11px ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** Sizes the canvas backing store to its CSS box times the pixel ratio (crisp lines). */
function prepare(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

/** Maps a time (performance.now() ms) to an x coordinate; "now" is the right edge. */
function timeScale(now, width) {
  const plot = width - GUTTER - RIGHT;
  return (t) => GUTTER + plot * (1 - (now - t) / WINDOW_MS);
}

/** Dashed vertical lines where faults were injected, shared by both charts. */
function drawFaultLines(ctx, x, faults, top, bottom, colors, alpha = 1) {
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = colors.fault;
  ctx.setLineDash([3, 3]);
  ctx.lineWidth = 1;
  for (const fault of faults) {
    const px = Math.round(x(fault.t)) + 0.5;
    if (px < GUTTER) continue;
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, bottom);
    ctx.stroke();
  }
  ctx.restore();
}

// ---------------------------------------------------------------------------------------

export class Timeline {
  constructor(canvas) {
    this.canvas = canvas;
  }

  /**
   * segments: [{state, from, to|null}] (to = null: still in it)
   * faults:   [{t, text}]    drawn as labelled dashed lines
   * closes:   [{t, code}]    drawn as ticks with the close code under the band
   */
  draw(now, { segments, faults, closes }) {
    const { ctx, width, height } = prepare(this.canvas);
    const colors = palette();
    const x = timeScale(now, width);
    const bandTop = 17;
    const bandBottom = height - 17;

    ctx.font = FONT;
    ctx.textBaseline = "middle";
    ctx.fillStyle = colors.text;
    ctx.fillText("state", 4, (bandTop + bandBottom) / 2);

    // The plot's background, then the bands clipped to it so the oldest one slides out
    // under the gutter.
    ctx.save();
    ctx.beginPath();
    ctx.roundRect(GUTTER, bandTop, width - GUTTER - RIGHT, bandBottom - bandTop, 5);
    ctx.fillStyle = colors.background;
    ctx.fill();
    ctx.clip();
    for (const segment of segments) {
      const x0 = Math.max(GUTTER, x(segment.from));
      const x1 = x(segment.to ?? now);
      if (x1 <= GUTTER || x1 - x0 < 0.5) continue;
      ctx.fillStyle = colors.state[segment.state] ?? colors.grid;
      // 1 px of gap between neighbours keeps short states (a 3 ms "connecting") visible.
      ctx.fillRect(x0, bandTop, Math.max(1.5, x1 - x0 - 1), bandBottom - bandTop);
      const label = segment.state;
      if (x1 - x0 > ctx.measureText(label).width + 12) {
        ctx.fillStyle = colors.onBand;
        ctx.font = BOLD;
        ctx.fillText(label, x0 + 6, (bandTop + bandBottom) / 2 + 0.5);
        ctx.font = FONT;
      }
    }
    ctx.restore();

    drawFaultLines(ctx, x, faults, 2, bandBottom, colors);
    // Fault names above the band. The newest get the room: going right to left, a name
    // sits right of its line, else left of it, else (no room) it is left out.
    ctx.font = BOLD;
    ctx.fillStyle = colors.fault;
    ctx.textBaseline = "alphabetic";
    let limit = width - RIGHT;
    for (const fault of [...faults].reverse()) {
      const px = x(fault.t);
      if (px < GUTTER) break;
      const w = ctx.measureText(fault.text).width;
      let left = px + 3;
      if (left + w > limit) left = px - 3 - w;
      if (left + w > limit || left < GUTTER) continue;
      ctx.fillText(fault.text, left, 12);
      limit = Math.min(limit, left - 8);
    }

    // Close codes under the band: why each connection ended (newest first, as above).
    ctx.font = FONT;
    ctx.fillStyle = colors.close;
    limit = width - RIGHT;
    for (const close of [...closes].reverse()) {
      const px = x(close.t);
      if (px < GUTTER) break;
      ctx.fillRect(Math.round(px) - 0.5, bandBottom, 1.5, 4);
      const text = String(close.code);
      const w = ctx.measureText(text).width;
      const left = Math.min(px - w / 2, width - RIGHT - w);
      if (left + w > limit || left < GUTTER) continue;
      ctx.fillText(text, left, height - 2);
      limit = left - 6;
    }
  }
}

// ---------------------------------------------------------------------------------------

/** A "nice" upper bound for the y axis: 1, 2 or 5 times a power of ten. */
function niceCeil(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function msLabel(ms) {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

export class RttChart {
  constructor(canvas) {
    this.canvas = canvas;
  }

  /**
   * points: [{t, rtt, connection}] - the line breaks where `connection` changes, since
   *         RTTs of two different connections are not one continuous series;
   * faults: [{t, text}] as in Timeline.
   */
  draw(now, { points, faults }) {
    const { ctx, width, height } = prepare(this.canvas);
    const colors = palette();
    const x = timeScale(now, width);
    const top = 8;
    const bottom = height - 18;
    const visible = points.filter((p) => x(p.t) >= GUTTER - 20);
    const max = niceCeil(Math.max(10, ...visible.map((p) => p.rtt)) * 1.15);
    const y = (rtt) => bottom - (bottom - top) * (rtt / max);

    // Grid: three horizontal lines labelled in ms, and time ticks every 10 s.
    ctx.font = FONT;
    ctx.lineWidth = 1;
    for (const value of [0, max / 2, max]) {
      const py = Math.round(y(value)) + 0.5;
      ctx.strokeStyle = colors.grid;
      ctx.beginPath();
      ctx.moveTo(GUTTER, py);
      ctx.lineTo(width - RIGHT, py);
      ctx.stroke();
      ctx.fillStyle = colors.text;
      ctx.textBaseline = "middle";
      ctx.textAlign = "right";
      ctx.fillText(msLabel(value), GUTTER - 6, py);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    for (let ago = 0; ago <= WINDOW_MS; ago += 10_000) {
      const px = x(now - ago);
      ctx.fillStyle = colors.text;
      const label = ago === 0 ? "now" : `−${ago / 1000} s`;
      const w = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(Math.max(px, GUTTER + w / 2), width - RIGHT - w / 2), height - 3);
    }
    ctx.textAlign = "left";

    drawFaultLines(ctx, x, faults, top, bottom, colors, 0.5);

    if (visible.length === 0) {
      ctx.fillStyle = colors.text;
      ctx.textAlign = "center";
      ctx.fillText("waiting for the first pong…", (GUTTER + width) / 2, (top + bottom) / 2);
      ctx.textAlign = "left";
      return;
    }

    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, 0, width - GUTTER - RIGHT, height);
    ctx.clip();
    // One run per connection: a soft area under the line, the line, then the dots.
    const runs = [];
    for (const point of visible) {
      const run = runs.at(-1);
      if (run && run[0].connection === point.connection) run.push(point);
      else runs.push([point]);
    }
    for (const run of runs) {
      const gradient = ctx.createLinearGradient(0, top, 0, bottom);
      gradient.addColorStop(0, withAlpha(colors.line, 0.28));
      gradient.addColorStop(1, withAlpha(colors.line, 0.02));
      ctx.fillStyle = gradient;
      ctx.beginPath();
      ctx.moveTo(x(run[0].t), bottom);
      for (const p of run) ctx.lineTo(x(p.t), y(p.rtt));
      ctx.lineTo(x(run.at(-1).t), bottom);
      ctx.closePath();
      ctx.fill();

      ctx.strokeStyle = colors.line;
      ctx.lineWidth = 2;
      ctx.lineJoin = "round";
      ctx.beginPath();
      run.forEach((p, i) => (i ? ctx.lineTo(x(p.t), y(p.rtt)) : ctx.moveTo(x(p.t), y(p.rtt))));
      ctx.stroke();

      ctx.fillStyle = colors.line;
      for (const p of run) {
        ctx.beginPath();
        ctx.arc(x(p.t), y(p.rtt), 2.6, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    ctx.restore();

    // The latest value, next to its dot.
    const last = visible.at(-1);
    const label = `${last.rtt} ms`;
    ctx.font = BOLD;
    const w = ctx.measureText(label).width;
    const lx = Math.min(x(last.t) + 6, width - RIGHT - w);
    const ly = Math.max(top + 8, y(last.rtt) - 8);
    ctx.fillStyle = colors.strong;
    ctx.fillText(label, lx, ly);
  }
}

/** "rgb(r, g, b)" -> "rgba(r, g, b, a)". */
function withAlpha(rgb, alpha) {
  const match = /rgba?\(([^)]+)\)/.exec(rgb);
  if (!match) return rgb;
  const [r, g, b] = match[1].split(/[ ,/]+/).filter(Boolean);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
