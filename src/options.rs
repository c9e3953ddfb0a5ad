//! User options turned into the core's [`Config`] plus the JavaScript values the binding
//! keeps. `js/options.js` checks them first (a `TypeError` names any bad field path, what
//! was expected and what was given; that costs a fraction there of what it costs in wasm)
//! and hands over the numbers in the order of [`Slot`]. Numeric defaults are the core's;
//! the URL is checked here, by the core, which also redacts it.

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use crate::core::{is_websocket_url, redact_url, Config, Overflow, UrlSource};
use crate::errors::expected;
use crate::host::browser_transport;

#[wasm_bindgen(module = "/js/options.js")]
extern "C" {
    /// Checks the options and returns the values of [`Value`], in its order.
    #[wasm_bindgen(catch, js_name = readOptions)]
    fn read_options(options: &JsValue) -> Result<Array, JsValue>;
}

/// What `readOptions` returns, by position: first the numbers of [`Slot`], then these.
#[derive(Clone, Copy)]
enum Value {
    Url = Slot::Lifecycle as isize + 1,
    /// `undefined` for the default transport.
    Transport,
    /// What each socket is opened with: protocols, message classifier, `shouldReconnect`.
    SocketSettings,
    Ping,
    Answer,
    Debug,
}

/// The numbers `readOptions` returns first, in this order; NaN means "not given".
#[derive(Clone, Copy)]
enum Slot {
    HeartbeatOn,
    Interval,
    Timeout,
    SendsPing,
    AnyMessage,
    ReconnectOn,
    Delay,
    MaxDelay,
    Factor,
    Jitter,
    MaxRetries,
    MinUptime,
    ConnectTimeout,
    QueueOn,
    QueueMax,
    QueueMaxBytes,
    QueueOverflow,
    Lifecycle,
}

/// Parsed options.
pub(crate) struct Options {
    /// What the state machine needs.
    pub(crate) config: Config,
    /// What stays on the JavaScript side.
    pub(crate) env: Env,
}

/// The JavaScript side of the configuration.
pub(crate) struct Env {
    /// The URL provider, when `url` is a function.
    pub(crate) url_provider: Option<Function>,
    pub(crate) transport: JsValue,
    /// What each socket is opened with (see `js/connection.js`).
    pub(crate) socket_settings: JsValue,
    /// The heartbeat message (`null` without client pings).
    pub(crate) ping: JsValue,
    /// The answer to server pings (`undefined` if none).
    pub(crate) answer: JsValue,
    pub(crate) lifecycle: bool,
    /// The `debug` option as given (the listeners interpret it), and whether it is on.
    pub(crate) debug: JsValue,
    pub(crate) debugging: bool,
}

/// Reads `options` (the argument of `new HeartbeatSocket(options)`).
pub(crate) fn parse(options: &JsValue) -> Result<Options, JsValue> {
    let read = read_options(options)?;
    let value = |position: Value| read.get(position as u32);
    let number = |slot: Slot| read.get(slot as u32).as_f64().filter(|n| !n.is_nan());
    let flag = |slot: Slot| number(slot).map(|n| n != 0.0);
    let millis = |slot: Slot, target: &mut u64| {
        if let Some(n) = number(slot) {
            *target = whole_millis(n);
        }
    };

    let url = value(Value::Url);
    let url_provider = url.dyn_ref::<Function>().cloned();
    let mut config = Config::new(match url.as_string() {
        Some(url) if is_websocket_url(&url) => UrlSource::Fixed(url),
        Some(url) => {
            return Err(expected(
                "url",
                "a ws: or wss: URL",
                &JsValue::from_str(&redact_url(&url)),
            ))
        }
        None => UrlSource::Provider,
    });

    if flag(Slot::HeartbeatOn) != Some(true) {
        config.heartbeat = None;
    }
    if let Some(heartbeat) = config.heartbeat.as_mut() {
        millis(Slot::Interval, &mut heartbeat.interval_ms);
        millis(Slot::Timeout, &mut heartbeat.timeout_ms);
        heartbeat.sends_ping = flag(Slot::SendsPing).unwrap_or(true);
        heartbeat.any_message = flag(Slot::AnyMessage).unwrap_or(heartbeat.any_message);
    }

    if flag(Slot::ReconnectOn) != Some(true) {
        config.reconnect = None;
    }
    if let Some(policy) = config.reconnect.as_mut() {
        millis(Slot::Delay, &mut policy.delay_ms);
        millis(Slot::MaxDelay, &mut policy.max_delay_ms);
        if policy.max_delay_ms < policy.delay_ms {
            if let Some(max_delay) = number(Slot::MaxDelay) {
                let what =
                    "a number of milliseconds of at least reconnect.delay (1000 unless given)";
                return Err(expected(
                    "reconnect.maxDelay",
                    what,
                    &JsValue::from_f64(max_delay),
                ));
            }
            // A long first delay with the default cap: the cap follows the delay.
            policy.max_delay_ms = policy.delay_ms;
        }
        policy.factor = number(Slot::Factor).unwrap_or(policy.factor);
        policy.jitter = number(Slot::Jitter).unwrap_or(policy.jitter);
        if let Some(retries) = number(Slot::MaxRetries) {
            policy.max_retries = (retries <= f64::from(u32::MAX)).then_some(retries as u32);
        }
        millis(Slot::MinUptime, &mut policy.min_uptime_ms);
    }

    if flag(Slot::QueueOn) != Some(true) {
        config.queue = None;
    }
    if let Some(limits) = config.queue.as_mut() {
        let count = |slot: Slot| number(slot).map(|n| n.min(usize::MAX as f64) as usize);
        limits.max_messages = count(Slot::QueueMax).unwrap_or(limits.max_messages);
        limits.max_bytes = count(Slot::QueueMaxBytes).unwrap_or(limits.max_bytes);
        limits.overflow = match number(Slot::QueueOverflow) {
            Some(1.0) => Overflow::DropNewest,
            Some(2.0) => Overflow::Reject,
            Some(_) => Overflow::DropOldest,
            None => limits.overflow,
        };
    }
    millis(Slot::ConnectTimeout, &mut config.connect_timeout_ms);

    let debug = value(Value::Debug);
    let transport = match value(Value::Transport) {
        transport if transport.is_undefined() => browser_transport(&JsValue::UNDEFINED)?,
        transport => transport,
    };
    let env = Env {
        url_provider,
        transport,
        socket_settings: value(Value::SocketSettings),
        ping: value(Value::Ping),
        answer: value(Value::Answer),
        lifecycle: flag(Slot::Lifecycle) != Some(false),
        debugging: debug.as_bool() == Some(true) || debug.is_function(),
        debug,
    };
    Ok(Options { config, env })
}

/// Milliseconds rounded up, so a positive value stays positive; Infinity saturates. Not
/// inlined: each float-to-integer conversion is a dozen instructions in MVP wasm.
#[inline(never)]
fn whole_millis(millis: f64) -> u64 {
    millis.ceil().min(u64::MAX as f64) as u64
}
