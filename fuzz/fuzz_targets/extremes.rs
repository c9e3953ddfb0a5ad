//! The same inputs against configurations at the edges of their ranges: zero and
//! `u64::MAX` durations, huge factors, `usize::MAX` queues, random sources stuck at 0 or 1
//! (see `tests/fuzzing/`).
#![no_main]

#[path = "../../tests/fuzzing/mod.rs"]
#[allow(dead_code)] // Each target runs one of its profiles.
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::run(data, fuzzing::Profile::Extreme));
