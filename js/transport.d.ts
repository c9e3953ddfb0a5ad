// Types of transports, the socket makers behind a HeartbeatSocket. Plain ECMAScript types
// only (no DOM), so that mini-program projects compiled without "dom" can use them.

/** What `send()` and the heartbeat accept: a string, an ArrayBuffer or a view of one. */
export type Sendable = string | ArrayBuffer | ArrayBufferView;

/** What a socket delivers: text as a string, binary as an ArrayBuffer. */
export type MessageData = string | ArrayBuffer;

/**
 * The object a transport returns: the subset of `WebSocket` the library uses. The library
 * sets the four handlers and reads `event.data` (message) and `event.code`, `event.reason`,
 * `event.wasClean` (close); they are typed loosely so that a DOM `WebSocket`, the `ws`
 * package's and your own objects all fit.
 */
export interface TransportSocket {
  send(data: Sendable): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
}

/** What a lifecycle watcher reports: network and foreground changes. */
export interface LifecycleSignals {
  online(): void;
  offline(): void;
  foreground(): void;
  background(): void;
}

/** How sockets are made: `browserTransport()` or your own. */
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
