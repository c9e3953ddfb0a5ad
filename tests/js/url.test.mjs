// Unit tests of js/url.js: URL checks and redaction (docs/behaviour.md#rule-11: no query strings in
// logs or errors).
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkProvidedUrl, errorText, isWebSocketUrl, redactUrl, redactUrls } from "../../js/url.js";

test("accepts only ws: and wss: URLs with a host", () => {
  for (const ok of ["ws://h", "wss://example.com/ws?x=1", "WSS://h:443/", "ws://u:p@h/p", "ws://[::1]:80/"]) {
    assert.ok(isWebSocketUrl(ok), ok);
  }
  for (const bad of ["", "http://h", "https://h/ws", "ws://", "wss:///path", "ws:h", "ws://h /x", "h/ws", "ws://u@", "ws://u@/p"]) {
    assert.ok(!isWebSocketUrl(bad), bad);
  }
});

test("redaction removes the query string, the fragment and credentials", () => {
  assert.equal(redactUrl("wss://user:pw@host:8443/ws/a?token=abc&u=1#frag"), "wss://host:8443/ws/a");
  assert.equal(redactUrl("ws://h?t=1"), "ws://h");
  assert.equal(redactUrl("ws://h/p"), "ws://h/p");
  assert.equal(redactUrl("not a url?secret"), "not a url");
});

test("every URL inside a message is redacted", () => {
  // Where a URL ends in free text is unknowable: from its first ? or # to the next
  // whitespace everything goes, closing quotes and brackets included.
  const redacted = redactUrls('fail url not in domain list: "wss://h/ws?token=s3cret" (ws://x?y=2)');
  assert.equal(redacted, 'fail url not in domain list: "wss://h/ws (ws://x');
  assert.equal(redactUrls("no urls here"), "no urls here");
  assert.equal(redactUrls("wss://a?t=1 and https://b/c?d=2"), "wss://a and https://b/c");
  assert.equal(redactUrls("é: wss://ü@h/ö?t=1 ü"), "é: wss://h/ö ü");
});

test("error texts are redacted, whatever was thrown", () => {
  assert.equal(errorText(new Error("refused wss://h/?token=s3cret")), "refused wss://h/");
  assert.equal(errorText({ errMsg: "createSocketTask:fail wss://h/ws?t=s3cret" }), "createSocketTask:fail wss://h/ws");
  assert.equal(errorText({ error: 6, errorMessage: "timeout wss://h/ws?t=s3cret" }), "timeout wss://h/ws");
  assert.equal(errorText("ws://h?x=1 down"), "ws://h down");
  assert.equal(errorText({}, "socket error"), "socket error");
});

test("a token cannot end the URL early and escape redaction", () => {
  for (const mark of ["'", ")", '"', "<", ">", "`", "]", "}", ",", ";"]) {
    const text = `Invalid URL: ws://127.0.0.1:99999/ws?token=a${mark}SECRET${mark}tail and more`;
    const redacted = redactUrls(text);
    assert.equal(redacted, "Invalid URL: ws://127.0.0.1:99999/ws and more", mark);
    assert.ok(!redacted.includes("SECRET"), mark);
  }
  assert.equal(redactUrls("wss://h#frag'SECRET x"), "wss://h x");
  assert.equal(redactUrls("wss://u:p'w@h/ws x"), "wss://h/ws x");
});

test("errorText never throws, whatever was thrown", () => {
  const bare = Object.create(null);
  assert.equal(errorText(bare, "the provider failed"), "the provider failed");
  assert.equal(errorText(bare), "an error that cannot be printed");
  const hostile = { get message() { throw new Error("boom"); } };
  assert.equal(errorText(hostile, "fallback"), "fallback");
});

test("provided URLs are checked, and problems carry no query string", () => {
  assert.equal(checkProvidedUrl("wss://h/?t=1", "returned"), "wss://h/?t=1");
  assert.throws(() => checkProvidedUrl("https://h/?token=s3cret", "returned"), { message: 'expected a ws: or wss: URL, got "https://h/"' });
  assert.throws(() => checkProvidedUrl(42, "returned"), { message: "the provider returned 42 instead of a URL string" });
  assert.throws(() => checkProvidedUrl(undefined, "resolved to"), { message: "the provider resolved to undefined instead of a URL string" });
});
