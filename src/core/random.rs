//! The randomness the core consumes, supplied from outside.

/// A source of uniformly distributed numbers in `[0, 1]`, used for retry jitter.
///
/// The wasm binding draws from `Math.random()`; tests use [`SplitMix64`] with a fixed seed
/// or a constant, so every schedule is reproducible.
pub trait RandomSource {
    /// The next number, in `[0, 1]`.
    fn next_unit(&mut self) -> f64;
}

/// A tiny seeded generator (Steele, Lea and Flood's SplitMix64), good enough for jitter.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator that yields the same sequence for the same seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl RandomSource for SplitMix64 {
    fn next_unit(&mut self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Always the same number: lets tests pin jitter to either end of its range.
#[derive(Debug, Clone, Copy)]
pub struct Fixed(pub f64);

impl RandomSource for Fixed {
    fn next_unit(&mut self) -> f64 {
        self.0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn split_mix_is_reproducible_and_in_range() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        for _ in 0..1000 {
            let x = a.next_unit();
            assert_eq!(x, b.next_unit());
            assert!((0.0..=1.0).contains(&x));
        }
        assert_ne!(
            SplitMix64::new(1).next_unit(),
            SplitMix64::new(2).next_unit()
        );
    }
}
