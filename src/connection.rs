//! The live socket, reached through `js/connection.js`: opened with the transport, its
//! events reported back to one callback as numbers (inbound messages already classified,
//! so payloads never cross into wasm), messages sent, and let go without waiting.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::core::Inbound;

#[wasm_bindgen(module = "/js/connection.js")]
extern "C" {
    /// Opens the socket of `attempt` and attaches handlers calling
    /// `report(attempt, kind, data, code, wasClean)`. If the transport fails, reports that
    /// at once and returns `null`.
    pub(crate) fn open(
        transport: &JsValue,
        url: &str,
        protocols: &JsValue,
        attempt: u32,
        classify: &JsValue,
        report: &Function,
    ) -> JsValue;

    /// Hands `data` to `socket`; returns why that failed, if it did.
    pub(crate) fn send(socket: &JsValue, data: &JsValue) -> Option<String>;

    /// Sends one of the library's own messages (a string, an `ArrayBuffer` or a function
    /// making one); `name` names it in error reports.
    #[wasm_bindgen(js_name = sendOwn)]
    pub(crate) fn send_own(socket: &JsValue, message: &JsValue, name: &str);

    /// Detaches the handlers, then closes the socket with `code` unless it is 0.
    pub(crate) fn release(socket: &JsValue, code: u16, reason: &str);
}

/// What a socket reported, from the `kind` number of `js/connection.js`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Report {
    Opened,
    Message(Inbound),
    /// `data` is the error message.
    Failed,
    /// `data` is the reason; `code` and `wasClean` are set.
    Closed,
}

impl Report {
    pub(crate) fn from_kind(kind: u32) -> Report {
        match kind {
            0 => Report::Opened,
            1 => Report::Message(Inbound::Data),
            2 => Report::Message(Inbound::Pong),
            3 => Report::Message(Inbound::Ping),
            4 => Report::Failed,
            _ => Report::Closed,
        }
    }
}
