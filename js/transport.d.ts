// The transport types on their own, for code that only deals with transports (the
// mini-program typing tests, tests/miniprogram/types/). Declared in api.d.cts.

export type { BufferView, LifecycleSignals, MessageData, Sendable, Transport, TransportSocket, WebSocketConstructor } from "./api.cjs";
