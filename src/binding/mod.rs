//! The wasm binding: the control plane of `HeartbeatSocket` (`js/socket.js`).
//!
//! JavaScript constructs a socket and calls [`Binding::start`], which parses its options
//! into the core's [`Config`](crate::core::Config) and starts a [`Driver`]. From then on the
//! driver turns socket events, timer expiries and user commands into core inputs, and core
//! outputs into calls on the JavaScript side (`Host`, the socket object itself) and on the
//! transport's socket (through web-sys's typed `WebSocket` interface).
//!
//! - [`driver`]: the run loop around the core; its re-entrancy rule.
//! - [`control`]: the classes JavaScript calls into.
//! - [`host`]: what Rust calls in JavaScript (every import is `catch`: no JavaScript
//!   exception can unwind through wasm) and the clock.
//! - [`options`]: user options (checked by `js/options.js`) to a core config.
//! - [`socket`]: the live socket's handlers and teardown.
//! - [`url`]: URL providers, awaited with wasm-bindgen-futures.
//! - [`objects`]: event and `stats()` objects, serialized with serde-wasm-bindgen.
//! - [`shipped`]: JavaScript modules that only JavaScript imports, named so they ship.
//! - [`types`]: the TypeScript types of what the module exports.

mod control;
mod driver;
mod host;
mod objects;
mod options;
mod shipped;
mod socket;
mod types;
mod url;

use wasm_bindgen::prelude::*;

use control::Binding;

/// The `HeartbeatSocket` class (`js/socket.js`), for Rust code and tests that construct it
/// with `Reflect::construct`.
pub fn heartbeat_socket_class() -> JsValue {
    host::HEARTBEAT_SOCKET.with(JsValue::clone)
}

/// Hands `js/socket.js` the way to its control plane. wasm-bindgen runs it when the module
/// is instantiated; test runners, which run no start function, call it themselves.
#[wasm_bindgen(start, skip_typescript, js_name = __heartbeat_ws_start)]
pub fn start() {
    host::register_binding(Binding);
}
