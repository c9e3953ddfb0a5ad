// UTF-8 text coding for runtimes without TextEncoder and TextDecoder (mini-programs on
// phones). The mini-program build gives these two classes to the wasm-bindgen glue under
// the standard names, in the glue's module scope only (never as globals), through esbuild's
// `inject` (scripts/miniprogram.mjs). They do what the glue asks of the standard ones:
// `new TextEncoder()` with `encode` and `encodeInto`, and `new TextDecoder("utf-8",
// { ignoreBOM: true })` with `decode(bytes)`, replacing malformed input with U+FFFD as the
// Encoding Standard does. ES2017 syntax only.

const REPLACEMENT = 0xfffd;
const CHUNK = 0x2000; // code units per String.fromCharCode call (engines cap argument counts)

/** The code point at `string[index]`: a surrogate pair joined, a lone surrogate as U+FFFD. */
function codePointAt(string, index) {
  const unit = string.charCodeAt(index);
  if (unit < 0xd800 || unit > 0xdfff) return unit;
  if (unit <= 0xdbff && index + 1 < string.length) {
    const next = string.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
  }
  return REPLACEMENT;
}

function utf8Length(codePoint) {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

function writeCodePoint(bytes, at, codePoint) {
  const length = utf8Length(codePoint);
  if (length === 1) {
    bytes[at] = codePoint;
    return 1;
  }
  // The lead byte's marker bits (110, 1110, 11110), then six bits per continuation byte.
  bytes[at] = ((0xf00 >> length) & 0xff) | (codePoint >> (6 * (length - 1)));
  for (let i = 1; i < length; i++) bytes[at + i] = 0x80 | ((codePoint >> (6 * (length - 1 - i))) & 0x3f);
  return length;
}

export class TextEncoder {
  get encoding() {
    return "utf-8";
  }

  /** The UTF-8 bytes of `input` (a string; anything else is converted with String()). */
  encode(input) {
    const string = input === undefined ? "" : String(input);
    let length = 0;
    for (let i = 0; i < string.length; i++) {
      const codePoint = codePointAt(string, i);
      if (codePoint > 0xffff) i++;
      length += utf8Length(codePoint);
    }
    const bytes = new Uint8Array(length);
    this.encodeInto(string, bytes);
    return bytes;
  }

  /** Writes the UTF-8 of `input` into `destination` as far as whole characters fit. */
  encodeInto(input, destination) {
    const string = String(input);
    let read = 0;
    let written = 0;
    while (read < string.length) {
      const codePoint = codePointAt(string, read);
      if (written + utf8Length(codePoint) > destination.length) break;
      written += writeCodePoint(destination, written, codePoint);
      read += codePoint > 0xffff ? 2 : 1;
    }
    return { read, written };
  }
}

export class TextDecoder {
  /** Only UTF-8, and only the replacing (non-fatal) mode; a byte order mark is kept. */
  constructor(label, options) {
    if (label !== undefined && !/^\s*utf-?8\s*$/i.test(String(label))) {
      throw new RangeError(`TextDecoder: only "utf-8" is supported here, got ${JSON.stringify(String(label))}`);
    }
    if (options && options.fatal) throw new RangeError("TextDecoder: the fatal mode is not supported here");
  }

  get encoding() {
    return "utf-8";
  }

  /** The text of `input` (a typed array, DataView or ArrayBuffer of UTF-8). */
  decode(input) {
    if (input === undefined) return "";
    const bytes = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
    let text = "";
    let units = [];
    const emit = (codePoint) => {
      if (codePoint > 0xffff) units.push(0xd800 + ((codePoint - 0x10000) >> 10), 0xdc00 + ((codePoint - 0x10000) & 0x3ff));
      else units.push(codePoint);
      if (units.length >= CHUNK) {
        text += String.fromCharCode.apply(null, units);
        units = [];
      }
    };
    // The Encoding Standard's UTF-8 decoder: a byte outside the expected range ends the
    // sequence with one U+FFFD and is read again as the start of the next.
    let needed = 0;
    let seen = 0;
    let codePoint = 0;
    let lower = 0x80;
    let upper = 0xbf;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (needed === 0) {
        if (byte <= 0x7f) {
          emit(byte);
        } else if (byte >= 0xc2 && byte <= 0xdf) {
          needed = 1;
          codePoint = byte & 0x1f;
        } else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) lower = 0xa0;
          if (byte === 0xed) upper = 0x9f;
          needed = 2;
          codePoint = byte & 0x0f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) lower = 0x90;
          if (byte === 0xf4) upper = 0x8f;
          needed = 3;
          codePoint = byte & 0x07;
        } else {
          emit(REPLACEMENT);
        }
        continue;
      }
      if (byte < lower || byte > upper) {
        needed = seen = codePoint = 0;
        lower = 0x80;
        upper = 0xbf;
        emit(REPLACEMENT);
        i--;
        continue;
      }
      lower = 0x80;
      upper = 0xbf;
      codePoint = (codePoint << 6) | (byte & 0x3f);
      seen++;
      if (seen === needed) {
        emit(codePoint);
        needed = seen = codePoint = 0;
      }
    }
    if (needed !== 0) emit(REPLACEMENT);
    return text + String.fromCharCode.apply(null, units);
  }
}
