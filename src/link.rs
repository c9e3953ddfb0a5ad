//! The live socket: the transport's object and the four handlers attached to it.

use std::rc::{Rc, Weak};

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::{CloseFrame, ConnId};
use crate::driver::Driver;
use crate::host::SocketLike;

type Handler = Closure<dyn Fn(JsValue)>;

/// Socket `conn` and its handlers. Dropping a link detaches the handlers first, so a
/// socket let go can never reach the driver again, whatever it does later.
pub(crate) struct Link {
    pub(crate) conn: ConnId,
    socket: Rc<SocketLike>,
    open: Handler,
    message: Handler,
    error: Handler,
    close: Handler,
    attached: bool,
}

impl Link {
    /// Attaches handlers that report socket `conn`'s events to `driver`. The handlers are
    /// `Fn` closures: a socket may fire an event while another of its events is handled.
    pub(crate) fn attach(conn: ConnId, socket: SocketLike, driver: &Weak<Driver>) -> Result<Link, JsValue> {
        let handler = |on_event: fn(&Driver, ConnId, JsValue)| {
            let driver = driver.clone();
            Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
                if let Some(driver) = driver.upgrade() {
                    on_event(&driver, conn, event);
                }
            })
        };
        let link = Link {
            conn,
            socket: Rc::new(socket),
            open: handler(Driver::on_socket_open),
            message: handler(Driver::on_socket_message),
            error: handler(Driver::on_socket_error),
            close: handler(Driver::on_socket_close),
            attached: true,
        };
        // On failure the link is dropped here, which detaches whatever was attached.
        link.socket.set_onopen(Some(function(&link.open)))?;
        link.socket.set_onmessage(Some(function(&link.message)))?;
        link.socket.set_onerror(Some(function(&link.error)))?;
        link.socket.set_onclose(Some(function(&link.close)))?;
        Ok(link)
    }

    /// The socket, to call without holding any borrow of the driver's state (a socket may
    /// deliver events synchronously from `send`).
    pub(crate) fn socket(&self) -> Rc<SocketLike> {
        Rc::clone(&self.socket)
    }

    /// Lets go of the socket: detaches the handlers first, so the socket's own close
    /// event never arrives, then closes it with `frame` if given — best effort, a socket
    /// that is already closing may throw, and nobody waits for it (Behaviour 2).
    pub(crate) fn release(mut self, frame: Option<&CloseFrame>) {
        self.detach();
        if let Some(frame) = frame {
            let _ = self.socket.close(frame.code(), frame.reason());
        }
    }

    fn detach(&mut self) {
        if std::mem::take(&mut self.attached) {
            let _ = self.socket.set_onopen(None);
            let _ = self.socket.set_onmessage(None);
            let _ = self.socket.set_onerror(None);
            let _ = self.socket.set_onclose(None);
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.detach();
    }
}

fn function(handler: &Handler) -> &Function {
    handler.as_ref().unchecked_ref()
}
