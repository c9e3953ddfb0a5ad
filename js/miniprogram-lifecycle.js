// Network and foreground signals of a mini-program, shared by every socket using the same
// platform API object (wx, my, uni, Taro…). Platform listeners are app-wide and, where a
// platform has no off* function, cannot be removed: each hook is registered once per API
// object and fans out to the sockets watching at that moment. ES2017 syntax only.

import { report } from "./listeners.js";

/** [register, unregister, what to tell a watcher]: missing platform functions are skipped. */
const HOOKS = [
  ["onNetworkStatusChange", "offNetworkStatusChange", (signals, status) => (status && status.isConnected === false ? signals.offline() : signals.online())],
  ["onAppHide", "offAppHide", (signals) => signals.background()],
  ["onAppShow", "offAppShow", (signals) => signals.foreground()],
];

// API object -> its hub: { watchers, hooks: [{ on, off, listener, registered }] }.
const hubs = new WeakMap();

function hubOf(api) {
  let hub = hubs.get(api);
  if (!hub) {
    const watchers = [];
    const hooks = HOOKS.filter(([on]) => typeof api[on] === "function").map(([on, off, tell]) => ({
      on,
      off: typeof api[off] === "function" ? off : null,
      // A copy: a watcher may stop (its socket closed) while being told.
      listener: (status) => watchers.slice().forEach((signals) => tellSafely(tell, signals, status)),
      registered: false,
    }));
    hub = { watchers, hooks };
    hubs.set(api, hub);
  }
  return hub;
}

function tellSafely(tell, signals, status) {
  try {
    tell(signals, status);
  } catch (error) {
    report("a lifecycle signal threw", error);
  }
}

/**
 * Reports the platform's network changes (`isConnected` false: offline, true: online) and
 * app hide/show (background/foreground) to `signals` until the returned function is
 * called. The last watcher of an API object to stop removes the hooks that can be removed.
 */
export function watchMiniProgramLifecycle(api, signals) {
  const hub = hubOf(api);
  hub.hooks.forEach((hook) => {
    if (!hook.registered) {
      api[hook.on](hook.listener);
      hook.registered = true;
    }
  });
  hub.watchers.push(signals);
  let watching = true;
  return () => {
    if (!watching) return;
    watching = false;
    hub.watchers.splice(hub.watchers.indexOf(signals), 1);
    if (hub.watchers.length > 0) return;
    hub.hooks.forEach((hook) => {
      if (hook.registered && hook.off) {
        api[hook.off](hook.listener);
        hook.registered = false;
      }
    });
  };
}
