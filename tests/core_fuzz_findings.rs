//! What the fuzzers (`make fuzz`) found in the core, each as the smallest scenario that
//! shows it.
#![cfg(not(target_arch = "wasm32"))]

use heartbeat_ws::core::{
    CloseFrame, Config, ConnId, Event, Fixed, Instant, Machine, Output, Overflow, Payload,
    QueueConfig, Sent, State, UrlSource,
};

fn at(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

/// A message that claims a size without allocating it.
#[derive(Debug)]
struct Claimed(usize);

impl Payload for Claimed {
    fn byte_len(&self) -> usize {
        self.0
    }
}

fn drain<P: Payload>(machine: &mut Machine<P>) -> Vec<Output<P>> {
    std::iter::from_fn(|| machine.poll_output()).collect()
}

fn config() -> Config {
    Config::new(UrlSource::Fixed("wss://example.com/".into()))
}

/// The `close` events among `outputs` that say no reconnection follows.
fn final_closes<P>(outputs: &[Output<P>]) -> usize {
    outputs
        .iter()
        .filter(|output| {
            matches!(
                output,
                Output::Emit(Event::Close {
                    will_reconnect: false,
                    ..
                })
            )
        })
        .count()
}

/// A machine with the default configuration whose first socket is connecting.
fn connecting<P: Payload>() -> (Machine<P>, ConnId) {
    let mut machine = Machine::new(config(), Box::new(Fixed(0.0)), at(0));
    machine.connect(at(0));
    machine.handle_timeout(at(0));
    let conn = drain(&mut machine)
        .iter()
        .find_map(|output| match output {
            Output::Connect { conn, .. } => Some(*conn),
            _ => None,
        })
        .expect("a connect");
    (machine, conn)
}

#[test]
fn close_from_an_error_listener_ends_with_one_final_close() {
    let (mut machine, conn) = connecting::<String>();
    machine.handle_error(at(1), conn, "refused");
    // The host delivers the error event first; its listener calls close() while the
    // attempt's close event is still queued behind it.
    assert!(matches!(
        machine.poll_output(),
        Some(Output::Emit(Event::Error { .. }))
    ));
    machine.close(at(1), CloseFrame::normal());
    assert_eq!(
        final_closes(&drain(&mut machine)),
        1,
        "the user hears one final close event"
    );
    assert_eq!(machine.state(), State::Closed);
}

#[test]
fn messages_taken_back_never_overflow_the_queue_byte_count() {
    let (mut machine, conn) = connecting::<Claimed>();
    machine.handle_open(at(1), conn);
    drain(&mut machine);
    // Two messages a listener sends in a burst on the open socket: sends on an open socket
    // are never measured, so their sizes can add up past `usize::MAX` ...
    let half = usize::MAX / 2 + 1;
    assert_eq!(machine.send(at(1), Claimed(half)), Ok(Sent::Now));
    assert_eq!(machine.send(at(1), Claimed(half)), Ok(Sent::Now));
    // ... and a reconnect() before the host took them returns both to the queue.
    machine.reconnect(at(1)).expect("not closed");
    assert_eq!(machine.stats().queued, 2);
}

#[test]
fn an_unbounded_queue_never_overflows_its_byte_count() {
    // `queue.maxBytes: Infinity` in the binding.
    let config = Config {
        queue: Some(QueueConfig {
            max_messages: usize::MAX,
            max_bytes: usize::MAX,
            overflow: Overflow::DropOldest,
        }),
        ..config()
    };
    let mut machine = Machine::new(config, Box::new(Fixed(0.0)), at(0));
    assert_eq!(machine.send(at(0), Claimed(1)), Ok(Sent::Queued));
    // Together the two messages do not fit: the older one makes room.
    assert_eq!(machine.send(at(0), Claimed(usize::MAX)), Ok(Sent::Queued));
    let stats = machine.stats();
    assert_eq!((stats.queued, stats.queued_bytes), (1, usize::MAX as u64));
    assert!(matches!(
        machine.poll_output(),
        Some(Output::Emit(Event::Drop {
            data: Claimed(1),
            ..
        }))
    ));
}

#[test]
fn reconnect_then_close_from_listeners_ends_with_one_final_close() {
    let config = Config {
        queue: Some(QueueConfig {
            max_messages: 10,
            max_bytes: 2,
            overflow: Overflow::DropOldest,
        }),
        ..config()
    };
    let mut machine = Machine::new(config, Box::new(Fixed(0.0)), at(0));
    machine.connect(at(0));
    machine.handle_timeout(at(0));
    drain(&mut machine);
    machine.send(at(1), "a".to_owned()).expect("queued");
    machine.send(at(1), "b".to_owned()).expect("queued");
    // A message that makes both queued ones drop: two `drop` events wait for the user.
    machine.send(at(1), "cd".to_owned()).expect("queued");
    assert!(matches!(
        machine.poll_output(),
        Some(Output::Emit(Event::Drop { .. }))
    ));
    // The first drop's listener calls reconnect(), the second's close().
    machine.reconnect(at(1)).expect("not closed");
    assert!(matches!(
        machine.poll_output(),
        Some(Output::Emit(Event::Drop { .. }))
    ));
    machine.close(at(1), CloseFrame::normal());
    assert_eq!(
        final_closes(&drain(&mut machine)),
        1,
        "the user hears one final close event"
    );
}
