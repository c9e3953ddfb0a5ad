//! The TypeScript types of what the module exports, for the `.d.ts` wasm-bindgen generates
//! (every `wasm-pack build` target ships it). The hand-written `js/api.d.cts` is the one
//! home of these types; `make build`'s entries re-export it (`js/index.d.ts`,
//! `js/node.d.cts`). wasm-bindgen's own types of the re-exported JavaScript say `unknown`,
//! so each export skips them (`skip_typescript`, in `host.rs`), and the start function is
//! no API.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const API: &str = include_str!("../../js/api.d.cts");
