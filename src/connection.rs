//! The live socket, reached through `js/connection.js`: opened with the transport (its
//! events posted to the driver, inbound messages already classified so payloads never
//! cross into wasm), messages sent, and let go without waiting.

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/connection.js")]
extern "C" {
    /// Calls the transport's optional `claim()`, once per HeartbeatSocket; returns the
    /// function that gives the claim back (it never throws), or `undefined`. Fails with what
    /// `claim()` threw, e.g. when the legacy mini-program socket is taken.
    #[wasm_bindgen(catch)]
    pub(crate) fn claim(connection: &JsValue) -> Result<JsValue, JsValue>;

    /// Opens the socket of `attempt` with the `connection` settings (see
    /// `js/connection.js`), its handlers posting its events. If the transport fails,
    /// posts that at once and returns `null`.
    pub(crate) fn open(connection: &JsValue, url: &str, attempt: u32, post: &Function) -> JsValue;

    /// Hands `data` to `socket`; returns why that failed (a string), or `undefined`.
    pub(crate) fn send(socket: &JsValue, data: &JsValue) -> JsValue;

    /// Sends the heartbeat ping, or (`answer`) the answer to a server ping.
    #[wasm_bindgen(js_name = sendOwn)]
    pub(crate) fn send_own(connection: &JsValue, socket: &JsValue, answer: bool);

    /// Detaches the handlers, then closes the socket with `code` unless it is 0.
    pub(crate) fn release(socket: &JsValue, code: u16, reason: &str);
}
