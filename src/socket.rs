//! The exported `HeartbeatSocket` class: a thin handle on a [`Driver`]. Every method takes
//! `&self`, so listeners may call back into the same socket while it dispatches.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::core::{CloseFrame, CloseFrameError};
use crate::driver::Driver;
use crate::errors::expected;

const CODES: &str = "1000 or an integer from 3000 to 4999";
const REASON: &str = "a string of at most 123 bytes in UTF-8";

/// A WebSocket that stays alive: heartbeat, dead-connection detection, reconnection with
/// backoff and a send queue, over any transport.
#[wasm_bindgen]
pub struct HeartbeatSocket {
    driver: Rc<Driver>,
}

#[wasm_bindgen]
impl HeartbeatSocket {
    /// Validates `options` (a `TypeError` names any bad field) and starts connecting.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<HeartbeatSocket, JsValue> {
        Ok(HeartbeatSocket {
            driver: Driver::start(&options)?,
        })
    }

    /// `"connecting"`, `"open"`, `"reconnecting"`, `"offline"` or `"closed"`.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.driver.state().as_str().to_owned()
    }

    /// Sends a string, `ArrayBuffer` or typed array: `true` if handed to the open socket,
    /// `false` if queued (or dropped by `overflow: "drop-newest"`, with a `drop` event).
    /// Throws after `close()`, and when it cannot queue (`queue: false`, `overflow: "throw"`).
    pub fn send(&self, data: JsValue) -> Result<bool, JsValue> {
        self.driver.send(&data)
    }

    /// Closes for good with `code` (1000 or 3000–4999, default 1000) and `reason`: no more
    /// reconnection, no timer or listener left.
    pub fn close(&self, code: JsValue, reason: JsValue) -> Result<(), JsValue> {
        let number = match code.as_f64() {
            None if code.is_undefined() => 1000.0,
            Some(number) if number.fract() == 0.0 && (0.0..=65535.0).contains(&number) => number,
            _ => return Err(expected("close: code", CODES, &code)),
        };
        let text = match reason.as_string() {
            None if reason.is_undefined() => String::new(),
            Some(text) => text,
            None => return Err(expected("close: reason", REASON, &reason)),
        };
        let frame = CloseFrame::new(number as u16, &text).map_err(|problem| match problem {
            CloseFrameError::Code => expected("close: code", CODES, &code),
            CloseFrameError::ReasonTooLong => expected("close: reason", REASON, &reason),
        })?;
        self.driver.close(frame);
        Ok(())
    }

    /// Drops the current socket and connects again now, with the retry counter reset;
    /// also after giving up. Throws after `close()`.
    pub fn reconnect(&self) -> Result<(), JsValue> {
        self.driver.reconnect()
    }

    /// `{ opens, closes, reconnects, pingsSent, pongsReceived, lastRtt, messagesIn,
    /// messagesOut, dropped, queued }`.
    pub fn stats(&self) -> JsValue {
        self.driver.stats()
    }

    /// Adds `listener` for events of `type` (once per function, as with `EventTarget`).
    #[wasm_bindgen(js_name = addEventListener)]
    pub fn add_event_listener(&self, kind: JsValue, listener: JsValue) -> Result<(), JsValue> {
        self.driver.listeners().add(&kind, &listener)
    }

    /// Removes a listener added with `addEventListener`.
    #[wasm_bindgen(js_name = removeEventListener)]
    pub fn remove_event_listener(&self, kind: JsValue, listener: JsValue) -> Result<(), JsValue> {
        self.driver.listeners().remove(&kind, &listener)
    }

    /// Ready-made options: `{ article }` reproduces the source article's heartbeat and
    /// retry timings; spread it and add a `url`.
    #[wasm_bindgen(getter)]
    pub fn presets() -> JsValue {
        crate::shapes::presets()
    }
}

/// The `onX` properties: a function or `null`, called before added listeners.
macro_rules! handler_properties {
    ($($name:ident, $set:ident => $kind:literal;)*) => {
        #[wasm_bindgen]
        impl HeartbeatSocket {
            $(
                #[doc = concat!("The `", stringify!($name), "` handler, or `null`.")]
                #[wasm_bindgen(getter)]
                pub fn $name(&self) -> JsValue {
                    self.driver.listeners().handler($kind)
                }

                #[doc = concat!("Sets the `", stringify!($name), "` handler (a function or `null`).")]
                #[wasm_bindgen(setter)]
                pub fn $set(&self, handler: JsValue) -> Result<(), JsValue> {
                    self.driver.listeners().set_handler($kind, &handler)
                }
            )*
        }
    };
}

handler_properties! {
    onopen, set_onopen => "open";
    onmessage, set_onmessage => "message";
    onclose, set_onclose => "close";
    onerror, set_onerror => "error";
    onreconnecting, set_onreconnecting => "reconnecting";
    ongiveup, set_ongiveup => "giveup";
    onheartbeat, set_onheartbeat => "heartbeat";
    ondrop, set_ondrop => "drop";
    onstatechange, set_onstatechange => "statechange";
}
