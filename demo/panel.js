// One live view of one HeartbeatSocket: state, stats, the two charts, reconnect attempts
// and a message log. The page shows one panel, or two side by side (our options against
// the article's preset) connected to the same dev server.
//
// A panel outlives its sockets: applying new options replaces the socket but keeps the
// history, so the timeline shows what changed. Events of a replaced socket are ignored.

import { HeartbeatSocket } from "/pkg/index.js";
import { RttChart, Timeline, WINDOW_MS } from "./charts.js";
import { clock, closeText, duration, payload } from "./format.js";

const LOG_LIMIT = 80;
const ATTEMPT_LIMIT = 8;
const KEEP_MS = WINDOW_MS + 5000; // history kept beyond the visible window
const STATS = [
  ["opens", "opens"],
  ["closes", "closes"],
  ["reconnects", "reconnects"],
  ["pingsSent", "pings sent"],
  ["pongsReceived", "pongs"],
  ["lastRtt", "last RTT"],
  ["messagesIn", "msgs in"],
  ["messagesOut", "msgs out"],
  ["queued", "queued"],
  ["dropped", "dropped"],
];
// The library's own reconnect defaults, to show the un-jittered delay of an attempt.
const RECONNECT_DEFAULTS = { delay: 1000, maxDelay: 30000, factor: 2 };

export class Panel {
  /**
   * key: "ours" or "article" (a data-panel attribute, for styles and tests);
   * label: tag of this panel's connections on the dev server, used to aim faults;
   * code: how the options are written in the "options in use" box.
   */
  constructor({ key, title, subtitle, label, code }) {
    this.label = label;
    this.code = code;
    this.root = document.querySelector("#panel-template").content.firstElementChild.cloneNode(true);
    this.root.dataset.panel = key;
    this.refs = Object.fromEntries([...this.root.querySelectorAll("[data-ref]")].map((el) => [el.dataset.ref, el]));
    this.refs.title.textContent = title;
    this.refs.subtitle.innerHTML = subtitle;
    this.statCells = this.buildStats();
    this.timeline = new Timeline(this.refs.timeline);
    this.rttChart = new RttChart(this.refs.rtt);

    this.socket = null;
    this.options = null;
    this.state = "idle";
    this.stateSince = performance.now();
    this.segments = []; // {state, from, to}: the timeline bands
    this.faults = []; // {t, text}: fault markers on both charts
    this.closes = []; // {t, code}
    this.rtts = []; // {t, rtt, connection}
    this.connection = 0; // counts opens, so the RTT line breaks between connections
    this.attempts = []; // newest last: {attempt, delay, base, at, status, result}
    this.attemptsDirty = true;
    this.fault = null; // the last fault applied: {name, at, kills, noticedAt, noticedBy, reopenedAt}
    this.lastClose = null;
    this.gaveUp = null;
    this.queuedEntries = []; // log entries of messages waiting in the queue: {data, li}
    this.closedByUser = false; // close() is final: "reconnect now" then needs a new socket
    this.nextStats = 0;
  }

  get url() {
    const url = new URL("/ws", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("label", this.label);
    return url.href;
  }

  /**
   * Creates a socket with `options` (plus this panel's url), replacing the current one.
   * Throws the library's TypeError for bad options, leaving the current socket running.
   */
  start(options, why = "new options") {
    const socket = new HeartbeatSocket({ ...this.instrument(options), url: this.url });
    const old = this.socket;
    this.socket = socket;
    this.options = options;
    this.closedByUser = false;
    if (old) {
      if (old.state !== "closed") old.close(1000, "options changed");
      this.note("event", `new socket (${why})`);
      if (why === "new options") this.faults.push({ t: performance.now(), text: why });
      this.forgetQueued("socket replaced");
      const attempt = this.attempts.at(-1);
      if (attempt?.status === "waiting" || attempt?.status === "connecting") this.updateAttempt(attempt, "skipped", "socket replaced");
    }
    this.listen(socket);
    this.gaveUp = null;
    this.setState(socket.state);
    this.refs.options.textContent = this.code(options);
  }

  /**
   * heartbeat.answer.pong may be a function; wrapping the configured text in one lets the
   * log show each server ping the socket answers (the library does not report them as
   * messages, since they are heartbeat traffic).
   */
  instrument(options) {
    const answer = options.heartbeat?.answer;
    if (!answer) return options;
    const pong = () => {
      this.note("heartbeat", `server "${answer.ping}" → answered "${answer.pong}"`);
      return answer.pong;
    };
    return { ...options, heartbeat: { ...options.heartbeat, answer: { ...answer, pong } } };
  }

  listen(socket) {
    const on = (type, handler) =>
      socket.addEventListener(type, (event) => {
        if (socket === this.socket) handler.call(this, event, performance.now());
      });
    on("statechange", (event) => this.setState(event.to));
    on("open", this.onOpen);
    on("close", this.onClose);
    on("reconnecting", this.onReconnecting);
    on("giveup", this.onGiveup);
    on("heartbeat", this.onHeartbeat);
    on("message", (event) => this.note("in", payload(event.data)));
    on("drop", this.onDrop);
    on("error", (event) => this.note("event", `error: ${event.message}`));
  }

  setState(state) {
    const now = performance.now();
    const current = this.segments.at(-1);
    if (current) current.to = now;
    this.segments.push({ state, from: now, to: null });
    this.state = state;
    this.stateSince = now;
    this.root.dataset.state = state;
    this.refs.state.textContent = state;
    const attempt = this.attempts.at(-1);
    if (state === "connecting" && attempt?.status === "waiting") this.updateAttempt(attempt, "connecting");
  }

  onOpen(event, now) {
    this.connection += 1;
    this.gaveUp = null;
    const attempt = this.attempts.at(-1);
    if (attempt && (attempt.status === "waiting" || attempt.status === "connecting")) this.updateAttempt(attempt, "opened");
    this.note("event", event.reconnected ? `open again (attempt ${event.attempt})` : "open");
    // The library flushes its queue on open: what waited has now been sent.
    for (const { li } of this.queuedEntries) tag(li, "out", "sent after reconnect");
    this.queuedEntries = [];
    if (this.fault?.noticedAt && !this.fault.reopenedAt) this.fault.reopenedAt = now;
  }

  onClose(event, now) {
    this.lastClose = { ...event, t: now };
    this.closes.push({ t: now, code: event.code });
    const attempt = this.attempts.at(-1);
    if (attempt?.status === "connecting") this.updateAttempt(attempt, "failed", closeText(event));
    if (this.fault?.kills && !this.fault.noticedAt) {
      this.fault.noticedAt = now;
      this.fault.noticedBy = closeText(event);
    }
    this.note("event", `closed ${closeText(event)}${event.willReconnect ? "" : " (final)"}`);
  }

  onReconnecting(event, now) {
    // A retry replaces one still waiting (reconnect() cuts a wait short).
    const previous = this.attempts.at(-1);
    if (previous?.status === "waiting") this.updateAttempt(previous, "skipped");
    this.attempts.push({
      attempt: event.attempt,
      delay: event.delay,
      base: this.baseDelay(event.attempt),
      at: now,
      clock: clock().slice(0, 8),
      status: "waiting",
    });
    if (this.attempts.length > ATTEMPT_LIMIT) this.attempts.shift();
    this.attemptsDirty = true;
  }

  onGiveup(event) {
    this.gaveUp = event.attempts;
    this.note("event", `gave up after ${event.attempts} attempts`);
  }

  onHeartbeat(event, now) {
    this.rtts.push({ t: now, rtt: event.rtt, connection: this.connection });
  }

  onDrop(event) {
    // Called from inside send() when the new message itself is refused (drop-newest),
    // otherwise for an older message that was waiting in the queue.
    if (this.sending && this.options.queue?.overflow === "drop-newest") {
      this.sendDropped = event.reason;
      return;
    }
    const index = this.queuedEntries.findIndex((entry) => entry.data === event.data);
    if (index >= 0) {
      tag(this.queuedEntries[index].li, "drop", `dropped (${event.reason})`);
      this.queuedEntries.splice(index, 1);
    } else {
      this.note("drop", payload(event.data), event.reason);
    }
  }

  /** The delay of retry `n` before jitter, to show how much jitter took off. */
  baseDelay(n) {
    const { delay, maxDelay, factor } = { ...RECONNECT_DEFAULTS, ...this.options?.reconnect };
    return Math.min(maxDelay, delay * factor ** (n - 1));
  }

  updateAttempt(attempt, status, result = "") {
    attempt.status = status;
    attempt.result = result;
    this.attemptsDirty = true;
  }

  // --- actions (from the buttons) ------------------------------------------------------

  send(text) {
    if (!this.socket) return;
    this.sending = true;
    this.sendDropped = null;
    try {
      if (this.socket.send(text)) this.note("out", text);
      else if (this.sendDropped) this.note("drop", text, `dropped (${this.sendDropped})`);
      else this.queuedEntries.push({ data: text, li: this.note("queued", text, "waiting for a connection") });
    } catch (error) {
      this.note("drop", text, error.message);
    } finally {
      this.sending = false;
    }
  }

  /**
   * reconnect(): connect now with the retry counter reset, which also revives a socket
   * that gave up. Only close() is final (reconnect() then throws): that needs a new socket.
   */
  reconnectNow() {
    if (this.socket && !this.closedByUser) {
      this.note("event", "reconnect() called");
      this.socket.reconnect();
    } else {
      this.start(this.options, "the old one was closed");
    }
  }

  close() {
    if (!this.socket || this.closedByUser) return;
    this.closedByUser = true;
    this.socket.close(1000, "closed from the demo");
    this.forgetQueued("socket closed");
  }

  /**
   * Records a fault the page is about to inject, to time how long the socket takes to
   * notice. Called before the request: a dropped connection can close before the API's
   * answer arrives. withdrawFault() takes it back if the fault did not happen after all.
   */
  noteFault(name, kills) {
    const now = performance.now();
    const marker = { t: now, text: name };
    this.faults.push(marker);
    this.lastFaultNote = { previous: this.fault, marker, li: this.note("fault", name) };
    // A traffic change (slow pongs, pushes) does not hide a kill still waiting to be noticed:
    // that wait is what the side-by-side view is for.
    const pending = this.fault?.kills && !this.fault.noticedAt;
    if (kills || !pending) this.fault = { name, at: now, kills, noticedAt: null, noticedBy: "", reopenedAt: null };
    this.renderFault(now);
  }

  withdrawFault(why) {
    const { previous, marker, li } = this.lastFaultNote ?? {};
    if (!marker) return;
    this.lastFaultNote = null;
    this.fault = previous;
    this.faults = this.faults.filter((m) => m !== marker);
    tag(li, "fault", why);
    li.classList.add("withdrawn");
    this.renderFault(performance.now());
  }

  destroy() {
    const socket = this.socket;
    this.socket = null; // ignore the events of the final close
    socket?.close(1000, "panel removed");
    this.root.remove();
  }

  forgetQueued(why) {
    for (const { li } of this.queuedEntries) tag(li, "drop", `lost (${why})`);
    this.queuedEntries = [];
  }

  // --- rendering -----------------------------------------------------------------------

  /** Adds a line to the message log (newest first) and returns it. */
  note(kind, text, detail = "") {
    const li = document.createElement("li");
    li.innerHTML = `<time></time><span class="tag"></span><span class="text"></span><span class="detail"></span>`;
    li.querySelector("time").textContent = clock();
    li.querySelector(".text").textContent = text;
    tag(li, kind, detail);
    this.refs.log.prepend(li);
    while (this.refs.log.children.length > LOG_LIMIT) this.refs.log.lastElementChild.remove();
    return li;
  }

  buildStats() {
    const cells = {};
    for (const [key, name] of STATS) {
      const item = document.createElement("div");
      item.className = `stat stat-${key}`;
      item.innerHTML = `<dt></dt><dd>–</dd>`;
      item.querySelector("dt").textContent = name;
      cells[key] = item.querySelector("dd");
      this.refs.stats.append(item);
    }
    return cells;
  }

  /** Called on every animation frame (throttled by main.js). */
  render(now) {
    const { refs } = this;
    refs.since.textContent = `for ${duration(now - this.stateSince)}`;
    refs.lastClose.textContent = this.lastClose ? `last close: ${closeText(this.lastClose)}` : "";
    refs.lastClose.title = this.lastClose ? `wasClean ${this.lastClose.wasClean}, ${duration(now - this.lastClose.t)} ago` : "";

    // The countdown to the next retry (the reconnecting event comes before the wait).
    const attempt = this.attempts.at(-1);
    const waiting = this.state === "reconnecting" && attempt?.status === "waiting";
    refs.countdown.hidden = !waiting;
    if (waiting) {
      const left = Math.max(0, attempt.at + attempt.delay - now);
      refs.countdownLabel.textContent = `Retry #${attempt.attempt} in`;
      refs.countdownValue.textContent = duration(left);
      refs.countdownBar.style.width = `${attempt.delay ? (100 * (now - attempt.at)) / attempt.delay : 100}%`;
    }
    refs.giveup.hidden = this.gaveUp === null || this.state !== "closed";
    if (this.gaveUp !== null) {
      refs.giveup.textContent = `Gave up after ${this.gaveUp} attempts (reconnect.maxRetries). “Reconnect now” starts over.`;
    }
    this.renderFault(now);

    if (now >= this.nextStats && this.socket) {
      this.nextStats = now + 250;
      const stats = this.socket.stats();
      for (const [key] of STATS) {
        const value = stats[key];
        // lastRtt is absent until the first pong.
        this.statCells[key].textContent = key !== "lastRtt" ? value : value === undefined || value === null ? "–" : duration(value);
      }
    }
    if (this.attemptsDirty) this.renderAttempts();

    this.trim(now);
    this.timeline.draw(now, { segments: this.segments, faults: this.faults, closes: this.closes });
    this.rttChart.draw(now, { points: this.rtts, faults: this.faults });
  }

  /** "silent → noticed after 3.9 s (4000 heartbeat timeout) → open again after 4.4 s". */
  renderFault(now) {
    const { fault } = this;
    const box = this.refs.fault;
    box.hidden = !fault;
    if (!fault) return;
    let html = `<b>${escape(fault.name)}</b>`;
    let status = "info";
    if (!fault.kills) {
      html += ` applied ${duration(now - fault.at)} ago`;
    } else if (!fault.noticedAt) {
      html += ` · <span class="pending">not noticed yet: ${duration(now - fault.at)}…</span>`;
      status = "pending";
    } else {
      html += ` · noticed after <b class="metric">${duration(fault.noticedAt - fault.at)}</b> <span class="muted">(${escape(fault.noticedBy)})</span>`;
      if (fault.reopenedAt) html += ` · open again after <b class="metric">${duration(fault.reopenedAt - fault.at)}</b>`;
      status = fault.reopenedAt ? "healed" : "noticed";
    }
    box.innerHTML = html;
    box.dataset.status = status;
  }

  renderAttempts() {
    this.attemptsDirty = false;
    const list = this.refs.attempts;
    list.replaceChildren();
    for (const attempt of [...this.attempts].reverse()) {
      const li = document.createElement("li");
      li.className = `attempt ${attempt.status}`;
      const share = attempt.base ? Math.min(100, (100 * attempt.delay) / attempt.base) : 100;
      li.innerHTML = `
        <span class="number">#${attempt.attempt}</span>
        <span class="delay" title="the delay drawn for this retry, out of the un-jittered backoff">
          <span class="delay-bar"><span style="width:${share}%"></span></span>
          <span>${duration(attempt.delay)}<span class="muted"> / ${duration(attempt.base)}</span></span>
        </span>
        <span class="result"><span class="chip">${attempt.status}</span> <span class="muted">${escape(attempt.result ?? "")}</span></span>
        <time class="muted">${attempt.clock}</time>`;
      list.append(li);
    }
    this.refs.attemptsEmpty.hidden = this.attempts.length > 0;
  }

  /** Forgets what scrolled out of the charts. */
  trim(now) {
    const horizon = now - KEEP_MS;
    while (this.segments.length > 1 && this.segments[0].to !== null && this.segments[0].to < horizon) this.segments.shift();
    for (const list of [this.faults, this.closes, this.rtts]) while (list.length && list[0].t < horizon) list.shift();
  }
}

// The log's tag for each kind of entry, where it is not the kind itself.
const TAG_NAMES = { drop: "dropped", heartbeat: "answer" };

/** Sets the kind (class and tag) and the detail of a log entry. */
function tag(li, kind, detail) {
  li.className = `entry ${kind}`;
  li.querySelector(".tag").textContent = TAG_NAMES[kind] ?? kind;
  li.querySelector(".detail").textContent = detail;
}

function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
