//! Drives one core [`Machine`] from JavaScript: socket events, timer expiries and user
//! commands become core inputs; core outputs become calls on the socket, the transport
//! and the `HeartbeatSocket` object (its data plane and listeners).
//!
//! Re-entrancy rule: no `RefCell` borrow is held while JavaScript runs, and no JavaScript
//! runs while the core is borrowed. Listeners may call `send`, `close` or `reconnect`,
//! and sockets may report synchronously from `send` or `close`; every such call re-enters
//! the driver, feeds the core and drains its outputs. Outputs are pulled from the core
//! one at a time, so whoever drains first carries them out, in order.
//!
//! Lifetime rule (docs/behaviour.md#rule-15): like a browser `WebSocket`, a socket lives
//! until it is closed, referenced or not. While the core is not closed the driver anchors
//! itself (and through its host the JavaScript object); once closed (by the user, after
//! giving up or when reconnection is vetoed) it lets go, and the garbage collector may take
//! both.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsValue;

use super::host::{byte_length, describe_error, now, unexpected, Host, Jitter};
use super::objects;
use super::socket::LiveSocket;
use super::url;
use crate::core::{
    should_reconnect_by_default, CloseInfo, Config, ConnId, HeartbeatMessage, Instant, Lifecycle,
    Machine, Output, Payload, State,
};

/// `setTimeout` treats delays above 2^31 - 1 ms as 0; longer deadlines re-arm on wake.
const LONGEST_TIMER_MS: u64 = i32::MAX as u64;

/// A message waiting in the core's queue: the JavaScript value and its size on the wire
/// (measured in JavaScript before the core was borrowed).
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub(crate) value: JsValue,
    pub(crate) bytes: usize,
}

impl Message {
    /// `value` with its size, measured before the core is borrowed.
    pub(crate) fn measured(value: JsValue) -> Result<Message, JsValue> {
        let bytes = byte_length(&value)?;
        Ok(Message {
            value,
            bytes: bytes as usize,
        })
    }
}

impl Payload for Message {
    fn byte_len(&self) -> usize {
        self.bytes
    }
}

/// The one JS timer, armed for the core's earliest deadline.
struct ArmedTimer {
    at: Instant,
    _timeout: Timeout,
}

pub(crate) struct Driver {
    core: RefCell<Machine<Message>>,
    jitter: Jitter,
    debugging: bool,
    /// The JavaScript socket object; `None` once closed.
    host: RefCell<Option<Host>>,
    /// The driver itself while the core is not closed (see the lifetime rule).
    anchor: RefCell<Option<Rc<Driver>>>,
    live: RefCell<Option<LiveSocket>>,
    timer: RefCell<Option<ArmedTimer>>,
    this: Weak<Driver>,
}

impl Driver {
    /// Starts connecting (the first attempt runs from a 0 ms timer, once the caller has
    /// attached its listeners).
    pub(crate) fn start(host: Host, config: Config, debugging: bool) -> Rc<Driver> {
        let jitter = Jitter::default();
        let driver = Rc::new_cyclic(|this: &Weak<Driver>| Driver {
            core: RefCell::new(Machine::new(config, Box::new(jitter.clone()), now())),
            jitter,
            debugging,
            host: RefCell::new(Some(host)),
            anchor: RefCell::new(None),
            live: RefCell::new(None),
            timer: RefCell::new(None),
            this: this.clone(),
        });
        *driver.anchor.borrow_mut() = Some(driver.clone());
        driver.input(|core, now| core.connect(now));
        driver
    }

    pub(crate) fn weak_handle(&self) -> Weak<Driver> {
        self.this.clone()
    }

    /// The JavaScript object, if the socket is not closed (a clone: no borrow is held
    /// while it is used).
    pub(crate) fn host(&self) -> Option<Host> {
        self.host.borrow().clone()
    }

    /// Feeds the core, then carries out everything it asks for. What JavaScript knows that
    /// the core needs (the time of the last inbound message, a jitter draw) is fetched
    /// first, before the core is borrowed.
    pub(crate) fn input<R>(&self, feed: impl FnOnce(&mut Machine<Message>, Instant) -> R) -> R {
        let now = self.prepare_input();
        let result = feed(&mut self.core.borrow_mut(), now);
        self.pump();
        result
    }

    /// The part of every input that does not depend on it, kept out of line: `input` is
    /// generic, and each of its instances would otherwise carry a copy.
    #[inline(never)]
    fn prepare_input(&self) -> Instant {
        let now = now();
        let last_message = self
            .host()
            .and_then(|host| unexpected("reading the inbound activity failed", host.activity()));
        self.jitter.draw();
        let mut core = self.core.borrow_mut();
        if let (Some(last), Some(conn)) = (last_message, core.live_conn()) {
            if last >= 0.0 {
                core.handle_activity(now, conn, Instant::from_millis(last as u64));
            }
        }
        now
    }

    #[inline(never)]
    fn pump(&self) {
        loop {
            let output = self.core.borrow_mut().poll_output();
            match output {
                Some(output) => self.carry_out(output),
                None => break,
            }
        }
        self.rearm_timer();
        self.settle();
    }

    /// Tells the data plane where it stands, and lets go of everything once closed.
    fn settle(&self) {
        let (direct, closed) = {
            let core = self.core.borrow();
            (core.writable_conn(), core.state() == State::Closed)
        };
        if let Some(host) = self.host() {
            let conn = direct.map_or(0, ConnId::as_u32);
            unexpected("settling the data plane failed", host.settle(conn, closed));
        }
        if closed {
            // Nothing is live: no socket, no timer (the core has no deadline when closed).
            self.host.borrow_mut().take();
            let anchor = self.anchor.borrow_mut().take();
            drop(anchor);
        }
    }

    fn carry_out(&self, output: Output<Message>) {
        let Some(host) = self.host() else {
            return;
        };
        match output {
            Output::ResolveUrl { conn } => {
                self.trace(&host, "asking the url provider", None);
                url::resolve(self, &host, conn);
            }
            Output::Connect { conn, url } => {
                self.trace(&host, "connecting to ", Some(&url));
                match host.open(conn.as_u32(), &url) {
                    Ok(socket) => {
                        let live = LiveSocket::attach(socket, conn, self.weak_handle());
                        let previous = self.live.borrow_mut().replace(live);
                        drop(previous);
                    }
                    Err(error) => {
                        let message = describe_error(&error, "transport.connect failed");
                        self.input(|core, now| core.handle_error(now, conn, &message));
                    }
                }
            }
            Output::Send { conn, data } => match host.hand_over(conn.as_u32(), &data.value) {
                Ok(handed) if handed.as_bool() == Some(true) => {}
                Ok(handed) if handed.as_bool() == Some(false) => {
                    self.input(|core, now| core.handle_unwritable(now, conn, data));
                }
                refused => {
                    let message = refused
                        .ok()
                        .and_then(|why| why.as_string())
                        .unwrap_or_else(|| String::from("send failed"));
                    self.input(|core, now| core.handle_send_failed(now, &message, data));
                }
            },
            Output::SendPing { conn } => {
                self.trace(&host, "ping", None);
                let _ = host.send_own(conn.as_u32(), false);
            }
            Output::AnswerPing { conn } => {
                self.trace(&host, "answering a server ping", None);
                let _ = host.send_own(conn.as_u32(), true);
            }
            Output::Disconnect { conn, close } => {
                let live = self.live.borrow_mut().take_if(|live| live.conn() == conn);
                if let Some(live) = live {
                    unexpected("settling the data plane failed", host.settle(0, false));
                    live.release(close.as_ref());
                }
            }
            Output::Emit(event) => {
                unexpected(
                    "delivering an event failed",
                    host.emit(&objects::event(event)),
                );
            }
        }
    }

    fn trace(&self, host: &Host, line: &str, url: Option<&str>) {
        if self.debugging {
            unexpected("writing a debug line failed", host.trace(line, url));
        }
    }

    // Socket events (see `socket.rs`).

    pub(crate) fn socket_opened(&self, conn: ConnId) {
        self.input(|core, now| core.handle_open(now, conn));
    }

    pub(crate) fn socket_failed(&self, conn: ConnId, message: String) {
        self.input(|core, now| core.handle_error(now, conn, &message));
    }

    /// Asks `shouldReconnect` (user code, so before the core is borrowed), then the core.
    pub(crate) fn socket_closed(&self, conn: ConnId, info: CloseInfo) {
        let verdict = self
            .host()
            .and_then(|host| {
                host.should_reconnect(info.code, &info.reason, info.was_clean)
                    .ok()
            })
            .and_then(|verdict| verdict.as_bool());
        let allowed = verdict.unwrap_or_else(|| should_reconnect_by_default(info.code));
        self.input(|core, now| core.handle_close(now, conn, info, allowed));
    }

    /// A URL provider's answer for attempt `conn` (see `url.rs`).
    pub(crate) fn url_resolved(&self, conn: ConnId, url: Result<String, String>) {
        self.input(|core, now| core.handle_url(now, conn, url));
    }

    // Commands (see `control.rs`).

    pub(crate) fn core(&self) -> std::cell::Ref<'_, Machine<Message>> {
        self.core.borrow()
    }

    pub(crate) fn heartbeat(&self, conn: ConnId, message: HeartbeatMessage) {
        self.input(|core, now| core.handle_heartbeat(now, conn, message));
    }

    pub(crate) fn lifecycle(&self, signal: Lifecycle) {
        self.input(|core, now| core.handle_lifecycle(now, signal));
    }

    /// Gives a socket that gave up its host back, for `reconnect()` (it comes back to
    /// life) and `close()` (its final close event needs a listener; once closed, the
    /// driver lets go again).
    pub(crate) fn revive(&self, host: Host) {
        if self.core.borrow().state() == State::Closed {
            *self.host.borrow_mut() = Some(host);
            *self.anchor.borrow_mut() = self.this.upgrade();
        }
    }

    fn rearm_timer(&self) {
        let next = self.core.borrow().poll_timeout();
        let mut timer = self.timer.borrow_mut();
        match next {
            None => *timer = None,
            // A timer for an earlier (or the same) deadline stays: when it fires, the core
            // finds its deadline moved and the timer is re-armed then. Messages therefore
            // never re-arm the timer.
            Some(at) if timer.as_ref().is_some_and(|armed| armed.at <= at) => {}
            Some(at) => {
                let delay = at.millis_since(now()).min(LONGEST_TIMER_MS) as u32;
                let driver = self.weak_handle();
                let timeout = Timeout::new(delay, move || {
                    if let Some(driver) = driver.upgrade() {
                        driver.on_timer();
                    }
                });
                *timer = Some(ArmedTimer {
                    at,
                    _timeout: timeout,
                });
            }
        }
    }

    fn on_timer(&self) {
        let fired = self.timer.borrow_mut().take();
        drop(fired);
        self.input(|core, now| core.handle_timeout(now));
    }
}
