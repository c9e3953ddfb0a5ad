//! Close codes: the frames the client sends, the closes it observes, and which ones a
//! retry can fix.

/// Code the library uses when it drops a socket itself (dead connection, connect timeout,
/// `reconnect()`, going offline); the reason says which. 4000–4999 is the range RFC 6455
/// leaves to applications, and the one mini-program `SocketTask.close` accepts.
pub const LIBRARY_TEARDOWN_CODE: u16 = 4000;

/// Code reported for a socket that ended without a close frame (RFC 6455 §7.1.5).
pub const ABNORMAL_CLOSURE: u16 = 1006;

/// Longest close reason, in UTF-8 bytes, a close frame may carry (RFC 6455 §5.5).
pub const MAX_REASON_BYTES: usize = 123;

/// A close frame the client may send: code 1000 or 3000–4999, as browsers and
/// mini-programs require, and a reason of at most 123 UTF-8 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseFrame {
    code: u16,
    reason: String,
}

/// Why a close frame was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseFrameError {
    /// The code is neither 1000 nor in 3000–4999.
    Code,
    /// The reason is longer than [`MAX_REASON_BYTES`].
    ReasonTooLong,
}

impl CloseFrame {
    /// A validated close frame.
    pub fn new(code: u16, reason: &str) -> Result<CloseFrame, CloseFrameError> {
        if code != 1000 && !(3000..=4999).contains(&code) {
            return Err(CloseFrameError::Code);
        }
        if reason.len() > MAX_REASON_BYTES {
            return Err(CloseFrameError::ReasonTooLong);
        }
        Ok(CloseFrame {
            code,
            reason: reason.to_owned(),
        })
    }

    /// A normal closure (1000) without a reason.
    pub fn normal() -> CloseFrame {
        CloseFrame {
            code: 1000,
            reason: String::new(),
        }
    }

    /// The frame the library sends when it drops a socket on its own, e.g. "heartbeat timeout".
    pub(crate) fn teardown(reason: &'static str) -> CloseFrame {
        CloseFrame {
            code: LIBRARY_TEARDOWN_CODE,
            reason: reason.to_owned(),
        }
    }

    /// The close code.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The close reason.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// How a connection ended, as reported to the user in the `close` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseInfo {
    /// The close code (the server's, or one of the library's own).
    pub code: u16,
    /// The close reason.
    pub reason: String,
    /// Whether the connection was closed on purpose with a closing handshake.
    pub was_clean: bool,
}

impl CloseInfo {
    /// A close the library itself decided on, e.g. after a heartbeat timeout.
    pub(crate) fn teardown(reason: &str) -> CloseInfo {
        CloseInfo {
            code: LIBRARY_TEARDOWN_CODE,
            reason: reason.to_owned(),
            was_clean: false,
        }
    }

    /// An attempt or connection that ended without any close frame.
    pub(crate) fn abnormal(reason: &str) -> CloseInfo {
        CloseInfo {
            code: ABNORMAL_CLOSURE,
            reason: reason.to_owned(),
            was_clean: false,
        }
    }
}

/// The default answer to "should this server close be retried?".
///
/// Retries cannot fix protocol and policy errors: 1002 protocol error, 1003 unsupported
/// data, 1007 invalid payload, 1008 policy violation, 1009 message too big, 1010 missing
/// extension. Everything else is retried, 1000 included: WeChat reports a background kill
/// as 1000 "interrupted", so a normal closure does not mean the server is done with us.
pub fn should_reconnect_by_default(code: u16) -> bool {
    !matches!(code, 1002 | 1003 | 1007 | 1008 | 1009 | 1010)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn close_frames_accept_only_codes_a_client_may_send() {
        assert!(CloseFrame::new(1000, "").is_ok());
        assert!(CloseFrame::new(3000, "").is_ok());
        assert!(CloseFrame::new(4999, "bye").is_ok());
        for code in [0, 999, 1001, 1006, 1011, 2999, 5000] {
            assert_eq!(
                CloseFrame::new(code, ""),
                Err(CloseFrameError::Code),
                "code {code}"
            );
        }
    }

    #[test]
    fn close_reason_is_limited_to_123_utf8_bytes() {
        assert!(CloseFrame::new(1000, &"a".repeat(123)).is_ok());
        assert_eq!(
            CloseFrame::new(1000, &"a".repeat(124)),
            Err(CloseFrameError::ReasonTooLong)
        );
        // 41 three-byte characters are 123 bytes; one more is too many.
        assert!(CloseFrame::new(1000, &"心".repeat(41)).is_ok());
        assert_eq!(
            CloseFrame::new(1000, &"心".repeat(42)),
            Err(CloseFrameError::ReasonTooLong)
        );
    }

    #[test]
    fn default_policy_vetoes_only_errors_a_retry_cannot_fix() {
        for code in [1002, 1003, 1007, 1008, 1009, 1010] {
            assert!(!should_reconnect_by_default(code), "code {code}");
        }
        for code in [1000, 1001, 1005, 1006, 1011, 1012, 1013, 4000, 4999] {
            assert!(should_reconnect_by_default(code), "code {code}");
        }
    }
}
