//! Property tests: random configurations and random sequences of socket events, user
//! commands, lifecycle signals and time, checked against the invariants of docs/behaviour.md (rules 1, 3, 5, 6).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use heartbeat_ws::core::{
    base_delay_ms, CloseFrame, CloseInfo, Config, ConnId, DropReason, Event, HeartbeatConfig,
    HeartbeatMessage, Lifecycle, Output, Overflow, QueueConfig, ReconnectConfig, SendError, Sent,
    SplitMix64, State, UrlSource, RETRY_FLOOR_MS,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Advance(u64),
    Open,
    Message,
    Pong,
    ServerPing,
    Error,
    ServerClose(u16),
    /// An event from a socket that is no longer live.
    Stale(u16),
    ResolveUrl(bool),
    Send(usize),
    Close,
    Reconnect,
    Signal(Lifecycle),
    SetReachable(bool),
    /// The live socket starts closing: the host finds it unwritable from now on.
    Closing,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0u64..3000).prop_map(Step::Advance),
        2 => Just(Step::Open),
        2 => Just(Step::Message),
        1 => Just(Step::Pong),
        1 => Just(Step::ServerPing),
        1 => Just(Step::Error),
        1 => prop::sample::select(vec![1000u16, 1001, 1006, 1008, 1011, 4001]).prop_map(Step::ServerClose),
        1 => prop::sample::select(vec![0u16, 1, 2, 3]).prop_map(Step::Stale),
        1 => any::<bool>().prop_map(Step::ResolveUrl),
        3 => (1usize..300).prop_map(Step::Send),
        1 => Just(Step::Close),
        1 => Just(Step::Reconnect),
        1 => prop::sample::select(vec![Lifecycle::Online, Lifecycle::Offline, Lifecycle::Foreground]).prop_map(Step::Signal),
        1 => any::<bool>().prop_map(Step::SetReachable),
        1 => Just(Step::Closing),
    ]
}

fn config() -> impl Strategy<Value = Config> {
    let heartbeat = prop::option::of(
        (1u64..2000, 1u64..2000, any::<bool>(), any::<bool>()).prop_map(
            |(interval_ms, timeout_ms, sends_ping, any_message)| HeartbeatConfig {
                interval_ms,
                timeout_ms,
                sends_ping,
                any_message,
            },
        ),
    );
    let reconnect = prop::option::of(
        (
            0u64..2000,
            0u64..5000,
            1.0f64..3.0,
            0.0f64..=1.0,
            prop::option::of(0u32..6),
            0u64..3000,
        )
            .prop_map(
                |(delay_ms, extra, factor, jitter, max_retries, min_uptime_ms)| ReconnectConfig {
                    delay_ms,
                    max_delay_ms: delay_ms + extra,
                    factor,
                    jitter,
                    max_retries,
                    min_uptime_ms,
                },
            ),
    );
    let queue = prop::option::of((0usize..6, 1usize..1000, 0..3).prop_map(
        |(max_messages, max_bytes, policy)| QueueConfig {
            max_messages,
            max_bytes,
            overflow: [Overflow::DropOldest, Overflow::DropNewest, Overflow::Reject]
                [policy as usize],
        },
    ));
    (heartbeat, reconnect, 1u64..3000, queue, any::<bool>()).prop_map(
        |(heartbeat, reconnect, connect_timeout_ms, queue, provider)| Config {
            url: if provider {
                UrlSource::Provider
            } else {
                UrlSource::Fixed("ws://h/".into())
            },
            heartbeat,
            reconnect,
            connect_timeout_ms,
            queue,
        },
    )
}

/// The id of a test message `"<id>:<padding>"`.
fn id_of(message: &str) -> usize {
    message
        .split(':')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a test message")
}

/// What happened to each user message, by id.
#[derive(Debug, Default)]
struct Ledger {
    sent: Vec<usize>,
    dropped: BTreeSet<usize>,
    refused: BTreeSet<usize>,
    offered: usize,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_any_sequence(config in config(), seed in any::<u64>(), steps in prop::collection::vec(step(), 1..120)) {
        let reconnect = config.reconnect.clone();
        let mut sim = Sim::with_random(config, Box::new(SplitMix64::new(seed)));
        sim.peer.latency_ms = 1;
        sim.start();
        let mut ledger = Ledger::default();
        let mut read = 0;
        // For the retry-counter invariant: the last retry number seen, and whether a reset
        // was earned (a connection up for min uptime, or reconnect()) since.
        let mut last_retry = 0u32;
        let mut reset_earned = true;
        let mut opened_at: BTreeMap<ConnId, u64> = BTreeMap::new();
        // The attempt the walked outputs are about, from `ResolveUrl`/`Connect`.
        let mut current: Option<ConnId> = None;
        let mut closed_by_user = false;

        for step in steps {
            let now = at(sim.now);
            let live = sim.machine.live_conn();
            match step {
                Step::Advance(ms) => sim.advance(ms),
                Step::Open => if let Some(c) = live { sim.deliver(c, SocketEvent::Open) },
                Step::Message => if let Some(c) = live { sim.deliver(c, SocketEvent::Data("m".into())) },
                Step::Pong => if let Some(c) = live { sim.deliver(c, SocketEvent::Heartbeat(HeartbeatMessage::Pong)) },
                Step::ServerPing => if let Some(c) = live { sim.deliver(c, SocketEvent::Heartbeat(HeartbeatMessage::Ping)) },
                Step::Error => if let Some(c) = live { sim.deliver(c, SocketEvent::Error("e".into())) },
                Step::ServerClose(code) => if let Some(c) = live { sim.deliver(c, SocketEvent::Close(CloseInfo { code, reason: String::new(), was_clean: true })) },
                Step::Stale(n) => {
                    if let Some(&old) = sim.sockets.iter().rev().find(|c| Some(**c) != live) {
                        let event = match n {
                            0 => SocketEvent::Open,
                            1 => SocketEvent::Data("stale".into()),
                            2 => SocketEvent::Error("stale".into()),
                            _ => SocketEvent::Close(abnormal()),
                        };
                        let before = sim.trace.len();
                        sim.deliver(old, event);
                        prop_assert_eq!(sim.trace.len(), before, "a stale socket's event had an effect");
                    }
                }
                Step::ResolveUrl(good) => {
                    let asked = sim.trace.iter().rev().find_map(|(_, o)| if let Output::ResolveUrl { conn } = o { Some(*conn) } else { None });
                    if let Some(conn) = asked {
                        let url = if good { Ok("wss://h/?t=1".to_string()) } else { Err("boom".to_string()) };
                        sim.machine.handle_url(now, conn, url);
                        sim.drain();
                    }
                }
                Step::Send(bytes) => {
                    let id = ledger.offered;
                    ledger.offered += 1;
                    match sim.machine.send(now, format!("{id}:{}", "x".repeat(bytes))) {
                        Ok(Sent::Now | Sent::Queued | Sent::Dropped) => {}
                        Err(SendError::Closed) => { prop_assert!(closed_by_user); ledger.refused.insert(id); }
                        Err(SendError::NotOpen | SendError::QueueFull | SendError::TooLarge) => { ledger.refused.insert(id); }
                    }
                    sim.drain();
                }
                Step::Close => {
                    let before = sim.trace.len();
                    sim.machine.close(now, CloseFrame::new(1000, "").unwrap());
                    sim.drain();
                    let finals = sim.trace[before..].iter().filter(|(_, o)| matches!(o, Output::Emit(Event::Close { will_reconnect: false, .. }))).count();
                    let reconnecting = sim.trace[before..].iter().filter(|(_, o)| matches!(o, Output::Emit(Event::Close { will_reconnect: true, .. }))).count();
                    prop_assert_eq!((finals, reconnecting), (usize::from(!closed_by_user), 0), "close() ends with one final close event, once");
                    closed_by_user = true;
                }
                Step::Reconnect => {
                    let result = sim.machine.reconnect(now);
                    prop_assert_eq!(result.is_err(), closed_by_user);
                    if result.is_ok() { reset_earned = true; }
                    sim.drain();
                }
                Step::Signal(signal) => sim.lifecycle(signal),
                Step::SetReachable(reachable) => sim.peer.reachable = reachable,
                Step::Closing => if let Some(c) = live { sim.closing.insert(c); },
            }

            // Walk the outputs produced by this step.
            for (time, output) in &sim.trace[read..] {
                match output {
                    Output::ResolveUrl { conn } | Output::Connect { conn, .. } => current = Some(*conn),
                    Output::Send { data, .. } => ledger.sent.push(id_of(data)),
                    Output::Emit(Event::Drop { data, reason }) => {
                        prop_assert!(matches!(reason, DropReason::Overflow | DropReason::Closed));
                        prop_assert!(ledger.dropped.insert(id_of(data)), "dropped twice");
                    }
                    Output::Emit(Event::Open { .. }) => {
                        if let Some(c) = current { opened_at.insert(c, *time); }
                    }
                    Output::Emit(Event::Close { .. }) => {
                        if let (Some(policy), Some(c)) = (&reconnect, current) {
                            if opened_at.get(&c).is_some_and(|t| time - t >= policy.min_uptime_ms) {
                                reset_earned = true;
                            }
                        }
                    }
                    Output::Emit(Event::Reconnecting { attempt, delay_ms }) => {
                        let policy = reconnect.as_ref().unwrap();
                        // Every delay is within [(1 - jitter) · base, base], raised to the
                        // floor from the second retry on.
                        let base = base_delay_ms(policy, *attempt) as f64;
                        let floor = if *attempt >= 2 { RETRY_FLOOR_MS as f64 } else { 0.0 };
                        let (lo, hi) = (((1.0 - policy.jitter) * base).max(floor), base.max(floor));
                        prop_assert!((*delay_ms as f64) <= hi && (*delay_ms as f64) >= lo - 1e-9,
                            "delay {} outside [{}, {}]", delay_ms, lo, hi);
                        // The counter resets after min uptime (or reconnect()), and only then.
                        let expected = if reset_earned { 1 } else { last_retry + 1 };
                        prop_assert_eq!(*attempt, expected, "after retry {} (reset earned: {})", last_retry, reset_earned);
                        last_retry = *attempt;
                        reset_earned = false;
                    }
                    _ => {}
                }
            }
            read = sim.trace.len();

            // At most one live socket (the harness also asserts it on every Connect).
            prop_assert!(sim.live.len() <= 1);
            // No deadline in closed.
            if sim.state() == State::Closed {
                prop_assert_eq!(sim.machine.poll_timeout(), None);
            }
            // Nothing is left for the host after a drain.
            prop_assert!(sim.machine.poll_output().is_none());
        }

        // Queued messages went out in order, each at most once.
        prop_assert!(ledger.sent.windows(2).all(|w| w[0] < w[1]), "out of order or repeated: {:?}", ledger.sent);
        // Every message is accounted for: sent, reported dropped, refused to the caller, or
        // still queued; never two of these.
        let sent: BTreeSet<usize> = ledger.sent.iter().copied().collect();
        prop_assert!(sent.is_disjoint(&ledger.dropped));
        let accounted = sent.len() + ledger.dropped.len() + ledger.refused.len() + sim.machine.stats().queued as usize;
        prop_assert_eq!(accounted, ledger.offered);
    }
}
