// What every wasm-pack route must do with a real server (the dev server): open, echo a
// message, answer a heartbeat, come back after the server drops the TCP connection, and
// close for good. Runs in a page (bundled by Vite, or loaded as the web target's ES
// module) and in Node (the nodejs target), so it uses only what both have.
//
//   keepAlive({ api, url, transport, drop }) -> the events seen, summarized
// `api`: the module's exports; `url`: a ws: URL of the dev server's echo endpoint;
// `transport`: undefined (the global WebSocket) or one to use; `drop()`: makes the server
// drop the connection (dev server API).

const WAIT_MS = 10000;

export async function keepAlive({ api, url, transport, drop }) {
  const { HeartbeatSocket, browserTransport } = api;
  if (typeof HeartbeatSocket.defaults.heartbeat.interval !== "number") throw new Error("HeartbeatSocket.defaults is not served by the wasm");
  const seen = [];
  const waiters = [];
  const socket = new HeartbeatSocket({
    url,
    transport: transport || browserTransport(),
    heartbeat: { interval: 100, timeout: 2000 },
    reconnect: { delay: 50, jitter: 0 },
  });
  const note = (line) => {
    seen.push(line);
    for (const waiter of waiters.slice()) waiter();
  };
  socket.onopen = (e) => note(e.reconnected ? "reopen" : "open");
  socket.onmessage = (e) => note(`message ${e.data}`);
  socket.addEventListener("heartbeat", { handleEvent: () => note("heartbeat") });
  socket.addEventListener("close", (e) => note(`close ${e.willReconnect}`));
  const until = (line, what) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (seen.indexOf(line) < 0) return;
        waiters.splice(waiters.indexOf(check), 1);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms; seen: ${seen.join(", ")}`)), WAIT_MS);
      waiters.push(check);
      check();
    });
  try {
    await until("open", "first open");
    if (socket.send("hello") !== true) throw new Error("send() on an open socket did not hand the message over");
    await until("message hello", "echo");
    await until("heartbeat", "heartbeat");
    await drop();
    await until("close true", "close event after the drop");
    await until("reopen", "reopen after the drop");
  } finally {
    socket.close();
  }
  if (socket.state !== "closed") throw new Error(`state after close(): ${socket.state}`);
  const stats = socket.stats();
  // Each kind of event once, sorted: heartbeats repeat, and one may come before the echo.
  const kinds = seen.filter((line, index) => seen.indexOf(line) === index).sort();
  return `${kinds.join(", ")}; opens ${stats.opens}`;
}

/** What keepAlive returns when everything went as it should (the last close is close()'s). */
export const EXPECTED = "close false, close true, heartbeat, message hello, open, reopen; opens 2";
