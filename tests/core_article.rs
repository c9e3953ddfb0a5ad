//! The source article's timeline, replayed through `Config::article` (what
//! `HeartbeatSocket.presets.article` configures), and the article's flaws, shown absent.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use heartbeat_ws::core::{Config, Event, Output, State, UrlSource};

fn article() -> Sim {
    let mut sim = Sim::new(Config::article(UrlSource::Fixed(
        "wss://example.com/websocket?task&user".into(),
    )));
    sim.peer.latency_ms = 0;
    sim
}

#[test]
fn ping_at_10_s_death_at_20_s_retries_every_5_s_give_up_after_12() {
    let mut sim = article();
    sim.start();
    assert_eq!(sim.state(), State::Open);
    // The server goes silent (a half-open connection) and then away entirely.
    sim.peer.answers_pings = false;
    sim.peer.reachable = false;
    sim.advance(200_000);

    let pings: Vec<u64> = sim
        .trace
        .iter()
        .filter(|(_, o)| matches!(o, Output::SendPing { .. }))
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(pings, [10_000], "one ping, 10 s after open");

    let events = sim.events();
    let death = events
        .iter()
        .find(|(_, e)| matches!(e, Event::Close { .. }))
        .unwrap();
    assert_eq!(
        death.0, 20_000,
        "no pong within 10 more seconds: dead at 20 s"
    );

    let retries: Vec<(u64, u32, u64)> = events
        .iter()
        .filter_map(|(t, e)| {
            if let Event::Reconnecting { attempt, delay_ms } = e {
                Some((*t, *attempt, *delay_ms))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(retries.len(), 12, "at most 12 tries");
    for (i, (t, attempt, delay)) in retries.iter().enumerate() {
        assert_eq!(
            (*t, *attempt, *delay),
            (20_000 + 5000 * i as u64, i as u32 + 1, 5000),
            "retry {}",
            i + 1
        );
    }
    assert_eq!(
        &sim.connect_times()[1..],
        (1..=12).map(|n| 20_000 + 5000 * n).collect::<Vec<_>>()
    );

    let (giveup_time, giveup) = events.last().unwrap();
    assert_eq!(
        (*giveup_time, giveup),
        (80_000, &Event::GiveUp { attempts: 12 })
    );
    assert_eq!(sim.state(), State::Closed);
    assert_eq!(
        sim.machine.poll_timeout(),
        None,
        "no timer keeps running after giving up"
    );
}

#[test]
fn only_pong_proves_liveness_as_in_the_article() {
    let mut sim = article();
    sim.start();
    let conn = sim.last_socket();
    sim.peer.answers_pings = false;
    // Chatty server, no pongs: the article still pings at 10 s and kills at 20 s.
    for _ in 0..19 {
        sim.advance(1000);
        sim.deliver(conn, SocketEvent::Data("data".into()));
    }
    sim.advance(1000);
    assert_eq!(sim.state(), State::Reconnecting);
}

#[test]
fn unlike_the_article_the_counter_resets_after_a_stable_connection() {
    // The article's counter never resets: after 12 drops in a page's life it never
    // reconnects again. Here, 30 drops of connections that each lived a minute are fine.
    let mut sim = article();
    sim.start();
    for _ in 0..30 {
        sim.advance(60_000);
        let conn = sim.last_socket();
        sim.deliver(conn, SocketEvent::Close(abnormal()));
        assert_eq!(sim.state(), State::Reconnecting);
        sim.advance(5000);
        assert_eq!(sim.state(), State::Open);
    }
    assert!(!sim
        .events()
        .iter()
        .any(|(_, e)| matches!(e, Event::GiveUp { .. })));
}

#[test]
fn unlike_the_article_a_pong_restarts_the_heartbeat_without_a_reconnect() {
    let mut sim = article();
    sim.start();
    sim.advance(3_600_000);
    assert_eq!(
        sim.sockets.len(),
        1,
        "an answering server keeps one socket for an hour"
    );
    assert_eq!(sim.machine.stats().pings_sent, 360);
}
