// js/utf8.js, the TextEncoder and TextDecoder the mini-program build gives the wasm-bindgen
// glue, against Node's own (the Encoding Standard's behaviour) as the independent model:
// chosen edge cases and seeded random strings and byte sequences, malformed ones included.
import assert from "node:assert/strict";
import { test } from "node:test";

import { TextDecoder as Utf8Decoder, TextEncoder as Utf8Encoder } from "../../js/utf8.js";

const nodeEncoder = new TextEncoder();
const nodeDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed) {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % below) >>> 0;
  };
}

const STRINGS = [
  "",
  "ping",
  "你好，世界 🌏👋 心跳",
  "\u0000\u007f\u0080\u07ff\u0800\uffff",
  "\ud800", // a lone high surrogate
  "a\udc00b", // a lone low surrogate
  "\udbff\udfff", // U+10FFFF
  "\ufeffBOM kept",
];

test("encode: the same bytes as the standard encoder, lone surrogates as U+FFFD", () => {
  const encoder = new Utf8Encoder();
  for (const text of STRINGS) assert.deepEqual([...encoder.encode(text)], [...nodeEncoder.encode(text)], JSON.stringify(text));
  const next = random(1);
  // Code units from every range, surrogates often, so that pairs and lone halves both occur.
  const ranges = [0x80, 0x800, 0xd800, 0xe000, 0x10000];
  for (let run = 0; run < 2000; run++) {
    const units = Array.from({ length: next(12) }, () => {
      const pick = next(ranges.length + 2);
      return pick >= ranges.length ? 0xd800 + next(0x800) : next(ranges[pick]);
    });
    const text = String.fromCharCode(...units);
    assert.deepEqual([...encoder.encode(text)], [...nodeEncoder.encode(text)], JSON.stringify(units));
  }
});

test("encodeInto: whole characters only, with the code units read and bytes written the standard way", () => {
  const encoder = new Utf8Encoder();
  for (const text of STRINGS) {
    for (let room = 0; room <= 24; room++) {
      const ours = new Uint8Array(room);
      const theirs = new Uint8Array(room);
      assert.deepEqual(encoder.encodeInto(text, ours), nodeEncoder.encodeInto(text, theirs), `${JSON.stringify(text)} into ${room}`);
      assert.deepEqual([...ours], [...theirs]);
    }
  }
});

test("decode: the same text as the standard decoder, malformed sequences replaced the same way", () => {
  const decoder = new Utf8Decoder("utf-8", { ignoreBOM: true });
  assert.equal(decoder.decode(), "");
  for (const text of STRINGS) assert.equal(decoder.decode(nodeEncoder.encode(text)), nodeDecoder.decode(nodeEncoder.encode(text)));
  // Overlong forms, surrogates encoded in UTF-8, truncated sequences, bytes never valid.
  const malformed = [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98], [0xe4, 0xbd], [0xff, 0x41], [0x80, 0xbf, 0x41]];
  for (const bytes of malformed) assert.equal(decoder.decode(new Uint8Array(bytes)), nodeDecoder.decode(new Uint8Array(bytes)), bytes.join(","));
  const next = random(2);
  // Bytes biased towards lead and continuation bytes, so that long sequences form.
  const pool = [0x41, 0x7f, 0x80, 0xbf, 0xa0, 0x9f, 0x8f, 0x90, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
  for (let run = 0; run < 5000; run++) {
    const bytes = Uint8Array.from({ length: next(10) }, () => (next(3) === 0 ? next(256) : pool[next(pool.length)]));
    assert.equal(decoder.decode(bytes), nodeDecoder.decode(bytes), [...bytes].join(","));
  }
});

test("decode: a view of a larger buffer is read within its bounds; long texts come back whole", () => {
  const decoder = new Utf8Decoder();
  const buffer = nodeEncoder.encode("xx你好yy");
  assert.equal(decoder.decode(buffer.subarray(2, 8)), "你好");
  assert.equal(decoder.decode(new DataView(buffer.buffer, 2, 3)), "你");
  const long = "心跳🌏".repeat(20000);
  assert.equal(decoder.decode(nodeEncoder.encode(long)), long);
});

test("the decoder refuses what it does not do: other encodings, the fatal mode", () => {
  assert.throws(() => new Utf8Decoder("gbk"), /only "utf-8" is supported here, got "gbk"/);
  assert.throws(() => new Utf8Decoder("utf-8", { fatal: true }), /the fatal mode is not supported here/);
  assert.equal(new Utf8Decoder("UTF8").encoding, "utf-8");
});
