//! Liveness of an open connection: when to ping, and when silence means death.
//!
//! There is one deadline, not a timer per message: the host records inbound traffic
//! without telling the core, and reports the time of the last message when the deadline is
//! reached (or whenever it feeds the core anything else). The verdict then compares the
//! deadline with the last sign of life. Hosts therefore never re-arm a timer per message.

use super::config::HeartbeatConfig;
use super::time::Instant;

/// A timer that fires this much after its deadline was not late by accident: the host was
/// suspended (a sleeping phone, a frozen or throttled tab), and inbound messages may be
/// waiting behind the timer. Foreground timers are late by milliseconds.
pub const LATE_TIMER_MS: u64 = 1000;

/// Liveness bookkeeping of one open connection.
#[derive(Debug, Clone)]
pub(crate) struct Liveness {
    last_alive: Instant,
    ping: Option<Ping>,
}

/// The outstanding question "are you there?": a ping sent, or (for a server-driven
/// heartbeat, which sends none) a grace period after a late timer.
#[derive(Debug, Clone)]
struct Ping {
    sent_at: Instant,
    deadline: Instant,
    /// Whether a sign of life arrived at or after `sent_at`. Millisecond clocks can stamp
    /// a reply with the ping's own time, so "at or after" counts.
    answered: bool,
    /// A probe (a resume or a late timer) gets no second chance: if it goes unanswered,
    /// even a late timer means death.
    probe: bool,
    /// Whether a message went out (a grace period sends none, and measures no round trip).
    sent: bool,
}

/// What the heartbeat wants done when its deadline is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The deadline has not been reached (or moved later since the timer was armed).
    Wait,
    /// The connection was idle for `interval`: send the heartbeat message.
    Ping,
    /// The timer fired late (see [`LATE_TIMER_MS`]): what happened meanwhile is unknown,
    /// so check quickly instead of declaring death or waiting a whole interval.
    Probe,
    /// No sign of life in time: the connection is dead.
    Dead,
}

impl Liveness {
    /// A connection that just opened: opening is the first sign of life.
    pub(crate) fn new(now: Instant) -> Liveness {
        Liveness {
            last_alive: now,
            ping: None,
        }
    }

    fn unanswered_ping(&self) -> Option<&Ping> {
        self.ping.as_ref().filter(|ping| !ping.answered)
    }

    /// When [`Self::verdict`] must next be asked.
    pub(crate) fn deadline(&self, config: &HeartbeatConfig) -> Instant {
        match self.unanswered_ping() {
            Some(ping) => ping.deadline,
            None if config.sends_ping => self.last_alive + config.interval_ms,
            None => self.last_alive + config.interval_ms.saturating_add(config.timeout_ms),
        }
    }

    /// What to do at `now`.
    pub(crate) fn verdict(&self, now: Instant, config: &HeartbeatConfig) -> Verdict {
        let deadline = self.deadline(config);
        if now < deadline {
            return Verdict::Wait;
        }
        let unanswered = self.unanswered_ping();
        let late = now.millis_since(deadline) >= LATE_TIMER_MS;
        if late && !unanswered.is_some_and(|ping| ping.probe) {
            Verdict::Probe
        } else if unanswered.is_some() || !config.sends_ping {
            Verdict::Dead
        } else {
            Verdict::Ping
        }
    }

    /// A sign of life from the peer at `at`.
    pub(crate) fn alive(&mut self, at: Instant) {
        self.last_alive = self.last_alive.max(at);
        if let Some(ping) = &mut self.ping {
            if at >= ping.sent_at {
                ping.answered = true;
            }
        }
    }

    /// A pong: a sign of life that also answers the last ping. Returns the round trip
    /// time if a ping was outstanding.
    pub(crate) fn pong(&mut self, now: Instant) -> Option<u64> {
        self.alive(now);
        self.ping
            .take()
            .filter(|ping| ping.sent)
            .map(|ping| now.millis_since(ping.sent_at))
    }

    /// A regular ping just went out; the peer has `timeout_ms` to show a sign of life.
    pub(crate) fn ping_sent(&mut self, now: Instant, timeout_ms: u64) {
        self.ping = Some(Ping {
            sent_at: now,
            deadline: now + timeout_ms,
            answered: false,
            probe: false,
            sent: true,
        });
    }

    /// Asks for a sign of life within `timeout_ms`. An unanswered ping already out is not
    /// repeated: its deadline is brought forward to `now + timeout_ms` (or, if it already
    /// passed while the host slept, moved there). Otherwise a probe starts, with a ping if
    /// `send_ping` (a server-driven heartbeat sends none: the peer just gets the grace).
    /// Returns whether a ping must go out.
    pub(crate) fn probe(&mut self, now: Instant, timeout_ms: u64, send_ping: bool) -> bool {
        let deadline = now + timeout_ms;
        match self.ping.as_mut().filter(|ping| !ping.answered) {
            Some(ping) => {
                ping.deadline = if ping.deadline <= now {
                    deadline
                } else {
                    ping.deadline.min(deadline)
                };
                ping.probe = true;
                false
            }
            None => {
                self.ping = Some(Ping {
                    sent_at: now,
                    deadline,
                    answered: false,
                    probe: true,
                    sent: send_ping,
                });
                send_ping
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn at(ms: u64) -> Instant {
        Instant::from_millis(ms)
    }

    fn config(sends_ping: bool) -> HeartbeatConfig {
        HeartbeatConfig {
            interval_ms: 100,
            timeout_ms: 50,
            sends_ping,
            any_message: true,
        }
    }

    #[test]
    fn pings_after_an_idle_interval_then_dies_after_the_timeout() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        assert_eq!(l.deadline(&c), at(100));
        assert_eq!(l.verdict(at(99), &c), Verdict::Wait);
        assert_eq!(l.verdict(at(100), &c), Verdict::Ping);
        l.ping_sent(at(100), c.timeout_ms);
        assert_eq!(l.deadline(&c), at(150));
        assert_eq!(l.verdict(at(149), &c), Verdict::Wait);
        assert_eq!(l.verdict(at(150), &c), Verdict::Dead);
    }

    #[test]
    fn a_pong_answers_the_ping_and_measures_the_round_trip() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        l.ping_sent(at(100), c.timeout_ms);
        assert_eq!(l.pong(at(130)), Some(30));
        assert_eq!(l.deadline(&c), at(230));
        assert_eq!(
            l.pong(at(140)),
            None,
            "an unsolicited pong has no round trip"
        );
    }

    #[test]
    fn a_message_in_the_same_millisecond_as_the_ping_answers_it() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        l.ping_sent(at(100), c.timeout_ms);
        l.alive(at(100));
        assert_eq!(l.verdict(at(150), &c), Verdict::Wait);
        assert_eq!(l.deadline(&c), at(200));
    }

    #[test]
    fn activity_reported_late_but_from_before_the_ping_does_not_answer_it() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        l.ping_sent(at(100), c.timeout_ms);
        l.alive(at(99));
        assert_eq!(l.deadline(&c), at(150));
        assert_eq!(l.verdict(at(150), &c), Verdict::Dead);
    }

    #[test]
    fn messages_move_the_deadline_later_never_earlier() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        l.alive(at(60));
        assert_eq!(l.deadline(&c), at(160));
        l.alive(at(10));
        assert_eq!(l.deadline(&c), at(160));
    }

    #[test]
    fn a_late_timer_probes_instead_of_pinging_or_declaring_death() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        assert_eq!(l.verdict(at(100 + LATE_TIMER_MS - 1), &c), Verdict::Ping);
        assert_eq!(l.verdict(at(100 + LATE_TIMER_MS), &c), Verdict::Probe);
        l.ping_sent(at(100), c.timeout_ms);
        assert_eq!(l.verdict(at(150 + LATE_TIMER_MS), &c), Verdict::Probe);
    }

    #[test]
    fn a_probe_moves_a_passed_deadline_and_gets_no_second_chance() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        l.ping_sent(at(100), c.timeout_ms);
        assert!(
            !l.probe(at(5000), 30, true),
            "the ping already out is not repeated"
        );
        assert_eq!(l.deadline(&c), at(5030));
        assert_eq!(l.verdict(at(5030 + LATE_TIMER_MS), &c), Verdict::Dead);
    }

    #[test]
    fn a_probe_brings_a_later_deadline_forward_and_keeps_an_earlier_one() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        l.ping_sent(at(100), 3000);
        assert!(!l.probe(at(120), 30, true));
        assert_eq!(l.deadline(&c), at(150));
        let mut l = Liveness::new(at(0));
        l.ping_sent(at(100), 50);
        assert!(!l.probe(at(120), 3000, true));
        assert_eq!(l.deadline(&c), at(150));
    }

    #[test]
    fn without_an_outstanding_ping_a_probe_pings_and_measures() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        assert!(l.probe(at(40), 30, true));
        assert_eq!(l.deadline(&c), at(70));
        assert_eq!(l.pong(at(45)), Some(5));
    }

    #[test]
    fn without_client_pings_silence_of_interval_plus_timeout_is_death() {
        let c = config(false);
        let mut l = Liveness::new(at(0));
        assert_eq!(l.deadline(&c), at(150));
        assert_eq!(l.verdict(at(149), &c), Verdict::Wait);
        l.alive(at(120));
        assert_eq!(l.verdict(at(150), &c), Verdict::Wait);
        assert_eq!(l.verdict(at(270), &c), Verdict::Dead);
    }

    #[test]
    fn without_client_pings_a_late_timer_grants_a_grace_period_without_sending() {
        let c = config(false);
        let mut l = Liveness::new(at(0));
        assert_eq!(l.verdict(at(150 + LATE_TIMER_MS), &c), Verdict::Probe);
        assert!(!l.probe(at(150 + LATE_TIMER_MS), 50, false));
        assert_eq!(l.deadline(&c), at(200 + LATE_TIMER_MS));
        assert_eq!(
            l.pong(at(160 + LATE_TIMER_MS)),
            None,
            "nothing was sent to measure"
        );
    }
}
