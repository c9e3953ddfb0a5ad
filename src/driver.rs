//! Drives one core [`Machine`] from JavaScript: socket reports and timer expiries become
//! core inputs, core outputs become calls on the socket, the transport and the user's
//! listeners.
//!
//! Re-entrancy rule: no `RefCell` borrow is held while JavaScript runs. Listeners may call
//! `send`, `close` or `reconnect`, and sockets may report synchronously from `send` or
//! `close`; every such call re-enters the driver, feeds the core and drains its outputs.
//! Outputs are pulled from the core one at a time, so whoever drains first carries them
//! out, in order.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::connection;
use crate::core::{
    should_reconnect_by_default, CloseFrame, CloseInfo, ConnId, Instant, Machine, Output,
    SendError, Sent, State,
};
use crate::host::{now, resolve_url, watch_lifecycle, MathRandom};
use crate::inbox::{lifecycle_signals, Post};
use crate::listeners::Listeners;
use crate::options::{Env, Options};
use crate::payload::JsPayload;
use crate::shapes::stats;

/// `setTimeout` treats delays above 2^31 - 1 ms as 0; longer deadlines re-arm on wake.
const LONGEST_TIMER_MS: u64 = i32::MAX as u64;

/// The one JS timer, armed for the core's earliest deadline.
struct ArmedTimer {
    at: Instant,
    _timeout: Timeout,
}

/// The socket of the attempt the core considers live.
struct LiveSocket {
    conn: ConnId,
    socket: JsValue,
}

/// `post(kind, attempt, data, number, flag)` of `js/inbox.js`.
type PostFn = dyn Fn(u32, u32, JsValue, f64, bool);

pub(crate) struct Driver {
    core: RefCell<Machine<JsPayload>>,
    env: Env,
    listeners: Listeners,
    live: RefCell<Option<LiveSocket>>,
    timer: RefCell<Option<ArmedTimer>>,
    /// What stops watching network and visibility changes.
    stop_watching: RefCell<Option<JsValue>>,
    /// What gives the transport's claim back (see `claim` in `js/connection.js`).
    give_back_claim: RefCell<Option<Function>>,
    /// Receives everything the JavaScript helpers post: socket events, URL provider
    /// results, lifecycle signals. One closure for the driver's life: a late answer from a
    /// URL provider must still find it, and sockets let go are detached anyway.
    post: Closure<PostFn>,
    this: Weak<Driver>,
}

impl Driver {
    /// Parses `options` and starts connecting (the first attempt runs from a 0 ms timer,
    /// once the caller has attached its listeners).
    pub(crate) fn start(options: &JsValue) -> Result<Rc<Driver>, JsValue> {
        let Options { config, env } = crate::options::parse(options)?;
        let give_back_claim = connection::claim(&env.connection)?
            .dyn_into::<Function>()
            .ok();
        let driver = Rc::new_cyclic(|this: &Weak<Driver>| {
            let driver = this.clone();
            Driver {
                core: RefCell::new(Machine::new(config, Box::new(MathRandom), now())),
                listeners: Listeners::new(&env.debug),
                env,
                live: RefCell::new(None),
                timer: RefCell::new(None),
                stop_watching: RefCell::new(None),
                give_back_claim: RefCell::new(give_back_claim),
                post: Closure::new(move |kind, attempt, data, number, flag| {
                    if let Some(driver) = driver.upgrade() {
                        driver.posted(Post::decode(kind, attempt, data, number, flag));
                    }
                }),
                this: this.clone(),
            }
        });
        if driver.env.lifecycle {
            driver.watch_lifecycle();
        }
        driver.input(|core, now| core.connect(now));
        Ok(driver)
    }

    /// Feeds the core, then carries out everything it asks for.
    fn input<R>(&self, feed: impl FnOnce(&mut Machine<JsPayload>, Instant) -> R) -> R {
        let result = feed(&mut self.core.borrow_mut(), now());
        self.pump();
        result
    }

    fn pump(&self) {
        loop {
            let output = self.core.borrow_mut().poll_output();
            match output {
                Some(output) => self.carry_out(output),
                None => break,
            }
        }
        self.rearm_timer();
    }

    fn carry_out(&self, output: Output<JsPayload>) {
        if self.env.debugging {
            self.trace(&output);
        }
        match output {
            Output::ResolveUrl { conn } => {
                resolve_url(&self.env.connection, conn.as_u32(), self.post_function());
            }
            Output::Connect { conn, url } => {
                let socket = connection::open(
                    &self.env.connection,
                    &url,
                    conn.as_u32(),
                    self.post_function(),
                );
                // `null`: the transport failed and that was already reported.
                if !socket.is_null() {
                    let previous = self.live.borrow_mut().replace(LiveSocket { conn, socket });
                    drop(previous);
                }
            }
            Output::Send { conn, data } => {
                let failure = match self.socket_of(conn) {
                    Some(socket) => connection::send(&socket, &data.0).as_string(),
                    None => Some(String::from("the socket is gone")),
                };
                if let Some(message) = failure {
                    self.input(|core, now| core.handle_send_failed(now, &message, data));
                }
            }
            Output::SendPing { conn } => self.send_own(conn, false),
            Output::AnswerPing { conn } => self.send_own(conn, true),
            Output::Disconnect { conn, close } => {
                let live = self.live.borrow_mut().take_if(|live| live.conn == conn);
                if let Some(live) = live {
                    let (code, reason) = close
                        .as_ref()
                        .map_or((0, ""), |frame| (frame.code(), frame.reason()));
                    connection::release(&live.socket, code, reason);
                }
            }
            Output::Emit(event) => self.listeners.deliver_event(event),
        }
    }

    /// The debug lines of outputs that are not events (events are logged with them).
    fn trace(&self, output: &Output<JsPayload>) {
        match output {
            Output::ResolveUrl { .. } => self.listeners.trace("asking the url provider", None),
            Output::Connect { url, .. } => self.listeners.trace("connecting to ", Some(url)),
            Output::SendPing { .. } => self.listeners.trace("ping", None),
            Output::AnswerPing { .. } => self.listeners.trace("answering a server ping", None),
            Output::Send { .. } | Output::Disconnect { .. } | Output::Emit(_) => {}
        }
    }

    fn post_function(&self) -> &Function {
        self.post.as_ref().unchecked_ref()
    }

    fn socket_of(&self, conn: ConnId) -> Option<JsValue> {
        self.live
            .borrow()
            .as_ref()
            .filter(|live| live.conn == conn)
            .map(|live| live.socket.clone())
    }

    fn send_own(&self, conn: ConnId, answer: bool) {
        if let Some(socket) = self.socket_of(conn) {
            connection::send_own(&self.env.connection, &socket, answer);
        }
    }

    // Commands from the exported class.

    pub(crate) fn state(&self) -> State {
        self.core.borrow().state()
    }

    pub(crate) fn stats(&self) -> JsValue {
        let counters = self.core.borrow().stats();
        stats(&counters)
    }

    pub(crate) fn send(&self, data: &JsValue) -> Result<bool, JsValue> {
        let payload = JsPayload::outgoing(data)?;
        match self.input(|core, now| core.send(now, payload)) {
            Ok(Sent::Now) => Ok(true),
            Ok(Sent::Queued | Sent::Dropped) => Ok(false),
            Err(SendError::Closed) => Err(error("send: the socket is closed")),
            Err(SendError::NotOpen) => Err(error(
                "send: the socket is not open and queueing is off (queue: false)",
            )),
            Err(SendError::QueueFull) => {
                Err(error("send: the queue is full (queue.overflow: \"throw\")"))
            }
        }
    }

    /// Closes for good and lets go of everything: socket, timer, lifecycle listeners, and
    /// the user's listeners (which often hold the socket: releasing them breaks the cycle).
    pub(crate) fn close(&self, frame: CloseFrame) {
        self.stop_lifecycle();
        // Given back before the final `close` event, so a listener may make a new socket.
        self.give_back_claim();
        self.input(|core, now| core.close(now, frame));
        self.listeners.clear();
    }

    pub(crate) fn reconnect(&self) -> Result<(), JsValue> {
        self.input(|core, now| core.reconnect(now))
            .map_err(|_| error("reconnect: the socket is closed"))
    }

    /// The user's listeners (kept in JavaScript).
    pub(crate) fn listeners(&self) -> &Listeners {
        &self.listeners
    }

    // What the JavaScript helpers post, and the timer.

    /// Socket messages are the hot path: the data is already classified and the core only
    /// records the time (its deadline moves later, never earlier, so no timer is touched).
    fn posted(&self, post: Post) {
        match post {
            Post::Opened(conn) => self.input(|core, now| core.handle_open(now, conn)),
            Post::Message(conn, inbound, data) => {
                self.input(|core, now| core.handle_message(now, conn, inbound, JsPayload(data)))
            }
            Post::Failed(conn, message) => {
                self.input(|core, now| core.handle_error(now, conn, &message))
            }
            Post::Closed {
                conn,
                code,
                reason,
                was_clean,
                reconnect_allowed,
            } => {
                let info = CloseInfo {
                    code,
                    reason,
                    was_clean,
                };
                let allowed =
                    reconnect_allowed.unwrap_or_else(|| should_reconnect_by_default(code));
                self.input(|core, now| core.handle_close(now, conn, info, allowed));
            }
            Post::UrlResolved(conn, url) => {
                self.input(|core, now| core.handle_url(now, conn, Ok(url)))
            }
            Post::UrlFailed(conn, problem) => {
                self.input(|core, now| core.handle_url(now, conn, Err(problem)))
            }
            Post::Lifecycle(signal) => self.input(|core, now| core.handle_lifecycle(now, signal)),
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
                let driver = self.this.clone();
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

    fn watch_lifecycle(&self) {
        let signals = lifecycle_signals(self.post_function());
        let stop = watch_lifecycle(&self.env.connection, &signals);
        *self.stop_watching.borrow_mut() = Some(stop);
    }

    /// Stops watching; the stop function reports its own failures (`js/browser.js`).
    fn stop_lifecycle(&self) {
        let stop = self.stop_watching.borrow_mut().take();
        if let Some(stop) = stop.as_ref().and_then(|stop| stop.dyn_ref::<Function>()) {
            let _ = stop.call0(&JsValue::UNDEFINED);
        }
    }

    /// Gives the transport's claim back, once; the function never throws (`js/connection.js`).
    fn give_back_claim(&self) {
        let give_back = self.give_back_claim.borrow_mut().take();
        if let Some(give_back) = give_back {
            let _ = give_back.call0(&JsValue::UNDEFINED);
        }
    }
}

impl Drop for Driver {
    /// A socket freed without `close()` still lets go of everything it holds.
    fn drop(&mut self) {
        self.stop_lifecycle();
        self.give_back_claim();
        if let Some(live) = self.live.get_mut().take() {
            let frame = CloseFrame::normal();
            connection::release(&live.socket, frame.code(), frame.reason());
        }
    }
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}
