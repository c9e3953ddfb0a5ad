//! What the machine tells its user, and what it asks its host to do.

use super::close::{CloseFrame, CloseInfo};

/// Identifies one connection attempt (its "generation"). Every socket event the host
/// reports carries the id of the attempt whose socket produced it, so the machine can
/// ignore late events of sockets it already let go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(u32);

impl ConnId {
    /// The id as a number, for hosts that must pass it through foreign code.
    pub fn as_u32(self) -> u32 {
        self.0
    }

    /// The id from [`Self::as_u32`].
    pub fn from_u32(id: u32) -> ConnId {
        ConnId(id)
    }

    pub(crate) fn next(self) -> ConnId {
        ConnId(self.0.wrapping_add(1))
    }
}

/// The socket's state, as the user sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// An attempt is in progress (URL resolution or handshake).
    Connecting,
    /// The socket is open.
    Open,
    /// Waiting before the next retry.
    Reconnecting,
    /// The host reported no network; waiting for it to come back.
    Offline,
    /// Closed by the user, or given up; nothing happens until `reconnect()`.
    Closed,
}

impl State {
    /// The name used in the JavaScript API.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Connecting => "connecting",
            State::Open => "open",
            State::Reconnecting => "reconnecting",
            State::Offline => "offline",
            State::Closed => "closed",
        }
    }
}

/// Why a message was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// The send queue was full.
    Overflow,
    /// The socket was closed by the user with the message still queued.
    Closed,
    /// The host's socket threw when the message was handed to it.
    SendFailed,
}

impl DropReason {
    /// The name used in the JavaScript API.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Overflow => "overflow",
            DropReason::Closed => "closed",
            DropReason::SendFailed => "send-failed",
        }
    }
}

/// An event for the user. `P` is the host's payload type, never inspected by the core.
/// Inbound messages are not among them: hosts deliver those themselves.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<P> {
    /// The state changed.
    StateChange {
        /// The state last reported.
        from: State,
        /// The new state.
        to: State,
    },
    /// A socket opened.
    Open {
        /// Which attempt of the current streak succeeded (1 = the first try).
        attempt: u32,
        /// Whether a socket had been open before in this socket's life.
        reconnected: bool,
    },
    /// An attempt or connection ended.
    Close {
        /// Code, reason and cleanliness.
        info: CloseInfo,
        /// Whether the library will connect again on its own.
        will_reconnect: bool,
    },
    /// Something went wrong; the message contains no URL query strings.
    Error {
        /// What happened.
        message: String,
    },
    /// A retry is scheduled (sent before the wait).
    Reconnecting {
        /// Retry number in the current streak, from 1.
        attempt: u32,
        /// Wait before the retry.
        delay_ms: u64,
    },
    /// All retries failed; the state is now closed.
    GiveUp {
        /// Attempts made in the failed streak.
        attempts: u32,
    },
    /// A pong answered a ping.
    Heartbeat {
        /// Round trip time of the ping.
        rtt_ms: u64,
    },
    /// A message will never be sent.
    Drop {
        /// The message.
        data: P,
        /// Why.
        reason: DropReason,
    },
}

/// What the host must do next, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Output<P> {
    /// Resolve the URL for attempt `conn` and report it with `handle_url`.
    ResolveUrl {
        /// The attempt.
        conn: ConnId,
    },
    /// Create a socket for attempt `conn` and report its events tagged with `conn`.
    Connect {
        /// The attempt.
        conn: ConnId,
        /// The URL to connect to.
        url: String,
    },
    /// Hand `data` to socket `conn`.
    Send {
        /// The socket.
        conn: ConnId,
        /// The message.
        data: P,
    },
    /// Send the heartbeat message on socket `conn`.
    SendPing {
        /// The socket.
        conn: ConnId,
    },
    /// Answer a server ping on socket `conn`.
    AnswerPing {
        /// The socket.
        conn: ConnId,
    },
    /// Stop listening to socket `conn` and forget it; if `close` is set, also close it
    /// with that frame (best effort: never wait for the socket's own close event).
    Disconnect {
        /// The socket.
        conn: ConnId,
        /// The close frame to send, if the socket is still up.
        close: Option<CloseFrame>,
    },
    /// Deliver an event to the user.
    Emit(Event<P>),
}
