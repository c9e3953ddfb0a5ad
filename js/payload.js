// Messages users send: checked and normalized before the wasm side queues them, and
// measured (only when queued) without TextEncoder, which mini-programs on phones lack.

import { expected } from "./describe.js";

/**
 * A string or an ArrayBuffer: typed arrays and DataViews become a copy of exactly the bytes
 * they view (Behaviour 7), so later changes to the caller's buffer do not alter a queued
 * message.
 */
export function sendable(data) {
  if (typeof data === "string" || data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  throw expected("send", "a string, an ArrayBuffer or a typed array", data);
}

/** Bytes on the wire: UTF-8 for text (a lone surrogate becomes U+FFFD, 3 bytes). */
export function byteLength(data) {
  if (typeof data !== "string") return data.byteLength;
  let bytes = 0;
  for (let i = 0; i < data.length; i++) {
    const unit = data.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < data.length) {
      const next = data.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
