//! User options to the core's [`Config`]. `js/options.js` has checked them (a `TypeError`
//! names any bad field) and copied them into a plain object of own data properties with
//! the public names, so reading it here runs no user code. What is not given takes the
//! core's default: the numbers have one home, `src/core/config.rs`.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::host::{bad_argument, Settings};
use crate::core::{Config, Overflow, UrlSource};

/// `settings[key]`, or `undefined`.
fn field(settings: &JsValue, key: &str) -> JsValue {
    Reflect::get(settings, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A section (`heartbeat`, `reconnect`, `queue`): `None` when turned off with `false`.
fn section(settings: &JsValue, key: &str) -> Option<JsValue> {
    let value = field(settings, key);
    (value.as_bool() != Some(false)).then_some(value)
}

/// Milliseconds rounded up, so a positive value stays positive; Infinity saturates.
fn millis(section: &JsValue, key: &str, target: &mut u64) {
    if let Some(ms) = field(section, key).as_f64() {
        *target = ms.ceil().min(u64::MAX as f64) as u64;
    }
}

/// Parses the checked options; errors only for a combination no single field shows.
pub(crate) fn parse(settings: &Settings) -> Result<Config, JsValue> {
    let mut config = Config::new(match field(settings, "url").as_string() {
        Some(url) => UrlSource::Fixed(url),
        None => UrlSource::Provider,
    });

    let heartbeat_options = section(settings, "heartbeat");
    config.heartbeat =
        config
            .heartbeat
            .take()
            .zip(heartbeat_options)
            .map(|(mut heartbeat, options)| {
                millis(&options, "interval", &mut heartbeat.interval_ms);
                millis(&options, "timeout", &mut heartbeat.timeout_ms);
                heartbeat.sends_ping = !field(&options, "message").is_null();
                if let Some(any_message) = field(&options, "anyMessage").as_bool() {
                    heartbeat.any_message = any_message;
                }
                heartbeat
            });

    if let (Some(policy), Some(options)) =
        (config.reconnect.as_mut(), section(settings, "reconnect"))
    {
        millis(&options, "delay", &mut policy.delay_ms);
        let max_delay = field(&options, "maxDelay");
        millis(&options, "maxDelay", &mut policy.max_delay_ms);
        if policy.max_delay_ms < policy.delay_ms {
            if max_delay.as_f64().is_some() {
                let what =
                    "a number of milliseconds of at least reconnect.delay (1000 unless given)";
                return Err(bad_argument("reconnect.maxDelay", what, &max_delay));
            }
            // A long first delay with the default cap: the cap follows the delay.
            policy.max_delay_ms = policy.delay_ms;
        }
        if let Some(factor) = field(&options, "factor").as_f64() {
            policy.factor = factor;
        }
        if let Some(jitter) = field(&options, "jitter").as_f64() {
            policy.jitter = jitter;
        }
        if let Some(retries) = field(&options, "maxRetries").as_f64() {
            policy.max_retries = (retries <= f64::from(u32::MAX)).then_some(retries as u32);
        }
        millis(&options, "minUptime", &mut policy.min_uptime_ms);
    } else {
        config.reconnect = None;
    }

    if let (Some(limits), Some(options)) = (config.queue.as_mut(), section(settings, "queue")) {
        let count = |key: &str| {
            field(&options, key)
                .as_f64()
                .map(|n| n.min(usize::MAX as f64) as usize)
        };
        limits.max_messages = count("max").unwrap_or(limits.max_messages);
        limits.max_bytes = count("maxBytes").unwrap_or(limits.max_bytes);
        let overflow = field(&options, "overflow");
        if let Some(name) = overflow.as_string() {
            // js/options.js accepts the same names; an unknown one means the two drifted.
            limits.overflow = match name.as_str() {
                "drop-oldest" => Overflow::DropOldest,
                "drop-newest" => Overflow::DropNewest,
                "throw" => Overflow::Reject,
                _ => {
                    return Err(bad_argument(
                        "queue.overflow",
                        "a policy this build knows",
                        &overflow,
                    ))
                }
            };
        }
    } else {
        config.queue = None;
    }

    millis(settings, "connectTimeout", &mut config.connect_timeout_ms);
    Ok(config)
}

/// Whether the `debug` option asks for debug lines.
pub(crate) fn debugging(settings: &Settings) -> bool {
    let debug = field(settings, "debug");
    debug.as_bool() == Some(true) || debug.is_function()
}
