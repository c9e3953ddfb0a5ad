//! What the binding takes from its JavaScript host besides sockets: the clock, randomness,
//! the default transport and lifecycle signals.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::core::{Instant, RandomSource};

#[wasm_bindgen(module = "/js/browser.js")]
extern "C" {
    /// `browserTransport(WebSocketCtor)` of the package.
    #[wasm_bindgen(catch, js_name = browserTransport)]
    pub(crate) fn browser_transport(ctor: &JsValue) -> Result<JsValue, JsValue>;

    /// Starts watching network and visibility changes with the `connection`'s transport,
    /// reporting to `signals`; returns the function that stops it.
    #[wasm_bindgen(js_name = watchLifecycle)]
    pub(crate) fn watch_lifecycle(connection: &JsValue, signals: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/js/url.js")]
extern "C" {
    /// Calls the `connection`'s URL provider and posts the URL (or why there is none) for
    /// `attempt`.
    #[wasm_bindgen(js_name = resolveUrl)]
    pub(crate) fn resolve_url(connection: &JsValue, attempt: u32, post: &Function);
}

/// The host clock: `Date.now()`, which keeps counting while a device sleeps (so late
/// timers are noticed) and is in milliseconds everywhere, unlike `performance.now()` in
/// some mini-program runtimes.
pub(crate) fn now() -> Instant {
    Instant::from_millis(js_sys::Date::now().max(0.0) as u64)
}

/// Jitter from `Math.random()`.
pub(crate) struct MathRandom;

impl RandomSource for MathRandom {
    fn next_unit(&mut self) -> f64 {
        js_sys::Math::random()
    }
}
