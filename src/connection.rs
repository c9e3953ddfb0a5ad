//! The live socket, reached through `js/connection.js`: opened with the transport (its
//! events posted to the driver, inbound messages already classified so payloads never
//! cross into wasm), messages sent, and let go without waiting.

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/connection.js")]
extern "C" {
    /// Opens the socket of `attempt` with handlers posting its events; `settings` are the
    /// protocols, the message classifier and `shouldReconnect`. If the transport fails,
    /// posts that at once and returns `null`.
    pub(crate) fn open(
        transport: &JsValue,
        settings: &JsValue,
        url: &str,
        attempt: u32,
        post: &Function,
    ) -> JsValue;

    /// Hands `data` to `socket`; returns why that failed (a string), or `undefined`.
    pub(crate) fn send(socket: &JsValue, data: &JsValue) -> JsValue;

    /// Sends one of the library's own messages (a string, an `ArrayBuffer` or a function
    /// making one); `name` names it in error reports.
    #[wasm_bindgen(js_name = sendOwn)]
    pub(crate) fn send_own(socket: &JsValue, message: &JsValue, name: &str);

    /// Detaches the handlers, then closes the socket with `code` unless it is 0.
    pub(crate) fn release(socket: &JsValue, code: u16, reason: &str);
}
