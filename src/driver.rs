//! Drives one core [`Machine`] from JavaScript: socket callbacks and timer expiries become
//! core inputs, core outputs become calls on the socket, the transport and the user's
//! listeners.
//!
//! Re-entrancy rule: no `RefCell` borrow is held while JavaScript runs. Listeners may call
//! `send`, `close` or `reconnect`, and sockets may fire events synchronously from `send`
//! or `close`; every such call re-enters the driver, feeds the core and drains its
//! outputs. Outputs are pulled from the core one at a time, so whoever drains first
//! carries them out, in order.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::core::{
    redact_url, should_reconnect_by_default, CloseFrame, CloseInfo, ConnId, Inbound, Instant, Lifecycle, Machine,
    Output, SendError, Sent, State, ABNORMAL_CLOSURE,
};
use crate::host::{now, watch_browser_lifecycle, MathRandom, SocketEvent, SocketLike};
use crate::link::Link;
use crate::listeners::Listeners;
use crate::shapes::{close_details, stats};
use crate::options::{describe, Env, Matcher, Options, Outgoing};
use crate::payload::JsPayload;
use crate::report::{self, error_text};

/// `setTimeout` treats delays above 2^31 - 1 ms as 0; longer deadlines re-arm on wake.
const LONGEST_TIMER_MS: u64 = i32::MAX as u64;

/// The one JS timer, armed for the core's earliest deadline.
struct ArmedTimer {
    at: Instant,
    _timeout: Timeout,
}

/// Network and visibility watching: the watcher's stop function and the signal
/// callbacks it holds.
struct LifecycleWatch {
    stop: JsValue,
    _signals: Vec<Closure<dyn Fn()>>,
}

pub(crate) struct Driver {
    core: RefCell<Machine<JsPayload>>,
    env: Env,
    link: RefCell<Option<Link>>,
    timer: RefCell<Option<ArmedTimer>>,
    listeners: Listeners,
    lifecycle: RefCell<Option<LifecycleWatch>>,
    this: Weak<Driver>,
}

impl Driver {
    /// Parses `options` and starts connecting (the first attempt runs from a 0 ms timer,
    /// once the caller has attached its listeners).
    pub(crate) fn start(options: &JsValue) -> Result<Rc<Driver>, JsValue> {
        let Options { config, env } = crate::options::parse(options)?;
        let watch_lifecycle = env.lifecycle;
        let driver = Rc::new_cyclic(|this| Driver {
            core: RefCell::new(Machine::new(config, Box::new(MathRandom), now())),
            listeners: Listeners::new(&env.debug),
            env,
            link: RefCell::new(None),
            timer: RefCell::new(None),
            lifecycle: RefCell::new(None),
            this: this.clone(),
        });
        if watch_lifecycle {
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
            Output::ResolveUrl { conn } => self.resolve_url(conn),
            Output::Connect { conn, url } => self.open_socket(conn, &url),
            Output::Send { conn, data } => self.send_on(conn, data),
            Output::SendPing { conn } => {
                let ping = self.env.heartbeat.as_ref().and_then(|heartbeat| heartbeat.ping.as_ref());
                self.send_control(conn, ping, "the heartbeat.message function");
            }
            Output::AnswerPing { conn } => {
                let pong = self.env.heartbeat.as_ref().and_then(|heartbeat| heartbeat.answer.as_ref());
                self.send_control(conn, pong.map(|answer| &answer.pong), "the heartbeat.answer.pong function");
            }
            Output::Disconnect { conn, close } => {
                let link = self.link.borrow_mut().take_if(|link| link.conn == conn);
                if let Some(link) = link {
                    link.release(close.as_ref());
                }
            }
            Output::Emit(event) => self.listeners.deliver(event),
        }
    }

    /// The debug lines of outputs that are not events (events are logged with them).
    fn trace(&self, output: &Output<JsPayload>) {
        match output {
            Output::ResolveUrl { .. } => self.listeners.trace("asking the url provider"),
            Output::Connect { url, .. } => self.listeners.trace(&["connecting to ", &redact_url(url)].concat()),
            Output::SendPing { .. } => self.listeners.trace("ping"),
            Output::AnswerPing { .. } => self.listeners.trace("answering a server ping"),
            Output::Send { .. } | Output::Disconnect { .. } | Output::Emit(_) => {}
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

    pub(crate) fn send(&self, data: JsValue) -> Result<bool, JsValue> {
        let payload = JsPayload::outgoing(data)?;
        match self.input(|core, now| core.send(now, payload)) {
            Ok(Sent::Now) => Ok(true),
            Ok(Sent::Queued | Sent::Dropped) => Ok(false),
            Err(SendError::Closed) => Err(error("send: the socket is closed")),
            Err(SendError::NotOpen) => Err(error("send: the socket is not open and queueing is off (queue: false)")),
            Err(SendError::QueueFull) => Err(error("send: the queue is full (queue.overflow: \"throw\")")),
        }
    }

    /// Closes for good and lets go of everything: socket, timer, lifecycle listeners, and
    /// the user's listeners (which often hold the socket: releasing them breaks the cycle).
    pub(crate) fn close(&self, frame: CloseFrame) {
        self.stop_lifecycle();
        self.input(|core, now| core.close(now, frame));
        self.listeners.clear();
    }

    pub(crate) fn reconnect(&self) -> Result<(), JsValue> {
        self.input(|core, now| core.reconnect(now)).map_err(|_| error("reconnect: the socket is closed"))
    }

    /// The user's listeners (kept in JavaScript).
    pub(crate) fn listeners(&self) -> &Listeners {
        &self.listeners
    }

    // Socket events (see `Link`).

    pub(crate) fn on_socket_open(&self, conn: ConnId, _event: JsValue) {
        self.input(|core, now| core.handle_open(now, conn));
    }

    /// The hot path: read `data`, decide pong or not, hand it on. No timer is touched:
    /// the core only records the time, and its deadline moves later, never earlier.
    pub(crate) fn on_socket_message(&self, conn: ConnId, event: JsValue) {
        let data = event.unchecked_ref::<SocketEvent>().data().unwrap_or(JsValue::UNDEFINED);
        let inbound = self.classify(&data);
        self.input(|core, now| core.handle_message(now, conn, inbound, JsPayload(data)));
    }

    pub(crate) fn on_socket_error(&self, conn: ConnId, event: JsValue) {
        let message = field(&event, "message")
            .as_string()
            .or_else(|| field(&event, "errMsg").as_string())
            .filter(|message| !message.is_empty())
            .unwrap_or_else(|| String::from("socket error"));
        self.input(|core, now| core.handle_error(now, conn, &message));
    }

    pub(crate) fn on_socket_close(&self, conn: ConnId, event: JsValue) {
        if self.core.borrow().live_conn() != Some(conn) {
            return;
        }
        let code = field(&event, "code").as_f64().filter(|code| (0.0..=65535.0).contains(code));
        let code = code.map_or(ABNORMAL_CLOSURE, |code| code as u16);
        let info = CloseInfo {
            code,
            reason: field(&event, "reason").as_string().unwrap_or_default(),
            was_clean: field(&event, "wasClean").as_bool().unwrap_or(code != ABNORMAL_CLOSURE),
        };
        let reconnect_allowed = self.should_reconnect(&info);
        self.input(|core, now| core.handle_close(now, conn, info, reconnect_allowed));
    }

    fn classify(&self, data: &JsValue) -> Inbound {
        let Some(heartbeat) = &self.env.heartbeat else { return Inbound::Data };
        if heartbeat.pong.matches(data, "the heartbeat.pong predicate") {
            Inbound::Pong
        } else if heartbeat.answer.as_ref().is_some_and(|answer| answer.ping.matches(data, "the heartbeat.answer.ping predicate")) {
            Inbound::Ping
        } else {
            Inbound::Data
        }
    }

    /// `shouldReconnect({code, reason, wasClean})`: only `false` vetoes, so a function
    /// that forgets to return does not stop reconnection.
    fn should_reconnect(&self, info: &CloseInfo) -> bool {
        let Some(decide) = &self.env.should_reconnect else { return should_reconnect_by_default(info.code) };
        let details = close_details(info.code, &info.reason, info.was_clean);
        match decide.call1(&JsValue::UNDEFINED, &details) {
            Ok(answer) => answer.as_bool() != Some(false),
            Err(error) => {
                report::callback_threw("reconnect.shouldReconnect", &error);
                should_reconnect_by_default(info.code)
            }
        }
    }

    // Carrying out outputs.

    fn resolve_url(&self, conn: ConnId) {
        let Some(provider) = &self.env.url_provider else { return };
        let url = match provider.call0(&JsValue::UNDEFINED) {
            Err(error) => Err(error_text(&error)),
            Ok(value) if value.is_string() => Ok(value.as_string().unwrap_or_default()),
            Ok(value) if field(&value, "then").is_function() => return self.await_url(conn, value),
            Ok(value) => Err(["returned ", &describe(&value), " instead of a URL string"].concat()),
        };
        self.input(|core, now| core.handle_url(now, conn, url));
    }

    /// Waits for a URL promise. The task holds only a weak reference: a promise that never
    /// settles keeps nothing else alive, and the connect timeout has already moved on.
    fn await_url(&self, conn: ConnId, thenable: JsValue) {
        let driver = self.this.clone();
        let promise = js_sys::Promise::resolve(&thenable);
        wasm_bindgen_futures::spawn_local(async move {
            let url = match JsFuture::from(promise).await {
                Ok(value) => value.as_string().ok_or_else(|| ["resolved to ", &describe(&value), " instead of a URL string"].concat()),
                Err(error) => Err(error_text(&error)),
            };
            if let Some(driver) = driver.upgrade() {
                driver.input(|core, now| core.handle_url(now, conn, url));
            }
        });
    }

    fn open_socket(&self, conn: ConnId, url: &str) {
        let socket = match self.env.transport.connect(url, &self.env.protocols) {
            Ok(socket) if socket.is_object() => socket,
            Ok(other) => {
                let message = ["transport.connect returned ", &describe(&other), " instead of a socket"].concat();
                return self.input(|core, now| core.handle_error(now, conn, &message));
            }
            Err(error) => return self.input(|core, now| core.handle_error(now, conn, &error_text(&error))),
        };
        match Link::attach(conn, socket, &self.this) {
            Ok(link) => {
                let previous = self.link.borrow_mut().replace(link);
                drop(previous);
            }
            Err(error) => self.input(|core, now| core.handle_error(now, conn, &error_text(&error))),
        }
    }

    fn socket_of(&self, conn: ConnId) -> Option<Rc<SocketLike>> {
        self.link.borrow().as_ref().filter(|link| link.conn == conn).map(Link::socket)
    }

    fn send_on(&self, conn: ConnId, data: JsPayload) {
        let sent = match self.socket_of(conn) {
            Some(socket) => socket.send(&data.0),
            None => Err(JsValue::from_str("the socket is gone")),
        };
        if let Err(error) = sent {
            self.input(|core, now| core.handle_send_failed(now, &error_text(&error), data));
        }
    }

    /// Sends a heartbeat message. A failure is not reported: the pong deadline will tell.
    fn send_control(&self, conn: ConnId, message: Option<&Outgoing>, maker: &str) {
        let Some(message) = message.and_then(|message| message.make(maker)) else { return };
        if let Some(socket) = self.socket_of(conn) {
            let _ = socket.send(&message);
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
                *timer = Some(ArmedTimer { at, _timeout: timeout });
            }
        }
    }

    fn on_timer(&self) {
        let fired = self.timer.borrow_mut().take();
        drop(fired);
        self.input(|core, now| core.handle_timeout(now));
    }

    /// Subscribes to network and visibility signals: the transport's `watchLifecycle` if it
    /// has one (mini-programs), else the page's (browsers; nothing in Node).
    fn watch_lifecycle(&self) {
        let signal = |signal: Lifecycle| {
            let driver = self.this.clone();
            Closure::<dyn Fn()>::new(move || {
                if let Some(driver) = driver.upgrade() {
                    driver.input(|core, now| core.handle_lifecycle(now, signal));
                }
            })
        };
        let named = [
            ("online", signal(Lifecycle::Online)),
            ("offline", signal(Lifecycle::Offline)),
            ("foreground", signal(Lifecycle::Foreground)),
            ("background", signal(Lifecycle::Background)),
        ];
        let signals = Object::new();
        for (name, callback) in &named {
            let _ = Reflect::set(&signals, &JsValue::from_str(name), callback.as_ref());
        }
        let watcher = self.env.transport.watch_lifecycle().unwrap_or(JsValue::UNDEFINED);
        let stop = match watcher.dyn_ref::<Function>() {
            Some(watch) => watch.call1(&self.env.transport, &signals),
            None => watch_browser_lifecycle(&signals),
        };
        let stop = stop.unwrap_or_else(|error| {
            report::callback_threw("transport.watchLifecycle", &error);
            JsValue::UNDEFINED
        });
        let signals = named.into_iter().map(|(_, callback)| callback).collect();
        *self.lifecycle.borrow_mut() = Some(LifecycleWatch { stop, _signals: signals });
    }

    fn stop_lifecycle(&self) {
        let watch = self.lifecycle.borrow_mut().take();
        if let Some(stop) = watch.as_ref().and_then(|watch| watch.stop.dyn_ref::<Function>()) {
            if let Err(error) = stop.call0(&JsValue::UNDEFINED) {
                report::callback_threw("the lifecycle stop function", &error);
            }
        }
    }
}

impl Drop for Driver {
    /// A socket freed without `close()` still lets go of everything it holds.
    fn drop(&mut self) {
        self.stop_lifecycle();
        if let Some(link) = self.link.get_mut().take() {
            link.release(Some(&CloseFrame::normal()));
        }
    }
}

impl Matcher {
    /// Whether `data` is the message this matcher recognises. A throwing predicate is
    /// reported and counts as "no".
    fn matches(&self, data: &JsValue, predicate: &str) -> bool {
        match self {
            Matcher::Equal(expected) => data == expected,
            Matcher::Predicate(accepts) => match accepts.call1(&JsValue::UNDEFINED, data) {
                Ok(answer) => answer.is_truthy(),
                Err(error) => {
                    report::callback_threw(predicate, &error);
                    false
                }
            },
        }
    }
}

impl Outgoing {
    /// The message to send now, or `None` (reported) if its maker failed.
    fn make(&self, maker: &str) -> Option<JsValue> {
        match self {
            Outgoing::Fixed(message) => Some(message.clone()),
            Outgoing::Made(make) => match make.call0(&JsValue::UNDEFINED) {
                Ok(message) if message.is_string() || message.is_instance_of::<js_sys::ArrayBuffer>() => Some(message),
                Ok(other) => {
                    report::misbehaved(&[maker, " returned ", &describe(&other), " instead of a string or an ArrayBuffer"].concat());
                    None
                }
                Err(error) => {
                    report::callback_threw(maker, &error);
                    None
                }
            },
        }
    }
}

/// `object[name]`, or `undefined` if `object` is not an object or the getter throws.
fn field(object: &JsValue, name: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}
