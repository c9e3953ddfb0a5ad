// Types of miniProgramTransport. Structural: only the members the transport uses, loose
// enough that each platform's own typings fit without a cast (WeChat's
// miniprogram-api-typings, @mini-types/alipay, @dcloudio/types, @tarojs/taro; checked by
// tests/miniprogram/types/). Plain ECMAScript types only: mini-program projects compile
// without "dom".

import type { LifecycleSignals, Transport } from "./transport.js";

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
