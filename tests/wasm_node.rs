//! The binding's scenarios (`support/scenarios.rs`) in Node.
#![cfg(target_arch = "wasm32")]

#[path = "support/scenarios.rs"]
mod scenarios;
