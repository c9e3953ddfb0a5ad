//! Messages in the binding: JavaScript values the core carries without copying.

use wasm_bindgen::prelude::*;

use crate::core::Payload;

#[wasm_bindgen(module = "/js/payload.js")]
extern "C" {
    /// A string or an `ArrayBuffer` (typed arrays become a copy of exactly their bytes);
    /// throws a `TypeError` for anything else.
    #[wasm_bindgen(catch)]
    fn sendable(data: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = byteLength)]
    fn byte_length(data: &JsValue) -> f64;
}

/// A string or an `ArrayBuffer`, as handed to sockets and listeners.
#[derive(Debug, Clone)]
pub(crate) struct JsPayload(pub(crate) JsValue);

impl Payload for JsPayload {
    fn byte_len(&self) -> usize {
        byte_length(&self.0) as usize
    }
}

impl JsPayload {
    /// What `send()` was given, checked and normalized.
    pub(crate) fn outgoing(data: &JsValue) -> Result<JsPayload, JsValue> {
        sendable(data).map(JsPayload)
    }
}
