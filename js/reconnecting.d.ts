// Types of ReconnectingWebSocket (js/reconnecting.js), the drop-in for reconnecting-websocket.
// Hand-written; re-exported by index.d.ts.

import type { CloseDetails, HeartbeatOptions, HeartbeatSocketEventMap } from "./index.js";
import type { Sendable, Transport, TransportSocket } from "./transport.js";

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

type Handler<K extends keyof ReconnectingWebSocketEventMap> = ((event: ReconnectingWebSocketEventMap[K]) => void) | null;
type Listener<K extends keyof ReconnectingWebSocketEventMap> =
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
  addEventListener<K extends keyof ReconnectingWebSocketEventMap>(type: K, listener: Listener<K>): void;
  removeEventListener<K extends keyof ReconnectingWebSocketEventMap>(type: K, listener: Listener<K>): void;
  dispatchEvent(event: { type: string }): boolean;
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
