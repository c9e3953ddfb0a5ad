//! How long the accept loop pauses after a failed accept, and when a failure
//! is worth a log line.
//!
//! Out of file descriptors, `accept` fails at once for as long as connections
//! wait in the listen queue: retrying immediately spins at full CPU and floods
//! the log. So every failure pauses accepting, for a delay that doubles with
//! each failure in a row, and failures are reported at most once a second
//! with a count of those in between.

use std::time::{Duration, Instant};

const FIRST_DELAY: Duration = Duration::from_millis(5);
const MAX_DELAY: Duration = Duration::from_secs(1);
const REPORT_INTERVAL: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct AcceptBackoff {
    /// The pause after the latest failure; zero after a success.
    delay: Duration,
    last_report: Option<Instant>,
    /// Failures since the last report. Kept across successes: near the
    /// descriptor limit, accepts can alternate between success and failure,
    /// and each of those failures must not earn a line of its own.
    unreported: u64,
}

/// What to do after one failed accept.
#[derive(Debug, PartialEq, Eq)]
pub struct Pause {
    pub delay: Duration,
    /// `Some(n)` if this failure should be logged, `n` counting it and the
    /// failures left unlogged since the previous report.
    pub report: Option<u64>,
}

impl AcceptBackoff {
    pub fn failed(&mut self, now: Instant) -> Pause {
        self.delay = if self.delay.is_zero() {
            FIRST_DELAY
        } else {
            (self.delay * 2).min(MAX_DELAY)
        };
        self.unreported += 1;
        let report_due = self
            .last_report
            .is_none_or(|last| now.saturating_duration_since(last) >= REPORT_INTERVAL);
        let report = report_due.then(|| {
            self.last_report = Some(now);
            std::mem::take(&mut self.unreported)
        });
        Pause {
            delay: self.delay,
            report,
        }
    }

    /// After a successful accept the next failure pauses briefly again.
    pub fn succeeded(&mut self) {
        self.delay = Duration::ZERO;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn delay_doubles_from_5_ms_up_to_1_s() {
        let mut backoff = AcceptBackoff::default();
        let start = Instant::now();
        let delays: Vec<u128> = (0..11)
            .map(|_| backoff.failed(start).delay.as_millis())
            .collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000]);
    }

    #[test]
    fn a_success_restarts_the_delay_at_5_ms() {
        let mut backoff = AcceptBackoff::default();
        let start = Instant::now();
        backoff.failed(start);
        backoff.failed(start);
        backoff.succeeded();
        assert_eq!(backoff.failed(start).delay, FIRST_DELAY);
    }

    #[test]
    fn failures_are_reported_at_most_once_a_second_with_a_count() {
        let mut backoff = AcceptBackoff::default();
        let start = Instant::now();
        let mut report_at = |ms: u32| backoff.failed(start + MS * ms).report;
        assert_eq!(report_at(0), Some(1));
        assert_eq!(report_at(5), None);
        assert_eq!(report_at(15), None);
        assert_eq!(report_at(999), None);
        assert_eq!(report_at(1000), Some(4));
        assert_eq!(report_at(1500), None);
        assert_eq!(report_at(2000), Some(2));
    }

    #[test]
    fn failures_between_successes_are_counted_not_each_reported() {
        let mut backoff = AcceptBackoff::default();
        let start = Instant::now();
        assert_eq!(backoff.failed(start).report, Some(1));
        for ms in [10, 20, 30] {
            backoff.succeeded();
            assert_eq!(backoff.failed(start + MS * ms).report, None);
        }
        assert_eq!(backoff.failed(start + MS * 1000).report, Some(4));
    }
}
