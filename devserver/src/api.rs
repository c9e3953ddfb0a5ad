//! The JSON control API under `/api`: inspect connections, change them live,
//! inject global faults, read and reset counters.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::behaviour::{
    check_close_code, check_close_reason, check_heartbeat_text, check_ms, BehaviourPatch,
    CloseSpec, Invalid, Mode, Patch, EXPECTED_CLOSE_CODE, EXPECTED_MS,
};
use crate::http::{Request, Response};
use crate::registry::PatchError;
use crate::server::App;

const PATCH_FIELDS: &str = "mode, ping, pong, pongDelay, push, serverPing, send, close, drop";

pub fn handle(app: &App, request: &Request) -> Response {
    let response = if request.method == "OPTIONS" {
        // CORS preflight, for test pages served from other loopback ports.
        Response::new(204)
            .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            .header("Access-Control-Allow-Headers", "Content-Type")
            .header("Access-Control-Max-Age", "600")
    } else {
        route(app, request).unwrap_or_else(|error| error.into_response())
    };
    // Requests from pages the access rules do not allow never get here, so
    // whatever Origin is left may read the answer.
    match request.header("origin") {
        Some(origin) => response
            .header("Access-Control-Allow-Origin", origin)
            .header("Vary", "Origin"),
        None => response,
    }
}

/// An API failure, always reported as `{"error": "..."}`.
#[derive(Debug)]
struct ApiError {
    status: u16,
    message: String,
    allow: Option<&'static str>,
}

impl ApiError {
    fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            allow: None,
        }
    }

    fn method_not_allowed(allow: &'static str) -> Self {
        ApiError {
            status: 405,
            message: format!("method not allowed; use {allow}"),
            allow: Some(allow),
        }
    }

    fn into_response(self) -> Response {
        let response = json_response(self.status, &json!({ "error": self.message }));
        match self.allow {
            Some(allow) => response.header("Allow", allow),
            None => response,
        }
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        ApiError::new(400, invalid.to_string())
    }
}

type ApiResult = Result<Response, ApiError>;

fn route(app: &App, request: &Request) -> ApiResult {
    let segments: Vec<&str> = request
        .path
        .trim_end_matches('/')
        .split('/')
        .skip(2)
        .collect();
    let method = request.method.as_str();
    match (segments.as_slice(), method) {
        (["connections"], "GET") => ok(&app.registry.list()),
        (["connections"], _) => Err(ApiError::method_not_allowed("GET")),
        (["connections", "all"], "POST") => {
            let patch = parse_patch(json_body(request)?)?;
            let views = app.registry.patch_all(&patch);
            app.log.event(format_args!(
                "api: {} connection(s) patched: {}",
                views.len(),
                patch.field_names().join(", ")
            ));
            ok(&views)
        }
        (["connections", "all"], _) => Err(ApiError::method_not_allowed("POST")),
        (["connections", id], "GET") => {
            let id = connection_id(id)?;
            app.registry
                .get(id)
                .map_or_else(|| Err(no_connection(id)), |view| ok(&view))
        }
        (["connections", id], "POST") => {
            let id = connection_id(id)?;
            let patch = parse_patch(json_body(request)?)?;
            let view = app
                .registry
                .patch(id, &patch)
                .map_err(|error| match error {
                    PatchError::NotFound => no_connection(id),
                    PatchError::Stalled => ApiError::new(
                        409,
                        format!("connection {id} is stalled (its handshake was never answered)"),
                    ),
                })?;
            app.log.event(format_args!(
                "api: ws#{id} patched: {}",
                patch.field_names().join(", ")
            ));
            ok(&view)
        }
        (["connections", _], _) => Err(ApiError::method_not_allowed("GET, POST")),
        (["refuse"], "POST") => {
            let mut body = Fields::new(json_body(request)?);
            let ms = body.required("ms", ms_field)?;
            let status = body.optional("status", status_field)?.unwrap_or(503);
            body.finish("ms, status")?;
            let until = app.registry.refuse_for(ms, status);
            app.log.event(format_args!(
                "api: refuse upgrades with {status} for {ms} ms"
            ));
            ok(&json!({ "refuseUntil": until }))
        }
        (["stall"], "POST") => {
            let mut body = Fields::new(json_body(request)?);
            let ms = body.required("ms", ms_field)?;
            body.finish("ms")?;
            let until = app.registry.stall_for(ms);
            app.log
                .event(format_args!("api: stall upgrades for {ms} ms"));
            ok(&json!({ "stallUntil": until }))
        }
        (["counters"], "GET") => ok(&app.registry.counters()),
        (["counters"], _) => Err(ApiError::method_not_allowed("GET")),
        (["reset"], "POST") => {
            let mut body = Fields::new(json_body(request)?);
            let close_all = body.optional("closeAll", bool_field)?.unwrap_or(false);
            body.finish("closeAll")?;
            let counters = app.registry.reset(close_all);
            let scope = if close_all {
                " (closing all connections)"
            } else {
                ""
            };
            app.log.event(format_args!("api: reset{scope}"));
            ok(&counters)
        }
        (["refuse"] | ["stall"] | ["reset"], _) => Err(ApiError::method_not_allowed("POST")),
        _ => Err(ApiError::new(
            404,
            format!("no API endpoint {}", request.path),
        )),
    }
}

fn ok(value: &impl Serialize) -> ApiResult {
    Ok(json_response(200, value))
}

fn json_response(status: u16, value: &impl Serialize) -> Response {
    // Serialising our own plain data types cannot fail; fall back to an
    // empty object rather than panic if it ever did.
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    Response::new(status)
        .header("Content-Type", "application/json")
        .body(body)
}

fn connection_id(raw: &str) -> Result<u64, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::new(
            404,
            format!("no connection {raw}; ids are positive integers"),
        )
    })
}

fn no_connection(id: u64) -> ApiError {
    ApiError::new(404, format!("no connection {id}"))
}

/// The request's body as a JSON object; an empty body counts as `{}`.
fn json_body(request: &Request) -> Result<Map<String, Value>, ApiError> {
    if is_blank(&request.body) {
        return Ok(Map::new());
    }
    check_json_content_type(request.header("content-type"))?;
    json_object(&request.body)
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Insists on a JSON content type: a cross-site page can send a POST body
/// without asking first only as text/plain or a form, never as JSON.
fn check_json_content_type(content_type: Option<&str>) -> Result<(), ApiError> {
    let media_type = content_type.map(|value| value.split(';').next().unwrap_or_default().trim());
    match media_type {
        Some(media_type) if media_type.eq_ignore_ascii_case("application/json") => Ok(()),
        Some(media_type) => Err(ApiError::new(
            415,
            format!("expected Content-Type: application/json, got {media_type:?}"),
        )),
        None => Err(ApiError::new(
            415,
            "expected Content-Type: application/json, got none",
        )),
    }
}

/// Parses a non-empty body as a JSON object.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(Invalid::new(
            "body",
            format!("expected a JSON object, got {}", got(&other)),
        )
        .into()),
        Err(error) => {
            Err(Invalid::new("body", format!("expected JSON, got invalid JSON ({error})")).into())
        }
    }
}

fn parse_patch(object: Map<String, Value>) -> Result<Patch, Invalid> {
    let mut body = Fields::new(object);
    let patch = Patch {
        behaviour: BehaviourPatch {
            mode: body.optional("mode", mode_field)?,
            ping: body.optional("ping", heartbeat_field)?,
            pong: body.optional("pong", heartbeat_field)?,
            pong_delay: body.optional("pongDelay", ms_field)?,
            push: body.optional("push", ms_field)?,
            server_ping: body.optional("serverPing", ms_field)?,
        },
        send: body.optional("send", string_field)?,
        close: body.optional("close", close_field)?,
        drop_after_ms: body.optional("drop", drop_field)?,
    };
    body.finish(PATCH_FIELDS)?;
    Ok(patch)
}

/// Takes fields out of a JSON object one by one, so that whatever is left at
/// the end is, by construction, an unknown field.
struct Fields {
    object: Map<String, Value>,
    /// Prepended to field names in errors, e.g. `close.` for `close.code`.
    prefix: String,
}

type FieldParser<T> = fn(&str, Value) -> Result<T, Invalid>;

impl Fields {
    fn new(object: Map<String, Value>) -> Self {
        Fields {
            object,
            prefix: String::new(),
        }
    }

    fn nested(object: Map<String, Value>, parent: &str) -> Self {
        Fields {
            object,
            prefix: format!("{parent}."),
        }
    }

    fn optional<T>(&mut self, name: &str, parse: FieldParser<T>) -> Result<Option<T>, Invalid> {
        let full_name = format!("{}{name}", self.prefix);
        self.object
            .remove(name)
            .map(|value| parse(&full_name, value))
            .transpose()
    }

    fn required<T>(&mut self, name: &str, parse: FieldParser<T>) -> Result<T, Invalid> {
        self.optional(name, parse)?.ok_or_else(|| {
            Invalid::new(
                &format!("{}{name}", self.prefix),
                "required field is missing",
            )
        })
    }

    fn finish(self, known: &str) -> Result<(), Invalid> {
        match self.object.into_iter().next() {
            Some((name, _)) => Err(Invalid::new(
                &format!("{}{name}", self.prefix),
                format!("unknown field; expected one of {known}"),
            )),
            None => Ok(()),
        }
    }
}

/// A short rendering of a JSON value for error messages.
fn got(value: &Value) -> String {
    const LIMIT: usize = 60;
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

fn mode_field(name: &str, value: Value) -> Result<Mode, Invalid> {
    value.as_str().and_then(Mode::parse).ok_or_else(|| {
        Invalid::new(
            name,
            format!("expected {}, got {}", Mode::EXPECTED, got(&value)),
        )
    })
}

fn string_field(name: &str, value: Value) -> Result<String, Invalid> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(Invalid::new(
            name,
            format!("expected a string, got {}", got(&other)),
        )),
    }
}

fn heartbeat_field(name: &str, value: Value) -> Result<String, Invalid> {
    check_heartbeat_text(name, string_field(name, value)?)
}

fn bool_field(name: &str, value: Value) -> Result<bool, Invalid> {
    value
        .as_bool()
        .ok_or_else(|| Invalid::new(name, format!("expected true or false, got {}", got(&value))))
}

fn ms_field(name: &str, value: Value) -> Result<u64, Invalid> {
    let ms = value
        .as_u64()
        .ok_or_else(|| Invalid::new(name, format!("{EXPECTED_MS}, got {}", got(&value))))?;
    check_ms(name, ms)
}

fn status_field(name: &str, value: Value) -> Result<u16, Invalid> {
    match value.as_u64().and_then(|status| u16::try_from(status).ok()) {
        Some(status) if (400..=599).contains(&status) => Ok(status),
        _ => Err(Invalid::new(
            name,
            format!("expected an HTTP status 400-599, got {}", got(&value)),
        )),
    }
}

fn close_field(name: &str, value: Value) -> Result<CloseSpec, Invalid> {
    let Value::Object(object) = value else {
        let expected = r#"expected an object like {"code": 4000, "reason": "bye", "after": 0}"#;
        return Err(Invalid::new(
            name,
            format!("{expected}, got {}", got(&value)),
        ));
    };
    let mut fields = Fields::nested(object, name);
    let code = fields
        .optional("code", |field, value| {
            let code = value.as_u64().ok_or_else(|| {
                Invalid::new(field, format!("{EXPECTED_CLOSE_CODE}, got {}", got(&value)))
            })?;
            check_close_code(field, code)
        })?
        .unwrap_or(1000);
    let reason = fields.optional("reason", string_field)?.unwrap_or_default();
    let after_ms = fields.optional("after", ms_field)?.unwrap_or(0);
    fields.finish("code, reason, after")?;
    Ok(CloseSpec {
        code,
        reason: check_close_reason(&format!("{name}.reason"), reason)?,
        after_ms,
    })
}

fn drop_field(name: &str, value: Value) -> Result<u64, Invalid> {
    let Value::Object(object) = value else {
        let expected = r#"expected an object like {"after": 0}"#;
        return Err(Invalid::new(
            name,
            format!("{expected}, got {}", got(&value)),
        ));
    };
    let mut fields = Fields::nested(object, name);
    let after_ms = fields.optional("after", ms_field)?.unwrap_or(0);
    fields.finish("after")?;
    Ok(after_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(body: Value) -> Result<Patch, String> {
        let Value::Object(object) = body else {
            panic!("not an object")
        };
        parse_patch(object).map_err(|invalid| invalid.to_string())
    }

    #[test]
    fn parses_a_full_patch() {
        let parsed = patch(json!({
            "mode": "no-pong", "ping": "hb", "pong": "ok", "pongDelay": 10, "push": 20,
            "serverPing": 30, "send": "hello",
            "close": {"code": 4001, "reason": "bye", "after": 40}, "drop": {"after": 50}
        }))
        .unwrap();
        assert_eq!(parsed.behaviour.mode, Some(Mode::NoPong));
        assert_eq!(parsed.behaviour.server_ping, Some(30));
        assert_eq!(parsed.send.as_deref(), Some("hello"));
        assert_eq!(
            parsed.close,
            Some(CloseSpec {
                code: 4001,
                reason: "bye".into(),
                after_ms: 40
            })
        );
        assert_eq!(parsed.drop_after_ms, Some(50));
        assert_eq!(
            patch(json!({"close": {}})).unwrap().close.unwrap().code,
            1000
        );
    }

    #[test]
    fn rejects_bad_fields_with_the_field_name() {
        let error = |body: Value| patch(body).unwrap_err();
        assert_eq!(
            error(json!({"pongDelay": "abc"})),
            r#"pongDelay: expected a non-negative integer (ms), got "abc""#
        );
        assert_eq!(
            error(json!({"push": -5})),
            "push: expected a non-negative integer (ms), got -5"
        );
        assert_eq!(
            error(json!({"mode": "stall"})),
            r#"mode: expected "echo", "silent" or "no-pong", got "stall""#
        );
        assert_eq!(
            error(json!({"close": {"code": 1006}})),
            "close.code: expected a close code a server may send (1000-1003, 1007-1014, 3000-4999), got 1006"
        );
        assert_eq!(
            error(json!({"close": {"cod": 4000}})),
            "close.cod: unknown field; expected one of code, reason, after"
        );
        assert!(
            error(json!({"bogus": 1})).starts_with("bogus: unknown field; expected one of mode,")
        );
        assert_eq!(error(json!({"send": 5})), "send: expected a string, got 5");
        assert_eq!(
            error(json!({"drop": true})),
            r#"drop: expected an object like {"after": 0}, got true"#
        );
    }

    #[test]
    fn bodies_must_be_objects() {
        assert!(is_blank(b" \n"));
        assert!(json_object(b"{}").unwrap().is_empty());
        assert!(json_object(b"[1]").is_err());
        assert!(json_object(b"{nope").is_err());
        let long = Value::String("x".repeat(100));
        assert!(got(&long).ends_with("..."));
    }

    #[test]
    fn bodies_must_be_sent_as_json() {
        for json in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
        ] {
            assert!(check_json_content_type(Some(json)).is_ok(), "{json}");
        }
        let refusal = |content_type| check_json_content_type(content_type).unwrap_err();
        let plain = refusal(Some("text/plain;charset=UTF-8"));
        assert_eq!(plain.status, 415);
        assert_eq!(
            plain.message,
            r#"expected Content-Type: application/json, got "text/plain""#
        );
        let form = refusal(Some("application/x-www-form-urlencoded"));
        assert_eq!(form.status, 415);
        assert_eq!(
            refusal(None).message,
            "expected Content-Type: application/json, got none"
        );
    }
}
