//! An independent model of the retry counter and of the documented delay band, to check
//! every `reconnecting` and `giveup` event against.

use heartbeat_ws::core::{ReconnectConfig, RETRY_FLOOR_MS};

/// The retries since the counter last had to reset.
#[derive(Debug)]
pub(crate) struct Streak {
    /// The retry number of the last `reconnecting` event.
    last_retry: u32,
    /// Whether the counter must have reset since (a connection that stayed up for
    /// `minUptime`, or `reconnect()`).
    reset: bool,
    /// Whether the next retry's wait may have been skipped (back in the foreground): it is
    /// then announced with no delay.
    cut_short: bool,
}

impl Default for Streak {
    fn default() -> Self {
        Streak {
            last_retry: 0,
            reset: true,
            cut_short: false,
        }
    }
}

impl Streak {
    pub(crate) fn reset(&mut self) {
        self.reset = true;
    }

    /// The retries made in the current streak.
    fn retries(&self) -> u32 {
        if self.reset {
            0
        } else {
            self.last_retry
        }
    }

    /// A `reconnecting` event: retry `retry` after `delay_ms`.
    pub(crate) fn retry(
        &mut self,
        policy: &ReconnectConfig,
        retry: u32,
        delay_ms: u64,
    ) -> Result<(), String> {
        let expected = self.retries() + 1;
        if retry != expected {
            return Err(format!("retry {retry}, expected {expected}"));
        }
        let (low, high) = delay_band(policy, retry);
        // A retry whose wait was cut short is announced with no delay; one made after a
        // listener's input in the same drain waits as usual.
        let low = if std::mem::take(&mut self.cut_short) {
            0.0
        } else {
            low
        };
        if !(low..=high).contains(&(delay_ms as f64)) {
            return Err(format!(
                "retry {retry} waits {delay_ms} ms, outside [{low}, {high}]"
            ));
        }
        self.last_retry = retry;
        self.reset = false;
        Ok(())
    }

    /// Whether the wait of the retry about to be announced was skipped.
    pub(crate) fn cut_short(&mut self, skipped: bool) {
        self.cut_short = skipped;
    }

    /// A `giveup` event: exactly `maxRetries` retries were made.
    pub(crate) fn give_up(&self, policy: &ReconnectConfig) -> Result<(), String> {
        match policy.max_retries {
            Some(max) if max == self.retries() => Ok(()),
            max => Err(format!(
                "gave up after {} retries, maxRetries {max:?}",
                self.retries()
            )),
        }
    }
}

/// The documented range of the delay before retry `retry`: the base delay
/// `min(maxDelay, delay · factor^(retry-1))` scaled by `[1 - jitter, 1]`, and no less than
/// the floor from the second retry on. Computed with `powf` where the core multiplies step
/// by step, so the band is widened by a rounding tolerance.
fn delay_band(policy: &ReconnectConfig, retry: u32) -> (f64, f64) {
    let cap = policy.max_delay_ms as f64;
    let start = (policy.delay_ms as f64).min(cap);
    let base = if start == 0.0 {
        0.0
    } else {
        (start * policy.factor.powf(f64::from(retry - 1))).min(cap)
    };
    let tolerance = 1.0 + base * 1e-9;
    let floor = if retry >= 2 {
        RETRY_FLOOR_MS as f64
    } else {
        0.0
    };
    (
        ((1.0 - policy.jitter) * base - tolerance).max(floor),
        base.max(floor) + tolerance,
    )
}
