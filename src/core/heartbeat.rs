//! Liveness of an open connection: when to ping, and when silence means death.
//!
//! There is one deadline, not a timer per message: inbound messages only record that the
//! peer is alive, and when the deadline is reached the verdict compares it with the time
//! of the last sign of life. Hosts therefore never re-arm a timer per message.

use super::config::HeartbeatConfig;
use super::time::Instant;

/// Liveness bookkeeping of one open connection.
#[derive(Debug, Clone)]
pub(crate) struct Liveness {
    last_alive: Instant,
    ping: Option<Ping>,
}

#[derive(Debug, Clone)]
struct Ping {
    sent_at: Instant,
    deadline: Instant,
    /// Whether a sign of life arrived after this ping was sent. A flag, not a time
    /// comparison: with millisecond clocks a reply can carry the same timestamp.
    answered: bool,
}

/// What the heartbeat wants done when its deadline is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The deadline has not been reached (or moved later since the timer was armed).
    Wait,
    /// The connection was idle for `interval`: send the heartbeat message.
    Ping,
    /// The timer fired so late that the whole heartbeat window passed unobserved while the
    /// host was in the background, where timers are throttled although the connection may
    /// be fine: check quickly instead of declaring death.
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
            None => self.silence_limit(config),
        }
    }

    /// The end of a full heartbeat window after the last sign of life.
    fn silence_limit(&self, config: &HeartbeatConfig) -> Instant {
        self.last_alive + config.interval_ms.saturating_add(config.timeout_ms)
    }

    /// What to do at `now`. `in_background` tells whether the host's timers may be
    /// throttled (hidden tab, app in background).
    pub(crate) fn verdict(
        &self,
        now: Instant,
        config: &HeartbeatConfig,
        in_background: bool,
    ) -> Verdict {
        if now < self.deadline(config) {
            Verdict::Wait
        } else if self.unanswered_ping().is_some() || !config.sends_ping {
            Verdict::Dead
        } else if now >= self.silence_limit(config) {
            // The ping was due long ago: the timer fired late (Behaviour 8). In the
            // foreground that means the device slept, and a connection that went a whole
            // window unobserved is not trusted.
            if in_background {
                Verdict::Probe
            } else {
                Verdict::Dead
            }
        } else {
            Verdict::Ping
        }
    }

    /// Any sign of life from the peer.
    pub(crate) fn alive(&mut self, now: Instant) {
        self.last_alive = self.last_alive.max(now);
        if let Some(ping) = &mut self.ping {
            ping.answered = true;
        }
    }

    /// A pong: a sign of life that also answers the last ping. Returns the round trip
    /// time if a ping was outstanding.
    pub(crate) fn pong(&mut self, now: Instant) -> Option<u64> {
        self.alive(now);
        self.ping.take().map(|ping| now.millis_since(ping.sent_at))
    }

    /// A ping just went out; the peer has `timeout_ms` to show a sign of life. A probe sent
    /// while an earlier ping is unanswered keeps the earlier deadline if that comes first.
    pub(crate) fn ping_sent(&mut self, now: Instant, timeout_ms: u64) {
        let mut deadline = now + timeout_ms;
        if let Some(earlier) = self.unanswered_ping() {
            deadline = deadline.min(earlier.deadline);
        }
        self.ping = Some(Ping {
            sent_at: now,
            deadline,
            answered: false,
        });
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
        assert_eq!(l.verdict(at(99), &c, false), Verdict::Wait);
        assert_eq!(l.verdict(at(100), &c, false), Verdict::Ping);
        l.ping_sent(at(100), c.timeout_ms);
        assert_eq!(l.deadline(&c), at(150));
        assert_eq!(l.verdict(at(149), &c, false), Verdict::Wait);
        assert_eq!(l.verdict(at(150), &c, false), Verdict::Dead);
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
        assert_eq!(l.verdict(at(150), &c, false), Verdict::Wait);
        assert_eq!(l.deadline(&c), at(200));
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
    fn a_late_timer_fails_at_once_in_the_foreground_and_probes_in_the_background() {
        let c = config(true);
        let l = Liveness::new(at(0));
        assert_eq!(l.verdict(at(149), &c, false), Verdict::Ping);
        assert_eq!(l.verdict(at(150), &c, false), Verdict::Dead);
        assert_eq!(l.verdict(at(10_000), &c, true), Verdict::Probe);
    }

    #[test]
    fn without_client_pings_silence_of_interval_plus_timeout_is_death() {
        let c = config(false);
        let mut l = Liveness::new(at(0));
        assert_eq!(l.deadline(&c), at(150));
        assert_eq!(l.verdict(at(149), &c, false), Verdict::Wait);
        l.alive(at(120));
        assert_eq!(l.verdict(at(150), &c, false), Verdict::Wait);
        assert_eq!(l.verdict(at(270), &c, true), Verdict::Dead);
    }

    #[test]
    fn a_probe_keeps_an_earlier_deadline_of_an_unanswered_ping() {
        let c = config(true);
        let mut l = Liveness::new(at(0));
        l.ping_sent(at(100), 50);
        l.ping_sent(at(120), 3000);
        assert_eq!(l.deadline(&c), at(150));
        l.alive(at(121));
        l.ping_sent(at(200), 30);
        assert_eq!(l.deadline(&c), at(230));
    }
}
