//! Reporting what goes wrong in user code without letting it break the socket.

use wasm_bindgen::JsValue;

/// A user callback (listener, predicate, provider...) threw: log it and carry on
/// (Behaviour 12). `what` names the callback, e.g. "a message listener".
pub(crate) fn callback_threw(what: &str, error: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(&["heartbeat-ws: ", what, " threw:"].concat()), error);
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/describe.js")]
extern "C" {
    /// The `TypeError` for a bad argument: `path: expected <what>, got <value>`.
    pub(crate) fn expected(path: &str, what: &str, value: &JsValue) -> JsValue;
}
