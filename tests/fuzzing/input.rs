//! What a fuzz input decodes into, after the configuration: the steps a host may take.

use arbitrary::Arbitrary;

/// One thing that happens to the host.
#[derive(Arbitrary, Debug, Clone)]
pub(crate) enum Step {
    /// The host's clock moves, backwards too: the machine must cope.
    Clock(ClockMove),
    /// The host's timer fires now: early, late or spurious, all must be harmless.
    Timeout,
    /// The host's timer fires at the machine's deadline, the clock set to it.
    TimerAtDeadline,
    /// A network or visibility signal.
    Lifecycle(Signal),
    /// The live socket is found closing from now on: sends to it are handed back.
    Closing,
    /// The live socket throws on every send from now on.
    Throwing,
    /// The host's data plane sends a message: straight to the socket the machine says is
    /// writable, or through `send` when there is none.
    SendDirect(Size),
    /// An input at the top of the run loop, with the outputs drained after it.
    Input(Input),
    /// An input from inside the run loop, right after the host carries out its next
    /// output: a listener's command, a URL provider or a socket that answers at once.
    Nested(Input),
}

/// A call into the machine that a host makes for the user, the URL provider or a socket.
#[derive(Arbitrary, Debug, Clone)]
pub(crate) enum Input {
    User(Command),
    /// The URL of an attempt that asked for one, or why there is none.
    Url {
        attempt: Target,
        ok: bool,
    },
    Socket {
        socket: Target,
        event: SocketEvent,
    },
}

#[derive(Arbitrary, Debug, Clone)]
pub(crate) enum Command {
    Connect,
    Send(Size),
    /// `close()` with a valid frame made of these (see `close_frame` in the host).
    Close {
        code: u16,
        reason: String,
    },
    Reconnect,
}

#[derive(Arbitrary, Debug, Clone)]
pub(crate) enum SocketEvent {
    Open,
    /// Application messages arrived, the last one `ago` milliseconds before now.
    Activity {
        ago: u32,
    },
    /// A pong, or a server ping.
    Heartbeat {
        ping: bool,
    },
    Error,
    /// The socket closed; `reconnect` is the `shouldReconnect` answer.
    Close {
        code: u16,
        reason: String,
        was_clean: bool,
        reconnect: bool,
    },
}

/// Whose event it is.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub(crate) enum Target {
    /// The live socket (for URLs: the attempt that asked last).
    Current,
    /// A socket (or attempt) from before the current one, counting back.
    Earlier(u8),
    /// Any id at all; one the machine never issued, or long let go of.
    Id(u32),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub(crate) enum ClockMove {
    Forward(u16),
    /// Forward by any amount, up to the end of time (the clock saturates).
    Far(u64),
    Back(u64),
    To(u64),
    End,
}

/// The size a message claims (nothing is allocated, so any size costs nothing).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub(crate) enum Size {
    Small(u8),
    Any(usize),
    Max,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub(crate) enum Signal {
    Online,
    Offline,
    Foreground,
}

impl ClockMove {
    pub(crate) fn apply(self, now: u64) -> u64 {
        match self {
            ClockMove::Forward(ms) => now.saturating_add(u64::from(ms)),
            ClockMove::Far(ms) => now.saturating_add(ms),
            ClockMove::Back(ms) => now.saturating_sub(ms),
            ClockMove::To(at) => at,
            ClockMove::End => u64::MAX,
        }
    }
}

impl Size {
    pub(crate) fn bytes(self) -> usize {
        match self {
            Size::Small(bytes) => usize::from(bytes),
            Size::Any(bytes) => bytes,
            Size::Max => usize::MAX,
        }
    }
}
