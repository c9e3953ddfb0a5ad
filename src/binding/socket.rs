//! The live socket's control operations, through web-sys's typed `WebSocket` interface:
//! the `onopen`, `onerror` and `onclose` handlers (Rust closures that feed the driver)
//! and, on release, detaching every handler and closing with a code and a reason.
//! `onmessage` and `binaryType` (how message data arrives) are the data plane's, set in
//! JavaScript (`js/socket.js`).
//!
//! The object is the `SocketHandle` that `js/connection.js` wraps around whatever the
//! transport returned: none of these calls can throw, and events arrive in the WebSocket
//! shape, so reading a `CloseEvent`'s fields here runs no foreign code.

use std::rc::Weak;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, ErrorEvent, Event};

use super::driver::Driver;
use super::host::SocketHandle;
use crate::core::{CloseFrame, CloseInfo, ConnId};

/// The socket of the attempt the core considers live, and its handler: one closure serves
/// `onopen`, `onerror` and `onclose` (it tells them apart by the event's `type`), because
/// each closure type costs the package code on both sides of the boundary. It is `Fn`, not
/// `FnMut`: a socket may report again from inside the handler (a synchronous close during
/// `close()`), and that must reach the driver, not fail as a recursive call.
pub(crate) struct LiveSocket {
    conn: ConnId,
    socket: SocketHandle,
    _handler: Closure<dyn Fn(Event)>,
}

impl LiveSocket {
    /// Attaches the handler reporting the events of socket `conn` to `driver`.
    pub(crate) fn attach(socket: SocketHandle, conn: ConnId, driver: Weak<Driver>) -> LiveSocket {
        let handler = Closure::<dyn Fn(Event)>::new(move |event: Event| {
            let Some(driver) = driver.upgrade() else {
                return;
            };
            match event.type_().as_str() {
                "open" => driver.socket_opened(conn),
                "error" => {
                    driver.socket_failed(conn, event.unchecked_into::<ErrorEvent>().message())
                }
                "close" => {
                    let event: CloseEvent = event.unchecked_into();
                    let info = CloseInfo {
                        code: event.code(),
                        reason: event.reason(),
                        was_clean: event.was_clean(),
                    };
                    driver.socket_closed(conn, info);
                }
                // SocketHandle (js/connection.js) hands over only these three.
                _ => {}
            }
        });
        let function = handler.as_ref().unchecked_ref();
        socket.set_onopen(Some(function));
        socket.set_onerror(Some(function));
        socket.set_onclose(Some(function));
        LiveSocket {
            conn,
            socket,
            _handler: handler,
        }
    }

    pub(crate) fn conn(&self) -> ConnId {
        self.conn
    }

    /// Detaches every handler first, so the socket can never report again, then closes it
    /// with `frame` if given: best effort, never waiting for its close event
    /// (docs/behaviour.md#rule-2).
    pub(crate) fn release(self, frame: Option<&CloseFrame>) {
        self.socket.set_onopen(None);
        self.socket.set_onerror(None);
        self.socket.set_onclose(None);
        self.socket.set_onmessage(None);
        if let Some(frame) = frame {
            let _ = self
                .socket
                .close_with_code_and_reason(frame.code(), frame.reason());
        }
    }
}
