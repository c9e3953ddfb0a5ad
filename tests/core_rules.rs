//! One test (or a few) per behaviour rule of docs/behaviour.md, on the core with a virtual clock.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use heartbeat_ws::core::{
    CloseFrame, CloseInfo, Config, ConnId, DropReason, Event, HeartbeatConfig, HeartbeatMessage,
    Lifecycle, Output, Overflow, QueueConfig, ReconnectConfig, SendError, Sent, State, UrlSource,
    LATE_TIMER_MS,
};

const URL: &str = "wss://example.com/ws?token=s3cret";

/// Heartbeat 100/50 ms, fixed 200 ms retries, no jitter: easy arithmetic.
fn config() -> Config {
    Config {
        heartbeat: Some(HeartbeatConfig {
            interval_ms: 100,
            timeout_ms: 50,
            sends_ping: true,
            any_message: true,
        }),
        reconnect: Some(ReconnectConfig {
            delay_ms: 200,
            max_delay_ms: 200,
            factor: 1.0,
            jitter: 0.0,
            max_retries: None,
            min_uptime_ms: 1000,
        }),
        connect_timeout_ms: 500,
        ..Config::new(UrlSource::Fixed(URL.into()))
    }
}

/// A started simulation whose first socket is open.
fn open_sim(config: Config) -> (Sim, ConnId) {
    let mut sim = Sim::new(config);
    sim.start();
    sim.advance(sim.peer.latency_ms);
    assert_eq!(sim.state(), State::Open);
    let conn = sim.last_socket();
    sim.new_outputs();
    (sim, conn)
}

fn close_events(events: &[Event<Msg>]) -> Vec<(CloseInfo, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Close {
                info,
                will_reconnect,
            } => Some((info.clone(), *will_reconnect)),
            _ => None,
        })
        .collect()
}

// docs/behaviour.md#rule-1: first attempt at once, one live socket, stale events ignored.

#[test]
fn first_attempt_happens_at_once_after_connect() {
    let mut sim = Sim::new(config());
    assert_eq!(
        sim.machine.poll_timeout(),
        None,
        "nothing happens before connect()"
    );
    sim.start();
    assert_eq!(sim.connect_times(), [0]);
    assert_eq!(sim.state(), State::Connecting);
}

#[test]
fn a_failed_first_attempt_is_retried_by_the_policy() {
    let mut sim = Sim::new(config());
    sim.peer.reachable = false;
    sim.start();
    sim.advance(1000);
    // Fails after the 5 ms latency, then retries 200 ms after each failure.
    assert_eq!(sim.connect_times(), [0, 205, 410, 615, 820]);
}

#[test]
fn events_from_an_older_socket_are_ignored() {
    let (mut sim, old) = open_sim(config());
    sim.machine.reconnect(at(sim.now)).unwrap();
    sim.drain();
    sim.advance(5);
    let new = sim.last_socket();
    assert_ne!(old, new);
    sim.new_outputs();
    // The old socket's late close, message and error change nothing.
    sim.deliver(old, SocketEvent::Data("late".into()));
    sim.deliver(old, SocketEvent::Error("late error".into()));
    sim.deliver(old, SocketEvent::Close(abnormal()));
    sim.deliver(old, SocketEvent::Open);
    assert!(sim.new_outputs().is_empty());
    assert!(sim.delivered.is_empty(), "the late message reached nobody");
    assert_eq!(sim.state(), State::Open);
    assert_eq!(sim.machine.live_conn(), Some(new));
}

#[test]
fn at_most_one_socket_is_ever_live() {
    // The harness asserts it on every Connect; drive many drops and reconnects.
    let (mut sim, _) = open_sim(config());
    for i in 0..50 {
        match i % 3 {
            0 => {
                sim.machine.reconnect(at(sim.now)).unwrap();
                sim.drain();
            }
            1 => {
                let conn = sim.last_socket();
                sim.deliver(conn, SocketEvent::Close(abnormal()));
            }
            _ => sim.peer.answers_pings = !sim.peer.answers_pings,
        }
        sim.advance(400);
        assert!(sim.live.len() <= 1);
    }
}

// docs/behaviour.md#rule-2: a dead connection is torn down at once, never waiting for the transport.

#[test]
fn heartbeat_timeout_tears_down_at_once_and_schedules_the_retry() {
    let (mut sim, conn) = open_sim(config());
    sim.peer.answers_pings = false;
    sim.advance(100);
    assert!(matches!(sim.new_outputs()[..], [(105, Output::SendPing { conn: c })] if c == conn));
    sim.advance(49);
    assert!(sim.new_outputs().is_empty(), "not dead before the timeout");
    sim.advance(1);
    let outputs = sim.new_outputs();
    assert!(
        outputs.iter().all(|(t, _)| *t == 155),
        "everything happens at the deadline"
    );
    let Some((
        _,
        Output::Disconnect {
            conn: c,
            close: Some(frame),
        },
    )) = outputs.first()
    else {
        panic!("first the socket is dropped: {outputs:?}")
    };
    assert_eq!(
        (*c, frame.code(), frame.reason()),
        (conn, 4000, "heartbeat timeout")
    );
    let events: Vec<_> = outputs
        .into_iter()
        .filter_map(|(_, o)| {
            if let Output::Emit(e) = o {
                Some(e)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(kinds(&events), ["close", "statechange", "reconnecting"]);
    assert_eq!(
        close_events(&events),
        [(
            CloseInfo {
                code: 4000,
                reason: "heartbeat timeout".into(),
                was_clean: false
            },
            true
        )]
    );
    assert_eq!(
        events[1],
        Event::StateChange {
            from: State::Open,
            to: State::Reconnecting
        }
    );
    assert_eq!(
        events[2],
        Event::Reconnecting {
            attempt: 1,
            delay_ms: 200
        }
    );
    // The old socket's own close, arriving much later, is ignored.
    sim.advance(10);
    sim.deliver(conn, SocketEvent::Close(abnormal()));
    assert_eq!(sim.state(), State::Reconnecting);
    sim.advance(190);
    assert_eq!(sim.connect_times().last(), Some(&355));
}

#[test]
fn connect_timeout_fails_the_attempt_with_the_same_teardown() {
    let mut sim = Sim::new(config());
    sim.peer.stalls = true;
    sim.start();
    let conn = sim.last_socket();
    sim.new_outputs();
    sim.advance(500);
    let outputs = sim.new_outputs();
    assert!(
        matches!(&outputs[0], (500, Output::Disconnect { conn: c, close: Some(f) }) if *c == conn && f.code() == 4000 && f.reason() == "connect timeout")
    );
    let events = sim.events();
    let closes = close_events(&events.into_iter().map(|(_, e)| e).collect::<Vec<_>>());
    assert_eq!(
        closes,
        [(CloseInfo::teardown_for_test("connect timeout"), true)]
    );
    assert_eq!(sim.state(), State::Reconnecting);
}

trait TeardownInfo {
    fn teardown_for_test(reason: &str) -> CloseInfo;
}
impl TeardownInfo for CloseInfo {
    fn teardown_for_test(reason: &str) -> CloseInfo {
        CloseInfo {
            code: 4000,
            reason: reason.into(),
            was_clean: false,
        }
    }
}

#[test]
fn an_error_while_connecting_fails_the_attempt_without_waiting_for_close() {
    let mut sim = Sim::new(config());
    sim.peer.stalls = true;
    sim.start();
    let conn = sim.last_socket();
    sim.new_outputs();
    sim.deliver(conn, SocketEvent::Error("handshake failed".into()));
    assert_eq!(
        kinds(&sim.new_events()),
        ["error", "close", "statechange", "reconnecting"]
    );
    assert!(sim.live.is_empty());
}

#[test]
fn an_error_while_open_is_only_reported() {
    let (mut sim, conn) = open_sim(config());
    sim.deliver(conn, SocketEvent::Error("something".into()));
    assert_eq!(kinds(&sim.new_events()), ["error"]);
    assert_eq!(sim.state(), State::Open);
}

// docs/behaviour.md#rule-3: the heartbeat timer lives only while open; nothing survives close().

#[test]
fn no_heartbeat_deadline_outside_the_open_state() {
    let mut sim = Sim::new(config());
    sim.peer.reachable = false;
    sim.start();
    // Connecting: the deadline is the connect timeout, not a heartbeat.
    assert_eq!(sim.machine.poll_timeout(), Some(at(500)));
    sim.advance(5);
    // Waiting: the deadline is the retry.
    assert_eq!(sim.machine.poll_timeout(), Some(at(205)));
    assert!(!sim
        .trace
        .iter()
        .any(|(_, o)| matches!(o, Output::SendPing { .. })));
}

#[test]
fn close_leaves_no_deadline_and_no_socket_in_every_state() {
    let states: [fn(&mut Sim); 4] = [
        |_| {},               // connecting
        |sim| sim.advance(5), // open
        |sim| {
            sim.peer.reachable = false;
            let c = sim.last_socket();
            sim.deliver(c, SocketEvent::Close(abnormal()));
        }, // reconnecting
        |sim| sim.lifecycle(Lifecycle::Offline), // offline
    ];
    for (i, reach) in states.iter().enumerate() {
        let mut sim = Sim::new(config());
        sim.start();
        reach(&mut sim);
        sim.machine
            .close(at(sim.now), CloseFrame::new(1000, "bye").unwrap());
        sim.drain();
        assert_eq!(sim.state(), State::Closed, "case {i}");
        assert_eq!(
            sim.machine.poll_timeout(),
            None,
            "case {i}: a deadline survived close()"
        );
        assert!(sim.live.is_empty(), "case {i}: a socket survived close()");
        sim.advance(100_000);
        assert_eq!(sim.state(), State::Closed, "case {i}");
    }
}

#[test]
fn close_ends_with_exactly_one_final_close_event_in_every_state() {
    let gave_up = |sim: &mut Sim| {
        sim.peer.reachable = false;
        sim.advance(10_000);
    };
    type Reach = fn(&mut Sim);
    let states: [(&str, Reach); 6] = [
        ("starting", |_| {}),
        ("connecting", |sim| sim.peer.stalls = true),
        ("open", |sim| sim.advance(5)),
        ("reconnecting", |sim| {
            sim.peer.reachable = false;
            sim.advance(5);
        }),
        ("offline", |sim| sim.lifecycle(Lifecycle::Offline)),
        ("gave up", gave_up),
    ];
    for (name, reach) in states {
        let mut c = config();
        if name == "gave up" {
            c.reconnect.as_mut().unwrap().max_retries = Some(1);
        }
        let mut sim = Sim::new(c);
        if name == "starting" {
            sim.machine.connect(at(0));
            sim.drain();
        } else {
            sim.start();
        }
        reach(&mut sim);
        sim.new_outputs();
        sim.machine
            .close(at(sim.now), CloseFrame::new(4100, "bye").unwrap());
        sim.drain();
        let events = sim.new_events();
        assert_eq!(
            close_events(&events),
            [(
                CloseInfo {
                    code: 4100,
                    reason: "bye".into(),
                    was_clean: true
                },
                false
            )],
            "{name}: {events:?}"
        );
        sim.machine
            .close(at(sim.now), CloseFrame::new(1000, "").unwrap());
        sim.drain();
        assert!(
            sim.new_events().is_empty(),
            "{name}: a second close() is silent"
        );
    }
}

#[test]
fn close_sends_the_users_frame_and_reports_one_final_close() {
    let (mut sim, conn) = open_sim(config());
    sim.machine
        .close(at(sim.now), CloseFrame::new(4321, "done").unwrap());
    sim.drain();
    let outputs = sim.new_outputs();
    assert!(
        matches!(&outputs[0].1, Output::Disconnect { conn: c, close: Some(f) } if *c == conn && f.code() == 4321 && f.reason() == "done")
    );
    let events = sim.events().into_iter().map(|(_, e)| e).collect::<Vec<_>>();
    assert_eq!(
        close_events(&events),
        [(
            CloseInfo {
                code: 4321,
                reason: "done".into(),
                was_clean: true
            },
            false
        )]
    );
    sim.machine
        .close(at(sim.now), CloseFrame::new(1000, "").unwrap());
    sim.drain();
    assert!(
        sim.new_outputs().is_empty(),
        "a second close() does nothing"
    );
    assert_eq!(
        sim.machine.reconnect(at(sim.now)),
        Err(heartbeat_ws::core::AlreadyClosed)
    );
}

// docs/behaviour.md#rule-4: server closes reconnect unless vetoed.

#[test]
fn server_closes_reconnect_including_1000() {
    for code in [1000, 1001, 1006, 1011, 4000, 4999] {
        let (mut sim, conn) = open_sim(config());
        sim.deliver(conn, SocketEvent::Close(server_close(code, "bye")));
        assert_eq!(sim.state(), State::Reconnecting, "code {code}");
        let events = sim.new_events();
        assert_eq!(close_events(&events), [(server_close(code, "bye"), true)]);
        assert!(matches!(&sim.new_outputs()[..], []));
    }
}

#[test]
fn errors_a_retry_cannot_fix_are_vetoed_by_default() {
    for code in [1002, 1003, 1007, 1008, 1009, 1010] {
        let (mut sim, conn) = open_sim(config());
        sim.deliver(conn, SocketEvent::Close(server_close(code, "no")));
        assert_eq!(sim.state(), State::Closed, "code {code}");
        let events = sim.new_events();
        assert_eq!(kinds(&events), ["close", "statechange"]);
        assert!(!close_events(&events)[0].1, "willReconnect is false");
        sim.advance(10_000);
        assert_eq!(sim.sockets.len(), 1);
        // A vetoed socket can still be revived by hand.
        sim.machine.reconnect(at(sim.now)).unwrap();
        sim.drain();
        assert_eq!(sim.sockets.len(), 2);
    }
}

#[test]
fn a_custom_should_reconnect_decides() {
    let (mut sim, conn) = open_sim(config());
    sim.should_reconnect = |code| code != 4001;
    sim.deliver(conn, SocketEvent::Close(server_close(4001, "kicked")));
    assert_eq!(sim.state(), State::Closed);
}

// docs/behaviour.md#rule-5: giving up, and starting over.

#[test]
fn gives_up_after_the_first_attempt_and_max_retries() {
    let mut c = config();
    c.reconnect.as_mut().unwrap().max_retries = Some(3);
    let mut sim = Sim::new(c);
    sim.peer.reachable = false;
    sim.start();
    sim.advance(10_000);
    let events: Vec<_> = sim.events().into_iter().map(|(_, e)| e).collect();
    let retries: Vec<_> = events
        .iter()
        .filter_map(|e| {
            if let Event::Reconnecting { attempt, .. } = e {
                Some(*attempt)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(retries, [1, 2, 3], "one reconnecting event per retry");
    assert_eq!(sim.sockets.len(), 4, "the first attempt and three retries");
    assert_eq!(events.last(), Some(&Event::GiveUp { attempts: 4 }));
    assert_eq!(sim.state(), State::Closed);
    assert_eq!(sim.machine.poll_timeout(), None);
    // reconnect() starts over with a fresh counter.
    sim.peer.reachable = true;
    sim.new_outputs();
    sim.machine.reconnect(at(sim.now)).unwrap();
    sim.drain();
    sim.advance(5);
    assert_eq!(sim.state(), State::Open);
    assert!(sim.new_events().contains(&Event::Open {
        attempt: 1,
        reconnected: false
    }));
}

#[test]
fn max_retries_zero_gives_up_after_the_first_attempt() {
    let mut c = config();
    c.reconnect.as_mut().unwrap().max_retries = Some(0);
    let mut sim = Sim::new(c);
    sim.peer.reachable = false;
    sim.start();
    sim.advance(1000);
    assert_eq!(sim.sockets.len(), 1);
    assert_eq!(
        kinds(&sim.new_events()),
        ["error", "close", "statechange", "giveup"]
    );
}

#[test]
fn without_reconnection_a_lost_connection_stays_closed() {
    let mut c = config();
    c.reconnect = None;
    let (mut sim, conn) = open_sim(c);
    sim.deliver(conn, SocketEvent::Close(abnormal()));
    assert_eq!(sim.state(), State::Closed);
    assert_eq!(kinds(&sim.new_events()), ["close", "statechange"]);
}

#[test]
fn the_retry_counter_resets_only_after_min_uptime() {
    let mut sim = Sim::new(config()); // min uptime 1000 ms
    sim.start();
    sim.advance(5);
    let retry_attempts = |sim: &mut Sim| -> Vec<u32> {
        sim.new_events()
            .iter()
            .filter_map(|e| {
                if let Event::Reconnecting { attempt, .. } = e {
                    Some(*attempt)
                } else {
                    None
                }
            })
            .collect()
    };
    // Three short-lived connections: the counter keeps counting.
    for expected in 1..=3 {
        sim.advance(500);
        let conn = sim.last_socket();
        sim.new_outputs();
        sim.deliver(conn, SocketEvent::Close(abnormal()));
        assert_eq!(retry_attempts(&mut sim), [expected]);
        sim.advance(205);
    }
    // One that stays up for min uptime: the next drop starts from retry 1 again.
    sim.advance(1000);
    let conn = sim.last_socket();
    sim.new_outputs();
    sim.deliver(conn, SocketEvent::Close(abnormal()));
    assert_eq!(retry_attempts(&mut sim), [1]);
}

#[test]
fn open_reports_the_attempt_and_whether_it_is_a_reconnection() {
    let mut sim = Sim::new(config());
    sim.peer.reachable = false;
    sim.start();
    sim.advance(5);
    sim.peer.reachable = true;
    sim.advance(210);
    let opens: Vec<_> = sim
        .events()
        .into_iter()
        .filter(|(_, e)| matches!(e, Event::Open { .. }))
        .collect();
    assert_eq!(
        opens,
        [(
            210,
            Event::Open {
                attempt: 2,
                reconnected: false
            }
        )]
    );
    let conn = sim.last_socket();
    sim.advance(2000);
    sim.deliver(conn, SocketEvent::Close(abnormal()));
    sim.advance(205);
    assert_eq!(
        sim.events().last().map(|(_, e)| e.clone()),
        Some(Event::Open {
            attempt: 1,
            reconnected: true
        })
    );
}

#[test]
fn backoff_grows_by_factor_up_to_the_cap() {
    let mut c = config();
    c.reconnect = Some(ReconnectConfig {
        delay_ms: 100,
        max_delay_ms: 1000,
        factor: 2.0,
        jitter: 0.0,
        ..ReconnectConfig::default()
    });
    let mut sim = Sim::new(c);
    sim.peer.reachable = false;
    sim.start();
    sim.advance(10_000);
    let delays: Vec<u64> = sim
        .events()
        .into_iter()
        .filter_map(|(_, e)| {
            if let Event::Reconnecting { delay_ms, .. } = e {
                Some(delay_ms)
            } else {
                None
            }
        })
        .take(6)
        .collect();
    assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
}

// docs/behaviour.md#rule-6: the send queue.

fn sent_data(outputs: &[(u64, Output<Msg>)]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|(_, o)| {
            if let Output::Send { data, .. } = o {
                Some(data.clone())
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn messages_sent_while_down_are_flushed_in_order_before_the_open_event() {
    let mut sim = Sim::new(config());
    sim.start();
    for m in ["a", "b", "c"] {
        assert_eq!(sim.machine.send(at(sim.now), m.into()), Ok(Sent::Queued));
    }
    assert_eq!(sim.machine.stats().queued, 3);
    sim.drain();
    sim.new_outputs();
    sim.advance(5);
    let outputs = sim.new_outputs();
    assert_eq!(sent_data(&outputs), ["a", "b", "c"]);
    let open_index = outputs
        .iter()
        .position(|(_, o)| matches!(o, Output::Emit(Event::Open { .. })))
        .unwrap();
    let last_send = outputs
        .iter()
        .rposition(|(_, o)| matches!(o, Output::Send { .. }))
        .unwrap();
    assert!(last_send < open_index, "flushed before the open event");
    assert_eq!(sim.machine.send(at(sim.now), "d".into()), Ok(Sent::Now));
    sim.drain();
    assert_eq!(sent_data(&sim.new_outputs()), ["d"]);
    assert_eq!(sim.machine.stats().queued, 0);
}

#[test]
fn queue_overflow_follows_the_policy_and_reports_every_drop() {
    for (overflow, results, dropped, kept) in [
        (
            Overflow::DropOldest,
            [Ok(Sent::Queued), Ok(Sent::Queued), Ok(Sent::Queued)],
            vec!["a"],
            vec!["b", "c"],
        ),
        (
            Overflow::DropNewest,
            [Ok(Sent::Queued), Ok(Sent::Queued), Ok(Sent::Dropped)],
            vec!["c"],
            vec!["a", "b"],
        ),
        (
            Overflow::Reject,
            [
                Ok(Sent::Queued),
                Ok(Sent::Queued),
                Err(SendError::QueueFull),
            ],
            vec![],
            vec!["a", "b"],
        ),
    ] {
        let mut c = config();
        c.queue = Some(QueueConfig {
            max_messages: 2,
            max_bytes: 100,
            overflow,
        });
        let mut sim = Sim::new(c);
        sim.start();
        sim.new_outputs();
        let got: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|m| sim.machine.send(at(sim.now), (*m).into()))
            .collect();
        assert_eq!(got, results, "{overflow:?}");
        sim.drain();
        let drops: Vec<_> = sim
            .new_events()
            .into_iter()
            .filter_map(|e| {
                if let Event::Drop { data, reason } = e {
                    Some((data, reason))
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(
            drops,
            dropped
                .iter()
                .map(|d| (d.to_string(), DropReason::Overflow))
                .collect::<Vec<_>>(),
            "{overflow:?}"
        );
        assert_eq!(sim.machine.stats().dropped, dropped.len() as u64);
        sim.advance(5);
        assert_eq!(sent_data(&sim.new_outputs()), kept, "{overflow:?}");
    }
}

#[test]
fn the_queue_is_bounded_by_bytes_too() {
    let mut c = config();
    c.queue = Some(QueueConfig {
        max_messages: 100,
        max_bytes: 10,
        overflow: Overflow::DropOldest,
    });
    let mut sim = Sim::new(c);
    sim.start();
    sim.machine.send(at(0), "aaaaaa".into()).unwrap();
    sim.machine.send(at(0), "bbbbbb".into()).unwrap();
    sim.machine.send(at(0), "hugehugehug".into()).unwrap();
    sim.drain();
    let drops: Vec<_> = sim
        .new_events()
        .into_iter()
        .filter_map(|e| {
            if let Event::Drop { data, .. } = e {
                Some(data)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        drops,
        ["aaaaaa", "hugehugehug"],
        "bytes, not count, forced both out"
    );
    let stats = sim.machine.stats();
    assert_eq!((stats.queued, stats.queued_bytes), (1, 6));
}

#[test]
fn without_a_queue_sending_while_down_fails() {
    let mut c = config();
    c.queue = None;
    let mut sim = Sim::new(c);
    sim.start();
    assert_eq!(sim.machine.send(at(0), "x".into()), Err(SendError::NotOpen));
}

#[test]
fn close_drops_and_reports_queued_messages_and_later_sends_fail() {
    let mut sim = Sim::new(config());
    sim.start();
    sim.machine.send(at(0), "a".into()).unwrap();
    sim.machine.close(at(0), CloseFrame::new(1000, "").unwrap());
    sim.drain();
    let events = sim.new_events();
    assert!(events.contains(&Event::Drop {
        data: "a".into(),
        reason: DropReason::Closed
    }));
    assert_eq!(sim.machine.send(at(0), "b".into()), Err(SendError::Closed));
}

#[test]
fn messages_survive_a_give_up_and_go_out_after_reconnect() {
    let mut c = config();
    c.reconnect.as_mut().unwrap().max_retries = Some(0);
    let mut sim = Sim::new(c);
    sim.peer.reachable = false;
    sim.start();
    sim.advance(10);
    assert_eq!(sim.state(), State::Closed);
    assert_eq!(
        sim.machine.send(at(sim.now), "kept".into()),
        Ok(Sent::Queued)
    );
    sim.peer.reachable = true;
    sim.machine.reconnect(at(sim.now)).unwrap();
    sim.drain();
    sim.advance(5);
    assert_eq!(sent_data(&sim.new_outputs()), ["kept"]);
}

#[test]
fn sends_to_a_socket_found_closing_wait_for_the_next_connection() {
    let (mut sim, conn) = open_sim(config());
    // The server closed; its close event is not in yet, and the socket is closing.
    sim.closing.insert(conn);
    assert_eq!(sim.machine.send(at(sim.now), "a".into()), Ok(Sent::Now));
    sim.drain();
    assert!(
        sent_data(&sim.new_outputs()).is_empty(),
        "nothing was handed over"
    );
    for m in ["b", "c"] {
        assert_eq!(
            sim.machine.send(at(sim.now), m.into()),
            Ok(Sent::Queued),
            "once found closing, later sends queue at once"
        );
    }
    assert_eq!(sim.machine.stats().queued, 3);
    sim.deliver(conn, SocketEvent::Close(server_close(1001, "going away")));
    sim.advance(200 + sim.peer.latency_ms);
    assert_eq!(sim.state(), State::Open);
    assert_eq!(
        sent_data(&sim.new_outputs()),
        ["a", "b", "c"],
        "in order, once"
    );
    assert_eq!(sim.machine.stats().dropped, 0);
}

#[test]
fn sends_on_their_way_to_a_socket_that_goes_away_return_to_the_queue() {
    let (mut sim, conn) = open_sim(config());
    sim.machine.send(at(sim.now), "a".into()).unwrap();
    sim.machine.send(at(sim.now), "b".into()).unwrap();
    // Before the host pulls them, the socket dies (e.g. a listener re-entered).
    sim.machine
        .handle_close(at(sim.now), conn, abnormal(), true);
    sim.drain();
    assert!(sent_data(&sim.new_outputs()).is_empty());
    assert_eq!(sim.machine.stats().queued, 2);
    sim.advance(205);
    assert_eq!(
        sent_data(&sim.new_outputs()),
        ["a", "b"],
        "sent once, in order, on the next socket"
    );
}

// docs/behaviour.md#rule-8: late timers.

#[test]
fn a_heartbeat_deadline_that_passed_while_asleep_is_probed_not_trusted() {
    let (mut sim, conn) = open_sim(config());
    sim.peer.answers_pings = false;
    // The device sleeps: no timer fires for 60 s, then one does. The connection is not
    // trusted (a probe goes out at once), nor declared dead on a clock reading alone.
    sim.now += 60_000;
    sim.machine.handle_timeout(at(sim.now));
    sim.drain();
    assert!(matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn));
    let probe_sent = sim.now;
    sim.advance(49);
    assert_eq!(sim.state(), State::Open);
    sim.advance(1);
    assert_eq!(
        close_events(&sim.new_events()),
        [(CloseInfo::teardown_for_test("heartbeat timeout"), true)],
        "dead min(timeout, 3000) ms after the unanswered probe"
    );
    assert_eq!(sim.now - probe_sent, 50);
}

#[test]
fn a_late_timer_probe_that_is_answered_keeps_the_connection() {
    let (mut sim, conn) = open_sim(config());
    sim.now += 60_000;
    sim.machine.handle_timeout(at(sim.now));
    sim.drain();
    assert!(matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn));
    sim.advance(10);
    assert_eq!(sim.state(), State::Open, "the probe was answered");
    assert_eq!(sim.machine.stats().last_rtt_ms, Some(10));
}

#[test]
fn a_late_timer_with_a_ping_unanswered_grants_one_probe_then_dies() {
    let (mut sim, conn) = open_sim(config());
    sim.peer.answers_pings = false;
    sim.advance(100);
    assert!(matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn));
    // The ping's deadline (150) passes while the host is suspended: messages may be
    // waiting behind the timer, so the ping gets a probe's grace, not a second ping.
    sim.now += 5_000;
    sim.machine.handle_timeout(at(sim.now));
    sim.drain();
    assert!(sim.new_outputs().is_empty(), "no second ping");
    assert_eq!(sim.state(), State::Open);
    // Suspended again past the grace: a probe gets no second chance.
    sim.now += 60_000;
    sim.machine.handle_timeout(at(sim.now));
    sim.drain();
    assert_eq!(sim.state(), State::Reconnecting);
}

#[test]
fn a_timer_less_than_the_late_threshold_late_is_trusted() {
    let (mut sim, conn) = open_sim(config());
    sim.peer.answers_pings = false;
    sim.now += 100 + LATE_TIMER_MS - 1;
    sim.machine.handle_timeout(at(sim.now));
    sim.drain();
    assert!(matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn));
    sim.now += 50 + LATE_TIMER_MS - 1;
    sim.machine.handle_timeout(at(sim.now));
    sim.drain();
    assert_eq!(
        sim.state(),
        State::Reconnecting,
        "the unanswered ping is death"
    );
}

#[test]
fn a_server_driven_heartbeat_gets_a_grace_period_after_a_late_timer() {
    let mut c = config();
    c.heartbeat.as_mut().unwrap().sends_ping = false;
    let (mut sim, conn) = open_sim(c);
    sim.now += 60_000;
    sim.machine.handle_timeout(at(sim.now));
    sim.drain();
    assert!(sim.new_outputs().is_empty(), "nothing to send");
    sim.deliver(conn, SocketEvent::Heartbeat(HeartbeatMessage::Ping));
    sim.advance(50);
    assert_eq!(sim.state(), State::Open, "the server's ping was waiting");
    sim.advance(150);
    assert_eq!(
        sim.state(),
        State::Reconnecting,
        "then silence is death again"
    );
}

// docs/behaviour.md#rule-9 and #rule-14: lifecycle.

#[test]
fn offline_stops_attempts_and_online_tries_at_once() {
    let mut sim = Sim::new(config());
    sim.peer.reachable = false;
    sim.start();
    sim.advance(5);
    assert_eq!(sim.state(), State::Reconnecting);
    sim.lifecycle(Lifecycle::Offline);
    assert_eq!(sim.state(), State::Offline);
    sim.advance(60_000);
    assert_eq!(sim.sockets.len(), 1, "no attempts while offline");
    assert_eq!(sim.machine.poll_timeout(), None);
    sim.peer.reachable = true;
    sim.lifecycle(Lifecycle::Online);
    assert_eq!(
        sim.connect_times().last(),
        Some(&sim.now),
        "back online: attempt at once"
    );
    sim.advance(5);
    assert_eq!(sim.state(), State::Open);
}

#[test]
fn going_offline_aborts_an_attempt_in_progress() {
    let mut sim = Sim::new(config());
    sim.peer.stalls = true;
    sim.start();
    sim.new_outputs();
    sim.lifecycle(Lifecycle::Offline);
    let events = sim.new_events();
    assert_eq!(
        close_events(&events),
        [(CloseInfo::teardown_for_test("offline"), true)]
    );
    assert_eq!(sim.state(), State::Offline);
    assert!(sim.live.is_empty());
}

#[test]
fn starting_offline_waits_for_the_network() {
    let mut sim = Sim::new(config());
    sim.lifecycle(Lifecycle::Offline);
    sim.start();
    assert_eq!(sim.state(), State::Offline);
    assert!(sim.sockets.is_empty());
    sim.lifecycle(Lifecycle::Online);
    assert_eq!(sim.sockets.len(), 1);
}

#[test]
fn offline_while_open_probes_and_a_failed_probe_goes_offline() {
    let (mut sim, conn) = open_sim(config());
    sim.peer.answers_pings = false;
    sim.lifecycle(Lifecycle::Offline);
    assert!(matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn));
    sim.advance(50); // min(timeout 50, 3000)
    assert_eq!(sim.state(), State::Offline);
    assert_eq!(
        close_events(&sim.new_events()),
        [(CloseInfo::teardown_for_test("heartbeat timeout"), true)]
    );
}

#[test]
fn foreground_retries_at_once_when_reconnecting() {
    let mut sim = Sim::new(config());
    sim.peer.reachable = false;
    sim.start();
    sim.advance(5);
    sim.peer.reachable = true;
    sim.lifecycle(Lifecycle::Foreground);
    assert_eq!(sim.connect_times(), [0, 5]);
}

#[test]
fn foreground_after_a_connect_deadline_passed_asleep_announces_the_retry_it_makes_at_once() {
    let mut sim = Sim::new(config());
    sim.peer.stalls = true;
    sim.start();
    sim.new_outputs();
    sim.now += 60_000; // asleep with the handshake hanging: the connect timeout passed
    sim.lifecycle(Lifecycle::Foreground);
    let events = sim.new_events();
    assert!(
        events.contains(&Event::Reconnecting {
            attempt: 1,
            delay_ms: 0
        }),
        "retry 1 is announced, without a wait: {events:?}"
    );
    assert_eq!(
        sim.connect_times().last(),
        Some(&sim.now),
        "and made at once"
    );
}

#[test]
fn resume_probes_an_open_socket_with_a_short_timeout() {
    let mut c = config();
    c.heartbeat = Some(HeartbeatConfig {
        interval_ms: 60_000,
        timeout_ms: 20_000,
        sends_ping: true,
        any_message: true,
    });
    let (mut sim, conn) = open_sim(c);
    sim.peer.answers_pings = false;
    sim.advance(1000);
    sim.lifecycle(Lifecycle::Foreground);
    assert!(matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn));
    let probe_sent = sim.now;
    sim.advance(2999);
    assert_eq!(sim.state(), State::Open);
    sim.advance(1);
    assert_eq!(
        sim.state(),
        State::Reconnecting,
        "dead min(timeout, 3000) ms after the probe"
    );
    assert_eq!(sim.now - probe_sent, 3000);
}

#[test]
fn resume_with_a_short_timeout_uses_it() {
    let (mut sim, _) = open_sim(config()); // timeout 50
    sim.peer.answers_pings = false;
    sim.advance(10);
    sim.lifecycle(Lifecycle::Online);
    sim.advance(49);
    assert_eq!(sim.state(), State::Open);
    sim.advance(1);
    assert_eq!(sim.state(), State::Reconnecting);
}

#[test]
fn without_heartbeat_resume_leaves_an_open_socket_alone() {
    let mut c = config();
    c.heartbeat = None;
    let (mut sim, _) = open_sim(c);
    sim.lifecycle(Lifecycle::Foreground);
    sim.lifecycle(Lifecycle::Online);
    sim.lifecycle(Lifecycle::Offline);
    assert!(sim.new_outputs().is_empty());
    assert_eq!(sim.machine.poll_timeout(), None);
    sim.advance(1_000_000);
    assert_eq!(sim.state(), State::Open);
}

#[test]
fn foreground_after_a_long_sleep_probes_and_replaces_a_dead_connection_at_once() {
    let (mut sim, conn) = open_sim(config());
    sim.peer.answers_pings = false;
    sim.now += 600_000; // suspended: no timer ran
    sim.lifecycle(Lifecycle::Foreground);
    assert!(
        matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn),
        "one probe, not a ping from the timer and another from the resume"
    );
    sim.advance(50);
    assert_eq!(
        close_events(&sim.new_events()),
        [(CloseInfo::teardown_for_test("heartbeat timeout"), true)]
    );
    sim.advance(200 + sim.peer.latency_ms);
    assert_eq!(
        sim.state(),
        State::Open,
        "reconnected after the retry delay"
    );
}

#[test]
fn returning_to_the_foreground_at_the_ping_deadline_sends_one_ping() {
    let (mut sim, conn) = open_sim(config());
    sim.now += 100; // exactly the ping deadline; the timer has not fired yet
    sim.lifecycle(Lifecycle::Foreground);
    assert!(
        matches!(&sim.new_outputs()[..], [(_, Output::SendPing { conn: c })] if *c == conn),
        "the due ping doubles as the probe"
    );
    assert_eq!(sim.machine.stats().pings_sent, 1);
}

// URL problems (docs/behaviour.md#rule-11's redaction of what hosts report is the host's: js/url.js).

#[test]
fn a_url_problem_fails_the_attempt_and_is_reported() {
    let mut c = config();
    c.url = UrlSource::Provider;
    let mut sim = Sim::new(c);
    sim.start();
    let conn = sim.machine.live_conn().unwrap();
    sim.new_outputs();
    sim.machine
        .handle_url(at(0), conn, Err("the provider failed: offline".into()));
    sim.drain();
    let events = sim.new_events();
    assert_eq!(
        events[0],
        Event::Error {
            message: "url: the provider failed: offline".into()
        }
    );
    assert_eq!(
        close_events(&events),
        [(
            CloseInfo {
                code: 1006,
                reason: "no url".into(),
                was_clean: false
            },
            true
        )]
    );
    assert!(sim.sockets.is_empty());
    assert_eq!(sim.state(), State::Reconnecting);
}

#[test]
fn connecting_is_reported_before_the_url_is_asked_for_so_a_synchronous_failure_follows_it() {
    let mut c = config();
    c.url = UrlSource::Provider;
    let mut sim = Sim::new(c);
    sim.start();
    let first = sim.machine.live_conn().unwrap();
    sim.machine
        .handle_url(at(0), first, Err("no token yet".into()));
    sim.drain();
    sim.new_outputs();
    // The retry: a host pulls outputs one at a time, and its provider may fail before the
    // next pull. `connecting` must already be out by then.
    sim.now = 200;
    sim.machine.handle_timeout(at(200));
    let state_change = sim.machine.poll_output();
    assert_eq!(
        state_change,
        Some(Output::Emit(Event::StateChange {
            from: State::Reconnecting,
            to: State::Connecting
        }))
    );
    let Some(Output::ResolveUrl { conn }) = sim.machine.poll_output() else {
        panic!("the URL is asked for after the state change");
    };
    sim.machine
        .handle_url(at(200), conn, Err("still no token".into()));
    sim.drain();
    assert_eq!(sim.state(), State::Reconnecting);
    assert!(sim.new_events().iter().any(|e| matches!(
        e,
        Event::StateChange {
            from: State::Connecting,
            to: State::Reconnecting
        }
    )));
}

// docs/behaviour.md#rule-13: connect timeout covers URL resolution.

#[test]
fn connect_timeout_covers_a_url_provider_that_never_settles() {
    let mut c = config();
    c.url = UrlSource::Provider;
    let mut sim = Sim::new(c);
    sim.start();
    sim.advance(499);
    assert_eq!(sim.state(), State::Connecting);
    sim.advance(1);
    assert_eq!(sim.state(), State::Reconnecting);
    assert_eq!(
        close_events(&sim.new_events().into_iter().collect::<Vec<_>>()),
        [(CloseInfo::teardown_for_test("connect timeout"), true)]
    );
    assert!(sim.sockets.is_empty(), "no socket was ever created");
}

#[test]
fn the_url_provider_is_asked_before_every_attempt_and_late_answers_are_ignored() {
    let mut c = config();
    c.url = UrlSource::Provider;
    let mut sim = Sim::new(c);
    sim.start();
    sim.advance(500); // first resolution never answered
    sim.advance(200);
    let asked: Vec<ConnId> = sim
        .trace
        .iter()
        .filter_map(|(_, o)| {
            if let Output::ResolveUrl { conn } = o {
                Some(*conn)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(asked.len(), 2);
    sim.machine
        .handle_url(at(sim.now), asked[0], Ok("wss://late/".into()));
    sim.drain();
    assert!(
        sim.sockets.is_empty(),
        "the answer for an abandoned attempt is ignored"
    );
    sim.machine
        .handle_url(at(sim.now), asked[1], Ok("wss://fresh/?t=2".into()));
    sim.drain();
    assert!(sim
        .trace
        .iter()
        .any(|(_, o)| matches!(o, Output::Connect { url, .. } if url == "wss://fresh/?t=2")));
    sim.advance(5);
    assert_eq!(sim.state(), State::Open);
}

// Heartbeat details.

#[test]
fn pongs_are_swallowed_measured_and_keep_the_connection() {
    let (mut sim, _) = open_sim(config());
    sim.advance(1000);
    let events = sim.new_events();
    assert!(
        events
            .iter()
            .all(|e| matches!(e, Event::Heartbeat { rtt_ms: 10 })),
        "{events:?}"
    );
    assert!(!events.is_empty());
    assert_eq!(sim.state(), State::Open);
    let stats = sim.machine.stats();
    assert_eq!(
        (stats.pings_sent, stats.pongs_received, stats.last_rtt_ms),
        (9, 9, Some(10))
    );
    assert!(sim.delivered.is_empty(), "pongs are not delivered");
}

#[test]
fn with_any_message_traffic_alone_keeps_the_connection_without_pings() {
    let (mut sim, conn) = open_sim(config());
    sim.peer.answers_pings = false;
    for _ in 0..100 {
        sim.advance(50);
        sim.deliver(conn, SocketEvent::Data("tick".into()));
    }
    assert_eq!(sim.state(), State::Open);
    assert_eq!(sim.machine.stats().pings_sent, 0);
    assert_eq!(sim.delivered_on(conn).len(), 100);
}

#[test]
fn without_any_message_only_pongs_prove_liveness() {
    let mut c = config();
    c.heartbeat.as_mut().unwrap().any_message = false;
    let (mut sim, conn) = open_sim(c);
    sim.peer.answers_pings = false;
    for _ in 0..3 {
        sim.advance(50);
        sim.deliver(conn, SocketEvent::Data("tick".into()));
    }
    assert_eq!(
        sim.state(),
        State::Reconnecting,
        "data did not save it: ping at 100, dead at 150"
    );
}

#[test]
fn server_driven_heartbeat_sends_nothing_and_dies_after_interval_plus_timeout() {
    let mut c = config();
    c.heartbeat.as_mut().unwrap().sends_ping = false;
    let (mut sim, conn) = open_sim(c);
    sim.advance(100);
    sim.deliver(conn, SocketEvent::Heartbeat(HeartbeatMessage::Ping));
    assert!(
        matches!(&sim.new_outputs()[..], [(_, Output::AnswerPing { conn: c })] if *c == conn),
        "server pings are answered and swallowed"
    );
    sim.advance(149);
    assert_eq!(sim.state(), State::Open);
    sim.advance(1);
    assert_eq!(sim.state(), State::Reconnecting);
    assert!(!sim
        .trace
        .iter()
        .any(|(_, o)| matches!(o, Output::SendPing { .. })));
}

// Re-entrancy: commands issued from inside a listener.

#[test]
fn reconnect_from_a_listener_before_the_final_close_arrives_turns_it_into_a_reconnection() {
    let mut c = config();
    c.reconnect = None;
    let mut sim = Sim::new(c);
    sim.peer.stalls = true;
    sim.start();
    let conn = sim.last_socket();
    sim.new_outputs();
    sim.machine.handle_error(at(sim.now), conn, "refused");
    // The error listener revives the socket before the attempt's close event is delivered.
    assert!(matches!(
        sim.machine.poll_output(),
        Some(Output::Emit(Event::Error { .. }))
    ));
    sim.machine.reconnect(at(sim.now)).unwrap();
    sim.drain();
    let closes = close_events(&sim.new_events());
    assert_eq!(closes.len(), 1);
    assert!(
        closes[0].1,
        "the close event announces the reconnection that follows"
    );
    assert_eq!(sim.state(), State::Connecting);
}

#[test]
fn close_from_inside_a_close_listener_withdraws_the_reconnecting_event() {
    let (mut sim, conn) = open_sim(config());
    sim.machine
        .handle_close(at(sim.now), conn, abnormal(), true);
    // The host delivers the close event ...
    let first = sim.machine.poll_output();
    assert!(matches!(first, Some(Output::Disconnect { .. })));
    let close = sim.machine.poll_output();
    assert!(matches!(
        close,
        Some(Output::Emit(Event::Close {
            will_reconnect: true,
            ..
        }))
    ));
    // ... and the listener calls close().
    sim.machine
        .close(at(sim.now), CloseFrame::new(1000, "").unwrap());
    let mut rest = Vec::new();
    while let Some(Output::Emit(e)) = sim.machine.poll_output() {
        rest.push(e);
    }
    assert_eq!(
        rest,
        [
            Event::StateChange {
                from: State::Open,
                to: State::Closed
            },
            Event::Close {
                info: CloseInfo {
                    code: 1000,
                    reason: String::new(),
                    was_clean: true
                },
                will_reconnect: false
            }
        ],
        "no reconnecting event; the close() still ends with a final close"
    );
    assert_eq!(sim.machine.poll_timeout(), None);
}

#[test]
fn reconnect_from_inside_a_close_listener_withdraws_the_give_up() {
    let mut c = config();
    c.reconnect.as_mut().unwrap().max_retries = Some(0);
    let (mut sim, conn) = open_sim(c);
    sim.machine
        .handle_close(at(sim.now), conn, abnormal(), true);
    assert!(matches!(
        sim.machine.poll_output(),
        Some(Output::Disconnect { .. })
    ));
    assert!(matches!(
        sim.machine.poll_output(),
        Some(Output::Emit(Event::Close {
            will_reconnect: false,
            ..
        }))
    ));
    sim.machine.reconnect(at(sim.now)).unwrap();
    let mut rest = Vec::new();
    while let Some(output) = sim.machine.poll_output() {
        rest.push(output);
    }
    // The state change queued for "closed" now reports the truth; no giveup follows.
    assert!(
        matches!(
            &rest[..],
            [
                Output::Emit(Event::StateChange {
                    from: State::Open,
                    to: State::Connecting
                }),
                Output::Connect { .. }
            ]
        ),
        "{rest:?}"
    );
}
