// How values appear in error messages, and the TypeError every bad argument gets.

/** A short description of `value`: strings quoted (and shortened), other types named. */
export function describe(value) {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 60) + "…" : value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  if (value === null || typeof value !== "object") return typeof value === "symbol" ? "a symbol" : String(value);
  return "an object";
}

/** `path: expected <what>, got <value>`. */
export function expected(path, what, value) {
  return new TypeError(`${path}: expected ${what}, got ${describe(value)}`);
}
