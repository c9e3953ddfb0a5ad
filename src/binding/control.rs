//! The classes JavaScript calls into (internal: `js/socket.js` is their only caller, and
//! the package's types do not mention them). [`Binding`] is handed over once, when the
//! module starts; [`Control`] is one socket's control plane.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::driver::{Driver, Message};
use super::host::{bad_argument, Host, Settings};
use super::{objects, options};
use crate::core::{
    CloseFrame, CloseFrameError, ConnId, HeartbeatMessage, Lifecycle, SendError, Sent,
};

const CODES: &str = "1000 or an integer from 3000 to 4999";
const REASON: &str = "a string of at most 123 bytes in UTF-8";

/// How `js/socket.js` reaches the wasm side.
#[wasm_bindgen(skip_typescript)]
pub struct Binding;

#[wasm_bindgen]
impl Binding {
    /// Parses the checked options of `host` and starts connecting.
    pub fn start(&self, host: Host, settings: Settings) -> Result<Control, JsValue> {
        let config = options::parse(&settings)?;
        let debugging = options::debugging(&settings);
        Ok(Control {
            driver: Driver::start(host, config, debugging),
        })
    }
}

/// One socket's control plane: every method feeds the core.
#[wasm_bindgen(skip_typescript)]
pub struct Control {
    driver: Rc<Driver>,
}

#[wasm_bindgen]
impl Control {
    pub fn state(&self) -> String {
        self.driver.core().state().as_str().to_owned()
    }

    /// A message that could not go straight to the socket (checked in JavaScript): sent
    /// now (`true`) or queued or dropped (`false`).
    pub fn send(&self, data: JsValue) -> Result<bool, JsValue> {
        let message = Message::measured(data)?;
        let why = match self.driver.input(|core, now| core.send(now, message)) {
            Ok(sent) => return Ok(sent == Sent::Now),
            Err(SendError::Closed) => "send: the socket is closed",
            Err(SendError::NotOpen) => {
                "send: the socket is not open and queueing is off (queue: false)"
            }
            Err(SendError::QueueFull) => "send: the queue is full (queue.overflow: \"throw\")",
            Err(SendError::TooLarge) => {
                "send: the message is larger than queue.maxBytes (queue.overflow: \"throw\")"
            }
        };
        Err(js_sys::Error::new(why).into())
    }

    /// The socket threw when the data plane handed it `data`.
    #[wasm_bindgen(js_name = sendFailed)]
    pub fn send_failed(&self, why: String, data: JsValue) -> Result<(), JsValue> {
        let message = Message::measured(data)?;
        self.driver
            .input(|core, now| core.handle_send_failed(now, &why, message));
        Ok(())
    }

    /// Closes for good with `code` (1000 or 3000–4999, default 1000) and `reason`; `host`
    /// is the socket object, which a socket that gave up had let go of and which hears
    /// the final close event.
    pub fn close(&self, host: Host, code: JsValue, reason: JsValue) -> Result<(), JsValue> {
        let number = match code.as_f64() {
            None if code.is_undefined() => 1000.0,
            Some(number) if number.fract() == 0.0 && (0.0..=65535.0).contains(&number) => number,
            _ => return Err(bad_argument("close: code", CODES, &code)),
        };
        let text = match reason.as_string() {
            None if reason.is_undefined() => String::new(),
            Some(text) => text,
            None => return Err(bad_argument("close: reason", REASON, &reason)),
        };
        let frame = CloseFrame::new(number as u16, &text).map_err(|problem| match problem {
            CloseFrameError::Code => bad_argument("close: code", CODES, &code),
            CloseFrameError::ReasonTooLong => bad_argument("close: reason", REASON, &reason),
        })?;
        self.driver.revive(host);
        self.driver.input(|core, now| core.close(now, frame));
        Ok(())
    }

    /// Connects again now with the retry counter reset; `host` is the socket object, which
    /// a socket that gave up had let go of.
    pub fn reconnect(&self, host: Host) -> Result<(), JsValue> {
        self.driver.revive(host);
        self.driver
            .input(|core, now| core.reconnect(now))
            .map_err(|_| js_sys::Error::new("reconnect: the socket is closed").into())
    }

    pub fn stats(&self, messages_in: f64, messages_out: f64) -> JsValue {
        let counters = self.driver.core().stats();
        objects::stats(&counters, messages_in, messages_out)
    }

    /// A pong arrived on socket `conn`.
    pub fn pong(&self, conn: u32) {
        self.driver
            .heartbeat(ConnId::from_u32(conn), HeartbeatMessage::Pong);
    }

    /// A server ping (to answer) arrived on socket `conn`.
    #[wasm_bindgen(js_name = serverPing)]
    pub fn server_ping(&self, conn: u32) {
        self.driver
            .heartbeat(ConnId::from_u32(conn), HeartbeatMessage::Ping);
    }

    pub fn online(&self) {
        self.driver.lifecycle(Lifecycle::Online);
    }

    pub fn offline(&self) {
        self.driver.lifecycle(Lifecycle::Offline);
    }

    pub fn foreground(&self) {
        self.driver.lifecycle(Lifecycle::Foreground);
    }
}
