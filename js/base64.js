// Base64 for Alipay's SocketTask, which carries binary messages as base64 text with
// `isBuffer: true`. Written here because mini-program runtimes have no atob/btoa.
// ES2017 syntax only (mini-programs).

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const INVALID = 255;
// The value of each ASCII code, made at the first decode: code at the top level of a
// module would keep it in every bundle of the web entry, used or not.
let values = null;

function valueTable() {
  if (values === null) {
    values = new Uint8Array(128).fill(INVALID);
    for (let i = 0; i < ALPHABET.length; i++) values[ALPHABET.charCodeAt(i)] = i;
  }
  return values;
}

/** The bytes of `buffer` (an ArrayBuffer) as padded base64. */
export function encodeBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  const chunks = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunks.push(ALPHABET[triple >> 18] + ALPHABET[(triple >> 12) & 63] + ALPHABET[(triple >> 6) & 63] + ALPHABET[triple & 63]);
  }
  const left = bytes.length - i;
  if (left === 1) {
    chunks.push(ALPHABET[bytes[i] >> 2] + ALPHABET[(bytes[i] & 3) << 4] + "==");
  } else if (left === 2) {
    const pair = (bytes[i] << 8) | bytes[i + 1];
    chunks.push(ALPHABET[pair >> 10] + ALPHABET[(pair >> 4) & 63] + ALPHABET[(pair & 15) << 2] + "=");
  }
  return chunks.join("");
}

/**
 * The bytes that base64 `text` encodes, as an ArrayBuffer. Padding is optional; anything
 * else outside the alphabet (whitespace included) is a RangeError naming its position.
 */
export function decodeBase64(text) {
  const end = text.length - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
  if (end % 4 === 1) throw new RangeError(`base64: ${text.length} characters cannot be base64`);
  const bytes = new Uint8Array(Math.floor((end * 3) / 4));
  const table = valueTable();
  let bits = 0;
  let count = 0;
  let written = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? table[code] : INVALID;
    if (value === INVALID) throw new RangeError(`base64: invalid character ${JSON.stringify(text[i])} at ${i}`);
    bits = ((bits << 6) | value) & 0xfff; // the bits not yet written fit in 12
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[written++] = (bits >> count) & 255;
    }
  }
  return bytes.buffer;
}
