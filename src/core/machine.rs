//! The state machine: one logical WebSocket that outlives the sockets it drives.

use super::backoff::retry_delay_ms;
use super::close::{CloseFrame, CloseInfo};
use super::config::{Config, UrlSource};
use super::event::{ConnId, DropReason, Event, Output, State};
use super::fifo::Fifo;
use super::heartbeat::{Liveness, Verdict};
use super::payload::Payload;
use super::queue::{Enqueued, SendQueue};
use super::random::RandomSource;
use super::stats::Stats;
use super::time::Instant;

/// A heartbeat message the host found among inbound messages, having matched it against
/// the configured strings or predicates (the core never sees payload bytes). Application
/// messages never reach the core: the host delivers them and reports only the time of
/// the last one ([`Machine::handle_activity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeartbeatMessage {
    /// A pong: answers the heartbeat; swallowed.
    Pong,
    /// A server ping the client answers at once; swallowed.
    Ping,
}

/// A signal from the platform about network and visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// The network came back.
    Online,
    /// The network went away.
    Offline,
    /// The page or app became visible / came to the foreground (timers may have been
    /// throttled or suspended meanwhile).
    Foreground,
}

/// How `send` disposed of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Handed to the open socket.
    Now,
    /// Queued until the socket opens (older messages may have been dropped for room).
    Queued,
    /// Dropped at once under the `DropNewest` policy (a `drop` event reports it).
    Dropped,
}

/// Why `send` refused a message; the caller still owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// `close()` was called.
    Closed,
    /// The socket is not open and queueing is off.
    NotOpen,
    /// The queue is full and its policy is to refuse.
    QueueFull,
    /// The message is larger than the queue's byte limit (it could never be queued) and
    /// the policy is to refuse.
    TooLarge,
}

/// What [`Machine::withdraw_outputs_of`] took back.
struct Withdrawn<P> {
    /// User messages, in order.
    messages: Vec<P>,
    /// Whether the socket exists, i.e. its `Connect` had already been pulled.
    socket_exists: bool,
}

/// `reconnect()` after `close()`: the socket is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyClosed;

#[derive(Debug)]
enum Phase {
    /// Created; `connect` not called yet.
    Idle,
    /// The first attempt is due at `at` (the host runs it from its timer, after the
    /// caller had a chance to attach listeners).
    Starting {
        at: Instant,
    },
    /// Waiting for the host to resolve the URL of attempt `conn`.
    Resolving {
        conn: ConnId,
        deadline: Instant,
    },
    /// Socket `conn` is connecting.
    Connecting {
        conn: ConnId,
        deadline: Instant,
    },
    Open {
        conn: ConnId,
        opened_at: Instant,
        liveness: Liveness,
        /// Cleared when the host finds the socket closing before its close event: later
        /// messages wait in the queue for the next connection.
        writable: bool,
    },
    /// The next retry is due at `until`.
    Waiting {
        until: Instant,
    },
    Offline,
    Closed {
        by: ClosedBy,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClosedBy {
    User,
    GaveUp,
    /// `shouldReconnect` (or the default policy) refused to retry a close.
    Veto,
    /// Reconnection is off and the connection ended.
    NoReconnect,
}

/// The attempts since the retry counter last reset.
#[derive(Debug, Clone, Copy, Default)]
struct Streak {
    attempts: u32,
    retries: u32,
}

/// Outputs waiting for the host. Transitional events carry the `epoch` (phase change
/// count) they describe and are dropped if the phase changed before the host pulled them:
/// a listener that calls `close()` from a `close` event must not then hear `reconnecting`.
#[derive(Debug)]
enum Pending<P> {
    /// Actions, and events that stay true whatever happens next (messages, errors, drops,
    /// heartbeats): handed over as they are.
    Ready(Output<P>),
    /// Reports the state if it differs from the last one reported, when pulled.
    StateChange,
    Open {
        epoch: u32,
        attempt: u32,
        reconnected: bool,
    },
    /// `will_reconnect` is decided once the input that ended the connection is over (at the
    /// next pull), from the phase it left: a retry scheduled, offline or a new attempt
    /// mean true. A close() from a listener before it is delivered does not change it:
    /// that close() brings its own final close event.
    Close {
        info: CloseInfo,
        will_reconnect: Option<bool>,
    },
    Reconnecting {
        epoch: u32,
        attempt: u32,
        delay_ms: u64,
    },
    GiveUp {
        epoch: u32,
        attempts: u32,
    },
}

/// One logical WebSocket: heartbeat, dead-connection detection, reconnection and a send
/// queue, with no I/O, no clock and no randomness of its own.
///
/// # The run loop
/// The host owns the sockets, one timer and the clock. After every input (a `handle_*`
/// call or a command such as [`send`](Self::send)) it must:
/// 1. pull [`poll_output`](Self::poll_output) until it returns `None`, carrying out each
///    output before pulling the next (outputs may re-enter the machine: a user listener
///    may call `send` or `close`, a socket may deliver events synchronously);
/// 2. arm its timer for [`poll_timeout`](Self::poll_timeout) and call
///    [`handle_timeout`](Self::handle_timeout) when it fires. Early or spurious calls are
///    harmless, so a host may keep a timer armed for an earlier deadline instead of
///    re-arming it whenever the deadline moves later (inbound messages only ever move it
///    later).
///
/// Every input takes `now`; time never goes backwards inside the machine even if the
/// host's clock does.
pub struct Machine<P> {
    config: Config,
    random: Box<dyn RandomSource>,
    now: Instant,
    phase: Phase,
    epoch: u32,
    reported: State,
    last_conn: ConnId,
    streak: Streak,
    attempts_ever: u64,
    offline: bool,
    /// Whether `pending` holds a close event whose `will_reconnect` is not decided yet.
    undecided_closes: bool,
    queue: SendQueue<P>,
    pending: Fifo<Pending<P>>,
    stats: Stats,
}

impl<P: Payload> Machine<P> {
    /// A machine that has not started; call [`connect`](Self::connect).
    pub fn new(config: Config, random: Box<dyn RandomSource>, now: Instant) -> Machine<P> {
        Machine {
            config,
            random,
            now,
            phase: Phase::Idle,
            epoch: 0,
            reported: State::Connecting,
            last_conn: ConnId::from_u32(0),
            streak: Streak::default(),
            attempts_ever: 0,
            offline: false,
            undecided_closes: false,
            queue: SendQueue::default(),
            pending: Fifo::default(),
            stats: Stats::default(),
        }
    }

    /// Connect requested: the first attempt is due at once.
    pub fn connect(&mut self, now: Instant) {
        let now = self.tick(now);
        if matches!(self.phase, Phase::Idle) {
            self.set_phase(if self.offline {
                Phase::Offline
            } else {
                Phase::Starting { at: now }
            });
            self.pending.push_back(Pending::StateChange);
        }
    }

    /// The state as the user sees it now.
    pub fn state(&self) -> State {
        match self.phase {
            Phase::Idle
            | Phase::Starting { .. }
            | Phase::Resolving { .. }
            | Phase::Connecting { .. } => State::Connecting,
            Phase::Open { .. } => State::Open,
            Phase::Waiting { .. } => State::Reconnecting,
            Phase::Offline => State::Offline,
            Phase::Closed { .. } => State::Closed,
        }
    }

    /// Counters so far.
    pub fn stats(&self) -> Stats {
        Stats {
            queued: self.queue.len() as u64,
            queued_bytes: self.queue.bytes() as u64,
            ..self.stats.clone()
        }
    }

    /// The attempt whose socket is live (connecting or open), if any.
    pub fn live_conn(&self) -> Option<ConnId> {
        match self.phase {
            Phase::Resolving { conn, .. }
            | Phase::Connecting { conn, .. }
            | Phase::Open { conn, .. } => Some(conn),
            _ => None,
        }
    }

    /// The open connection a host may hand messages to directly, bypassing
    /// [`send`](Self::send): open and not found closing. A host that does so must first
    /// have carried out every output, and if it finds the socket closing it must give the
    /// message to [`handle_unwritable`](Self::handle_unwritable) instead.
    pub fn writable_conn(&self) -> Option<ConnId> {
        match self.phase {
            Phase::Open {
                conn,
                writable: true,
                ..
            } => Some(conn),
            _ => None,
        }
    }

    /// When the host must call [`handle_timeout`](Self::handle_timeout) next; `None` when
    /// nothing is timed (offline, closed).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.phase {
            Phase::Idle | Phase::Offline | Phase::Closed { .. } => None,
            Phase::Starting { at } => Some(*at),
            Phase::Resolving { deadline, .. } | Phase::Connecting { deadline, .. } => {
                Some(*deadline)
            }
            Phase::Open { liveness, .. } => self
                .config
                .heartbeat
                .as_ref()
                .map(|hb| liveness.deadline(hb)),
            Phase::Waiting { until } => Some(*until),
        }
    }

    /// The next thing for the host to do, in order.
    pub fn poll_output(&mut self) -> Option<Output<P>> {
        self.decide_closes();
        loop {
            let output = match self.pending.pop_front()? {
                Pending::Ready(output) => output,
                Pending::StateChange => {
                    let to = self.state();
                    if to == self.reported {
                        continue;
                    }
                    let from = std::mem::replace(&mut self.reported, to);
                    Output::Emit(Event::StateChange { from, to })
                }
                Pending::Close {
                    info,
                    will_reconnect,
                } => Output::Emit(Event::Close {
                    info,
                    will_reconnect: will_reconnect.unwrap_or(false),
                }),
                Pending::Open {
                    epoch,
                    attempt,
                    reconnected,
                } if epoch == self.epoch => Output::Emit(Event::Open {
                    attempt,
                    reconnected,
                }),
                Pending::Reconnecting {
                    epoch,
                    attempt,
                    delay_ms,
                } if epoch == self.epoch => Output::Emit(Event::Reconnecting { attempt, delay_ms }),
                Pending::GiveUp { epoch, attempts } if epoch == self.epoch => {
                    Output::Emit(Event::GiveUp { attempts })
                }
                Pending::Open { .. } | Pending::Reconnecting { .. } | Pending::GiveUp { .. } => {
                    continue
                }
            };
            return Some(output);
        }
    }

    /// The URL of attempt `conn` (checked by the host), or why the host has none (a message
    /// without URL query strings).
    pub fn handle_url(&mut self, now: Instant, conn: ConnId, url: Result<String, String>) {
        let now = self.tick(now);
        let Phase::Resolving {
            conn: resolving,
            deadline,
        } = self.phase
        else {
            return;
        };
        if resolving != conn {
            return;
        }
        match url {
            Ok(url) => {
                self.set_phase(Phase::Connecting { conn, deadline });
                self.ready(Output::Connect { conn, url });
            }
            Err(problem) => {
                self.report_error(prefixed("url: ", &problem));
                self.fail_attempt(now, None, CloseInfo::abnormal("no url"));
            }
        }
    }

    /// Socket `conn` opened.
    pub fn handle_open(&mut self, now: Instant, conn: ConnId) {
        let now = self.tick(now);
        if !matches!(self.phase, Phase::Connecting { conn: c, .. } if c == conn) {
            return;
        }
        self.set_phase(Phase::Open {
            conn,
            opened_at: now,
            liveness: Liveness::new(now),
            writable: true,
        });
        self.stats.opens += 1;
        // Queued messages go out before the `open` event, in order.
        while let Some(data) = self.queue.pop() {
            self.ready(Output::Send { conn, data });
        }
        self.pending.push_back(Pending::StateChange);
        self.pending.push_back(Pending::Open {
            epoch: self.epoch,
            attempt: self.streak.attempts,
            reconnected: self.stats.opens > 1,
        });
    }

    /// Socket `conn` received application messages, the last of them at `last`. Hosts
    /// call this lazily (before their timer's verdict, or any other input), not per
    /// message. With `anyMessage` off it changes nothing: only pongs prove liveness.
    pub fn handle_activity(&mut self, now: Instant, conn: ConnId, last: Instant) {
        let now = self.tick(now);
        if self
            .config
            .heartbeat
            .as_ref()
            .is_some_and(|hb| !hb.any_message)
        {
            return;
        }
        if let Phase::Open {
            conn: open,
            liveness,
            ..
        } = &mut self.phase
        {
            if *open == conn {
                liveness.alive(last.min(now));
            }
        }
    }

    /// Socket `conn` received a pong or a server ping.
    pub fn handle_heartbeat(&mut self, now: Instant, conn: ConnId, message: HeartbeatMessage) {
        let now = self.tick(now);
        let Phase::Open {
            conn: open,
            liveness,
            ..
        } = &mut self.phase
        else {
            return;
        };
        if *open != conn {
            return;
        }
        match message {
            HeartbeatMessage::Pong => {
                self.stats.pongs_received += 1;
                if let Some(rtt_ms) = liveness.pong(now) {
                    self.stats.last_rtt_ms = Some(rtt_ms);
                    self.ready(Output::Emit(Event::Heartbeat { rtt_ms }));
                }
            }
            HeartbeatMessage::Ping => {
                liveness.alive(now);
                self.ready(Output::AnswerPing { conn });
            }
        }
    }

    /// Socket `conn` reported an error (a message without URL query strings). While
    /// connecting, the attempt has failed; while open, the error is only reported (the
    /// close, or the heartbeat, decides).
    pub fn handle_error(&mut self, now: Instant, conn: ConnId, message: &str) {
        let now = self.tick(now);
        if self.live_conn() != Some(conn) {
            return;
        }
        self.report_error(message.to_owned());
        if matches!(self.phase, Phase::Connecting { .. }) {
            self.fail_attempt(
                now,
                Some(CloseFrame::teardown("connect failed")),
                CloseInfo::abnormal("connect failed"),
            );
        }
    }

    /// Socket `conn` closed. `reconnect_allowed` is the host's `shouldReconnect` answer
    /// (see [`should_reconnect_by_default`](super::close::should_reconnect_by_default)).
    pub fn handle_close(
        &mut self,
        now: Instant,
        conn: ConnId,
        info: CloseInfo,
        reconnect_allowed: bool,
    ) {
        let now = self.tick(now);
        if !matches!(self.phase, Phase::Connecting { conn: c, .. } | Phase::Open { conn: c, .. } if c == conn)
        {
            return;
        }
        self.end_attempt(now, None, info);
        if reconnect_allowed {
            self.schedule_retry(now);
        } else {
            self.enter_closed(ClosedBy::Veto);
        }
    }

    /// The host's socket threw when handed `data` by [`Output::Send`]; `message` says why
    /// (without URL query strings).
    pub fn handle_send_failed(&mut self, now: Instant, message: &str, data: P) {
        self.tick(now);
        self.report_error(prefixed("send failed: ", message));
        self.stats.dropped += 1;
        self.ready(Output::Emit(Event::Drop {
            data,
            reason: DropReason::SendFailed,
        }));
    }

    /// The host found socket `conn` closing, its close event not yet in, when about to
    /// hand it `data` (a browser socket would silently discard it). The message goes back
    /// to the front of the queue, followed by any others still on their way to that
    /// socket, and later sends wait there too: they go out on the next connection.
    pub fn handle_unwritable(&mut self, now: Instant, conn: ConnId, data: P) {
        self.tick(now);
        if let Phase::Open {
            conn: open,
            writable,
            ..
        } = &mut self.phase
        {
            if *open == conn {
                *writable = false;
            }
        }
        let mut returned = vec![data];
        returned.append(&mut self.withdraw_outputs_of(conn).messages);
        self.queue.requeue_front(returned);
    }

    /// The host's timer fired.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.tick(now);
        match &self.phase {
            Phase::Starting { at } | Phase::Waiting { until: at } if now >= *at => {
                if self.offline {
                    self.enter_offline();
                } else {
                    self.start_attempt(now);
                }
            }
            Phase::Resolving { deadline, .. } | Phase::Connecting { deadline, .. }
                if now >= *deadline =>
            {
                self.fail_attempt(
                    now,
                    Some(CloseFrame::teardown("connect timeout")),
                    CloseInfo::teardown("connect timeout"),
                );
            }
            Phase::Open { liveness, .. } => {
                let Some(heartbeat) = &self.config.heartbeat else {
                    return;
                };
                match liveness.verdict(now, heartbeat) {
                    Verdict::Wait => {}
                    Verdict::Ping => self.send_ping(now),
                    Verdict::Probe => self.probe(now),
                    Verdict::Dead => self.lose_connection(now, "heartbeat timeout"),
                }
            }
            _ => {}
        }
    }

    /// A network or visibility change (docs/behaviour.md#rule-9).
    pub fn handle_lifecycle(&mut self, now: Instant, signal: Lifecycle) {
        let now = self.tick(now);
        match signal {
            Lifecycle::Offline => {
                self.offline = true;
                match self.phase {
                    Phase::Starting { .. } | Phase::Waiting { .. } => self.enter_offline(),
                    Phase::Resolving { .. } | Phase::Connecting { .. } => {
                        self.end_attempt(
                            now,
                            Some(CloseFrame::teardown("offline")),
                            CloseInfo::teardown("offline"),
                        );
                        self.enter_offline();
                    }
                    // The socket may survive a blip (or the "offline" may be wrong, as for
                    // a localhost server): check it rather than kill it.
                    Phase::Open { .. } => self.check_in(now),
                    Phase::Idle | Phase::Offline | Phase::Closed { .. } => {}
                }
            }
            Lifecycle::Online => {
                self.offline = false;
                self.resume(now);
            }
            Lifecycle::Foreground => {
                // A deadline that passed while asleep is dealt with first
                // (docs/behaviour.md#rule-8), before the resume logic looks at the phase.
                self.handle_timeout(now);
                self.resume(now);
            }
        }
    }

    /// Sends `data` now if open, else queues it (only then is its size asked for).
    pub fn send(&mut self, now: Instant, data: P) -> Result<Sent, SendError> {
        self.tick(now);
        match self.phase {
            Phase::Closed { by: ClosedBy::User } => Err(SendError::Closed),
            Phase::Open {
                conn,
                writable: true,
                ..
            } => {
                self.ready(Output::Send { conn, data });
                Ok(Sent::Now)
            }
            _ => {
                let Some(limits) = &self.config.queue else {
                    return Err(SendError::NotOpen);
                };
                match self.queue.push(data, limits) {
                    Enqueued::Queued { evicted } => {
                        for data in evicted {
                            self.report_drop(data, DropReason::Overflow);
                        }
                        Ok(Sent::Queued)
                    }
                    Enqueued::Dropped(data) => {
                        self.report_drop(data, DropReason::Overflow);
                        Ok(Sent::Dropped)
                    }
                    Enqueued::Refused => Err(SendError::QueueFull),
                    Enqueued::TooLarge => Err(SendError::TooLarge),
                }
            }
        }
    }

    /// Closes for good: the current socket (if any) is closed with `frame`, queued messages
    /// are dropped (and reported), no timer is left. Calling it again does nothing.
    pub fn close(&mut self, now: Instant, frame: CloseFrame) {
        let now = self.tick(now);
        if matches!(self.phase, Phase::Closed { by: ClosedBy::User }) {
            return;
        }
        let info = CloseInfo {
            code: frame.code(),
            reason: frame.reason().to_owned(),
            was_clean: true,
        };
        self.decide_closes();
        let final_close_queued = self.pending.iter().any(|pending| {
            matches!(
                pending,
                Pending::Close {
                    will_reconnect: Some(false),
                    ..
                }
            )
        });
        if self.live_conn().is_some() {
            self.end_attempt(now, Some(frame), info);
        } else if !final_close_queued {
            // No connection to end (waiting, offline, given up): the user still hears one
            // final `close`, with their frame. Unless the one that ended the socket (given
            // up, vetoed) is still on its way: that is the final one.
            self.push_close(info);
        }
        while let Some(data) = self.queue.pop() {
            self.report_drop(data, DropReason::Closed);
        }
        self.enter_closed(ClosedBy::User);
    }

    /// Drops the current socket (if any) and tries again now with the retry counter reset;
    /// also revives a socket that gave up.
    pub fn reconnect(&mut self, now: Instant) -> Result<(), AlreadyClosed> {
        let now = self.tick(now);
        match self.phase {
            Phase::Closed { by: ClosedBy::User } => return Err(AlreadyClosed),
            Phase::Idle => {
                self.connect(now);
                return Ok(());
            }
            _ => {}
        }
        if self.live_conn().is_some() {
            self.end_attempt(
                now,
                Some(CloseFrame::teardown("reconnect")),
                CloseInfo::teardown("reconnect"),
            );
        }
        // Reviving a socket that gave up (or was vetoed) before its last `close` event was
        // delivered: that event now announces this reconnection.
        self.redecide_closes(Some(false), true);
        self.streak = Streak::default();
        self.start_attempt(now);
        Ok(())
    }

    fn tick(&mut self, now: Instant) -> Instant {
        self.now = self.now.max(now);
        self.now
    }

    fn set_phase(&mut self, phase: Phase) {
        self.phase = phase;
        self.epoch = self.epoch.wrapping_add(1);
    }

    fn start_attempt(&mut self, now: Instant) {
        let conn = self.last_conn.next();
        self.last_conn = conn;
        self.streak.attempts = self.streak.attempts.saturating_add(1);
        if self.attempts_ever > 0 {
            self.stats.reconnects += 1;
        }
        self.attempts_ever += 1;
        let deadline = now + self.config.connect_timeout_ms;
        // The state change goes out before the request: a host whose URL provider or
        // transport fails synchronously must still have reported `connecting` first.
        self.pending.push_back(Pending::StateChange);
        match &self.config.url {
            UrlSource::Fixed(url) => {
                let url = url.clone();
                self.set_phase(Phase::Connecting { conn, deadline });
                self.ready(Output::Connect { conn, url });
            }
            UrlSource::Provider => {
                self.set_phase(Phase::Resolving { conn, deadline });
                self.ready(Output::ResolveUrl { conn });
            }
        }
    }

    /// Ends the live attempt or connection: lets go of its socket (closing it with `close`
    /// if given), reports one `close` event, and resets the retry counter if the
    /// connection had stayed open long enough. The caller decides what comes next.
    fn end_attempt(&mut self, now: Instant, close: Option<CloseFrame>, info: CloseInfo) {
        let (conn, has_socket) = match self.phase {
            Phase::Resolving { conn, .. } => (conn, false),
            Phase::Connecting { conn, .. } => (conn, true),
            Phase::Open {
                conn, opened_at, ..
            } => {
                let min_uptime = self
                    .config
                    .reconnect
                    .as_ref()
                    .map_or(0, |policy| policy.min_uptime_ms);
                if now.millis_since(opened_at) >= min_uptime {
                    self.streak = Streak::default();
                }
                (conn, true)
            }
            _ => return,
        };
        let withdrawn = self.withdraw_outputs_of(conn);
        self.queue.requeue_front(withdrawn.messages);
        if withdrawn.socket_exists && has_socket {
            self.ready(Output::Disconnect { conn, close });
        }
        self.stats.closes += 1;
        self.push_close(info);
    }

    /// Takes back what was still on its way to socket `conn`: user messages (to be
    /// returned to the queue: they were never handed over); pings are forgotten.
    fn withdraw_outputs_of(&mut self, conn: ConnId) -> Withdrawn<P> {
        let mut socket_exists = true;
        let mut returned = Vec::new();
        let mut kept = Fifo::default();
        while let Some(item) = self.pending.pop_front() {
            match item {
                Pending::Ready(Output::Connect { conn: c, .. }) if c == conn => {
                    socket_exists = false
                }
                Pending::Ready(Output::Send { conn: c, data }) if c == conn => returned.push(data),
                Pending::Ready(
                    Output::ResolveUrl { conn: c }
                    | Output::SendPing { conn: c }
                    | Output::AnswerPing { conn: c },
                ) if c == conn => {}
                other => kept.push_back(other),
            }
        }
        self.pending = kept;
        Withdrawn {
            messages: returned,
            socket_exists,
        }
    }

    /// Decides the close events of the last input, from the phase it left.
    fn decide_closes(&mut self) {
        if !std::mem::take(&mut self.undecided_closes) {
            return;
        }
        let will_reconnect = !matches!(self.phase, Phase::Closed { .. });
        self.redecide_closes(None, will_reconnect);
    }

    /// Sets `will_reconnect` of the pending close events that have `from` to `to`.
    fn redecide_closes(&mut self, from: Option<bool>, to: bool) {
        for pending in self.pending.iter_mut() {
            if let Pending::Close { will_reconnect, .. } = pending {
                if *will_reconnect == from {
                    *will_reconnect = Some(to);
                }
            }
        }
    }

    /// A `close` event whose `will_reconnect` the rest of the current input decides.
    fn push_close(&mut self, info: CloseInfo) {
        self.undecided_closes = true;
        self.pending.push_back(Pending::Close {
            info,
            will_reconnect: None,
        });
    }

    fn fail_attempt(&mut self, now: Instant, close: Option<CloseFrame>, info: CloseInfo) {
        self.end_attempt(now, close, info);
        self.schedule_retry(now);
    }

    fn lose_connection(&mut self, now: Instant, reason: &'static str) {
        self.fail_attempt(
            now,
            Some(CloseFrame::teardown(reason)),
            CloseInfo::teardown(reason),
        );
    }

    /// After a failure: wait for the network, retry later, or give up.
    fn schedule_retry(&mut self, now: Instant) {
        if self.offline {
            return self.enter_offline();
        }
        let Some(policy) = &self.config.reconnect else {
            return self.enter_closed(ClosedBy::NoReconnect);
        };
        if policy
            .max_retries
            .is_some_and(|max| self.streak.retries >= max)
        {
            self.enter_closed(ClosedBy::GaveUp);
            self.pending.push_back(Pending::GiveUp {
                epoch: self.epoch,
                attempts: self.streak.attempts,
            });
            return;
        }
        let retry = self.streak.retries.saturating_add(1);
        let delay_ms = retry_delay_ms(policy, retry, self.random.next_unit());
        self.streak.retries = retry;
        self.set_phase(Phase::Waiting {
            until: now + delay_ms,
        });
        self.pending.push_back(Pending::StateChange);
        self.pending.push_back(Pending::Reconnecting {
            epoch: self.epoch,
            attempt: retry,
            delay_ms,
        });
    }

    fn enter_offline(&mut self) {
        self.set_phase(Phase::Offline);
        self.pending.push_back(Pending::StateChange);
    }

    fn enter_closed(&mut self, by: ClosedBy) {
        self.set_phase(Phase::Closed { by });
        self.pending.push_back(Pending::StateChange);
    }

    /// Back online or in the foreground: skip the wait, or check an open socket.
    fn resume(&mut self, now: Instant) {
        match self.phase {
            Phase::Waiting { .. } if !self.offline => {
                let waited_in = self.epoch;
                self.start_attempt(now);
                // The retry happens now. If its `reconnecting` event is still on its way
                // (the wait began in this same input), it announces this attempt, at once.
                for pending in self.pending.iter_mut() {
                    if let Pending::Reconnecting {
                        epoch, delay_ms, ..
                    } = pending
                    {
                        if *epoch == waited_in {
                            *epoch = self.epoch;
                            *delay_ms = 0;
                        }
                    }
                }
            }
            Phase::Offline if !self.offline => self.start_attempt(now),
            Phase::Open { .. } => self.check_in(now),
            _ => {}
        }
    }

    /// Probes an open connection after a network or visibility change, if the client
    /// pings at all: a server-driven heartbeat has nothing to ask with (its next ping may
    /// be a whole interval away) and keeps its deadline.
    fn check_in(&mut self, now: Instant) {
        if self
            .config
            .heartbeat
            .as_ref()
            .is_some_and(|heartbeat| heartbeat.sends_ping)
        {
            self.probe(now);
        }
    }

    /// Asks an open connection for a sign of life within the probe timeout (Behaviour
    /// 14): a ping, unless one is already unanswered. A server-driven heartbeat sends
    /// nothing: after a late timer it only grants that time to messages that were waiting
    /// behind the timer.
    fn probe(&mut self, now: Instant) {
        let Some(heartbeat) = &self.config.heartbeat else {
            return;
        };
        let Phase::Open { conn, liveness, .. } = &mut self.phase else {
            return;
        };
        if liveness.probe(now, heartbeat.probe_timeout_ms(), heartbeat.sends_ping) {
            let conn = *conn;
            self.stats.pings_sent += 1;
            self.ready(Output::SendPing { conn });
        }
    }

    fn send_ping(&mut self, now: Instant) {
        let Some(heartbeat) = &self.config.heartbeat else {
            return;
        };
        let Phase::Open { conn, liveness, .. } = &mut self.phase else {
            return;
        };
        liveness.ping_sent(now, heartbeat.timeout_ms);
        let conn = *conn;
        self.stats.pings_sent += 1;
        self.ready(Output::SendPing { conn });
    }

    fn ready(&mut self, output: Output<P>) {
        self.pending.push_back(Pending::Ready(output));
    }

    fn report_error(&mut self, message: String) {
        self.ready(Output::Emit(Event::Error { message }));
    }

    fn report_drop(&mut self, data: P, reason: DropReason) {
        self.stats.dropped += 1;
        self.ready(Output::Emit(Event::Drop { data, reason }));
    }
}

/// `prefix` followed by `text` (a plain copy: `concat` and `format!` bring generic code
/// along, which the wasm build would carry).
fn prefixed(prefix: &str, text: &str) -> String {
    let mut message = String::with_capacity(prefix.len() + text.len());
    message.push_str(prefix);
    message.push_str(text);
    message
}
