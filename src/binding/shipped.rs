//! JavaScript modules that only other JavaScript modules import. wasm-bindgen copies into
//! its output (the `snippets/` folder next to the glue) only the modules that Rust imports
//! from, so each of these is named here by one of its exports: nothing in Rust calls them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/base64.js")]
extern "C" {
    #[allow(dead_code)]
    #[wasm_bindgen(js_name = encodeBase64)]
    fn encode_base64(buffer: &JsValue) -> String;
}

#[wasm_bindgen(module = "/js/miniprogram-lifecycle.js")]
extern "C" {
    #[allow(dead_code)]
    #[wasm_bindgen(js_name = watchMiniProgramLifecycle)]
    fn watch_mini_program_lifecycle(api: &JsValue, signals: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/js/defaults.js")]
extern "C" {
    #[allow(dead_code)]
    fn defaults() -> JsValue;
}
