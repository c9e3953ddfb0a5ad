// Loaded before the package (soak.js imports it first): counts the page's pending timers
// and the listeners added to the window and the document, so that the soak can check that
// closed sockets leave neither behind.

const pending = new Set();
const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);

window.setTimeout = (callback, ms, ...rest) => {
  const id = realSetTimeout(
    (...args) => {
      pending.delete(id);
      if (typeof callback === "function") callback(...args);
    },
    ms,
    ...rest,
  );
  pending.add(id);
  return id;
};

window.clearTimeout = (id) => {
  pending.delete(id);
  realClearTimeout(id);
};

const listeners = new Set();
for (const target of [window, document]) {
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  target.addEventListener = (type, listener, options) => {
    listeners.add(`${target === window ? "window" : "document"}:${type}:${registry(listener)}`);
    return add(type, listener, options);
  };
  target.removeEventListener = (type, listener, options) => {
    listeners.delete(`${target === window ? "window" : "document"}:${type}:${registry(listener)}`);
    return remove(type, listener, options);
  };
}

const ids = new WeakMap();
let lastId = 0;
function registry(listener) {
  if (!ids.has(listener)) ids.set(listener, ++lastId);
  return ids.get(listener);
}

/** Timers set with setTimeout that have neither run nor been cleared. */
export const pendingTimers = () => pending.size;

/** Listeners on the window and the document that were added and not removed. */
export const pageListeners = () => listeners.size;
