//! The binding's scenarios (`support/scenarios.rs`) in headless Chromium, through
//! chromedriver (the Makefile's `test-wasm` sets `CHROMEDRIVER`; `webdriver.json` holds the
//! browser's flags).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/scenarios.rs"]
mod scenarios;
