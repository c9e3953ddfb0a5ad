//! Reporting what goes wrong in user code without letting it break the socket.

use wasm_bindgen::JsValue;

/// A user callback (listener, predicate, provider...) threw: log it and carry on
/// (Behaviour 12). `what` names the callback, e.g. "a message listener".
pub(crate) fn callback_threw(what: &str, error: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(&["heartbeat-ws: ", what, " threw:"].concat()), error);
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/describe.js")]
extern "C" {
    /// A short description of a value for error messages (`js/describe.js`).
    pub(crate) fn describe(value: &JsValue) -> String;
}

/// `n` in decimal for error messages, formatted by JavaScript (Rust's formatting code
/// would cost more wasm than every message using it).
pub(crate) fn decimal(n: f64) -> String {
    describe(&JsValue::from_f64(n))
}
