//! Errors for bad arguments (`js/describe.js`): every one a `TypeError` saying
//! `path: expected <what>, got <value>`, worded like the options' errors.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/describe.js")]
extern "C" {
    /// The `TypeError` for a bad argument: `path: expected <what>, got <value>`.
    pub(crate) fn expected(path: &str, what: &str, value: &JsValue) -> JsValue;
}
