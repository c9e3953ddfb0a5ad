//! Time as the core sees it: milliseconds on a clock the host owns.

use std::ops::{Add, Sub};

/// A point in time, in whole milliseconds since an epoch chosen by the host.
///
/// The core never reads a clock; every input carries the host's `now`. Browsers and
/// mini-programs pass `Date.now()`, tests pass a virtual clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

impl Instant {
    /// The instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Instant(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Milliseconds from `earlier` to `self`, zero if `earlier` is later.
    pub fn millis_since(self, earlier: Instant) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<u64> for Instant {
    type Output = Instant;

    /// Saturates: an "infinite" timeout must not wrap around into the past.
    fn add(self, ms: u64) -> Instant {
        Instant(self.0.saturating_add(ms))
    }
}

impl Sub<u64> for Instant {
    type Output = Instant;

    fn sub(self, ms: u64) -> Instant {
        Instant(self.0.saturating_sub(ms))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        assert_eq!(
            Instant::from_millis(u64::MAX) + 5,
            Instant::from_millis(u64::MAX)
        );
        assert_eq!(Instant::from_millis(3) - 5, Instant::from_millis(0));
        assert_eq!(
            Instant::from_millis(3).millis_since(Instant::from_millis(10)),
            0
        );
        assert_eq!(
            Instant::from_millis(10).millis_since(Instant::from_millis(3)),
            7
        );
    }
}
