//! Retry delays: capped exponential backoff scaled by jitter, with a floor.

use super::config::ReconnectConfig;

/// From the second retry of a streak on, no retry waits less than this, whatever `delay`,
/// `maxDelay` and jitter say: `delay: 0` retries once at once, but a server that fails
/// every attempt at once cannot drive the client into a tight loop.
pub const RETRY_FLOOR_MS: u64 = 100;

/// The delay before retry `retry` (1-based) without jitter:
/// `min(max_delay, delay · factor^(retry-1))`, rounded to whole milliseconds.
pub fn base_delay_ms(policy: &ReconnectConfig, retry: u32) -> u64 {
    let cap = policy.max_delay_ms as f64;
    let mut delay = (policy.delay_ms as f64).min(cap);
    // Multiplying step by step stops at the cap and needs no `powf` (and no libm in wasm).
    for _ in 1..retry {
        if delay >= cap {
            break;
        }
        delay = (delay * policy.factor).min(cap);
    }
    delay.round() as u64
}

/// The delay before retry `retry`, with `unit` (in `[0, 1]`) choosing where it falls in
/// `[(1 - jitter) · base, base]`; at least [`RETRY_FLOOR_MS`] from the second retry on.
pub fn retry_delay_ms(policy: &ReconnectConfig, retry: u32, unit: f64) -> u64 {
    let base = base_delay_ms(policy, retry);
    let spread =
        (policy.jitter.clamp(0.0, 1.0) * unit.clamp(0.0, 1.0) * base as f64).floor() as u64;
    let delay = base - spread.min(base);
    if retry >= 2 {
        delay.max(RETRY_FLOOR_MS)
    } else {
        delay
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn policy(delay_ms: u64, max_delay_ms: u64, factor: f64, jitter: f64) -> ReconnectConfig {
        ReconnectConfig {
            delay_ms,
            max_delay_ms,
            factor,
            jitter,
            ..ReconnectConfig::default()
        }
    }

    #[test]
    fn grows_by_factor_until_the_cap() {
        let p = policy(1000, 30_000, 2.0, 0.0);
        let delays: Vec<u64> = (1..=7).map(|n| base_delay_ms(&p, n)).collect();
        assert_eq!(delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
        assert_eq!(base_delay_ms(&p, u32::MAX), 30_000);
    }

    #[test]
    fn fractional_factors_round_to_whole_milliseconds() {
        let p = policy(1000, 10_000, 1.3, 0.0);
        assert_eq!(base_delay_ms(&p, 2), 1300);
        assert_eq!(base_delay_ms(&p, 3), 1690);
    }

    #[test]
    fn a_delay_above_the_cap_is_capped_from_the_first_retry() {
        assert_eq!(base_delay_ms(&policy(50_000, 30_000, 2.0, 0.0), 1), 30_000);
    }

    #[test]
    fn jitter_scales_into_the_documented_range() {
        let full = policy(1000, 30_000, 2.0, 1.0);
        assert_eq!(retry_delay_ms(&full, 1, 0.0), 1000);
        assert_eq!(retry_delay_ms(&full, 1, 1.0), 0);
        assert_eq!(retry_delay_ms(&full, 2, 0.5), 1000);
        let half = policy(1000, 30_000, 2.0, 0.5);
        assert_eq!(retry_delay_ms(&half, 1, 1.0), 500);
        assert_eq!(retry_delay_ms(&half, 1, 0.0), 1000);
        let none = policy(5000, 5000, 1.0, 0.0);
        assert_eq!(retry_delay_ms(&none, 12, 0.77), 5000);
    }

    #[test]
    fn from_the_second_retry_on_delays_never_go_below_the_floor() {
        let zero = policy(0, 30_000, 2.0, 0.0);
        let delays: Vec<u64> = (1..=4).map(|n| retry_delay_ms(&zero, n, 0.0)).collect();
        assert_eq!(delays, [0, 100, 100, 100]);
        let small = policy(50, 30_000, 2.0, 0.0);
        let delays: Vec<u64> = (1..=4).map(|n| retry_delay_ms(&small, n, 0.0)).collect();
        assert_eq!(delays, [50, 100, 200, 400]);
        let fixed_zero = policy(0, 0, 1.0, 1.0);
        assert_eq!(retry_delay_ms(&fixed_zero, 1, 1.0), 0);
        assert_eq!(retry_delay_ms(&fixed_zero, 2, 1.0), RETRY_FLOOR_MS);
        assert_eq!(retry_delay_ms(&fixed_zero, 50, 0.3), RETRY_FLOOR_MS);
        let full = policy(1000, 30_000, 2.0, 1.0);
        assert_eq!(retry_delay_ms(&full, 3, 1.0), RETRY_FLOOR_MS);
    }
}
