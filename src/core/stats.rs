//! Counters a user can read at any time.

/// Counters over the socket's whole life, of what passes through the core. Hosts count
/// the messages they move themselves (in and out) where they move them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Sockets that opened.
    pub opens: u64,
    /// Attempts and connections that ended (one `close` event each).
    pub closes: u64,
    /// Attempts after the very first one.
    pub reconnects: u64,
    /// Heartbeat messages sent, probes included.
    pub pings_sent: u64,
    /// Pongs received, answered or not.
    pub pongs_received: u64,
    /// Round trip of the last answered ping.
    pub last_rtt_ms: Option<u64>,
    /// Messages dropped (each one reported with a `drop` event).
    pub dropped: u64,
    /// Messages waiting in the send queue now.
    pub queued: u64,
    /// Bytes of the messages waiting in the send queue now (strings in UTF-8).
    pub queued_bytes: u64,
}
