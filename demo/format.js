// Small formatting helpers shared by the panels and charts.

/** "850 ms", "4.2 s", "1 min 05 s": short and stable in width for live counters. */
export function duration(ms) {
  if (!Number.isFinite(ms)) return "∞";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/** Wall-clock time with milliseconds, for the message log: "14:03:07.215". */
export function clock(date = new Date()) {
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A message payload as one readable line: text as is (shortened), binary by size. */
export function payload(data) {
  if (typeof data === "string") return data.length > 120 ? data.slice(0, 120) + "…" : data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return `‹binary, ${data.byteLength} bytes›`;
  return String(data);
}

/** A close code with its reason, e.g. "4000 heartbeat timeout". */
export function closeText({ code, reason }) {
  return reason ? `${code} ${reason}` : String(code);
}

/**
 * A value as JavaScript source (object literals without quoted keys, Infinity spelled
 * out, functions named), for the "options in use" box of each panel.
 */
export function source(value, indent = "") {
  if (typeof value === "function") return "ƒ";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => source(item, indent)).join(", ")}]`;
  if (value && typeof value === "object") {
    const inner = indent + "  ";
    const lines = Object.entries(value).map(([key, item]) => `${inner}${key}: ${source(item, inner)},`);
    return lines.length ? `{\n${lines.join("\n")}\n${indent}}` : "{}";
  }
  return String(value);
}
