// Messages users send. Every check reads the engine's own internal slots (intrinsic getters
// called on the value), never a property the value could override: a Proxy, an object
// made with Object.create(ArrayBuffer.prototype) or a subclass with its own `byteLength`
// getter is rejected or measured without running its code. Sizes are measured without
// TextEncoder, which mini-programs on phones lack. ES2017 syntax only (mini-programs).

import { expected } from "./describe.js";

const getter = (prototype, name) => Object.getOwnPropertyDescriptor(prototype, name).get;
const bufferBytes = getter(ArrayBuffer.prototype, "byteLength");
const bufferSlice = ArrayBuffer.prototype.slice;
const TypedArray = Object.getPrototypeOf(Uint8Array.prototype);
const typedBuffer = getter(TypedArray, "buffer");
const typedOffset = getter(TypedArray, "byteOffset");
const typedBytes = getter(TypedArray, "byteLength");
const viewBuffer = getter(DataView.prototype, "buffer");
const viewOffset = getter(DataView.prototype, "byteOffset");
const viewBytes = getter(DataView.prototype, "byteLength");
const SENDABLE = "a string, an ArrayBuffer or a typed array";

/** The byte length of a genuine ArrayBuffer, or -1 for anything else (a SharedArrayBuffer included). */
function arrayBufferBytes(value) {
  try {
    return bufferBytes.call(value);
  } catch (error) {
    return -1;
  }
}

/** Whether `value` is a genuine ArrayBuffer (not a Proxy of one, nor an object that only inherits from it). */
export function isArrayBuffer(value) {
  return arrayBufferBytes(value) >= 0;
}

/** Whether `buffer` (a genuine ArrayBuffer) was detached (transferred): slicing it throws. */
function isDetached(buffer) {
  try {
    bufferSlice.call(buffer, 0, 0);
    return false;
  } catch (error) {
    return true;
  }
}

/** The buffer under a genuine typed array or DataView, or null for anything else. */
function viewBufferOf(value) {
  if (!ArrayBuffer.isView(value)) return null;
  try {
    return typedBuffer.call(value);
  } catch (notTypedArray) {
    return viewBuffer.call(value);
  }
}

/** `[offset, length]` of a genuine view whose buffer is not detached. */
function viewRange(view) {
  try {
    return [typedOffset.call(view), typedBytes.call(view)];
  } catch (notTypedArray) {
    return [viewOffset.call(view), viewBytes.call(view)];
  }
}

/**
 * Checks what `send()` was given and returns it as it is: a string, a genuine ArrayBuffer,
 * or a genuine typed array or DataView (a socket sends exactly a view's bytes:
 * docs/behaviour.md#rule-7).
 * Throws a TypeError for anything else, and for a detached buffer or view.
 */
export function outgoing(data) {
  if (typeof data === "string") return data;
  if (arrayBufferBytes(data) >= 0) {
    if (isDetached(data)) throw new TypeError("send: the ArrayBuffer is detached (it was transferred); send a buffer you still own");
    return data;
  }
  const buffer = viewBufferOf(data);
  if (buffer === null || arrayBufferBytes(buffer) < 0) throw expected("send", SENDABLE, data);
  if (isDetached(buffer)) throw new TypeError("send: the typed array's buffer is detached (it was transferred); send a view of a buffer you still own");
  return data;
}

/**
 * A message as it may wait in the queue: strings and ArrayBuffers as they are, a view as a
 * copy of exactly its bytes (so later changes to the caller's buffer do not alter it).
 * `data` has passed `outgoing`.
 */
export function settled(data) {
  if (typeof data === "string" || arrayBufferBytes(data) >= 0) return data;
  const [offset, length] = viewRange(data);
  return bufferSlice.call(viewBufferOf(data), offset, offset + length);
}

/** Bytes on the wire of a `settled` message: UTF-8 for text (a lone surrogate becomes U+FFFD, 3 bytes). */
export function byteLength(data) {
  if (typeof data !== "string") return bufferBytes.call(data);
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
