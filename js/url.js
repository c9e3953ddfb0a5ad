// Calling the user's URL provider: it may return a string, return a Promise of one, or
// throw. The outcome is posted to the driver (see inbox.js), synchronously when it can be.

import { describe } from "./describe.js";
import { URL_FAILED, URL_RESOLVED } from "./inbox.js";

export function resolveUrl(provider, attempt, post) {
  const failed = (problem) => post(URL_FAILED, attempt, problem, 0, false);
  const settle = (url, verb) =>
    typeof url === "string"
      ? post(URL_RESOLVED, attempt, url, 0, false)
      : failed(`${verb}${describe(url)} instead of a URL string`);
  let result;
  try {
    result = provider();
  } catch (error) {
    failed(messageOf(error));
    return;
  }
  if (result && typeof result.then === "function") {
    Promise.resolve(result)
      .then((url) => settle(url, "resolved to "), (error) => failed(messageOf(error)))
      // Posting fails only if the socket was freed meanwhile: nobody is waiting.
      .catch(() => {});
  } else {
    settle(result, "returned ");
  }
}

function messageOf(error) {
  return error && typeof error.message === "string" ? error.message : String(error);
}
