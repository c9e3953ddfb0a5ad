//! A host driving one `Machine` through fuzzed steps, following the run loop of the
//! `Machine` docs, and the invariants it checks on the way.

use std::collections::{BTreeSet, VecDeque};

use heartbeat_ws::core::{
    CloseFrame, CloseInfo, Config, ConnId, DropReason, Event, HeartbeatMessage, Instant, Lifecycle,
    Machine, Output, Overflow, RandomSource, SendError, Sent, State, UrlSource, MAX_REASON_BYTES,
};

use super::input::{Command, Input, Signal, SocketEvent, Step, Target};
use super::ledger::{Ledger, Message};
use super::streak::Streak;

pub(crate) struct Host {
    machine: Machine<Message>,
    config: Config,
    /// The host's clock; it may go backwards.
    now: u64,
    /// The machine's clock: the latest time it was given.
    clock: u64,
    /// The socket created and not let go of yet; never more than one.
    live: Option<ConnId>,
    /// Every socket created, in order.
    sockets: Vec<ConnId>,
    /// Every attempt whose URL was asked for, in order.
    asked: Vec<ConnId>,
    /// The attempts the host gave a URL (see [`provider_url`]).
    given_urls: BTreeSet<ConnId>,
    /// Sockets found closing: sends to them are handed back.
    closing: BTreeSet<ConnId>,
    /// Sockets that throw on sends.
    throwing: BTreeSet<ConnId>,
    /// Inputs to make from inside the run loop, one after each output carried out.
    nested: VecDeque<Input>,
    /// The state the user was told last.
    reported: State,
    started: bool,
    closed_by_user: bool,
    /// The first `close()` of this step: final close events before it.
    close_called: Option<u64>,
    /// A close event said a reconnection follows while the socket was already closed (a
    /// listener closed it): a final close must follow in the same drain.
    awaiting_final: bool,
    /// A listener called reconnect() in this step: a final close may precede a new attempt.
    revived: bool,
    /// The open socket and the machine's time when it opened.
    opened: Option<(ConnId, u64)>,
    opens: u64,
    /// Outputs carried out, and `close` events with `will_reconnect: false` among them.
    outputs: u64,
    final_closes: u64,
    ledger: Ledger,
    streak: Streak,
    /// The steps taken so far, for failure messages.
    steps: Vec<Step>,
}

/// What must not change when nothing should happen.
#[derive(Debug, PartialEq)]
struct Snapshot {
    outputs: u64,
    state: State,
    deadline: Option<Instant>,
}

impl Host {
    pub(crate) fn new(config: Config, random: Box<dyn RandomSource>) -> Host {
        Host {
            machine: Machine::new(config.clone(), random, Instant::from_millis(0)),
            config,
            now: 0,
            clock: 0,
            live: None,
            sockets: Vec::new(),
            asked: Vec::new(),
            given_urls: BTreeSet::new(),
            closing: BTreeSet::new(),
            throwing: BTreeSet::new(),
            nested: VecDeque::new(),
            reported: State::Connecting,
            started: false,
            closed_by_user: false,
            close_called: None,
            awaiting_final: false,
            revived: false,
            opened: None,
            opens: 0,
            outputs: 0,
            final_closes: 0,
            ledger: Ledger::default(),
            streak: Streak::default(),
            steps: Vec::new(),
        }
    }

    /// Takes one step, drains the outputs and checks every invariant.
    pub(crate) fn step(&mut self, step: Step) {
        self.steps.push(step.clone());
        let outputs_before = self.outputs;
        let closed_before = self.closed_by_user;
        match step {
            Step::Clock(change) => self.now = change.apply(self.now),
            Step::Timeout => self.timeout(),
            Step::TimerAtDeadline => {
                if let Some(deadline) = self.machine.poll_timeout() {
                    self.now = deadline.as_millis();
                    self.timeout();
                }
            }
            Step::Lifecycle(signal) => {
                let signal = match signal {
                    Signal::Online => Lifecycle::Online,
                    Signal::Offline => Lifecycle::Offline,
                    Signal::Foreground => Lifecycle::Foreground,
                };
                let ending = self.machine.live_conn();
                let now = self.time();
                self.machine.handle_lifecycle(now, signal);
                let live = self.machine.live_conn();
                if ending.is_some() && live.is_some() && live != ending {
                    // Foreground fired an overdue deadline that failed the attempt or
                    // connection, and skipped the wait of the retry it scheduled: that
                    // retry is made at once, announced with no delay.
                    self.connection_ended(ending);
                    self.streak.cut_short(true);
                }
                self.drain();
                // Delivered in this drain, or withdrawn by a listener's close() or reconnect().
                self.streak.cut_short(false);
            }
            Step::Closing => self.closing.extend(self.live),
            Step::Throwing => self.throwing.extend(self.live),
            Step::SendDirect(size) => self.send_direct(size.bytes()),
            Step::Input(input) => self.top_level(input),
            Step::Nested(input) => self.nested.push_back(input),
        }
        if closed_before {
            self.check(self.outputs == outputs_before, "an output after close()");
        }
        self.check_at_rest();
    }

    /// The time for an input now: the host's clock, which the machine never lets go
    /// backwards.
    fn time(&mut self) -> Instant {
        self.clock = self.clock.max(self.now);
        Instant::from_millis(self.now)
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            outputs: self.outputs,
            state: self.machine.state(),
            deadline: self.machine.poll_timeout(),
        }
    }

    fn due(&self) -> bool {
        self.machine
            .poll_timeout()
            .is_some_and(|deadline| deadline.as_millis() <= self.clock.max(self.now))
    }

    fn timeout(&mut self) {
        if !self.due() {
            let before = self.snapshot();
            let now = self.time();
            self.machine.handle_timeout(now);
            self.drain();
            return self.check(
                self.snapshot() == before,
                "a timer before the deadline acted",
            );
        }
        let now = self.time();
        self.machine.handle_timeout(now);
        self.drain();
        // Zero durations may make the next deadline due at once; otherwise the same call
        // again must change nothing.
        if !self.due() {
            let before = self.snapshot();
            self.machine.handle_timeout(now);
            self.drain();
            self.check(
                self.snapshot() == before,
                "handle_timeout is not idempotent",
            );
        }
    }

    /// An input at the top of the run loop. An event of a socket or attempt that is not
    /// the machine's live one must change nothing at all.
    fn top_level(&mut self, input: Input) {
        let stale = self
            .target_of(&input)
            .is_some_and(|conn| Some(conn) != self.machine.live_conn());
        let before = stale.then(|| self.snapshot());
        self.input(input, false);
        self.drain();
        if let Some(before) = before {
            self.check(
                self.snapshot() == before,
                "an event of a stale socket acted",
            );
        }
    }

    /// The socket or attempt whose event `input` is: `None` for commands, and for events
    /// of a socket or attempt that does not exist (which are not made).
    fn target_of(&self, input: &Input) -> Option<ConnId> {
        match input {
            Input::User(_) => None,
            Input::Url { attempt, .. } => {
                self.pick(*attempt, &self.asked, self.asked.last().copied())
            }
            Input::Socket { socket, .. } => self.pick(*socket, &self.sockets, self.live),
        }
    }

    /// The id `target` designates in `history`, whose current entry is `current`. A
    /// made-up id that happens to be the machine's live attempt is not used: hosts only
    /// report events of sockets they created, which `Current` covers.
    fn pick(&self, target: Target, history: &[ConnId], current: Option<ConnId>) -> Option<ConnId> {
        match target {
            Target::Current => current,
            Target::Earlier(back) => {
                let earlier: Vec<ConnId> = history
                    .iter()
                    .rev()
                    .copied()
                    .filter(|conn| Some(*conn) != current)
                    .collect();
                (!earlier.is_empty()).then(|| earlier[usize::from(back) % earlier.len()])
            }
            Target::Id(id) => {
                let conn = ConnId::from_u32(id);
                (Some(conn) != self.machine.live_conn()).then_some(conn)
            }
        }
    }

    /// Makes `input`, from inside the run loop if `nested`; the caller drains.
    fn input(&mut self, input: Input, nested: bool) {
        match (self.target_of(&input), input) {
            (_, Input::User(command)) => self.command(command, nested),
            (Some(conn), Input::Url { ok, .. }) => self.url(conn, ok),
            (Some(conn), Input::Socket { event, .. }) => self.socket_event(conn, event),
            (None, Input::Url { .. } | Input::Socket { .. }) => {}
        }
    }

    fn url(&mut self, conn: ConnId, ok: bool) {
        let url = if ok {
            self.given_urls.insert(conn);
            Ok(provider_url(conn))
        } else {
            Err("no token".to_owned())
        };
        let now = self.time();
        self.machine.handle_url(now, conn, url);
    }

    /// A user command; `nested` if made from inside the run loop.
    fn command(&mut self, command: Command, nested: bool) {
        let now = self.time();
        match command {
            Command::Connect => {
                self.machine.connect(now);
                self.started = true;
            }
            Command::Send(size) => self.send(now, size.bytes()),
            Command::Close { code, reason } => {
                if !self.closed_by_user {
                    self.close_called = Some(self.final_closes);
                }
                self.machine.close(now, close_frame(code, &reason));
                self.closed_by_user = true;
            }
            Command::Reconnect => {
                let result = self.machine.reconnect(now);
                self.check(
                    result.is_err() == self.closed_by_user,
                    "reconnect() must fail exactly after close()",
                );
                if result.is_ok() {
                    self.started = true;
                    self.revived |= nested;
                    self.streak.reset();
                }
            }
        }
    }

    fn socket_event(&mut self, conn: ConnId, event: SocketEvent) {
        let now = self.time();
        match event {
            SocketEvent::Open => {
                let was_open = self.machine.state() == State::Open;
                self.machine.handle_open(now, conn);
                if !was_open && self.machine.state() == State::Open {
                    self.opened = Some((conn, self.clock));
                    self.opens += 1;
                }
            }
            SocketEvent::Activity { ago } => {
                let last = Instant::from_millis(self.now.saturating_sub(u64::from(ago)));
                self.machine.handle_activity(now, conn, last);
            }
            SocketEvent::Heartbeat { ping } => {
                let message = if ping {
                    HeartbeatMessage::Ping
                } else {
                    HeartbeatMessage::Pong
                };
                self.machine.handle_heartbeat(now, conn, message);
            }
            SocketEvent::Error => self.machine.handle_error(now, conn, "fuzzed"),
            SocketEvent::Close {
                code,
                reason,
                was_clean,
                reconnect,
            } => {
                let info = CloseInfo {
                    code,
                    reason,
                    was_clean,
                };
                self.machine.handle_close(now, conn, info, reconnect);
            }
        }
    }

    fn send(&mut self, now: Instant, bytes: usize) {
        let message = self.ledger.offer(bytes);
        let bytes = message.bytes;
        let open = self.machine.state() == State::Open;
        let closed = self.closed_by_user;
        let queue = self.config.queue.as_ref();
        let expected = match self.machine.send(now, message) {
            Ok(Sent::Now) => open && !closed,
            Ok(Sent::Queued | Sent::Dropped) => !closed && queue.is_some(),
            Err(error) => {
                self.ledger.refused(bytes);
                match error {
                    SendError::Closed => closed,
                    SendError::NotOpen => !closed && queue.is_none(),
                    SendError::QueueFull => {
                        !closed && queue.is_some_and(|q| q.overflow == Overflow::Reject)
                    }
                    SendError::TooLarge => {
                        !closed
                            && queue.is_some_and(|q| {
                                q.overflow == Overflow::Reject && bytes > q.max_bytes
                            })
                    }
                }
            }
        };
        self.check(expected, "send() answered against its contract");
    }

    /// What the binding's data plane does with a message while the host is idle (the
    /// only time it may: every output carried out).
    fn send_direct(&mut self, bytes: usize) {
        let Some(conn) = self.machine.writable_conn() else {
            let now = self.time();
            self.send(now, bytes);
            return self.drain();
        };
        let message = self.ledger.offer(bytes);
        self.hand_over(conn, message);
        self.drain();
    }

    /// Hands `message` to socket `conn`, which may turn out closing or throw.
    fn hand_over(&mut self, conn: ConnId, message: Message) {
        if self.closing.contains(&conn) {
            let now = self.time();
            self.machine.handle_unwritable(now, conn, message);
        } else if self.throwing.contains(&conn) {
            self.ledger.failed(&message);
            let now = self.time();
            self.machine.handle_send_failed(now, "fuzzed", message);
        } else {
            let sent = self.ledger.sent(&message);
            self.checked(sent);
        }
    }

    /// The host run loop: carries out every output in order, making one pending nested
    /// input after each.
    fn drain(&mut self) {
        while let Some(output) = self.machine.poll_output() {
            self.outputs += 1;
            self.carry_out(output);
            if let Some(input) = self.nested.pop_front() {
                self.input(input, true);
            }
        }
    }

    fn carry_out(&mut self, output: Output<Message>) {
        match output {
            Output::ResolveUrl { conn } => {
                self.check(
                    self.config.url == UrlSource::Provider,
                    "a URL asked for while it is fixed",
                );
                self.asked.push(conn);
            }
            Output::Connect { conn, url } => {
                self.check(self.live.is_none(), "a second live socket");
                let expected = match &self.config.url {
                    UrlSource::Fixed(fixed) => Some(fixed.clone()),
                    UrlSource::Provider => {
                        self.given_urls.contains(&conn).then(|| provider_url(conn))
                    }
                };
                self.check(expected == Some(url), "a socket for the wrong URL");
                self.live = Some(conn);
                self.sockets.push(conn);
            }
            Output::Send { conn, data } => {
                self.check(
                    self.live == Some(conn),
                    "a send to a socket that is not live",
                );
                self.hand_over(conn, data);
            }
            Output::SendPing { conn } => self.check(
                self.live == Some(conn)
                    && self
                        .config
                        .heartbeat
                        .as_ref()
                        .is_some_and(|hb| hb.sends_ping),
                "a ping on a socket that is not live, or from a client that does not ping",
            ),
            Output::AnswerPing { conn } => self.check(
                self.live == Some(conn),
                "a pong on a socket that is not live",
            ),
            Output::Disconnect { conn, close } => {
                self.check(
                    self.live == Some(conn),
                    "let go of a socket that is not live",
                );
                self.live = None;
                if let Some(frame) = close {
                    // What browsers and mini-programs accept (RFC 6455 §5.5, §7.4).
                    let code = frame.code();
                    self.check(
                        (code == 1000 || (3000..=4999).contains(&code))
                            && frame.reason().len() <= 123,
                        "a close frame a browser would refuse",
                    );
                }
                self.connection_ended(Some(conn));
            }
            Output::Emit(event) => self.event(event),
        }
    }

    /// Attempt or connection `conn` ended (now): a connection that stayed open for
    /// `minUptime` resets the retry counter.
    fn connection_ended(&mut self, conn: Option<ConnId>) {
        let Some((open, opened_at)) = self.opened else {
            return;
        };
        if Some(open) != conn {
            return;
        }
        self.opened = None;
        let min_uptime = (self.config.reconnect.as_ref()).map_or(0, |policy| policy.min_uptime_ms);
        if self.clock - opened_at >= min_uptime {
            self.streak.reset();
        }
    }

    fn event(&mut self, event: Event<Message>) {
        match event {
            Event::StateChange { from, to } => {
                self.check(
                    from == self.reported && from != to,
                    "a state change from a state the user was not in",
                );
                self.reported = to;
            }
            Event::Open { reconnected, .. } => self.check(
                reconnected == (self.opens > 1),
                "open tells a first connection from a reconnection wrongly",
            ),
            // Whether a reconnection follows is decided when the input that ended the
            // connection is over: a close() or a reconnect() from a listener before the event
            // is delivered does not change it (the close() brings its own final close).
            Event::Close { will_reconnect, .. } => {
                let closed = self.machine.state() == State::Closed;
                if will_reconnect {
                    self.awaiting_final |= closed;
                } else {
                    self.final_closes += 1;
                    self.awaiting_final = false;
                    self.check(
                        closed || self.revived,
                        "close says no reconnection follows, yet the socket is not closed",
                    );
                }
            }
            Event::Reconnecting { attempt, delay_ms } => {
                let Some(policy) = &self.config.reconnect else {
                    return self.check(false, "reconnecting with reconnection off");
                };
                let retry = self.streak.retry(policy, attempt, delay_ms);
                self.checked(retry);
            }
            Event::GiveUp { .. } => {
                let Some(policy) = &self.config.reconnect else {
                    return self.check(false, "gave up with reconnection off");
                };
                let give_up = self.streak.give_up(policy);
                self.checked(give_up);
            }
            Event::Drop { data, reason } => {
                let expected = match reason {
                    DropReason::Overflow => self.config.queue.is_some(),
                    DropReason::Closed => self.closed_by_user,
                    DropReason::SendFailed => true,
                };
                self.check(expected, "a drop for a reason that does not apply");
                let dropped = self.ledger.dropped(&data, reason);
                self.checked(dropped);
            }
            Event::Error { .. } | Event::Heartbeat { .. } => {}
        }
    }

    /// The invariants that hold whenever the host is idle.
    fn check_at_rest(&mut self) {
        if let Some(finals_before) = self.close_called.take() {
            let finals = self.final_closes - finals_before;
            self.check(
                finals == 1,
                "close() did not end with exactly one final close event",
            );
        }
        self.check(
            !self.awaiting_final,
            "a close said a reconnection follows, and the socket closed without a final one",
        );
        self.revived = false;
        let left = self.machine.poll_output().is_some();
        self.check(!left, "an output left after the drain");
        let state = self.machine.state();
        self.check(state == self.reported, "the user was not told the state");
        self.check(
            !self.closed_by_user || state == State::Closed,
            "not closed after close()",
        );
        let timed = match state {
            State::Closed | State::Offline => false,
            State::Reconnecting => true,
            State::Connecting => self.started,
            State::Open => self.config.heartbeat.is_some(),
        };
        self.check(
            self.machine.poll_timeout().is_some() == timed,
            "a deadline where none belongs, or none where one must be",
        );
        // The machine's live attempt has the host's live socket, or is waiting for its URL.
        let live = self.machine.live_conn();
        self.check(
            self.live.is_none() || live == self.live,
            "the machine forgot a socket without letting it go",
        );
        self.check(
            live.is_none() || live == self.live || live == self.asked.last().copied(),
            "the machine's live attempt has no socket and asked for no URL",
        );
        // A socket is writable only while nothing waits for it, or direct sends would
        // overtake queued messages.
        let writable = self.machine.writable_conn();
        let stats = self.machine.stats();
        self.check(
            writable.is_none()
                || (writable == self.live && state == State::Open && stats.queued == 0),
            "a writable socket that is not the open one, or with messages queued",
        );
        let balance = self.ledger.balance(stats.queued, stats.queued_bytes);
        self.checked(balance);
    }

    fn check(&self, ok: bool, broken: &str) {
        if !ok {
            self.fail(broken);
        }
    }

    fn checked(&self, result: Result<(), String>) {
        if let Err(broken) = result {
            self.fail(&broken);
        }
    }

    fn fail(&self, broken: &str) -> ! {
        let steps: Vec<String> = (self.steps.iter().enumerate())
            .map(|(number, step)| format!("  {number}: {step:?}"))
            .collect();
        panic!(
            "{broken}\nat {} (machine: {}), with {:?}, after:\n{}",
            self.now,
            self.clock,
            self.config,
            steps.join("\n")
        );
    }
}

/// The URL the host's provider gives attempt `conn`.
fn provider_url(conn: ConnId) -> String {
    format!("wss://fuzz.invalid/?attempt={}", conn.as_u32())
}

/// A frame `close()` accepts: code 1000 or 3000–4999, a reason of at most 123 bytes.
fn close_frame(code: u16, reason: &str) -> CloseFrame {
    let code = if code < 3000 {
        1000
    } else {
        3000 + code % 2000
    };
    let mut end = reason.len().min(MAX_REASON_BYTES);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    CloseFrame::new(code, &reason[..end]).expect("a valid close frame")
}
