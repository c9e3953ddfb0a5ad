//! Replays every committed fuzz input (`fuzz/corpus/<target>/`) through the fuzz harness
//! and its invariants, so `cargo test` keeps what the fuzzers found without nightly Rust or
//! libFuzzer. `make fuzz` runs the fuzzers themselves.
#![cfg(not(target_arch = "wasm32"))]

mod fuzzing;

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use fuzzing::Profile;

fn replay(target: &str, profile: Profile) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = fs::read_dir(&corpus)
        .unwrap_or_else(|error| panic!("{}: {error}", corpus.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{} is empty", corpus.display());
    for input in inputs {
        let data = fs::read(&input).expect("a corpus file");
        let run = panic::catch_unwind(AssertUnwindSafe(|| fuzzing::run(&data, profile)));
        assert!(run.is_ok(), "{} broke an invariant", input.display());
    }
}

#[test]
fn every_events_input_keeps_the_invariants() {
    replay("events", Profile::Everyday);
}

#[test]
fn every_extremes_input_keeps_the_invariants() {
    replay("extremes", Profile::Extreme);
}
