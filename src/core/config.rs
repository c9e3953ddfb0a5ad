//! The configuration the state machine runs on: already validated, in milliseconds.
//!
//! Parsing user options (JavaScript objects) into this shape, with errors that name the
//! field, is the binding's job; the core only needs the numbers and switches.

/// Where the URL of each attempt comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    /// One URL for every attempt.
    Fixed(String),
    /// The host resolves a URL before every attempt (token refresh); the machine asks with
    /// [`Output::ResolveUrl`](crate::core::Output::ResolveUrl).
    Provider,
}

/// Everything the machine needs to know, with [`Config::new`] giving the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where URLs come from.
    pub url: UrlSource,
    /// `None`: no heartbeat, liveness is left to the transport.
    pub heartbeat: Option<HeartbeatConfig>,
    /// `None`: never reconnect on its own (`reconnect()` still works).
    pub reconnect: Option<ReconnectConfig>,
    /// How long an attempt may take, URL resolution included, before it fails.
    pub connect_timeout_ms: u64,
    /// `None`: sending while not open is an error.
    pub queue: Option<QueueConfig>,
}

/// Application-level heartbeat (browsers cannot send WebSocket ping frames).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartbeatConfig {
    /// Silence after which the client sends its ping.
    pub interval_ms: u64,
    /// How long to wait for a sign of life after the ping.
    pub timeout_ms: u64,
    /// `false` when the server drives the heartbeat: the client sends nothing and the
    /// connection is dead after `interval + timeout` of silence.
    pub sends_ping: bool,
    /// Whether every inbound message proves liveness, or only pongs (and server pings).
    pub any_message: bool,
}

/// Reconnection with capped exponential backoff and jitter.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconnectConfig {
    /// Delay before the first retry.
    pub delay_ms: u64,
    /// Cap on the delay.
    pub max_delay_ms: u64,
    /// Growth per retry (1 = fixed delay).
    pub factor: f64,
    /// Fraction of the delay that is randomised: each delay is scaled by a random factor
    /// in `[1 - jitter, 1]`; 1 is "full jitter".
    pub jitter: f64,
    /// Retries after the first attempt before giving up; `None` is unlimited.
    pub max_retries: Option<u32>,
    /// How long a connection must stay open before the retry counter resets.
    pub min_uptime_ms: u64,
}

/// Bounds on what `send` may hold while the socket is not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueConfig {
    /// Most messages held.
    pub max_messages: usize,
    /// Most bytes held (strings count their UTF-8 length).
    pub max_bytes: usize,
    /// What happens to a message that does not fit.
    pub overflow: Overflow,
}

/// Overflow policy of the send queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Drop the oldest queued messages to make room.
    DropOldest,
    /// Drop the message being sent.
    DropNewest,
    /// Refuse the message: `send` fails and the caller keeps it.
    Reject,
}

/// Upper bound on the timeout of a resume probe (docs/behaviour.md#rule-14).
pub const PROBE_TIMEOUT_CAP_MS: u64 = 3000;

impl Default for HeartbeatConfig {
    fn default() -> Self {
        HeartbeatConfig {
            interval_ms: 10_000,
            timeout_ms: 10_000,
            sends_ping: true,
            any_message: true,
        }
    }
}

impl HeartbeatConfig {
    /// Timeout of a probe ping sent on resume, or when a timer fired late in the background.
    pub fn probe_timeout_ms(&self) -> u64 {
        self.timeout_ms.min(PROBE_TIMEOUT_CAP_MS)
    }
}

impl Default for ReconnectConfig {
    fn default() -> Self {
        ReconnectConfig {
            delay_ms: 1000,
            max_delay_ms: 30_000,
            factor: 2.0,
            jitter: 1.0,
            max_retries: None,
            min_uptime_ms: 5000,
        }
    }
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            max_messages: 1000,
            max_bytes: 1 << 20,
            overflow: Overflow::DropOldest,
        }
    }
}

impl Config {
    /// The defaults of every option.
    pub fn new(url: UrlSource) -> Config {
        Config {
            url,
            heartbeat: Some(HeartbeatConfig::default()),
            reconnect: Some(ReconnectConfig::default()),
            connect_timeout_ms: 10_000,
            queue: Some(QueueConfig::default()),
        }
    }

    /// The mechanism of the source article, so users can migrate first and improve later:
    /// a ping after 10 s, death 10 s later, only `"pong"` proves liveness, a fixed 5 s
    /// between tries, at most 12 tries. Unlike the article, the counter still resets after
    /// a stable connection and messages sent while down are queued.
    pub fn article(url: UrlSource) -> Config {
        Config {
            heartbeat: Some(HeartbeatConfig {
                interval_ms: 10_000,
                timeout_ms: 10_000,
                sends_ping: true,
                any_message: false,
            }),
            reconnect: Some(ReconnectConfig {
                delay_ms: 5000,
                max_delay_ms: 5000,
                factor: 1.0,
                jitter: 0.0,
                max_retries: Some(12),
                ..ReconnectConfig::default()
            }),
            ..Config::new(url)
        }
    }
}
