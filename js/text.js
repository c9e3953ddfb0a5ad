// Text measurement without TextEncoder (mini-programs on phones have none).

/**
 * The number of bytes `text` takes in UTF-8, as WebSocket.send encodes it: a surrogate
 * pair is 4 bytes, and a lone surrogate becomes U+FFFD (3 bytes).
 */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
