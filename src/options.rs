//! User options (a JavaScript object) turned into the core's [`Config`] plus the
//! JavaScript pieces the binding keeps: transport, callbacks, heartbeat messages.
//!
//! `js/options.js` checks types and ranges first and throws a `TypeError` naming the
//! field path, what was expected and what was given; validation there costs a fraction of
//! the wasm it takes here. This side then reads the checked object, applying the core's
//! defaults, and checks the URL itself: URLs are validated and redacted by the core.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::{is_websocket_url, redact_url, Config, Overflow, UrlSource};
use crate::host::{browser_transport, Transport};

#[wasm_bindgen(module = "/js/options.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = checkOptions)]
    fn check_options(options: &JsValue) -> Result<(), JsValue>;
}

#[wasm_bindgen(module = "/js/describe.js")]
extern "C" {
    /// A short description of a value for error messages.
    pub(crate) fn describe(value: &JsValue) -> String;
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
    /// `undefined`, a string or an array of strings, passed to the transport.
    pub(crate) protocols: JsValue,
    pub(crate) transport: Transport,
    pub(crate) heartbeat: Option<HeartbeatMessages>,
    pub(crate) should_reconnect: Option<Function>,
    /// Whether to watch network and visibility changes.
    pub(crate) lifecycle: bool,
    /// The `debug` option as given (interpreted by the listeners) and whether it is on.
    pub(crate) debug: JsValue,
    pub(crate) debugging: bool,
}

/// The heartbeat's messages and matchers.
pub(crate) struct HeartbeatMessages {
    /// `None` when the server drives the heartbeat (`message: null`).
    pub(crate) ping: Option<Outgoing>,
    pub(crate) pong: Matcher,
    pub(crate) answer: Option<Answer>,
}

/// Answering server pings.
pub(crate) struct Answer {
    pub(crate) ping: Matcher,
    pub(crate) pong: Outgoing,
}

/// Recognises an inbound message: equal to a string, or accepted by a predicate.
pub(crate) enum Matcher {
    Equal(JsValue),
    Predicate(Function),
}

/// A message the library sends on its own: fixed, or made by a function each time.
pub(crate) enum Outgoing {
    Fixed(JsValue),
    Made(Function),
}

/// Reads `options` (the argument of `new HeartbeatSocket(options)`).
pub(crate) fn parse(options: &JsValue) -> Result<Options, JsValue> {
    check_options(options)?;
    let (url, url_provider) = url(&get(options, "url"))?;
    let mut config = Config::new(url);

    let heartbeat = get(options, "heartbeat");
    let messages = match config.heartbeat.as_mut() {
        Some(_) if heartbeat.as_bool() == Some(false) => None,
        Some(timing) => {
            read_millis(&heartbeat, "interval", &mut timing.interval_ms);
            read_millis(&heartbeat, "timeout", &mut timing.timeout_ms);
            timing.any_message = get(&heartbeat, "anyMessage").as_bool().unwrap_or(timing.any_message);
            let messages = heartbeat_messages(&heartbeat);
            timing.sends_ping = messages.ping.is_some();
            Some(messages)
        }
        None => None,
    };
    if messages.is_none() {
        config.heartbeat = None;
    }

    let reconnect = get(options, "reconnect");
    let should_reconnect = get(&reconnect, "shouldReconnect").dyn_into::<Function>().ok();
    match config.reconnect.as_mut() {
        Some(_) if reconnect.as_bool() == Some(false) => config.reconnect = None,
        Some(policy) => {
            read_millis(&reconnect, "delay", &mut policy.delay_ms);
            let max_delay_given = read_millis(&reconnect, "maxDelay", &mut policy.max_delay_ms);
            if policy.max_delay_ms < policy.delay_ms {
                if max_delay_given {
                    let message = [
                        "reconnect.maxDelay: expected a number of milliseconds of at least reconnect.delay (",
                        &decimal(policy.delay_ms),
                        "), got ",
                        &decimal(policy.max_delay_ms),
                    ];
                    return Err(js_sys::TypeError::new(&message.concat()).into());
                }
                // A long first delay with the default cap: the cap follows the delay.
                policy.max_delay_ms = policy.delay_ms;
            }
            policy.factor = get(&reconnect, "factor").as_f64().unwrap_or(policy.factor);
            policy.jitter = get(&reconnect, "jitter").as_f64().unwrap_or(policy.jitter);
            if let Some(retries) = get(&reconnect, "maxRetries").as_f64() {
                policy.max_retries = (retries <= f64::from(u32::MAX)).then_some(retries as u32);
            }
            read_millis(&reconnect, "minUptime", &mut policy.min_uptime_ms);
        }
        None => {}
    }

    let queue = get(options, "queue");
    match config.queue.as_mut() {
        Some(_) if queue.as_bool() == Some(false) => config.queue = None,
        Some(limits) => {
            let count = |key| get(&queue, key).as_f64().map(|n| n.min(usize::MAX as f64) as usize);
            limits.max_messages = count("max").unwrap_or(limits.max_messages);
            limits.max_bytes = count("maxBytes").unwrap_or(limits.max_bytes);
            limits.overflow = match get(&queue, "overflow").as_string().as_deref() {
                Some("drop-newest") => Overflow::DropNewest,
                Some("throw") => Overflow::Reject,
                Some(_) => Overflow::DropOldest,
                None => limits.overflow,
            };
        }
        None => {}
    }
    read_millis(options, "connectTimeout", &mut config.connect_timeout_ms);

    let transport = match get(options, "transport") {
        transport if transport.is_undefined() => browser_transport(&JsValue::UNDEFINED)?,
        transport => transport.unchecked_into(),
    };
    let protocols = match get(options, "protocols") {
        // A copy, so later changes to the caller's array do not affect reconnections.
        protocols if Array::is_array(&protocols) => Array::from(&protocols).into(),
        protocols => protocols,
    };
    let debug = get(options, "debug");
    let debugging = debug.as_bool() == Some(true) || debug.is_function();
    let env = Env {
        url_provider,
        protocols,
        transport,
        heartbeat: messages,
        should_reconnect,
        lifecycle: get(options, "lifecycle").as_bool() != Some(false),
        debug,
        debugging,
    };
    Ok(Options { config, env })
}

fn url(value: &JsValue) -> Result<(UrlSource, Option<Function>), JsValue> {
    if let Some(provider) = value.dyn_ref::<Function>() {
        return Ok((UrlSource::Provider, Some(provider.clone())));
    }
    let url = value.as_string().unwrap_or_default();
    if !is_websocket_url(&url) {
        let message = ["url: expected a ws: or wss: URL, got \"", &redact_url(&url), "\""].concat();
        return Err(js_sys::TypeError::new(&message).into());
    }
    Ok((UrlSource::Fixed(url), None))
}

fn heartbeat_messages(heartbeat: &JsValue) -> HeartbeatMessages {
    let ping = match get(heartbeat, "message") {
        message if message.is_undefined() => Some(Outgoing::Fixed(JsValue::from_str("ping"))),
        message if message.is_null() => None,
        message => Some(Outgoing::from(message)),
    };
    let pong = match get(heartbeat, "pong") {
        pong if pong.is_undefined() => Matcher::Equal(JsValue::from_str("pong")),
        pong => Matcher::from(pong),
    };
    let answer = get(heartbeat, "answer");
    let answer = answer.is_object().then(|| Answer {
        ping: Matcher::from(get(&answer, "ping")),
        pong: Outgoing::from(get(&answer, "pong")),
    });
    HeartbeatMessages { ping, pong, answer }
}

impl From<JsValue> for Matcher {
    fn from(value: JsValue) -> Matcher {
        match value.dyn_into::<Function>() {
            Ok(predicate) => Matcher::Predicate(predicate),
            Err(value) => Matcher::Equal(value),
        }
    }
}

impl From<JsValue> for Outgoing {
    fn from(value: JsValue) -> Outgoing {
        match value.dyn_into::<Function>() {
            Ok(make) => Outgoing::Made(make),
            Err(value) => Outgoing::Fixed(value),
        }
    }
}

/// `object[key]`, or `undefined` if `object` is not an object.
fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a duration in whole milliseconds (rounded up, so a positive value stays
/// positive; `Infinity` saturates) into `target`; returns whether it was given.
fn read_millis(object: &JsValue, key: &str, target: &mut u64) -> bool {
    let Some(millis) = get(object, key).as_f64() else { return false };
    *target = millis.ceil().min(u64::MAX as f64) as u64;
    true
}

/// `n` in decimal, without pulling in the formatting machinery.
pub(crate) fn decimal(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[start..].iter().map(|&d| char::from(d)).collect()
}
