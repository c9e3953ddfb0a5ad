// The API every build of heartbeat-ws shares: HeartbeatSocket, its options and events, and
// the transports. Hand-written: wasm-bindgen's own types say `unknown` wherever a
// JavaScript value crosses into wasm.
//
// Kept self-contained (no imports) and in plain ECMAScript types (no DOM):
// - src/binding/types.rs puts this text into the .d.ts wasm-bindgen generates, so every
//   `wasm-pack build` target carries it;
// - mini-program projects compile without the "dom" lib.
// CommonJS-format declarations (.d.cts), so that the ES-module entries' types (index.d.ts,
// node.d.ts) and the CommonJS one's (node.d.cts) can all re-export them, whatever the
// project's moduleResolution.
//
// A default is written in brackets at the end of an option's comment, e.g. [10000]: tests
// hold them to the README (tests/js/drift.test.mjs) and to HeartbeatSocket.defaults
// (tests/package/defaults.test.mjs), and the option names to js/options.js SCHEMA.

/**
 * A typed array or DataView over an ArrayBuffer: the shape of TypeScript's
 * `ArrayBufferView<ArrayBuffer>`, written out so that every TypeScript version reads it
 * alike. A view of a SharedArrayBuffer is not sendable (WebSockets refuse it).
 */
export interface BufferView {
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** What `send()` accepts: a string, an ArrayBuffer or a view of one (exactly its bytes are sent). */
export type Sendable = string | ArrayBuffer | BufferView;

/**
 * What a socket delivers with the default `binaryType` ("arraybuffer"): text as a string,
 * binary as an ArrayBuffer.
 */
export type MessageData = string | ArrayBuffer;

/**
 * The object a transport returns: the subset of `WebSocket` the library uses. The library
 * sets the four handlers and reads `event.data` (message) and `event.code`, `event.reason`,
 * `event.wasClean` (close); they are typed loosely so that a DOM `WebSocket`, the `ws`
 * package's and your own objects all fit. The optional members are used where present.
 */
export interface TransportSocket {
  send(data: Sendable): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  /** 1 while open; the data plane hands messages straight over only then. */
  readonly readyState?: number;
  /** Set to `HeartbeatSocket.binaryType` before any message can arrive. */
  binaryType?: string;
  /** Read by `HeartbeatSocket.protocol`, `extensions` and `bufferedAmount`. */
  readonly protocol?: string;
  readonly extensions?: string;
  readonly bufferedAmount?: number;
}

/** What a lifecycle watcher reports: network and foreground changes. */
export interface LifecycleSignals {
  online(): void;
  offline(): void;
  foreground(): void;
  background(): void;
}

/** How sockets are made: `browserTransport()`, `miniProgramTransport(api)` or your own. */
export interface Transport {
  connect(url: string, protocols?: string | string[]): TransportSocket;
  /**
   * Optional, with `lifecycle: "auto"`: watches the platform's network and foreground
   * changes for one HeartbeatSocket and returns the function that stops watching. Without
   * it the page's `online`/`offline`/`visibilitychange` events are used, where they exist.
   */
  watchLifecycle?(signals: LifecycleSignals): (() => void) | void;
  /**
   * Optional: called once when a HeartbeatSocket is made with this transport (its
   * constructor rethrows what this throws, e.g. when a resource only one socket may use is
   * taken). Returns the function called when that HeartbeatSocket is closed for good.
   */
  claim?(): () => void;
}

/** A WebSocket constructor: the browser's, Node's own or the `ws` package's. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => TransportSocket;

/**
 * Sockets from a WebSocket constructor (the global `WebSocket` by default, or e.g. the `ws`
 * package's), watching the page's `online`/`offline`/`visibilitychange` events. Throws a
 * TypeError when there is no constructor to use.
 */
export function browserTransport(WebSocketCtor?: WebSocketConstructor): Transport;

// miniProgramTransport. Structural: only the members the transport uses, loose enough that
// each platform's own typings fit without a cast (WeChat's miniprogram-api-typings,
// @mini-types/alipay, @dcloudio/types, @tarojs/taro; checked by tests/miniprogram/types/).

/** What the platforms call back with; results differ by platform (and some pass none). */
type PlatformListener = (result?: any) => void;

/** The callbacks every platform call takes. */
interface PlatformCallbacks {
  success?(result: any): void;
  fail?(result: any): void;
  complete?(result: any): void;
}

/** A SocketTask as wx, qq, tt, swan, ks, my (Alipay), uni and Taro return it. */
export interface MiniProgramSocketTask {
  onOpen(listener: PlatformListener): void;
  onMessage(listener: PlatformListener): void;
  onError(listener: PlatformListener): void;
  onClose(listener: PlatformListener): void;
  send(options: PlatformCallbacks & { data: string | ArrayBuffer; isBuffer?: boolean }): unknown;
  close(options: PlatformCallbacks & { code?: number; reason?: string }): unknown;
}

/**
 * A platform API object: `wx`, `qq`, `tt`, `swan`, `ks`, `my`, `uni` or `Taro`. Only
 * connectSocket is required; the lifecycle hooks are used where they exist, the legacy
 * socket functions with `legacy: true` or where connectSocket returns no task.
 */
export interface MiniProgramApi {
  connectSocket(
    options: PlatformCallbacks & { url: string; protocols?: string[]; multiple?: boolean },
  ): MiniProgramSocketTask | PromiseLike<MiniProgramSocketTask> | void;
  onNetworkStatusChange?(listener: PlatformListener): void;
  offNetworkStatusChange?(listener: PlatformListener): void;
  onAppShow?(listener: PlatformListener): void;
  offAppShow?(listener: PlatformListener): void;
  onAppHide?(listener: PlatformListener): void;
  offAppHide?(listener: PlatformListener): void;
  onSocketOpen?(listener: PlatformListener): void;
  onSocketMessage?(listener: PlatformListener): void;
  onSocketError?(listener: PlatformListener): void;
  onSocketClose?(listener: PlatformListener): void;
  sendSocketMessage?(options: PlatformCallbacks & { data: string | ArrayBuffer; isBuffer?: boolean }): unknown;
  closeSocket?(options: PlatformCallbacks & { code?: number; reason?: string }): unknown;
}

export interface MiniProgramTransportOptions {
  /**
   * Use the app-wide socket of the legacy API (`onSocketOpen`, `sendSocketMessage`…)
   * instead of SocketTasks [false]. One HeartbeatSocket at a time: a second one throws in
   * its constructor until the first is closed.
   */
  legacy?: boolean;
  /**
   * Send binary messages as base64 text with `isBuffer: true`, as Alipay's sockets need
   * [detected: on for Alipay's sockets].
   */
  base64?: boolean;
}

/** A transport whose `watchLifecycle` reports the platform's network and app show/hide changes. */
export interface MiniProgramTransport extends Transport {
  watchLifecycle(signals: LifecycleSignals): () => void;
}

/** Sockets from a mini-program API object (`wx`, `qq`, `tt`, `swan`, `ks`, `my`, `uni`, `Taro`). */
export function miniProgramTransport(api: MiniProgramApi, options?: MiniProgramTransportOptions): MiniProgramTransport;

// HeartbeatSocket.

export type SocketState = "connecting" | "open" | "reconnecting" | "offline" | "closed";

export interface HeartbeatOptions {
  /** ms with nothing received before a ping is sent [10000]. */
  interval?: number;
  /** ms to wait for any answer after the ping before the connection is dead [10000]. */
  timeout?: number;
  /**
   * The ping: a string, an ArrayBuffer or a function returning one. `null` means the
   * server drives the heartbeat: nothing is sent, and the connection is dead after
   * `interval + timeout` ms of silence ["ping"].
   */
  message?: string | ArrayBuffer | (() => string | ArrayBuffer) | null;
  /** The pong: a string, or a predicate. Pongs are swallowed (no `message` event) ["pong"]. */
  pong?: string | ((data: MessageData) => boolean);
  /** Whether every inbound message proves liveness; `false` trusts only pongs [true]. */
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
  /** Each delay is scaled by a random factor in `[1 - jitter, 1]`; 1 is "full jitter" [1]. */
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
  /** What a full queue does: drop the oldest message, drop the one being sent, or throw ["drop-oldest"]. */
  overflow?: "drop-oldest" | "drop-newest" | "throw";
}

export interface HeartbeatSocketOptions {
  /**
   * A `ws:`/`wss:` URL, or a function returning one (or a Promise of one), asked before
   * every attempt: a place to refresh a token.
   */
  url: string | (() => string | Promise<string>);
  /** Subprotocols to ask the server for [none]. */
  protocols?: string | string[];
  /** How sockets are made [`browserTransport()`]. */
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
  /** A string or an ArrayBuffer; binary arrives as `binaryType` says. */
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
  /** The message: a string, or an ArrayBuffer (a view is held as a copy of its bytes). */
  data: string | ArrayBuffer;
  /** `overflow`: the queue was full; `closed`: still queued at `close()`; `send-failed`: the transport's `send` threw. */
  reason: "overflow" | "closed" | "send-failed";
}
export interface StateChangeEvent {
  type: "statechange";
  from: SocketState;
  to: SocketState;
}

/** Every event, by type. */
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

export type HeartbeatSocketEventType = keyof HeartbeatSocketEventMap;

/** A listener for `addEventListener`: a function, or an object with a `handleEvent` method. */
export type HeartbeatSocketListener<K extends HeartbeatSocketEventType> =
  | ((event: HeartbeatSocketEventMap[K]) => void)
  | { handleEvent(event: HeartbeatSocketEventMap[K]): void };

/** An `onX` property: a function, or null. */
type Handler<K extends HeartbeatSocketEventType> = ((event: HeartbeatSocketEventMap[K]) => void) | null;

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
  /** Bytes of the queued messages (strings count their UTF-8 length). */
  queuedBytes: number;
}

/** The numbers and switches an option object may set, all present. */
type Settled<Options> = { [K in keyof Options]-?: Exclude<Options[K], undefined> };

export interface Presets {
  /** The source article's timings: ping after 10 s, dead 10 s later, "pong" only, a fixed 5 s retry, 12 retries. */
  readonly article: {
    heartbeat: Settled<Omit<HeartbeatOptions, "answer">>;
    reconnect: Settled<Omit<ReconnectOptions, "shouldReconnect">>;
  };
}

/** The default of every option that has one (`protocols` has none, `transport` is `browserTransport()`). */
export interface Defaults {
  heartbeat: Settled<Pick<HeartbeatOptions, "interval" | "timeout" | "anyMessage">> & { message: string; pong: string; answer: false };
  reconnect: Settled<Omit<ReconnectOptions, "shouldReconnect">>;
  connectTimeout: number;
  queue: Settled<QueueOptions>;
  lifecycle: "auto";
  debug: false;
}

/**
 * A WebSocket that stays alive: heartbeat, dead-connection detection, reconnection with
 * backoff and jitter, and a bounded send queue. Load the wasm first where the build needs
 * it (`await init()`).
 */
export class HeartbeatSocket {
  /** Checks `options` (a `TypeError` names any bad field) and starts connecting. */
  constructor(options: HeartbeatSocketOptions);
  /** Ready-made options: `{ ...HeartbeatSocket.presets.article, url }` reproduces the source article. */
  static readonly presets: Presets;
  /** The default of every option, from the Rust core: a fresh object each time. */
  static readonly defaults: Defaults;
  readonly state: SocketState;
  /** The URL of the current (or last) attempt: the URL provider's answer when there is one. */
  readonly url: string;
  /** The subprotocol the server chose ("" when none, or while not open). */
  readonly protocol: string;
  /** The extensions the server chose ("" when none, or while not open). */
  readonly extensions: string;
  /** Bytes waiting: those the current socket has not sent yet, and those in the queue. */
  readonly bufferedAmount: number;
  /**
   * How binary messages arrive, set on every socket: "arraybuffer" [default], "blob" in
   * browsers, or another value the transport's sockets take (`ws` has "nodebuffer");
   * `undefined` leaves each socket's own default. `MessageEvent.data` is typed for
   * "arraybuffer".
   */
  binaryType: string | undefined;
  /** `true`: handed to the open socket; `false`: queued (or dropped with a `drop` event). Throws after `close()` or when it cannot queue. */
  send(data: Sendable): boolean;
  /**
   * Final: no reconnection, no timer or listener left, and the wasm side's memory is freed.
   * `code` is 1000 [default] or 3000–4999, `reason` at most 123 UTF-8 bytes. Later calls do nothing.
   */
  close(code?: number, reason?: string): void;
  /** Drops the current socket and connects now with the retry counter reset; also after giving up. */
  reconnect(): void;
  stats(): Stats;
  addEventListener<K extends HeartbeatSocketEventType>(type: K, listener: HeartbeatSocketListener<K>): void;
  removeEventListener<K extends HeartbeatSocketEventType>(type: K, listener: HeartbeatSocketListener<K>): void;
  onopen: Handler<"open">;
  onmessage: Handler<"message">;
  onclose: Handler<"close">;
  onerror: Handler<"error">;
  onreconnecting: Handler<"reconnecting">;
  ongiveup: Handler<"giveup">;
  onheartbeat: Handler<"heartbeat">;
  ondrop: Handler<"drop">;
  onstatechange: Handler<"statechange">;
}

// ReconnectingWebSocket (js/reconnecting.js): the drop-in for reconnecting-websocket.

/** A URL, or a function giving one (or a Promise of one), asked before every attempt. */
export type UrlProvider = string | (() => string | Promise<string>);
/** Subprotocols, or a function giving them (or a Promise of them), asked before every attempt. */
export type ProtocolsProvider = null | string | string[] | (() => null | string | string[] | Promise<null | string | string[]>);

export interface ReconnectingWebSocketOptions {
  /** A WebSocket constructor, e.g. the `ws` package's [the global WebSocket]. */
  WebSocket?: new (url: string, protocols?: string | string[]) => TransportSocket;
  /** Upper bound of a retry's delay in ms [10000]. */
  maxReconnectionDelay?: number;
  /** ms before the first retry [1000 + Math.random() * 4000, drawn per socket]. */
  minReconnectionDelay?: number;
  /** Growth of the delay per retry [1.3]. */
  reconnectionDelayGrowFactor?: number;
  /** ms a connection must stay open before the retry count resets [5000]. */
  minUptime?: number;
  /** ms an attempt may take before it fails with an `error` "TIMEOUT" [4000]. */
  connectionTimeout?: number;
  /** Retries after the first attempt before giving up [Infinity]. */
  maxRetries?: number;
  /** Messages kept while not open; the ones over it are dropped with a `drop` event [Infinity]. */
  maxEnqueuedMessages?: number;
  /** Make no connection until `reconnect()` [false]. */
  startClosed?: boolean;
  /** Debug lines to `console.debug`, or to a function [false]. */
  debug?: boolean | ((line: string) => void);
  /** heartbeat-ws's heartbeat: `true` for its defaults, or its options [false]. */
  heartbeat?: boolean | HeartbeatOptions;
  /** React to network and foreground changes [false]. */
  lifecycle?: "auto" | false;
  /** Decides for every close: `false` stays closed [every close reconnects]. */
  shouldReconnect?: (close: CloseDetails) => boolean;
  /** Each delay is scaled by a random factor in `[1 - jitter, 1]` [0]. */
  jitter?: number;
  /** How sockets are made, instead of `WebSocket`. */
  transport?: Transport;
}

interface Targeted {
  target: ReconnectingWebSocket;
}

/** Events as on HeartbeatSocket, with `target`; `error` also reports a connect timeout as the message "TIMEOUT". */
export type ReconnectingWebSocketEventMap = {
  [K in keyof HeartbeatSocketEventMap]: HeartbeatSocketEventMap[K] & Targeted;
};

type ReconnectingHandler<K extends keyof ReconnectingWebSocketEventMap> = ((event: ReconnectingWebSocketEventMap[K]) => void) | null;
type ReconnectingListener<K extends keyof ReconnectingWebSocketEventMap> =
  | ((event: ReconnectingWebSocketEventMap[K]) => void)
  | { handleEvent(event: ReconnectingWebSocketEventMap[K]): void };

export class ReconnectingWebSocket {
  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options?: ReconnectingWebSocketOptions);
  static readonly CONNECTING: 0;
  static readonly OPEN: 1;
  static readonly CLOSING: 2;
  static readonly CLOSED: 3;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
  readonly readyState: 0 | 1 | 2 | 3;
  /** The URL of the latest socket ("" before the first). */
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  /** Bytes not sent yet, queued messages included (text in UTF-8 bytes). */
  readonly bufferedAmount: number;
  /** Applied to every later socket; until set, the socket's own ("blob" before the first). */
  binaryType: string;
  /** Retries in the current streak; 0 again once a connection stayed open `minUptime` ms. */
  readonly retryCount: number;
  /** `true` if handed to the open socket, `false` if kept for later (or dropped, with a `drop` event). */
  send(data: Sendable): boolean;
  /** Stops until `reconnect()`; a connection under way ends with a `close` event on the next task. */
  close(code?: number, reason?: string): void;
  /** Closes the current connection with `code` and `reason` and connects again now, the retry count reset. */
  reconnect(code?: number, reason?: string): void;
  /** Unknown event types are ignored. */
  addEventListener<K extends keyof ReconnectingWebSocketEventMap>(type: K, listener: ReconnectingListener<K>): void;
  removeEventListener<K extends keyof ReconnectingWebSocketEventMap>(type: K, listener: ReconnectingListener<K>): void;
  dispatchEvent(event: { type: string }): boolean;
  onopen: ReconnectingHandler<"open">;
  onmessage: ReconnectingHandler<"message">;
  onclose: ReconnectingHandler<"close">;
  onerror: ReconnectingHandler<"error">;
  onreconnecting: ReconnectingHandler<"reconnecting">;
  ongiveup: ReconnectingHandler<"giveup">;
  onheartbeat: ReconnectingHandler<"heartbeat">;
  ondrop: ReconnectingHandler<"drop">;
  onstatechange: ReconnectingHandler<"statechange">;
}
