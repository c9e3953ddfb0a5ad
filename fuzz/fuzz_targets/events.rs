//! Any sequence of inputs, with times that go backwards and jump to the end of time,
//! against everyday valid configurations (see `tests/fuzzing/`).
#![no_main]

#[path = "../../tests/fuzzing/mod.rs"]
#[allow(dead_code)] // Each target runs one of its profiles.
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::run(data, fuzzing::Profile::Everyday));
