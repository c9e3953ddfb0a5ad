// URLs: which ones are accepted, and how they appear in logs and errors. URLs often carry
// tokens in their query string (`wss://host/ws?token=…`), so nothing the library logs or
// reports contains a query string, a fragment or user credentials: every message that
// may quote a URL passes through `redactUrls` before it leaves this package's JavaScript.
// ES2017 syntax only (mini-programs).

import { describe } from "./describe.js";

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// A URL in free text: a scheme, then everything up to whitespace. Where the URL really
// ends is unknowable in free text, so the whole rest of the word is treated as URL: a
// token with a quote or a bracket in it cannot end the match early and escape.
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/\S*/gi;

/** Whether `url` is a ws: or wss: URL with a host (and no whitespace). */
export function isWebSocketUrl(url) {
  const match = /^wss?:\/\/([^/?#]*)/i.exec(url);
  return match !== null && !/\s/.test(url) && match[1].slice(match[1].lastIndexOf("@") + 1) !== "";
}

/**
 * `url` without user credentials and without everything from its first `?` or `#` on:
 * `wss://u:p@h/ws?t=1#x` is `wss://h/ws`.
 */
export function redactUrl(url) {
  const bare = url.split(/[?#]/)[0];
  const scheme = SCHEME.exec(bare);
  if (!scheme) return bare;
  const rest = bare.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  return scheme[0] + authority.slice(authority.lastIndexOf("@") + 1) + (slash < 0 ? "" : rest.slice(slash));
}

/** `text` with every URL in it redacted, e.g. a platform's "url not in domain list: wss://…". */
export function redactUrls(text) {
  return String(text).replace(URL_IN_TEXT, redactUrl);
}

/**
 * The URL a URL provider gave (`verb`: "returned" or "resolved to"), if it is a ws: or wss:
 * URL; otherwise throws an Error saying what was wrong, without the URL's query string.
 */
export function checkProvidedUrl(url, verb) {
  if (typeof url !== "string") throw new Error(`the provider ${verb} ${describe(url)} instead of a URL string`);
  if (!isWebSocketUrl(url)) throw new Error(`expected a ws: or wss: URL, got ${describe(redactUrl(url))}`);
  return url;
}

/**
 * The message of something thrown (or an error event: `message`, or a mini-program's
 * `errMsg`, or Alipay's `errorMessage`), redacted; `fallback` if there is none. Never throws, whatever was thrown
 * (an object without a prototype cannot be turned into a string, for one).
 */
export function errorText(error, fallback) {
  try {
    const message = error && (error.message || error.errMsg || error.errorMessage);
    if (typeof message === "string" && message) return redactUrls(message);
    if (typeof error === "string" && error) return redactUrls(error);
    return redactUrls(fallback || String(error));
  } catch (unprintable) {
    return fallback || "an error that cannot be printed";
  }
}
