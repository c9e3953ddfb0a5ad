// Scripted mini-program APIs for the unit tests: SocketTasks whose events the test emits,
// and platform hooks whose registrations the test counts. No network. The SocketTask's
// listener methods serve the network-backed fakes of platforms.mjs too.

export const TASK_EVENTS = ["Open", "Message", "Error", "Close"];

/**
 * Gives `task` its onOpen/onMessage/onError/onClose registrations (and, with `offMethods`,
 * Alipay's off* ones) over `listeners`, a list of listeners by event name.
 */
export function addListenerMethods(task, listeners, offMethods) {
  for (const name of TASK_EVENTS) {
    task["on" + name] = (listener) => listeners[name].push(listener);
    if (offMethods) {
      task["off" + name] = (listener) => {
        const index = listeners[name].indexOf(listener);
        if (index >= 0) listeners[name].splice(index, 1);
      };
    }
  }
}

/**
 * A SocketTask that records `send` and `close` options and lets the test `emit` its events.
 * `offMethods`: with Alipay's offOpen/offMessage/offError/offClose.
 */
export function scriptedTask({ offMethods = false } = {}) {
  const listeners = Object.fromEntries(TASK_EVENTS.map((name) => [name, []]));
  const task = {
    listeners,
    sent: [],
    closed: [],
    send(options) {
      task.sent.push(options);
    },
    close(options) {
      task.closed.push(options);
    },
    emit(name, result) {
      listeners[name].slice().forEach((listener) => listener(result));
    },
    listenerCount: () => TASK_EVENTS.reduce((count, name) => count + listeners[name].length, 0),
  };
  addListenerMethods(task, listeners, offMethods);
  return task;
}

/** An API whose connectSocket records its options and returns `makeTask(options)`. */
export function scriptedApi(makeTask = () => scriptedTask()) {
  const api = {
    calls: [],
    tasks: [],
    connectSocket(options) {
      api.calls.push(options);
      const task = makeTask(options);
      api.tasks.push(task);
      return task;
    },
  };
  return api;
}

/**
 * The legacy global socket API of an old base library: connectSocket returns nothing
 * (unless `returns` says otherwise), listeners accumulate as on the platforms.
 */
export function scriptedLegacyApi({ returns } = {}) {
  const listeners = Object.fromEntries(TASK_EVENTS.map((name) => [name, []]));
  const api = {
    listeners,
    calls: [],
    sent: [],
    closed: [],
    connectSocket(options) {
      api.calls.push(options);
      return returns;
    },
    sendSocketMessage(options) {
      api.sent.push(options);
    },
    closeSocket(options) {
      api.closed.push(options);
    },
    emit(name, result) {
      listeners[name].slice().forEach((listener) => listener(result));
    },
  };
  for (const name of TASK_EVENTS) api["onSocket" + name] = (listener) => listeners[name].push(listener);
  return api;
}

/** The socket's handlers, recording every event they get. */
export function record(socket) {
  const events = [];
  for (const type of ["open", "message", "error", "close"]) socket["on" + type] = (event) => events.push(event);
  return events;
}

/** Platform hooks (onNetworkStatusChange, onAppShow, onAppHide) with the off* functions named in `off`. */
export function hookedApi({ off = ["offNetworkStatusChange", "offAppShow", "offAppHide"], hooks = ["onNetworkStatusChange", "onAppShow", "onAppHide"] } = {}) {
  const listeners = {};
  const api = { listeners, registrations: {}, removals: {} };
  for (const on of hooks) {
    listeners[on] = [];
    api.registrations[on] = 0;
    api[on] = (listener) => {
      api.registrations[on] += 1;
      listeners[on].push(listener);
    };
  }
  for (const name of off) {
    const on = "on" + name.slice(3);
    api.removals[on] = 0;
    api[name] = (listener) => {
      api.removals[on] += 1;
      const index = listeners[on].indexOf(listener);
      if (index >= 0) listeners[on].splice(index, 1);
    };
  }
  api.fire = (on, result) => listeners[on].slice().forEach((listener) => listener(result));
  return api;
}

/** Lifecycle signals recording their calls into `log` with a `name` prefix. */
export function signalsInto(log, name) {
  const signal = (kind) => () => log.push(`${name}:${kind}`);
  return { online: signal("online"), offline: signal("offline"), foreground: signal("foreground"), background: signal("background") };
}
