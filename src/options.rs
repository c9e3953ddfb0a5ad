//! User options turned into the core's [`Config`] plus the JavaScript values the binding
//! keeps. `js/options.js` checks them (a `TypeError` names any bad field path, what was
//! expected and what was given; that costs a fraction there of what it costs in wasm) and
//! hands over the numbers in the order of [`Slot`]; numeric defaults are the core's.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::core::{Config, Overflow, UrlSource};

#[wasm_bindgen(module = "/js/options.js")]
extern "C" {
    /// Checks the options and returns the values of [`Value`], in its order.
    #[wasm_bindgen(catch, js_name = readOptions)]
    fn read_options(options: &JsValue) -> Result<Array, JsValue>;
}

/// What `readOptions` returns, by position: first the numbers of [`Slot`], then these.
#[derive(Clone, Copy)]
enum Value {
    /// The URL when it is a string (already checked); `undefined` with a URL provider.
    Url = Slot::Lifecycle as isize + 1,
    /// Everything sockets need (see `connection` in `js/connection.js`).
    Connection,
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
    /// Everything sockets need: transport, protocols, message classifier,
    /// `shouldReconnect`, heartbeat messages, URL provider (see `js/connection.js`).
    pub(crate) connection: JsValue,
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

    let mut config = Config::new(match value(Value::Url).as_string() {
        Some(url) => UrlSource::Fixed(url),
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
                return Err(crate::errors::expected(
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
    let env = Env {
        connection: value(Value::Connection),
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
