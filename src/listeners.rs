//! The user's listeners live in JavaScript (`js/listeners.js`): listener bookkeeping and
//! event objects are JavaScript semantics, and object literals built there cost a fraction
//! of what building them field by field from wasm does. This module declares that class
//! and turns core events into calls on it.

use wasm_bindgen::prelude::*;

use crate::core::Event;
use crate::payload::JsPayload;

#[wasm_bindgen(module = "/js/listeners.js")]
extern "C" {
    /// `onX` handlers and `addEventListener` lists of one socket.
    pub(crate) type Listeners;

    /// `debug` is the option as given: `true`, a function, or anything else for off.
    #[wasm_bindgen(constructor)]
    pub(crate) fn new(debug: &JsValue) -> Listeners;

    /// Writes a debug line (if debugging); `line` must contain no URL query string.
    #[wasm_bindgen(method)]
    pub(crate) fn trace(this: &Listeners, line: &str);

    #[wasm_bindgen(method)]
    pub(crate) fn clear(this: &Listeners);

    #[wasm_bindgen(method)]
    pub(crate) fn handler(this: &Listeners, kind: &str) -> JsValue;

    #[wasm_bindgen(method, catch, js_name = setHandler)]
    pub(crate) fn set_handler(this: &Listeners, kind: &str, handler: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    pub(crate) fn add(this: &Listeners, kind: &JsValue, listener: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    pub(crate) fn remove(this: &Listeners, kind: &JsValue, listener: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method)]
    fn open(this: &Listeners, attempt: u32, reconnected: bool);

    #[wasm_bindgen(method)]
    fn message(this: &Listeners, data: &JsValue);

    #[wasm_bindgen(method)]
    fn close(this: &Listeners, code: u16, reason: &str, was_clean: bool, will_reconnect: bool);

    #[wasm_bindgen(method)]
    fn error(this: &Listeners, message: &str);

    #[wasm_bindgen(method)]
    fn reconnecting(this: &Listeners, attempt: u32, delay: f64);

    #[wasm_bindgen(method)]
    fn giveup(this: &Listeners, attempts: u32);

    #[wasm_bindgen(method)]
    fn heartbeat(this: &Listeners, rtt: f64);

    #[wasm_bindgen(method)]
    fn drop(this: &Listeners, data: &JsValue, reason: &str);

    #[wasm_bindgen(method)]
    fn statechange(this: &Listeners, from: &str, to: &str);
}

impl Listeners {
    /// Delivers `event` to the listeners of its type. Listeners that throw are reported
    /// on the JavaScript side and never reach the driver.
    pub(crate) fn deliver(&self, event: Event<JsPayload>) {
        match event {
            Event::StateChange { from, to } => self.statechange(from.as_str(), to.as_str()),
            Event::Open { attempt, reconnected } => self.open(attempt, reconnected),
            Event::Message { data } => self.message(&data.0),
            Event::Close { info, will_reconnect } => self.close(info.code, &info.reason, info.was_clean, will_reconnect),
            Event::Error { message } => self.error(&message),
            Event::Reconnecting { attempt, delay_ms } => self.reconnecting(attempt, delay_ms as f64),
            Event::GiveUp { attempts } => self.giveup(attempts),
            Event::Heartbeat { rtt_ms } => self.heartbeat(rtt_ms as f64),
            Event::Drop { data, reason } => self.drop(&data.0, reason.as_str()),
        }
    }
}
