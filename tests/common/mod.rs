//! A virtual-clock harness for the core: a scripted peer, a recorder of every output,
//! and the host run loop of the `Machine` docs.
#![allow(dead_code)] // Each test crate uses a different part of the harness.

use std::collections::BTreeSet;

use heartbeat_ws::core::{
    should_reconnect_by_default, CloseInfo, Config, ConnId, Event, Fixed, HeartbeatMessage,
    Instant, Lifecycle, Machine, Output, RandomSource, State,
};

/// Payloads in tests: strings.
pub type Msg = String;

/// What the simulated server does with sockets the machine opens.
#[derive(Debug, Clone)]
pub struct Peer {
    /// Whether connection attempts succeed; if not, they fail with a 1006 close.
    pub reachable: bool,
    /// One-way delay for the handshake and every message.
    pub latency_ms: u64,
    /// Whether pings get a pong.
    pub answers_pings: bool,
    /// Whether data messages are echoed.
    pub echoes: bool,
    /// Whether a connecting socket stays connecting forever (stalled handshake).
    pub stalls: bool,
}

impl Default for Peer {
    fn default() -> Self {
        Peer {
            reachable: true,
            latency_ms: 5,
            answers_pings: true,
            echoes: false,
            stalls: false,
        }
    }
}

/// A socket event the simulated peer will deliver.
#[derive(Debug, Clone)]
pub enum SocketEvent {
    Open,
    /// An application message: the host delivers it and notes the time (its data plane).
    Data(Msg),
    Heartbeat(HeartbeatMessage),
    Error(String),
    Close(CloseInfo),
}

#[derive(Debug)]
struct Scheduled {
    at: u64,
    conn: ConnId,
    event: SocketEvent,
}

/// The machine under test plus everything around it.
pub struct Sim {
    pub machine: Machine<Msg>,
    pub now: u64,
    pub peer: Peer,
    /// Every output, stamped with the virtual time it was carried out.
    pub trace: Vec<(u64, Output<Msg>)>,
    read: usize,
    scheduled: Vec<Scheduled>,
    /// Sockets created and not yet let go; the machine must never have two.
    pub live: BTreeSet<ConnId>,
    /// Every socket ever created, in order.
    pub sockets: Vec<ConnId>,
    /// What `shouldReconnect` answers; the default policy unless a test replaces it.
    pub should_reconnect: fn(u16) -> bool,
    /// Application messages the host delivered to the user, with their time and socket.
    pub delivered: Vec<(u64, ConnId, Msg)>,
    /// Sockets the host finds closing (their close event not yet in): sends to them are
    /// given back to the machine instead of carried out.
    pub closing: BTreeSet<ConnId>,
    /// The last application message on a socket not yet reported to the machine: like the
    /// wasm binding, the harness reports activity lazily, before its next input.
    unreported: Option<(ConnId, u64)>,
}

pub fn at(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

impl Sim {
    /// A machine with `config`, jitter pinned so delays are exactly the base delay.
    pub fn new(config: Config) -> Sim {
        Sim::with_random(config, Box::new(Fixed(0.0)))
    }

    pub fn with_random(config: Config, random: Box<dyn RandomSource>) -> Sim {
        Sim {
            machine: Machine::new(config, random, at(0)),
            now: 0,
            peer: Peer::default(),
            trace: Vec::new(),
            read: 0,
            scheduled: Vec::new(),
            live: BTreeSet::new(),
            sockets: Vec::new(),
            should_reconnect: should_reconnect_by_default,
            delivered: Vec::new(),
            closing: BTreeSet::new(),
            unreported: None,
        }
    }

    /// `connect()` and run everything due at the current time.
    pub fn start(&mut self) {
        self.machine.connect(at(self.now));
        self.drain();
        self.advance(0);
    }

    /// Runs the world for `ms` of virtual time: socket events and machine timeouts in time
    /// order, draining outputs after each.
    pub fn advance(&mut self, ms: u64) {
        let target = self.now + ms;
        loop {
            let next_event = self.scheduled.iter().map(|s| s.at).min();
            let next_timeout = self.machine.poll_timeout().map(Instant::as_millis);
            let next = match (next_event, next_timeout) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(t) => t,
                    None => break,
                },
            };
            if next > target {
                break;
            }
            self.now = self.now.max(next);
            if next_event == Some(next) {
                let index = self
                    .scheduled
                    .iter()
                    .position(|s| s.at == next)
                    .unwrap_or_default();
                let Scheduled { conn, event, .. } = self.scheduled.remove(index);
                self.deliver(conn, event);
            } else {
                self.report_activity();
                self.machine.handle_timeout(at(self.now));
                self.drain();
            }
        }
        self.now = target;
    }

    /// Delivers a socket event now, as the host's listener for socket `conn` would.
    pub fn deliver(&mut self, conn: ConnId, event: SocketEvent) {
        let now = at(self.now);
        if let SocketEvent::Data(data) = event {
            // The data plane: a live socket's message goes to the user, and the machine
            // hears nothing now. Sockets let go of are detached and deliver nothing.
            if self.live.contains(&conn) {
                self.delivered.push((self.now, conn, data));
                self.unreported = Some((conn, self.now));
            }
            return;
        }
        self.report_activity();
        match event {
            SocketEvent::Open => self.machine.handle_open(now, conn),
            SocketEvent::Data(_) => unreachable!("handled above"),
            SocketEvent::Heartbeat(message) => self.machine.handle_heartbeat(now, conn, message),
            SocketEvent::Error(message) => self.machine.handle_error(now, conn, &message),
            SocketEvent::Close(info) => {
                let allowed = (self.should_reconnect)(info.code);
                self.machine.handle_close(now, conn, info, allowed)
            }
        }
        self.drain();
    }

    /// Schedules a socket event `delay_ms` from now.
    pub fn schedule(&mut self, delay_ms: u64, conn: ConnId, event: SocketEvent) {
        self.scheduled.push(Scheduled {
            at: self.now + delay_ms,
            conn,
            event,
        });
    }

    pub fn lifecycle(&mut self, signal: Lifecycle) {
        self.report_activity();
        self.machine.handle_lifecycle(at(self.now), signal);
        self.drain();
    }

    /// Tells the machine when the last application message arrived, if one did since the
    /// last report (what the binding does before feeding the machine anything).
    pub fn report_activity(&mut self) {
        if let Some((conn, last)) = self.unreported.take() {
            self.machine.handle_activity(at(self.now), conn, at(last));
        }
    }

    /// Application messages delivered on socket `conn`.
    pub fn delivered_on(&self, conn: ConnId) -> Vec<Msg> {
        self.delivered
            .iter()
            .filter(|(_, c, _)| *c == conn)
            .map(|(_, _, data)| data.clone())
            .collect()
    }

    /// The host run loop: carry out every output in order.
    pub fn drain(&mut self) {
        while let Some(output) = self.machine.poll_output() {
            match output {
                Output::Send { conn, data } if self.closing.contains(&conn) => {
                    // Not carried out, so not in the trace: the machine gets it back.
                    self.machine.handle_unwritable(at(self.now), conn, data);
                }
                output => {
                    self.carry_out(&output);
                    self.trace.push((self.now, output));
                }
            }
        }
    }

    fn carry_out(&mut self, output: &Output<Msg>) {
        let latency = self.peer.latency_ms;
        match output {
            Output::Connect { conn, .. } => {
                assert!(
                    self.live.is_empty(),
                    "second live socket {conn:?} while {:?} is live",
                    self.live
                );
                self.live.insert(*conn);
                self.sockets.push(*conn);
                if self.peer.stalls {
                } else if self.peer.reachable {
                    self.schedule(latency, *conn, SocketEvent::Open);
                } else {
                    self.schedule(
                        latency,
                        *conn,
                        SocketEvent::Error("connection refused".into()),
                    );
                    self.schedule(latency, *conn, SocketEvent::Close(abnormal()));
                }
            }
            Output::Disconnect { conn, .. } => {
                assert!(
                    self.live.remove(conn),
                    "disconnect of a socket that is not live: {conn:?}"
                );
            }
            Output::Send { conn, data } => {
                assert!(
                    self.live.contains(conn),
                    "send to a socket that is not live"
                );
                if self.peer.echoes {
                    self.schedule(2 * latency, *conn, SocketEvent::Data(data.clone()));
                }
            }
            Output::SendPing { conn } => {
                assert!(
                    self.live.contains(conn),
                    "ping on a socket that is not live"
                );
                if self.peer.answers_pings {
                    self.schedule(
                        2 * latency,
                        *conn,
                        SocketEvent::Heartbeat(HeartbeatMessage::Pong),
                    );
                }
            }
            Output::AnswerPing { conn } => assert!(
                self.live.contains(conn),
                "pong on a socket that is not live"
            ),
            Output::ResolveUrl { .. } | Output::Emit(_) => {}
        }
    }

    /// Outputs carried out since the last call.
    pub fn new_outputs(&mut self) -> Vec<(u64, Output<Msg>)> {
        let new = self.trace[self.read..].to_vec();
        self.read = self.trace.len();
        new
    }

    /// Every event emitted so far, with its time.
    pub fn events(&self) -> Vec<(u64, Event<Msg>)> {
        self.trace
            .iter()
            .filter_map(|(t, o)| match o {
                Output::Emit(e) => Some((*t, e.clone())),
                _ => None,
            })
            .collect()
    }

    /// Events emitted since the last `new_outputs`/`new_events` call.
    pub fn new_events(&mut self) -> Vec<Event<Msg>> {
        self.new_outputs()
            .into_iter()
            .filter_map(|(_, o)| match o {
                Output::Emit(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    /// The socket created last.
    pub fn last_socket(&self) -> ConnId {
        *self.sockets.last().expect("no socket was created")
    }

    /// Times at which sockets were created.
    pub fn connect_times(&self) -> Vec<u64> {
        self.trace
            .iter()
            .filter(|(_, o)| matches!(o, Output::Connect { .. }))
            .map(|(t, _)| *t)
            .collect()
    }

    pub fn state(&self) -> State {
        self.machine.state()
    }
}

pub fn abnormal() -> CloseInfo {
    CloseInfo {
        code: 1006,
        reason: String::new(),
        was_clean: false,
    }
}

pub fn server_close(code: u16, reason: &str) -> CloseInfo {
    CloseInfo {
        code,
        reason: reason.into(),
        was_clean: true,
    }
}

/// Only the events of the given kinds, for readable assertions.
pub fn kinds(events: &[Event<Msg>]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| match e {
            Event::StateChange { .. } => "statechange",
            Event::Open { .. } => "open",
            Event::Close { .. } => "close",
            Event::Error { .. } => "error",
            Event::Reconnecting { .. } => "reconnecting",
            Event::GiveUp { .. } => "giveup",
            Event::Heartbeat { .. } => "heartbeat",
            Event::Drop { .. } => "drop",
        })
        .collect()
}
