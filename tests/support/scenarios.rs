//! The wasm binding, end to end through its JavaScript API, against a scriptable mock
//! transport (`scenarios.js` beside this file). Included by `tests/wasm_node.rs` and
//! `tests/wasm_browser.rs`, so the same scenarios run in Node and in headless Chromium.

use heartbeat_ws::core::{Config, Overflow, UrlSource};
use heartbeat_ws::heartbeat_socket_class;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, WebAssembly};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

mod js {
    use super::*;

    #[wasm_bindgen(module = "/tests/support/scenarios.js")]
    extern "C" {
        #[wasm_bindgen(js_name = opensAndDeliversMessages)]
        pub fn opens_and_delivers_messages(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = queuesWhileDownAndFlushesBeforeOpen)]
        pub fn queues_while_down_and_flushes_before_open(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = sendsExactBinary)]
        pub fn sends_exact_binary(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = queuedViewsAreCopiedAtSend)]
        pub fn queued_views_are_copied_at_send(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = sendErrorsAreClear)]
        pub fn send_errors_are_clear(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = queueOverflowReportsDrops)]
        pub fn queue_overflow_reports_drops(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = closeDropsQueuedMessagesAndReportsThem)]
        pub fn close_drops_queued_messages_and_reports_them(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = heartbeatPongsAreSwallowed)]
        pub fn heartbeat_pongs_are_swallowed(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = deadConnectionIsTornDownAtOnce)]
        pub fn dead_connection_is_torn_down_at_once(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = listenersMayReenter)]
        pub fn listeners_may_reenter(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = reconnectFromAnOpenListener)]
        pub fn reconnect_from_an_open_listener(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = throwingListenersBreakNothing)]
        pub fn throwing_listeners_break_nothing(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = eventListenerApi)]
        pub fn event_listener_api(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = closeIsFinalAndLeavesNothing)]
        pub fn close_is_final_and_leaves_nothing(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = closeArgumentsAreChecked)]
        pub fn close_arguments_are_checked(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = urlProviderIsAskedEveryAttempt)]
        pub fn url_provider_is_asked_every_attempt(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = urlProviderFailuresAreRetriedAndRedacted)]
        pub fn url_provider_failures_are_retried_and_redacted(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = connectTimeoutCoversAProviderThatNeverSettles)]
        pub fn connect_timeout_covers_a_provider_that_never_settles(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = shouldReconnectDecides)]
        pub fn should_reconnect_decides(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = lifecycleSignalsFromTheTransport)]
        pub fn lifecycle_signals_from_the_transport(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = statsAndPresets)]
        pub fn stats_and_presets(env: &JsValue, presets: &JsValue, article: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = optionErrorsNameTheField)]
        pub fn option_errors_name_the_field(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = everyAllowedOptionIsAccepted)]
        pub fn every_allowed_option_is_accepted(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = noLeakOverTenThousandCycles)]
        pub fn no_leak_over_ten_thousand_cycles(env: &JsValue) -> Promise;
        #[wasm_bindgen(js_name = everyEventTypeIsEmitted)]
        pub fn every_event_type_is_emitted(env: &JsValue, event_types: &JsValue) -> Promise;
    }

    #[wasm_bindgen(module = "/js/listeners.js")]
    extern "C" {
        /// Every event type, as the library lists them.
        #[wasm_bindgen(thread_local_v2, js_name = EVENT_TYPES)]
        pub static EVENT_TYPES: JsValue;
    }
}

type CreateSocket = dyn Fn(JsValue) -> Result<JsValue, JsValue>;
type Measure = dyn Fn() -> f64;

/// What scenarios get: `create(options)`, `memoryBytes()`, `liveHeapObjects()`. The
/// closures must outlive the scenario, so they are returned with it.
struct Env {
    object: JsValue,
    _closures: (Closure<CreateSocket>, Closure<Measure>, Closure<Measure>),
}

fn env() -> Env {
    heartbeat_ws::start();
    let create = Closure::<CreateSocket>::new(|options| {
        let class: Function = heartbeat_socket_class().unchecked_into();
        Reflect::construct(&class, &Array::of1(&options))
    });
    let memory_bytes = Closure::<Measure>::new(|| {
        let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        f64::from(
            memory
                .buffer()
                .unchecked_into::<ArrayBuffer>()
                .byte_length(),
        )
    });
    let live_heap_objects =
        Closure::<Measure>::new(|| f64::from(wasm_bindgen::externref_heap_live_count()));
    let object = Object::new();
    for (name, function) in [
        ("create", create.as_ref()),
        ("memoryBytes", memory_bytes.as_ref()),
        ("liveHeapObjects", live_heap_objects.as_ref()),
    ] {
        Reflect::set(&object, &JsValue::from_str(name), function)
            .expect("a plain object takes properties");
    }
    Env {
        object: object.into(),
        _closures: (create, memory_bytes, live_heap_objects),
    }
}

async fn run(scenario: fn(&JsValue) -> Promise) {
    let env = env();
    if let Err(error) = JsFuture::from(scenario(&env.object)).await {
        let message = Reflect::get(&error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string());
        panic!("{}", message.unwrap_or_else(|| format!("{error:?}")));
    }
}

macro_rules! scenario_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test]
            async fn $name() {
                run(js::$name).await;
            }
        )*
    };
}

scenario_tests!(
    opens_and_delivers_messages,
    queues_while_down_and_flushes_before_open,
    sends_exact_binary,
    queued_views_are_copied_at_send,
    send_errors_are_clear,
    queue_overflow_reports_drops,
    close_drops_queued_messages_and_reports_them,
    heartbeat_pongs_are_swallowed,
    dead_connection_is_torn_down_at_once,
    listeners_may_reenter,
    reconnect_from_an_open_listener,
    throwing_listeners_break_nothing,
    event_listener_api,
    close_is_final_and_leaves_nothing,
    close_arguments_are_checked,
    url_provider_is_asked_every_attempt,
    url_provider_failures_are_retried_and_redacted,
    connect_timeout_covers_a_provider_that_never_settles,
    should_reconnect_decides,
    lifecycle_signals_from_the_transport,
    option_errors_name_the_field,
    every_allowed_option_is_accepted,
    no_leak_over_ten_thousand_cycles,
);

/// `HeartbeatSocket.presets.article` is the source article's mechanism (literals here), and
/// `stats()` has its documented shape.
#[wasm_bindgen_test]
async fn stats_and_presets() {
    let article = js_sys::JSON::parse(
        r#"{"heartbeat":{"interval":10000,"timeout":10000,"message":"ping","pong":"pong","anyMessage":false},
            "reconnect":{"delay":5000,"maxDelay":5000,"factor":1,"jitter":0,"maxRetries":12,"minUptime":5000}}"#,
    )
    .unwrap();
    let presets = Reflect::get(&heartbeat_socket_class(), &JsValue::from_str("presets")).unwrap();
    let env = env();
    let result = JsFuture::from(js::stats_and_presets(&env.object, &presets, &article)).await;
    if let Err(error) = result {
        panic!(
            "{:?}",
            Reflect::get(&error, &JsValue::from_str("message")).ok()
        );
    }
}

/// `js/defaults.js` shows users the numbers the core applies (its home is
/// `src/core/config.rs`): `HeartbeatSocket.defaults` and `.presets.article` must be the
/// core's `Config::new` and `Config::article`, field by field.
#[wasm_bindgen_test]
fn shown_defaults_and_presets_are_the_cores() {
    fn field(object: &JsValue, path: &str) -> JsValue {
        path.split('.').fold(object.clone(), |value, key| {
            Reflect::get(&value, &JsValue::from_str(key)).unwrap()
        })
    }
    fn check(shown: &JsValue, config: &Config, what: &str) {
        let heartbeat = config.heartbeat.as_ref().unwrap();
        let reconnect = config.reconnect.as_ref().unwrap();
        let numbers = [
            ("heartbeat.interval", heartbeat.interval_ms as f64),
            ("heartbeat.timeout", heartbeat.timeout_ms as f64),
            ("reconnect.delay", reconnect.delay_ms as f64),
            ("reconnect.maxDelay", reconnect.max_delay_ms as f64),
            ("reconnect.factor", reconnect.factor),
            ("reconnect.jitter", reconnect.jitter),
            (
                "reconnect.maxRetries",
                reconnect.max_retries.map_or(f64::INFINITY, f64::from),
            ),
            ("reconnect.minUptime", reconnect.min_uptime_ms as f64),
        ];
        for (path, expected) in numbers {
            assert_eq!(field(shown, path).as_f64(), Some(expected), "{what}.{path}");
        }
        assert_eq!(
            field(shown, "heartbeat.anyMessage").as_bool(),
            Some(heartbeat.any_message),
            "{what}.heartbeat.anyMessage"
        );
    }
    heartbeat_ws::start();
    let class = heartbeat_socket_class();
    let defaults = Reflect::get(&class, &JsValue::from_str("defaults")).unwrap();
    let core = Config::new(UrlSource::Provider);
    check(&defaults, &core, "defaults");
    assert_eq!(
        field(&defaults, "connectTimeout").as_f64(),
        Some(core.connect_timeout_ms as f64)
    );
    let queue = core.queue.as_ref().unwrap();
    assert_eq!(
        field(&defaults, "queue.max").as_f64(),
        Some(queue.max_messages as f64)
    );
    assert_eq!(
        field(&defaults, "queue.maxBytes").as_f64(),
        Some(queue.max_bytes as f64)
    );
    assert_eq!(
        field(&defaults, "queue.overflow").as_string().as_deref(),
        Some("drop-oldest"),
        "the core's default policy is DropOldest: {:?}",
        queue.overflow
    );
    assert!(matches!(queue.overflow, Overflow::DropOldest));
    let presets = Reflect::get(&class, &JsValue::from_str("presets")).unwrap();
    check(
        &field(&presets, "article"),
        &Config::article(UrlSource::Provider),
        "presets.article",
    );
}

/// The event types the wasm side emits (`src/binding/objects.rs`) and the data plane's
/// `message` are exactly `EVENT_TYPES` (`js/listeners.js`), to which index.d.ts and the
/// README are held (`tests/js/drift.test.mjs`).
#[wasm_bindgen_test]
async fn every_event_type_is_emitted() {
    let env = env();
    let event_types = js::EVENT_TYPES.with(JsValue::clone);
    let result = JsFuture::from(js::every_event_type_is_emitted(&env.object, &event_types)).await;
    if let Err(error) = result {
        panic!(
            "{:?}",
            Reflect::get(&error, &JsValue::from_str("message")).ok()
        );
    }
}
