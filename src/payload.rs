//! Messages in the binding: JavaScript values the core carries without copying.

use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::Payload;
use crate::host::utf8_length;
use crate::options::describe;

/// A string or an `ArrayBuffer`, as handed to sockets and listeners.
#[derive(Debug, Clone)]
pub(crate) struct JsPayload(pub(crate) JsValue);

impl Payload for JsPayload {
    fn byte_len(&self) -> usize {
        if self.0.is_string() {
            return utf8_length(&self.0) as usize;
        }
        Reflect::get(&self.0, &JsValue::from_str("byteLength")).ok().and_then(|n| n.as_f64()).unwrap_or(0.0) as usize
    }
}

impl JsPayload {
    /// What `send()` accepts: a string, an `ArrayBuffer`, or a typed array or `DataView`,
    /// of which exactly the viewed bytes are sent (Behaviour 7) — copied now, so later
    /// changes to the caller's buffer do not alter a queued message.
    pub(crate) fn outgoing(data: JsValue) -> Result<JsPayload, JsValue> {
        if data.is_string() || data.is_instance_of::<ArrayBuffer>() {
            return Ok(JsPayload(data));
        }
        if ArrayBuffer::is_view(&data) {
            let view: &Uint8Array = data.unchecked_ref();
            let offset = view.byte_offset();
            let buffer: ArrayBuffer = view.buffer().unchecked_into();
            return Ok(JsPayload(buffer.slice_with_end(offset, offset + view.byte_length()).into()));
        }
        let message = ["send: expected a string, an ArrayBuffer or a typed array, got ", &describe(&data)].concat();
        Err(js_sys::TypeError::new(&message).into())
    }
}
