//! The objects the binding hands to JavaScript, serialized with serde-wasm-bindgen: every
//! event the core emits and `stats()`.
//! Fields are `f64`, `u32`, `bool` and `&str`: `u64` would pull integer formatting into
//! the wasm.

use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::JsValue;

use super::driver::Message;
use crate::core::{Event, Stats};

/// An event as its listeners receive it: `{ type, ...fields }`. The type names are those
/// of `EVENT_TYPES` in `js/listeners.js` (pinned by a test).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum EventObject<'a> {
    Open {
        attempt: u32,
        reconnected: bool,
    },
    #[serde(rename_all = "camelCase")]
    Close {
        code: u16,
        reason: &'a str,
        was_clean: bool,
        will_reconnect: bool,
    },
    Error {
        message: &'a str,
    },
    Reconnecting {
        attempt: u32,
        delay: f64,
    },
    GiveUp {
        attempts: u32,
    },
    Heartbeat {
        rtt: f64,
    },
    Drop {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        data: JsValue,
        reason: &'a str,
    },
    StateChange {
        from: &'a str,
        to: &'a str,
    },
}

/// `null` for `None` (`lastRtt` before the first pong), not `undefined`.
fn serialize(value: &impl Serialize) -> JsValue {
    value
        .serialize(&Serializer::new().serialize_missing_as_null(true))
        .unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn event(event: Event<Message>) -> JsValue {
    match event {
        Event::Open {
            attempt,
            reconnected,
        } => serialize(&EventObject::Open {
            attempt,
            reconnected,
        }),
        Event::Close {
            info,
            will_reconnect,
        } => serialize(&EventObject::Close {
            code: info.code,
            reason: &info.reason,
            was_clean: info.was_clean,
            will_reconnect,
        }),
        Event::Error { message } => serialize(&EventObject::Error { message: &message }),
        Event::Reconnecting { attempt, delay_ms } => serialize(&EventObject::Reconnecting {
            attempt,
            delay: delay_ms as f64,
        }),
        Event::GiveUp { attempts } => serialize(&EventObject::GiveUp { attempts }),
        Event::Heartbeat { rtt_ms } => serialize(&EventObject::Heartbeat { rtt: rtt_ms as f64 }),
        Event::Drop { data, reason } => serialize(&EventObject::Drop {
            data: data.value,
            reason: reason.as_str(),
        }),
        Event::StateChange { from, to } => serialize(&EventObject::StateChange {
            from: from.as_str(),
            to: to.as_str(),
        }),
    }
}

/// What `stats()` returns, in the order the README lists the counters; the messages moved
/// by the data plane are counted in JavaScript.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatsObject {
    opens: f64,
    closes: f64,
    reconnects: f64,
    pings_sent: f64,
    pongs_received: f64,
    last_rtt: Option<f64>,
    messages_in: f64,
    messages_out: f64,
    dropped: f64,
    queued: f64,
    queued_bytes: f64,
}

pub(crate) fn stats(stats: &Stats, messages_in: f64, messages_out: f64) -> JsValue {
    serialize(&StatsObject {
        opens: stats.opens as f64,
        closes: stats.closes as f64,
        reconnects: stats.reconnects as f64,
        pings_sent: stats.pings_sent as f64,
        pongs_received: stats.pongs_received as f64,
        last_rtt: stats.last_rtt_ms.map(|rtt| rtt as f64),
        messages_in,
        messages_out,
        dropped: stats.dropped as f64,
        queued: stats.queued as f64,
        queued_bytes: stats.queued_bytes as f64,
    })
}
