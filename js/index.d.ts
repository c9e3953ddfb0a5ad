// Types for the web package (pkg/index.js). Hand-written: the generated ones say `any`
// wherever a JavaScript value crosses into wasm.

import type { MessageData, Sendable, Transport, TransportSocket } from "./transport.js";

export type { LifecycleSignals, MessageData, Sendable, Transport, TransportSocket } from "./transport.js";
export { miniProgramTransport } from "./miniprogram.js";
export { ReconnectingWebSocket } from "./reconnecting.js";
export type { MiniProgramApi, MiniProgramSocketTask, MiniProgramTransport, MiniProgramTransportOptions } from "./miniprogram.js";

export type SocketState = "connecting" | "open" | "reconnecting" | "offline" | "closed";

export interface HeartbeatOptions {
  /** ms with nothing received before a ping is sent [10000]. */
  interval?: number;
  /** ms to wait for any answer after the ping before the connection is dead [10000]. */
  timeout?: number;
  /**
   * The ping ["ping"]: a string, an ArrayBuffer or a function returning one. `null` means
   * the server drives the heartbeat: nothing is sent, and the connection is dead after
   * `interval + timeout` ms of silence.
   */
  message?: string | ArrayBuffer | (() => string | ArrayBuffer) | null;
  /** The pong ["pong"]: a string, or a predicate. Pongs are swallowed (no `message` event). */
  pong?: string | ((data: MessageData) => boolean);
  /** Whether every inbound message proves liveness [true]; `false` trusts only pongs. */
  anyMessage?: boolean;
  /** For servers that ping their clients: each inbound `ping` is answered with `pong` and swallowed [false]. */
  answer?:
    | false
    | {
        ping: string | ((data: MessageData) => boolean);
        pong: string | ArrayBuffer | (() => string | ArrayBuffer);
      };
}

export interface CloseDetails {
  code: number;
  reason: string;
  wasClean: boolean;
}

export interface ReconnectOptions {
  /** ms before the first retry [1000]. */
  delay?: number;
  /** Upper bound of a retry's delay in ms [30000]. */
  maxDelay?: number;
  /** Growth of the delay per retry [2]. */
  factor?: number;
  /** Each delay is scaled by a random factor in `[1 - jitter, 1]` [1]. */
  jitter?: number;
  /** Retries after the first attempt before giving up [Infinity]. */
  maxRetries?: number;
  /** ms a connection must stay open before the retry counter resets [5000]. */
  minUptime?: number;
  /**
   * Decides for every close the socket reports: `false` stops, anything else reconnects. Without it,
   * 1002, 1003, 1007, 1008, 1009 and 1010 stop and every other code reconnects.
   */
  shouldReconnect?: (close: CloseDetails) => boolean;
}

export interface QueueOptions {
  /** Messages held while not open [1000]. */
  max?: number;
  /** Bytes held while not open (strings count their UTF-8 length) [1048576]. */
  maxBytes?: number;
  /** What a full queue does ["drop-oldest"]. */
  overflow?: "drop-oldest" | "drop-newest" | "throw";
}

export interface HeartbeatSocketOptions {
  /**
   * A `ws:`/`wss:` URL, or a function returning one (or a Promise of one), asked before
   * every attempt: a place to refresh a token.
   */
  url: string | (() => string | Promise<string>);
  protocols?: string | string[];
  /** [`browserTransport()`] */
  transport?: Transport;
  heartbeat?: false | HeartbeatOptions;
  reconnect?: false | ReconnectOptions;
  /** ms an attempt may take, URL provider included [10000]. */
  connectTimeout?: number;
  queue?: false | QueueOptions;
  /** React to network and foreground changes ["auto"]. */
  lifecycle?: "auto" | false;
  /** One line per state change, attempt, delay, ping, pong and drop; URLs without their query [false]. */
  debug?: boolean | ((line: string) => void);
}

export interface OpenEvent {
  type: "open";
  /** Attempts since the retry counter last reset, this one included. */
  attempt: number;
  /** Whether this HeartbeatSocket had been open before. */
  reconnected: boolean;
}
export interface MessageEvent {
  type: "message";
  data: MessageData;
}
export interface CloseEvent extends CloseDetails {
  type: "close";
  /** Whether a retry follows. */
  willReconnect: boolean;
}
export interface ErrorEvent {
  type: "error";
  message: string;
}
export interface ReconnectingEvent {
  type: "reconnecting";
  /** The retry about to wait: 1 for the first retry. */
  attempt: number;
  /** ms until it starts. */
  delay: number;
}
export interface GiveUpEvent {
  type: "giveup";
  attempts: number;
}
export interface HeartbeatEvent {
  type: "heartbeat";
  /** Round trip of the ping just answered, in ms. */
  rtt: number;
}
export interface DropEvent {
  type: "drop";
  data: Sendable;
  /** `overflow`: the queue was full; `closed`: still queued at `close()`; `send-failed`: the transport's `send` threw. */
  reason: "overflow" | "closed" | "send-failed";
}
export interface StateChangeEvent {
  type: "statechange";
  from: SocketState;
  to: SocketState;
}

export interface HeartbeatSocketEventMap {
  open: OpenEvent;
  message: MessageEvent;
  close: CloseEvent;
  error: ErrorEvent;
  reconnecting: ReconnectingEvent;
  giveup: GiveUpEvent;
  heartbeat: HeartbeatEvent;
  drop: DropEvent;
  statechange: StateChangeEvent;
}

export interface Stats {
  opens: number;
  closes: number;
  reconnects: number;
  pingsSent: number;
  pongsReceived: number;
  /** ms; `null` before the first pong. */
  lastRtt: number | null;
  messagesIn: number;
  messagesOut: number;
  dropped: number;
  queued: number;
}

export interface Presets {
  /** The source article's timings: ping after 10 s, dead 10 s later, "pong" only, a fixed 5 s retry, 12 retries. */
  readonly article: {
    heartbeat: Required<Omit<HeartbeatOptions, "answer">>;
    reconnect: Required<Omit<ReconnectOptions, "shouldReconnect">>;
  };
}

type Handler<K extends keyof HeartbeatSocketEventMap> = ((event: HeartbeatSocketEventMap[K]) => void) | null;

export class HeartbeatSocket {
  /** Checks `options` (a `TypeError` names any bad field) and starts connecting. */
  constructor(options: HeartbeatSocketOptions);
  static readonly presets: Presets;
  readonly state: SocketState;
  /** `true`: handed to the open socket; `false`: queued (or dropped with a `drop` event). Throws after `close()` or when it cannot queue. */
  send(data: Sendable): boolean;
  /** Final: no reconnection, no timer or listener left. `code` is 1000 or 3000–4999. */
  close(code?: number, reason?: string): void;
  /** Drops the current socket and connects now with the retry counter reset; also after giving up. */
  reconnect(): void;
  stats(): Stats;
  addEventListener<K extends keyof HeartbeatSocketEventMap>(type: K, listener: (event: HeartbeatSocketEventMap[K]) => void): void;
  removeEventListener<K extends keyof HeartbeatSocketEventMap>(type: K, listener: (event: HeartbeatSocketEventMap[K]) => void): void;
  onopen: Handler<"open">;
  onmessage: Handler<"message">;
  onclose: Handler<"close">;
  onerror: Handler<"error">;
  onreconnecting: Handler<"reconnecting">;
  ongiveup: Handler<"giveup">;
  onheartbeat: Handler<"heartbeat">;
  ondrop: Handler<"drop">;
  onstatechange: Handler<"statechange">;
  /** Releases the wasm object at once: the live socket is closed (1000) and no event follows. Prefer `close()`. */
  free(): void;
}

/** Sockets from a WebSocket constructor (the browser's by default, or Node's `ws`), with page lifecycle signals. */
export function browserTransport(WebSocketCtor?: new (url: string, protocols?: string | string[]) => TransportSocket): Transport;

/** The wasm module, or where to get it: a URL or path, a Response, bytes or a compiled module. */
export type InitInput = string | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the wasm once; later calls resolve to the same exports. By default the `.wasm` beside `index.js`. */
export default function init(input?: InitInput | Promise<InitInput>): Promise<WebAssembly.Exports>;
