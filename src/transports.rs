//! The platform adapters, exported from the wasm module so that every build of the
//! package (`make build`, or a plain `wasm-pack build`) offers the same API. They are
//! written in JavaScript (`js/`): platform quirks stay out of Rust.

use wasm_bindgen::prelude::*;

/// `browserTransport(WebSocketCtor = globalThis.WebSocket)`: sockets from a WebSocket
/// constructor (the browser's, or Node's `ws`), with page lifecycle signals.
#[wasm_bindgen(js_name = browserTransport)]
pub fn browser_transport(web_socket: JsValue) -> Result<JsValue, JsValue> {
    crate::host::browser_transport(&web_socket)
}
