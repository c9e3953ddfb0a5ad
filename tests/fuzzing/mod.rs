//! The core's fuzz harness, in one place for both of its users: the cargo-fuzz targets in
//! `fuzz/` (which include this module by path and run it under libFuzzer) and
//! `tests/core_fuzz_corpus.rs` (which replays the committed corpus on stable Rust).
//!
//! An input decodes into a configuration, a random source and a sequence of steps
//! ([`input`]); a simulated host carries the steps out against a `Machine`, following the
//! run loop of its docs, and checks the invariants of `tests/core_properties.rs` after
//! every step ([`host`]). A broken invariant panics, which libFuzzer reports as a crash.

mod host;
mod input;
mod ledger;
mod setup;
mod streak;

use arbitrary::{Arbitrary, Unstructured};

use host::Host;
use input::Step;
pub use setup::Profile;

/// Runs one fuzz input: `data` decodes into a configuration of `profile` and the steps
/// that follow (an input that ends early simply has fewer steps).
pub fn run(data: &[u8], profile: Profile) {
    let mut data = Unstructured::new(data);
    let Ok((config, random)) = profile.setup(&mut data) else {
        return;
    };
    let mut host = Host::new(config, random);
    while !data.is_empty() {
        let Ok(step) = Step::arbitrary(&mut data) else {
            return;
        };
        host.step(step);
    }
}
