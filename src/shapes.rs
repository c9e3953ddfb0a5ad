//! Plain objects handed to users (`js/shapes.js`): `stats()` and `HeartbeatSocket.presets`.

use wasm_bindgen::prelude::*;

use crate::core::{Config, Stats, UrlSource};

#[wasm_bindgen(module = "/js/shapes.js")]
extern "C" {
    #[wasm_bindgen(js_name = stats)]
    #[allow(clippy::too_many_arguments)]
    fn stats_object(
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
    ) -> JsValue;

    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = presets)]
    fn presets_object(
        interval: f64,
        timeout: f64,
        any_message: bool,
        delay: f64,
        max_delay: f64,
        factor: f64,
        jitter: f64,
        max_retries: f64,
        min_uptime: f64,
    ) -> JsValue;
}

/// What `stats()` returns; counters are numbers (no `i64` crosses into JavaScript) and
/// `lastRtt` is `null` before the first pong.
pub(crate) fn stats(stats: &Stats) -> JsValue {
    stats_object(
        stats.opens as f64,
        stats.closes as f64,
        stats.reconnects as f64,
        stats.pings_sent as f64,
        stats.pongs_received as f64,
        stats.last_rtt_ms.map(|rtt| rtt as f64),
        stats.messages_in as f64,
        stats.messages_out as f64,
        stats.dropped as f64,
        stats.queued as f64,
    )
}

/// A fresh `{ article }` object (fresh, so a caller's edits stay its own): the options
/// form of [`Config::article`], to be spread before a `url`.
pub(crate) fn presets() -> JsValue {
    let article = Config::article(UrlSource::Provider);
    let (Some(heartbeat), Some(reconnect)) = (article.heartbeat, article.reconnect) else {
        return JsValue::NULL;
    };
    presets_object(
        heartbeat.interval_ms as f64,
        heartbeat.timeout_ms as f64,
        heartbeat.any_message,
        reconnect.delay_ms as f64,
        reconnect.max_delay_ms as f64,
        reconnect.factor,
        reconnect.jitter,
        reconnect.max_retries.map_or(f64::INFINITY, f64::from),
        reconnect.min_uptime_ms as f64,
    )
}
