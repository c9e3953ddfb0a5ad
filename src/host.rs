//! What the binding imports from JavaScript: the shape of sockets and transports (duck
//! typed: a browser `WebSocket`, a mini-program shim, Node's `ws` or a test double all
//! fit), our own JS helpers, and the clock and randomness.
//!
//! Every call into foreign code that may throw is declared `catch`, so a JavaScript
//! exception becomes a `Result` instead of unwinding through wasm.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::core::{Instant, RandomSource};

#[wasm_bindgen]
extern "C" {
    /// `{ connect(url, protocols), watchLifecycle?(signals) }`.
    pub(crate) type Transport;

    #[wasm_bindgen(method, catch, structural)]
    pub(crate) fn connect(this: &Transport, url: &str, protocols: &JsValue) -> Result<SocketLike, JsValue>;

    #[wasm_bindgen(method, catch, structural, getter = watchLifecycle)]
    pub(crate) fn watch_lifecycle(this: &Transport) -> Result<JsValue, JsValue>;

    /// A WebSocket-shaped object: `send`, `close(code, reason)` and the four `on*` handlers.
    pub(crate) type SocketLike;

    #[wasm_bindgen(method, catch, structural)]
    pub(crate) fn send(this: &SocketLike, data: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, structural)]
    pub(crate) fn close(this: &SocketLike, code: u16, reason: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, structural, setter)]
    pub(crate) fn set_onopen(this: &SocketLike, handler: Option<&Function>) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, structural, setter)]
    pub(crate) fn set_onmessage(this: &SocketLike, handler: Option<&Function>) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, structural, setter)]
    pub(crate) fn set_onerror(this: &SocketLike, handler: Option<&Function>) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, structural, setter)]
    pub(crate) fn set_onclose(this: &SocketLike, handler: Option<&Function>) -> Result<(), JsValue>;

    /// The argument of a socket handler: `{data}`, `{code, reason, wasClean}`, an error.
    pub(crate) type SocketEvent;

    #[wasm_bindgen(method, catch, structural, getter)]
    pub(crate) fn data(this: &SocketEvent) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/js/browser.js")]
extern "C" {
    /// The default transport (`browserTransport()` of the package).
    #[wasm_bindgen(catch, js_name = browserTransport)]
    pub(crate) fn browser_transport(ctor: &JsValue) -> Result<Transport, JsValue>;

    /// Page lifecycle signals, for transports that bring no watcher of their own.
    #[wasm_bindgen(catch, js_name = watchBrowserLifecycle)]
    pub(crate) fn watch_browser_lifecycle(signals: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/js/text.js")]
extern "C" {
    #[wasm_bindgen(js_name = utf8Length)]
    pub(crate) fn utf8_length(text: &JsValue) -> f64;
}

/// The host clock: `Date.now()`, which keeps counting while a device sleeps (so late
/// timers are noticed) and is in milliseconds everywhere, unlike `performance.now()` in
/// some mini-program runtimes.
pub(crate) fn now() -> Instant {
    Instant::from_millis(js_sys::Date::now().max(0.0) as u64)
}

/// Jitter from `Math.random()`.
pub(crate) struct MathRandom;

impl RandomSource for MathRandom {
    fn next_unit(&mut self) -> f64 {
        js_sys::Math::random()
    }
}
