//! The sans-IO core: a deterministic state machine for one logical WebSocket.
//!
//! It contains no I/O, reads no clock and draws no random numbers: the host feeds it
//! events stamped with the current time ([`Machine::handle_open`], ...), user commands
//! ([`Machine::send`], ...) and timer expiries ([`Machine::handle_timeout`]); it answers
//! with [`Output`]s to carry out in order and its next deadline
//! ([`Machine::poll_timeout`]). Randomness for retry jitter comes from a
//! [`RandomSource`] the host supplies. The same code therefore runs natively under a
//! virtual clock in tests and in wasm under the host's monotonic clock.
//!
//! Payloads are a type parameter the core never inspects: the wasm binding passes
//! JavaScript values through, so message bytes never enter linear memory. Only outgoing
//! messages that must wait (the send queue) pass through it at all: inbound messages and
//! sends on an open socket are the host's, which reports just the time of the last
//! inbound message ([`Machine::handle_activity`]) when the core needs it. URLs and the
//! messages hosts report are opaque text too: hosts check URLs before handing them over
//! and remove query strings (which often carry tokens) from anything they report, as the
//! wasm binding does in `js/url.js`. The core adds no URL to any text of its own.
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]

mod backoff;
mod close;
mod config;
mod event;
mod fifo;
mod heartbeat;
mod machine;
mod payload;
mod queue;
mod random;
mod stats;
mod time;

pub use backoff::{base_delay_ms, retry_delay_ms, RETRY_FLOOR_MS};
pub use close::{
    should_reconnect_by_default, CloseFrame, CloseFrameError, CloseInfo, ABNORMAL_CLOSURE,
    LIBRARY_TEARDOWN_CODE, MAX_REASON_BYTES,
};
pub use config::{
    Config, HeartbeatConfig, Overflow, QueueConfig, ReconnectConfig, UrlSource,
    PROBE_TIMEOUT_CAP_MS,
};
pub use event::{ConnId, DropReason, Event, Output, State};
pub use heartbeat::LATE_TIMER_MS;
pub use machine::{AlreadyClosed, HeartbeatMessage, Lifecycle, Machine, SendError, Sent};
pub use payload::Payload;
pub use random::{Fixed, RandomSource, SplitMix64};
pub use stats::Stats;
pub use time::Instant;
