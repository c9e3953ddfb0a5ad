//! The query parameters of a WebSocket upgrade (`/ws?mode=...&pongDelay=...`),
//! which choose a connection's behaviour and scheduled faults at connect time.

use crate::behaviour::{
    check_close_code, check_close_reason, check_heartbeat_text, check_ms, Behaviour, CloseSpec,
    Invalid, Mode, EXPECTED_CLOSE_CODE, EXPECTED_MS,
};
use crate::http::query_pairs;

/// How the opening handshake is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    Accept,
    /// Read the request, never answer it.
    Stall,
    /// Answer 503 and close.
    Refuse,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectParams {
    pub handshake: Handshake,
    pub behaviour: Behaviour,
    pub label: Option<String>,
    pub close: Option<CloseSpec>,
    pub drop_after_ms: Option<u64>,
    pub silent_after_ms: Option<u64>,
}

/// Parses the query string. Unknown parameters are ignored, because clients
/// legitimately add their own (auth tokens, cache busters); when a parameter
/// repeats, the last one wins.
pub fn parse(query: Option<&str>) -> Result<ConnectParams, Invalid> {
    let pairs = query_pairs(query.unwrap_or("")).map_err(|why| Invalid::new("query", why))?;
    let mut params = ConnectParams {
        handshake: Handshake::Accept,
        behaviour: Behaviour::default(),
        label: None,
        close: None,
        drop_after_ms: None,
        silent_after_ms: None,
    };
    let mut close_code = None;
    let mut reason = None;
    let mut close_after = None;
    for (key, value) in pairs {
        match key.as_str() {
            "mode" => {
                params.handshake = Handshake::Accept;
                match value.as_str() {
                    "stall" => params.handshake = Handshake::Stall,
                    "refuse" => params.handshake = Handshake::Refuse,
                    _ => {
                        params.behaviour.mode = Mode::parse(&value).ok_or_else(|| {
                            let expected = r#""echo", "silent", "no-pong", "stall" or "refuse""#;
                            Invalid::new("mode", format!("expected {expected}, got {value:?}"))
                        })?;
                    }
                }
            }
            "ping" => params.behaviour.ping = check_heartbeat_text("ping", value)?,
            "pong" => params.behaviour.pong = check_heartbeat_text("pong", value)?,
            "pongDelay" => params.behaviour.pong_delay = ms("pongDelay", &value)?,
            "push" => params.behaviour.push = ms("push", &value)?,
            "serverPing" => params.behaviour.server_ping = ms("serverPing", &value)?,
            "close" => {
                let code = integer(&value).ok_or_else(|| {
                    Invalid::new("close", format!("{EXPECTED_CLOSE_CODE}, got {value:?}"))
                })?;
                close_code = Some(check_close_code("close", code)?);
            }
            "reason" => reason = Some(check_close_reason("reason", value)?),
            "closeAfter" => close_after = Some(ms("closeAfter", &value)?),
            "dropAfter" => params.drop_after_ms = Some(ms("dropAfter", &value)?),
            "silentAfter" => params.silent_after_ms = Some(ms("silentAfter", &value)?),
            "label" => params.label = Some(value),
            _ => {}
        }
    }
    params.close = match (close_code, reason, close_after) {
        (Some(code), reason, after) => Some(CloseSpec {
            code,
            reason: reason.unwrap_or_default(),
            after_ms: after.unwrap_or(0),
        }),
        (None, Some(_), _) => {
            return Err(Invalid::new(
                "reason",
                "only applies together with close=CODE",
            ))
        }
        (None, None, Some(_)) => {
            return Err(Invalid::new(
                "closeAfter",
                "only applies together with close=CODE",
            ));
        }
        (None, None, None) => None,
    };
    Ok(params)
}

/// Digits only: `+5`, `-0` or `1e3` are more likely typos than intent.
fn integer(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

fn ms(field: &str, value: &str) -> Result<u64, Invalid> {
    let ms = integer(value)
        .ok_or_else(|| Invalid::new(field, format!("{EXPECTED_MS}, got {value:?}")))?;
    check_ms(field, ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_query_means_plain_echo() {
        let params = parse(None).unwrap();
        assert_eq!(params.handshake, Handshake::Accept);
        assert_eq!(params.behaviour, Behaviour::default());
        assert_eq!(
            (params.label, params.close, params.drop_after_ms),
            (None, None, None)
        );
    }

    #[test]
    fn reads_every_parameter() {
        let query = "mode=no-pong&ping=hb&pong=ok&pongDelay=50&push=100&serverPing=200\
                     &close=4001&reason=bye+now&closeAfter=300&dropAfter=400&silentAfter=500\
                     &label=a%20b&token=secret";
        let params = parse(Some(query)).unwrap();
        assert_eq!(
            params.behaviour,
            Behaviour {
                mode: Mode::NoPong,
                ping: "hb".into(),
                pong: "ok".into(),
                pong_delay: 50,
                push: 100,
                server_ping: 200,
            }
        );
        assert_eq!(
            params.close,
            Some(CloseSpec {
                code: 4001,
                reason: "bye now".into(),
                after_ms: 300
            })
        );
        assert_eq!(params.drop_after_ms, Some(400));
        assert_eq!(params.silent_after_ms, Some(500));
        assert_eq!(params.label.as_deref(), Some("a b"));
    }

    #[test]
    fn connect_time_modes() {
        assert_eq!(
            parse(Some("mode=stall")).unwrap().handshake,
            Handshake::Stall
        );
        assert_eq!(
            parse(Some("mode=refuse")).unwrap().handshake,
            Handshake::Refuse
        );
        assert_eq!(
            parse(Some("mode=refuse&mode=echo")).unwrap().handshake,
            Handshake::Accept
        );
    }

    #[test]
    fn errors_name_the_parameter_and_the_expectation() {
        let error = |query: &str| parse(Some(query)).unwrap_err().to_string();
        assert_eq!(
            error("pongDelay=abc"),
            r#"pongDelay: expected a non-negative integer (ms), got "abc""#
        );
        assert_eq!(
            error("push=-1"),
            r#"push: expected a non-negative integer (ms), got "-1""#
        );
        assert_eq!(
            error("mode=loud"),
            r#"mode: expected "echo", "silent", "no-pong", "stall" or "refuse", got "loud""#
        );
        assert_eq!(
            error("close=1004"),
            "close: expected a close code a server may send (1000-1003, 1007-1014, 3000-4999), got 1004"
        );
        assert_eq!(
            error("close=x"),
            r#"close: expected a close code a server may send (1000-1003, 1007-1014, 3000-4999), got "x""#
        );
        assert_eq!(
            error("reason=x"),
            "reason: only applies together with close=CODE"
        );
        assert_eq!(
            error("ping="),
            r#"ping: expected a non-empty string, got """#
        );
        assert_eq!(
            error("label=%zz"),
            r#"query: invalid percent-encoding in "%zz""#
        );
    }
}
