//! Reporting what goes wrong in user code without letting it break the socket.

use wasm_bindgen::JsValue;

/// A user callback (listener, predicate, provider...) threw: log it and carry on
/// (Behaviour 12). `what` names the callback, e.g. "a message listener".
pub(crate) fn callback_threw(what: &str, error: &JsValue) {
    web_sys::console::error_2(&JsValue::from_str(&["heartbeat-ws: ", what, " threw:"].concat()), error);
}

/// A user callback returned something unusable: log it and carry on.
pub(crate) fn misbehaved(complaint: &str) {
    web_sys::console::error_1(&JsValue::from_str(&["heartbeat-ws: ", complaint].concat()));
}

/// The text of a thrown value: an `Error`'s message, a string as is, or a description.
pub(crate) fn error_text(error: &JsValue) -> String {
    if let Some(text) = error.as_string() {
        return text;
    }
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| String::from("unknown error"))
}
