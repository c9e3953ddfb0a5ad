// The fate of every numbered message a test sends through a HeartbeatSocket to an echo
// server. Plain JavaScript (no Node API): the soak loads it in the browser too.
//
// What a WebSocket client can promise: each message the library accepted is echoed once,
// or reported by a `drop` event, or was on the wire when its connection died. The last
// kind cannot be seen by any client of a protocol without acknowledgements (a server that
// already sent its close frame, went silent or was reset reads no more), so it is counted
// apart, and held to what it must be: messages written to an open socket, after every
// message of that socket that was echoed (the tail of that connection's writes).

export class Ledger {
  constructor() {
    this.accepted = 0; // messages send() took (returned, did not throw)
    this.writes = new Map(); // id -> [{ socket, open }] each time it was written to a socket
    this.socketWrites = new Map(); // socket -> ids written to it, in order
    this.echoes = new Map(); // id -> times echoed
    this.echoOrder = []; // [socket, id] in arrival order
    this.drops = new Map(); // id -> drop reason
  }

  /** send(id) returned. */
  sent() {
    this.accepted += 1;
  }

  /** The library wrote message `id` to transport socket number `socket`; `open`: its readyState was OPEN. */
  written(socket, id, open) {
    if (!this.writes.has(id)) this.writes.set(id, []);
    this.writes.get(id).push({ socket, open });
    if (!this.socketWrites.has(socket)) this.socketWrites.set(socket, []);
    this.socketWrites.get(socket).push(id);
  }

  /** A message event carried the echo of `id`, on transport socket number `socket`. */
  echoed(socket, id) {
    this.echoes.set(id, (this.echoes.get(id) || 0) + 1);
    this.echoOrder.push([socket, id]);
  }

  /** A drop event reported `id`. */
  dropped(id, reason) {
    this.drops.set(id, reason);
  }

  /**
   * Counts, and the ids that break a promise: `duplicated` (echoed twice), `echoedAndDropped`,
   * `rewritten` (written twice: each message goes out at most once), `writtenNotOpen` (handed
   * to a socket that was not open), `reordered` (echoed out of order on one connection) and
   * `unaccounted` (neither echoed, dropped, nor in the unechoed tail of an open socket's writes).
   */
  summary() {
    const ids = [];
    for (let id = 0; id < this.accepted; id++) ids.push(id);
    const tails = new Map(); // socket -> index of its first write after its last echoed one
    for (const [socket, written] of this.socketWrites) {
      let tail = 0;
      written.forEach((id, index) => {
        if (this.echoes.has(id)) tail = index + 1;
      });
      tails.set(socket, tail);
    }
    const inFlightWhenLost = (id) => {
      const writes = this.writes.get(id) || [];
      if (writes.length !== 1 || !writes[0].open) return false;
      const { socket } = writes[0];
      return this.socketWrites.get(socket).indexOf(id) >= tails.get(socket);
    };
    const reordered = [];
    const lastOn = new Map();
    for (const [socket, id] of this.echoOrder) {
      if (lastOn.has(socket) && id <= lastOn.get(socket)) reordered.push(id);
      lastOn.set(socket, id);
    }
    const lostInFlight = [];
    const unaccounted = [];
    for (const id of ids) {
      if (this.echoes.has(id) || this.drops.has(id)) continue;
      (inFlightWhenLost(id) ? lostInFlight : unaccounted).push(id);
    }
    const dropReasons = {};
    for (const reason of this.drops.values()) dropReasons[reason] = (dropReasons[reason] || 0) + 1;
    return {
      sent: this.accepted,
      echoed: ids.filter((id) => this.echoes.has(id)).length,
      dropped: this.drops.size,
      dropReasons,
      lostInFlight: lostInFlight.length,
      sockets: this.socketWrites.size, // sockets that carried messages
      duplicated: ids.filter((id) => this.echoes.get(id) > 1),
      echoedAndDropped: ids.filter((id) => this.echoes.has(id) && this.drops.has(id)),
      rewritten: ids.filter((id) => (this.writes.get(id) || []).length > 1),
      writtenNotOpen: ids.filter((id) => (this.writes.get(id) || []).some((write) => !write.open)),
      reordered,
      unaccounted,
    };
  }
}

/** The summary's broken promises, as text (empty when every promise held). */
export function brokenPromises(summary) {
  const broken = [];
  for (const key of ["duplicated", "echoedAndDropped", "rewritten", "writtenNotOpen", "reordered", "unaccounted"]) {
    const ids = summary[key];
    if (ids.length > 0) broken.push(`${key}: ${ids.length} (${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", …" : ""})`);
  }
  return broken;
}

/**
 * Wraps `transport` so that every socket it makes reports to `ledger` what the library
 * writes to it (messages are numbered text: `prefix + id`). `sockets` counts them; the
 * number of the newest is `sockets.count`.
 */
export function recordingTransport(transport, ledger, prefix) {
  const sockets = { count: 0 };
  return {
    sockets,
    transport: Object.assign({}, transport, {
      connect(url, protocols) {
        const socket = transport.connect(url, protocols);
        const number = ++sockets.count;
        const send = socket.send;
        socket.send = function (data) {
          if (typeof data === "string" && data.startsWith(prefix)) ledger.written(number, Number(data.slice(prefix.length)), socket.readyState === 1);
          return send.apply(this, arguments);
        };
        return socket;
      },
    }),
  };
}
