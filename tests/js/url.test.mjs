// Unit tests of js/url.js: URL checks and redaction (Behaviour 11: no query strings in
// logs or errors).
import assert from "node:assert/strict";
import { test } from "node:test";

import { errorText, isWebSocketUrl, redactUrl, redactUrls, resolveUrl } from "../../js/url.js";

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
  const redacted = redactUrls('fail url not in domain list: "wss://h/ws?token=s3cret" (ws://x?y=2)');
  assert.equal(redacted, 'fail url not in domain list: "wss://h/ws" (ws://x)');
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

test("the provider's outcome is posted once, without query strings in problems", async () => {
  const posts = [];
  const post = (kind, attempt, data) => posts.push([kind, attempt, data]);
  const provider = (urlProvider) => ({ urlProvider });
  resolveUrl(provider(() => "wss://h/?t=1"), 1, post);
  resolveUrl(provider(() => "https://h/?token=s3cret"), 2, post);
  resolveUrl(provider(() => 42), 3, post);
  resolveUrl(
    provider(() => {
      throw new Error("no token for wss://h/?token=s3cret");
    }),
    4,
    post,
  );
  resolveUrl(provider(() => Promise.resolve("ws://late/")), 5, post);
  resolveUrl(provider(() => Promise.reject(new TypeError("offline"))), 6, post);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(posts, [
    [8, 1, "wss://h/?t=1"],
    [9, 2, 'expected a ws: or wss: URL, got "https://h/"'],
    [9, 3, "the provider returned 42 instead of a URL string"],
    [9, 4, "the provider failed: no token for wss://h/"],
    [8, 5, "ws://late/"],
    [9, 6, "the provider failed: offline"],
  ]);
  assert.ok(!JSON.stringify(posts.slice(1)).includes("s3cret"));
});
