//! heartbeat-ws: a WebSocket that stays alive.
//!
//! Heartbeat, fast dead-connection detection, reconnection with backoff and a bounded send
//! queue for any WebSocket-like connection: browser `WebSocket`, mini-program `SocketTask`
//! shims, Node's `ws`. The logic is a sans-IO state machine in [`core`], tested natively;
//! on `wasm32` a thin binding drives it from JavaScript and exports the `HeartbeatSocket`
//! class.

pub mod core;
