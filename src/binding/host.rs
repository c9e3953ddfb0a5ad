//! What the binding calls in JavaScript: the `HeartbeatSocket` it works for (its `_`
//! methods, `js/socket.js`), the clock, error texts and jitter. Every import that runs any
//! code is declared `catch`, so a JavaScript exception never unwinds through wasm (where it
//! would skip Rust's cleanup and leave the instance unusable); callers decide what a
//! failure means, usually "nothing happened".

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::WebSocket;

use super::control::Binding;
use crate::core::{Instant, RandomSource};

#[wasm_bindgen(module = "/js/socket.js")]
extern "C" {
    /// The JavaScript `HeartbeatSocket` a driver works for: its data plane, listeners and
    /// settings.
    #[wasm_bindgen(js_name = HeartbeatSocket)]
    #[derive(Clone)]
    pub type Host;

    /// `HeartbeatSocket`, re-exported: the package's class. Through a function import, the
    /// one kind of re-export whose generated type (`unknown`) can be skipped: the class is
    /// typed by `js/api.d.cts` (see `types.rs`). Rust never calls it.
    #[allow(dead_code)]
    #[wasm_bindgen(reexport, skip_typescript, js_name = HeartbeatSocket)]
    fn heartbeat_socket_export();

    /// The class itself.
    #[wasm_bindgen(thread_local_v2, js_name = HeartbeatSocket)]
    pub(crate) static HEARTBEAT_SOCKET: JsValue;

    #[wasm_bindgen(js_name = registerBinding)]
    pub(crate) fn register_binding(binding: Binding);

    /// Opens the socket of attempt `conn` and returns its handle.
    #[wasm_bindgen(method, catch, js_name = _open)]
    pub(crate) fn open(this: &Host, conn: u32, url: &str) -> Result<SocketHandle, JsValue>;

    /// Hands `data` to socket `conn`: `true`, `false` if the socket is closing, or why it
    /// refused (a string).
    #[wasm_bindgen(method, catch, js_name = _handOver)]
    pub(crate) fn hand_over(this: &Host, conn: u32, data: &JsValue) -> Result<JsValue, JsValue>;

    /// Sends the heartbeat ping, or (`answer`) the answer to a server ping.
    #[wasm_bindgen(method, catch, js_name = _sendOwn)]
    pub(crate) fn send_own(this: &Host, conn: u32, answer: bool) -> Result<(), JsValue>;

    /// When the last inbound message arrived (on the clock of `now`), if one did since the
    /// last call; negative otherwise.
    #[wasm_bindgen(method, catch, js_name = _activity)]
    pub(crate) fn activity(this: &Host) -> Result<f64, JsValue>;

    /// Whether `send()` may hand data straight to socket `conn` (0: no), and whether the
    /// socket is closed for now.
    #[wasm_bindgen(method, catch, js_name = _settle)]
    pub(crate) fn settle(this: &Host, conn: u32, closed: bool) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = _emit)]
    pub(crate) fn emit(this: &Host, event: &JsValue) -> Result<(), JsValue>;

    /// A debug line, ending with `url` (redacted there) if given.
    #[wasm_bindgen(method, catch, js_name = _trace)]
    pub(crate) fn trace(this: &Host, line: &str, url: Option<&str>) -> Result<(), JsValue>;

    /// `shouldReconnect`'s verdict: `true`, `false`, or `undefined` for "the default decides".
    #[wasm_bindgen(method, catch, js_name = _shouldReconnect)]
    pub(crate) fn should_reconnect(
        this: &Host,
        code: u16,
        reason: &str,
        was_clean: bool,
    ) -> Result<JsValue, JsValue>;

    /// Calls the URL provider: a string, a `Promise`, or any other value (to be checked).
    #[wasm_bindgen(method, catch, js_name = _provideUrl)]
    pub(crate) fn provide_url(this: &Host) -> Result<JsValue, JsValue>;

}

#[wasm_bindgen(module = "/js/options.js")]
extern "C" {
    /// The options of one socket, checked (`js/options.js`).
    pub type Settings;
}

#[wasm_bindgen(module = "/js/connection.js")]
extern "C" {
    /// What `_open` returns: an object of ours around the transport's socket, in the
    /// WebSocket shape whatever the transport made (see `socket.rs`).
    #[wasm_bindgen(extends = WebSocket)]
    pub(crate) type SocketHandle;
}

#[wasm_bindgen(module = "/js/url.js")]
extern "C" {
    /// The provided `url` if it is a ws: or wss: URL string; otherwise an error saying why.
    #[wasm_bindgen(catch, js_name = checkProvidedUrl)]
    pub(crate) fn check_provided_url(url: &JsValue, verb: &str) -> Result<String, JsValue>;

    /// The redacted message of something thrown, `fallback` if it has none.
    #[wasm_bindgen(catch, js_name = errorText)]
    fn error_text(error: &JsValue, fallback: &str) -> Result<String, JsValue>;
}

#[wasm_bindgen(module = "/js/payload.js")]
extern "C" {
    /// Bytes on the wire of a message checked by `js/payload.js`.
    #[wasm_bindgen(catch, js_name = byteLength)]
    pub(crate) fn byte_length(data: &JsValue) -> Result<f64, JsValue>;
}

#[wasm_bindgen(module = "/js/listeners.js")]
extern "C" {
    /// Reports a failure nobody else can: `console.error`, guarded.
    #[wasm_bindgen(catch)]
    fn report(what: &str, error: &JsValue) -> Result<(), JsValue>;
}

#[wasm_bindgen(module = "/js/browser.js")]
extern "C" {
    /// `browserTransport(WebSocketCtor)`: re-exported, the package's default transport.
    #[wasm_bindgen(reexport, skip_typescript, js_name = browserTransport)]
    pub(crate) fn browser_transport(ctor: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/js/miniprogram.js")]
extern "C" {
    /// `miniProgramTransport(api, options)`: re-exported, the mini-program transport.
    #[wasm_bindgen(reexport, skip_typescript, js_name = miniProgramTransport)]
    pub(crate) fn mini_program_transport(api: &JsValue, options: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/js/reconnecting.js")]
extern "C" {
    /// `ReconnectingWebSocket`: re-exported, the drop-in for reconnecting-websocket, a layer
    /// over `HeartbeatSocket` in JavaScript. A function import, like `HeartbeatSocket`'s,
    /// so that its generated type can be skipped (`js/api.d.cts` types it); Rust never
    /// calls it.
    #[allow(dead_code)]
    #[wasm_bindgen(reexport, skip_typescript, js_name = ReconnectingWebSocket)]
    fn reconnecting_web_socket_export();

    /// `useLoader(init)`: re-exported for the entries (js/index.js, js/node.js), which hand
    /// it their `init()` so that a `ReconnectingWebSocket` made before the module is loaded
    /// can load it. Not part of the typed API.
    #[allow(dead_code)]
    #[wasm_bindgen(reexport, skip_typescript, js_name = useLoader)]
    fn use_loader(init: &JsValue);
}

#[wasm_bindgen(module = "/js/clock.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = now)]
    fn clock() -> Result<f64, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Math, js_name = random)]
    fn math_random() -> Result<f64, JsValue>;
}

#[wasm_bindgen(module = "/js/describe.js")]
extern "C" {
    /// The `TypeError` for a bad argument: `path: expected <what>, got <value>`.
    #[wasm_bindgen(catch)]
    fn expected(path: &str, what: &str, value: &JsValue) -> Result<JsValue, JsValue>;
}

/// The message of `error`, redacted, or `fallback`.
pub(crate) fn describe_error(error: &JsValue, fallback: &str) -> String {
    error_text(error, fallback).unwrap_or_else(|_| fallback.to_owned())
}

/// A call into JavaScript that cannot fail did: say so rather than lose it silently.
pub(crate) fn unexpected<T>(what: &str, result: Result<T, JsValue>) -> Option<T> {
    result
        .map_err(|error| {
            let _ = report(what, &error);
        })
        .ok()
}

/// The error for a bad argument (a `TypeError` naming it).
pub(crate) fn bad_argument(path: &str, what: &str, value: &JsValue) -> JsValue {
    expected(path, what, value).unwrap_or_else(|error| error)
}

/// The host clock: monotonic milliseconds (`js/clock.js`). A failed reading is 0, which
/// the core takes as "no time passed" (its time never goes backwards).
pub(crate) fn now() -> Instant {
    Instant::from_millis(clock().unwrap_or(0.0) as u64)
}

/// Jitter drawn from `Math.random()` before the core is borrowed (the page could have
/// replaced `Math.random`, and no JavaScript may run while the core is borrowed): the core
/// reads the last draw.
#[derive(Clone, Default)]
pub(crate) struct Jitter(Rc<Cell<f64>>);

impl Jitter {
    pub(crate) fn draw(&self) {
        self.0.set(math_random().unwrap_or(0.5));
    }
}

impl RandomSource for Jitter {
    fn next_unit(&mut self) -> f64 {
        self.0.get()
    }
}
