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

    /// Writes a debug line (if debugging) ending with `url`, redacted.
    #[wasm_bindgen(method)]
    pub(crate) fn trace(this: &Listeners, line: &str, url: Option<&str>);

    #[wasm_bindgen(method)]
    pub(crate) fn clear(this: &Listeners);

    #[wasm_bindgen(method)]
    pub(crate) fn handler(this: &Listeners, kind: &str) -> JsValue;

    #[wasm_bindgen(method, catch, js_name = setHandler)]
    pub(crate) fn set_handler(
        this: &Listeners,
        kind: &str,
        handler: &JsValue,
    ) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    pub(crate) fn add(this: &Listeners, kind: &JsValue, listener: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    pub(crate) fn remove(
        this: &Listeners,
        kind: &JsValue,
        listener: &JsValue,
    ) -> Result<(), JsValue>;

    #[wasm_bindgen(method)]
    fn message(this: &Listeners, data: &JsValue);

    /// Any event but `message`, by [`Kind`], its fields in fixed parameters.
    #[wasm_bindgen(method)]
    #[allow(clippy::too_many_arguments)]
    fn deliver(
        this: &Listeners,
        kind: u32,
        number: f64,
        other: f64,
        text: Option<&str>,
        other_text: Option<&str>,
        flag: bool,
        other_flag: bool,
        data: &JsValue,
    );
}

/// Event kinds for `deliver`, in the order `js/listeners.js` expects.
#[derive(Clone, Copy)]
enum Kind {
    Open,
    Close,
    Error,
    Reconnecting,
    GiveUp,
    Heartbeat,
    Drop,
    StateChange,
}

impl Listeners {
    /// Delivers `event` to the listeners of its type. Listeners that throw are reported
    /// on the JavaScript side and never reach the driver. Each call is spelled out: folding
    /// the arguments into a struct with defaults cost 74 bytes of gzipped wasm (measured),
    /// and the package is within 250 bytes of its budget.
    pub(crate) fn deliver_event(&self, event: Event<JsPayload>) {
        let none = &JsValue::UNDEFINED;
        match event {
            Event::Message { data } => self.message(&data.0),
            Event::Open {
                attempt,
                reconnected,
            } => self.deliver(
                Kind::Open as u32,
                attempt.into(),
                0.0,
                None,
                None,
                reconnected,
                false,
                none,
            ),
            Event::Close {
                info,
                will_reconnect,
            } => self.deliver(
                Kind::Close as u32,
                info.code.into(),
                0.0,
                Some(&info.reason),
                None,
                info.was_clean,
                will_reconnect,
                none,
            ),
            Event::Error { message } => self.deliver(
                Kind::Error as u32,
                0.0,
                0.0,
                Some(&message),
                None,
                false,
                false,
                none,
            ),
            Event::Reconnecting { attempt, delay_ms } => self.deliver(
                Kind::Reconnecting as u32,
                attempt.into(),
                delay_ms as f64,
                None,
                None,
                false,
                false,
                none,
            ),
            Event::GiveUp { attempts } => self.deliver(
                Kind::GiveUp as u32,
                attempts.into(),
                0.0,
                None,
                None,
                false,
                false,
                none,
            ),
            Event::Heartbeat { rtt_ms } => self.deliver(
                Kind::Heartbeat as u32,
                rtt_ms as f64,
                0.0,
                None,
                None,
                false,
                false,
                none,
            ),
            Event::Drop { data, reason } => self.deliver(
                Kind::Drop as u32,
                0.0,
                0.0,
                Some(reason.as_str()),
                None,
                false,
                false,
                &data.0,
            ),
            Event::StateChange { from, to } => self.deliver(
                Kind::StateChange as u32,
                0.0,
                0.0,
                Some(from.as_str()),
                Some(to.as_str()),
                false,
                false,
                none,
            ),
        }
    }
}
