// URLs: which ones are accepted, how they appear in logs and errors, and calling the
// user's URL provider. URLs often carry tokens in their query string
// (`wss://host/ws?token=…`), so nothing the library logs or reports contains a query
// string, a fragment or user credentials: every message that may quote a URL passes
// through `redactUrls` before it leaves this package's JavaScript.

import { describe } from "./describe.js";
import { URL_FAILED, URL_RESOLVED } from "./inbox.js";

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether `url` is a ws: or wss: URL with a host (and no whitespace). */
export function isWebSocketUrl(url) {
  const match = /^wss?:\/\/([^/?#]*)/i.exec(url);
  return match !== null && !/\s/.test(url) && match[1].slice(match[1].lastIndexOf("@") + 1) !== "";
}

/** `url` without its query string, fragment and user credentials: `wss://u:p@h/ws?t=1` is `wss://h/ws`. */
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
  return String(text).replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`)]*/gi, redactUrl);
}

/**
 * Calls the URL provider of a `connection` (it may return a string, return a Promise of
 * one, or throw) and posts the outcome to the driver (see inbox.js), synchronously when it
 * can.
 */
export function resolveUrl({ urlProvider: provider }, attempt, post) {
  const failed = (problem) => post(URL_FAILED, attempt, problem, 0, false);
  const settle = (url, verb) => {
    if (typeof url !== "string") failed(`the provider ${verb} ${describe(url)} instead of a URL string`);
    else if (!isWebSocketUrl(url)) failed(`expected a ws: or wss: URL, got ${describe(redactUrl(url))}`);
    else post(URL_RESOLVED, attempt, url, 0, false);
  };
  let result;
  try {
    result = provider();
  } catch (error) {
    failed(`the provider failed: ${errorText(error)}`);
    return;
  }
  if (result && typeof result.then === "function") {
    Promise.resolve(result)
      .then((url) => settle(url, "resolved to"), (error) => failed(`the provider failed: ${errorText(error)}`))
      // Posting fails only if the socket was freed meanwhile: nobody is waiting.
      .catch(() => {});
  } else {
    settle(result, "returned");
  }
}

/** The message of something thrown, an error event or a mini-program callback result
 * (`errMsg`; Alipay's `errorMessage`), redacted; `fallback` if none. */
export function errorText(error, fallback) {
  const message = error && (error.message || error.errMsg || error.errorMessage);
  return redactUrls(typeof message === "string" && message ? message : typeof error === "string" ? error : fallback || String(error));
}
