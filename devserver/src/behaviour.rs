//! What an open WebSocket connection does, how that can be changed while it
//! runs, and the validation rules shared by the query parameters and the API.

use std::fmt;

use serde::Serialize;

/// Longest delay or period accepted, in milliseconds (one day). Bounded so
/// that adding it to "now" can never overflow a clock.
pub const MAX_MS: u64 = 24 * 60 * 60 * 1000;

/// Close reasons must fit a control frame: 125 bytes minus the 2-byte code.
const MAX_CLOSE_REASON_BYTES: usize = 123;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Answer pings with pongs, echo everything else.
    Echo,
    /// Half-open: neither read nor write, never close.
    Silent,
    /// Echo data but swallow pings.
    NoPong,
}

impl Mode {
    pub const EXPECTED: &'static str = r#""echo", "silent" or "no-pong""#;

    pub fn parse(name: &str) -> Option<Mode> {
        match name {
            "echo" => Some(Mode::Echo),
            "silent" => Some(Mode::Silent),
            "no-pong" => Some(Mode::NoPong),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Echo => "echo",
            Mode::Silent => "silent",
            Mode::NoPong => "no-pong",
        }
    }
}

/// The live, changeable part of a connection's configuration. Durations are
/// milliseconds, 0 meaning off, exactly as the API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Behaviour {
    pub mode: Mode,
    pub ping: String,
    pub pong: String,
    pub pong_delay: u64,
    pub push: u64,
    pub server_ping: u64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            mode: Mode::Echo,
            ping: "ping".to_owned(),
            pong: "pong".to_owned(),
            pong_delay: 0,
            push: 0,
            server_ping: 0,
        }
    }
}

/// A partial update of a [`Behaviour`]; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BehaviourPatch {
    pub mode: Option<Mode>,
    pub ping: Option<String>,
    pub pong: Option<String>,
    pub pong_delay: Option<u64>,
    pub push: Option<u64>,
    pub server_ping: Option<u64>,
}

impl BehaviourPatch {
    pub fn apply_to(&self, behaviour: &Behaviour) -> Behaviour {
        Behaviour {
            mode: self.mode.unwrap_or(behaviour.mode),
            ping: self.ping.clone().unwrap_or_else(|| behaviour.ping.clone()),
            pong: self.pong.clone().unwrap_or_else(|| behaviour.pong.clone()),
            pong_delay: self.pong_delay.unwrap_or(behaviour.pong_delay),
            push: self.push.unwrap_or(behaviour.push),
            server_ping: self.server_ping.unwrap_or(behaviour.server_ping),
        }
    }
}

/// A close frame to send, `after_ms` from when it was requested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseSpec {
    pub code: u16,
    pub reason: String,
    pub after_ms: u64,
}

/// Everything one API patch asks of a connection: behaviour changes plus
/// one-shot actions, applied in that order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    pub behaviour: BehaviourPatch,
    pub send: Option<String>,
    pub close: Option<CloseSpec>,
    pub drop_after_ms: Option<u64>,
}

impl Patch {
    /// The names of the fields present, for a log line that shows what
    /// changed without echoing values.
    pub fn field_names(&self) -> Vec<&'static str> {
        let b = &self.behaviour;
        [
            ("mode", b.mode.is_some()),
            ("ping", b.ping.is_some()),
            ("pong", b.pong.is_some()),
            ("pongDelay", b.pong_delay.is_some()),
            ("push", b.push.is_some()),
            ("serverPing", b.server_ping.is_some()),
            ("send", self.send.is_some()),
            ("close", self.close.is_some()),
            ("drop", self.drop_after_ms.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// A rejected input value: which field, and what was expected instead.
/// Displays as `field: expected ..., got ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Expectation text shared by the query and API validation messages.
pub const EXPECTED_MS: &str = "expected a non-negative integer (ms)";
pub const EXPECTED_CLOSE_CODE: &str =
    "expected a close code a server may send (1000-1003, 1007-1014, 3000-4999)";

pub fn check_ms(field: &str, ms: u64) -> Result<u64, Invalid> {
    if ms > MAX_MS {
        return Err(Invalid::new(
            field,
            format!("expected at most {MAX_MS} ms, got {ms}"),
        ));
    }
    Ok(ms)
}

/// Only codes a server may put in a close frame (RFC 6455 §7.4 and the IANA registry):
/// 1004, 1005, 1006 and 1015 are reserved and never sent. Servers send the protocol and
/// policy codes (1002, 1008, ...) that clients cannot, which is exactly what a client's
/// reconnect policy must be tested against.
pub fn check_close_code(field: &str, code: u64) -> Result<u16, Invalid> {
    match u16::try_from(code) {
        Ok(code @ (1000..=1003 | 1007..=1014 | 3000..=4999)) => Ok(code),
        _ => Err(Invalid::new(
            field,
            format!("{EXPECTED_CLOSE_CODE}, got {code}"),
        )),
    }
}

pub fn check_close_reason(field: &str, reason: String) -> Result<String, Invalid> {
    if reason.len() > MAX_CLOSE_REASON_BYTES {
        return Err(Invalid::new(
            field,
            format!(
                "expected at most {MAX_CLOSE_REASON_BYTES} bytes, got {} bytes",
                reason.len()
            ),
        ));
    }
    Ok(reason)
}

/// Heartbeat strings must be non-empty: an empty ping would match every
/// empty message.
pub fn check_heartbeat_text(field: &str, text: String) -> Result<String, Invalid> {
    if text.is_empty() {
        return Err(Invalid::new(field, "expected a non-empty string, got \"\""));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_changes_only_given_fields() {
        let patch = BehaviourPatch {
            mode: Some(Mode::Silent),
            pong_delay: Some(50),
            ..BehaviourPatch::default()
        };
        let patched = patch.apply_to(&Behaviour::default());
        assert_eq!(
            patched,
            Behaviour {
                mode: Mode::Silent,
                pong_delay: 50,
                ..Behaviour::default()
            }
        );
    }

    #[test]
    fn behaviour_serialises_in_camel_case() {
        let json = serde_json::to_value(Behaviour {
            mode: Mode::NoPong,
            ..Behaviour::default()
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "mode": "no-pong", "ping": "ping", "pong": "pong",
                "pongDelay": 0, "push": 0, "serverPing": 0
            })
        );
    }

    #[test]
    fn validates_close_codes() {
        for good in [1000, 1001, 1002, 1003, 1007, 1008, 1011, 1014, 3000, 4999] {
            assert_eq!(check_close_code("close", good), Ok(good as u16), "{good}");
        }
        for bad in [0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 70000] {
            assert!(check_close_code("close", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn validates_limits() {
        assert!(check_ms("push", MAX_MS).is_ok());
        assert!(check_ms("push", MAX_MS + 1).is_err());
        assert!(check_close_reason("reason", "x".repeat(123)).is_ok());
        assert!(check_close_reason("reason", "x".repeat(124)).is_err());
        assert!(check_heartbeat_text("ping", String::new()).is_err());
    }

    #[test]
    fn lists_patch_fields() {
        let patch = Patch {
            behaviour: BehaviourPatch {
                mode: Some(Mode::Echo),
                ..BehaviourPatch::default()
            },
            send: Some("x".into()),
            ..Patch::default()
        };
        assert_eq!(patch.field_names(), vec!["mode", "send"]);
        assert_eq!(Invalid::new("push", "bad").to_string(), "push: bad");
    }
}
