// Calling the user's URL provider: it may return a string, return a Promise of one, or
// throw. The result is reported through `report(attempt, url, problem)` with exactly one
// of `url` (a string) and `problem` (a message) set, synchronously when it can be.

import { describe } from "./describe.js";

export function resolveUrl(provider, attempt, report) {
  let result;
  try {
    result = provider();
  } catch (error) {
    report(attempt, undefined, messageOf(error));
    return;
  }
  if (result && typeof result.then === "function") {
    Promise.resolve(result)
      .then(
        (url) => settle(report, attempt, url, "resolved to "),
        (error) => report(attempt, undefined, messageOf(error)),
      )
      // Reporting fails only if the socket was freed meanwhile: nobody is waiting.
      .catch(() => {});
  } else {
    settle(report, attempt, result, "returned ");
  }
}

function settle(report, attempt, url, verb) {
  if (typeof url === "string") report(attempt, url, undefined);
  else report(attempt, undefined, `${verb}${describe(url)} instead of a URL string`);
}

function messageOf(error) {
  return error && typeof error.message === "string" ? error.message : String(error);
}
