//! The small HTTP/1.1 layer: request heads parsed with httparse, bodies framed
//! by Content-Length, keep-alive, and responses that always carry a length.
//!
//! It is hand-rolled rather than built on hyper because the WebSocket faults
//! need the raw `TcpStream` (to answer a handshake late or never, or to reset
//! the socket), and because the few bytes read past a request head must be
//! handed on to the WebSocket codec untouched.

use std::fmt;
use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};

use crate::hang_up::hang_up;

/// Request heads larger than this are answered with 431: no legitimate client
/// of this server sends more, and it bounds the memory one socket can pin.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The API takes small JSON patches; anything larger is a mistake.
const MAX_BODY_BYTES: usize = 1024 * 1024;
const MAX_HEADERS: usize = 64;
const READ_CHUNK: usize = 4096;

#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The path as sent, still percent-encoded, without the query string.
    pub path: String,
    /// The raw query string. Never log it: clients may put tokens in it.
    pub query: Option<String>,
    http_1_0: bool,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first header called `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).next()
    }

    /// Every header called `name`, in order.
    pub fn header_values<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.headers
            .iter()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Whether a comma-separated header (Connection, Upgrade) lists `token`.
    fn header_lists(&self, name: &str, token: &str) -> bool {
        self.header_values(name)
            .flat_map(|value| value.split(','))
            .any(|item| item.trim().eq_ignore_ascii_case(token))
    }

    pub fn keep_alive(&self) -> bool {
        if self.http_1_0 {
            self.header_lists("connection", "keep-alive")
        } else {
            !self.header_lists("connection", "close")
        }
    }

    pub fn is_websocket_upgrade(&self) -> bool {
        self.header_lists("upgrade", "websocket") && self.header_lists("connection", "upgrade")
    }
}

/// Why a request could not be read. All but `Io` deserve an error response.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    Malformed(String),
    HeadTooLarge,
    BodyTooLarge,
    ChunkedBody,
    /// Part of a request arrived, but not all of it within this time.
    TimedOut(Duration),
}

impl ReadError {
    /// The response that explains the problem, if the peer can still read it.
    pub fn response(&self) -> Option<Response> {
        let (status, text) = match self {
            ReadError::Io(_) => return None,
            ReadError::Malformed(why) => (400, format!("malformed request: {why}")),
            ReadError::HeadTooLarge => {
                (431, format!("request head exceeds {MAX_HEAD_BYTES} bytes"))
            }
            ReadError::BodyTooLarge => {
                (413, format!("request body exceeds {MAX_BODY_BYTES} bytes"))
            }
            ReadError::ChunkedBody => (
                501,
                "chunked request bodies are not supported; send Content-Length".to_owned(),
            ),
            ReadError::TimedOut(limit) => (
                408,
                format!(
                    "the request did not arrive completely within {} s",
                    limit.as_secs_f64()
                ),
            ),
        };
        Some(Response::text(status, text))
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::Malformed(why) => write!(f, "malformed request: {why}"),
            ReadError::HeadTooLarge => f.write_str("request head too large"),
            ReadError::BodyTooLarge => f.write_str("request body too large"),
            ReadError::ChunkedBody => f.write_str("chunked request body"),
            ReadError::TimedOut(_) => f.write_str("request timed out"),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// A TCP connection speaking HTTP/1.1, with the bytes read but not yet
/// consumed (the start of a pipelined request, or of WebSocket frames).
pub struct HttpConnection {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// How long a whole request (head and body) may take to arrive, counted
    /// from when we start waiting for it, so that clients that trickle bytes
    /// or send nothing cannot hold a connection forever.
    request_timeout: Duration,
}

impl HttpConnection {
    pub fn new(stream: TcpStream, request_timeout: Duration) -> Self {
        HttpConnection {
            stream,
            buffer: Vec::new(),
            request_timeout,
        }
    }

    /// Reads the next request; `Ok(None)` when the peer closed, or sent
    /// nothing for the whole request timeout, between requests.
    pub async fn read_request(&mut self) -> Result<Option<Request>, ReadError> {
        let deadline = Instant::now() + self.request_timeout;
        let (mut request, head_len, content_length) = loop {
            if let Some(parsed) = parse_head(&self.buffer)? {
                break parsed;
            }
            if self.buffer.len() > MAX_HEAD_BYTES {
                return Err(ReadError::HeadTooLarge);
            }
            match self.fill_before(deadline).await? {
                // An idle keep-alive connection ends quietly, as is usual.
                Some(0) | None if self.buffer.is_empty() => return Ok(None),
                Some(0) => return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into())),
                None => return Err(ReadError::TimedOut(self.request_timeout)),
                Some(_) => {}
            }
        };
        self.buffer.drain(..head_len);
        while self.buffer.len() < content_length {
            match self.fill_before(deadline).await? {
                Some(0) => return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into())),
                None => return Err(ReadError::TimedOut(self.request_timeout)),
                Some(_) => {}
            }
        }
        request.body = self.buffer.drain(..content_length).collect();
        Ok(Some(request))
    }

    /// Reads more bytes into the buffer: how many, or `None` if `deadline`
    /// passed first.
    async fn fill_before(&mut self, deadline: Instant) -> io::Result<Option<usize>> {
        let mut chunk = [0u8; READ_CHUNK];
        let Ok(read) = timeout_at(deadline, self.stream.read(&mut chunk)).await else {
            return Ok(None);
        };
        let read = read?;
        self.buffer.extend_from_slice(&chunk[..read]);
        Ok(Some(read))
    }

    pub async fn write_response(
        &mut self,
        response: &Response,
        keep_alive: bool,
        head_only: bool,
    ) -> io::Result<()> {
        let mut bytes = response.head(keep_alive).into_bytes();
        if !head_only {
            bytes.extend_from_slice(&response.body);
        }
        self.stream.write_all(&bytes).await?;
        self.stream.flush().await
    }

    /// Answers with an error response and hangs up without losing it.
    /// Best effort: the client may already be gone.
    pub async fn reject(mut self, response: Response) {
        if self.write_response(&response, false, false).await.is_ok() {
            hang_up(&mut self.stream).await;
        }
    }

    /// Gives up HTTP framing: the socket plus the bytes already read past the
    /// last request, which belong to whatever protocol comes next.
    pub fn into_parts(self) -> (TcpStream, Vec<u8>) {
        (self.stream, self.buffer)
    }
}

type ParsedHead = (Request, usize, usize);

fn parse_head(buffer: &[u8]) -> Result<Option<ParsedHead>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let head_len = match parsed.parse(buffer) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(ReadError::HeadTooLarge),
        Err(error) => return Err(ReadError::Malformed(error.to_string())),
    };
    // A head may arrive complete in one read; the cap applies regardless.
    if head_len > MAX_HEAD_BYTES {
        return Err(ReadError::HeadTooLarge);
    }
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(ReadError::Malformed("incomplete request line".into()));
    };
    let mut owned_headers = Vec::with_capacity(parsed.headers.len());
    for header in parsed.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| ReadError::Malformed(format!("header {} is not UTF-8", header.name)))?;
        owned_headers.push((header.name.to_owned(), value.trim().to_owned()));
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.to_owned(), None),
    };
    let request = Request {
        method: method.to_owned(),
        path,
        query,
        http_1_0: version == 0,
        headers: owned_headers,
        body: Vec::new(),
    };
    // Ambiguous framing is how requests get smuggled past proxies: refuse
    // it instead of picking one reading.
    let lengths: Vec<&str> = request.header_values("content-length").collect();
    let content_length = match lengths.as_slice() {
        [] => None,
        [raw] => Some(parse_content_length(raw)?),
        _ => {
            return Err(ReadError::Malformed(
                "more than one Content-Length header".into(),
            ))
        }
    };
    if request.header("transfer-encoding").is_some() {
        return Err(match content_length {
            Some(_) => ReadError::Malformed("both Transfer-Encoding and Content-Length".into()),
            None => ReadError::ChunkedBody,
        });
    }
    let content_length = content_length.unwrap_or(0);
    if content_length > MAX_BODY_BYTES {
        return Err(ReadError::BodyTooLarge);
    }
    Ok(Some((request, head_len, content_length)))
}

/// A Content-Length value: digits only, as HTTP defines it (`str::parse`
/// would also take a leading `+`).
fn parse_content_length(raw: &str) -> Result<usize, ReadError> {
    raw.parse()
        .ok()
        .filter(|_| raw.bytes().all(|byte| byte.is_ascii_digit()))
        .ok_or_else(|| {
            ReadError::Malformed(format!(
                "Content-Length: expected a decimal number of bytes, got {raw:?}"
            ))
        })
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn text(status: u16, text: impl Into<String>) -> Self {
        let mut body = text.into();
        body.push('\n');
        Response::new(status)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body(body.into_bytes())
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Status line and headers. Content-Length is always sent (except where
    /// HTTP forbids it) so keep-alive clients know where the body ends.
    fn head(&self, keep_alive: bool) -> String {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        // 1xx and 204 responses must not carry a length; a 101 names its own
        // Connection header.
        if self.status >= 200 && self.status != 204 {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        if self.status >= 200 {
            head.push_str(if keep_alive {
                "Connection: keep-alive\r\n"
            } else {
                "Connection: close\r\n"
            });
        }
        head.push_str("\r\n");
        head
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ if status < 500 => "Client Error",
        _ => "Server Error",
    }
}

/// Decodes `%XX` escapes. `None` for a malformed escape, so callers can
/// refuse instead of guessing.
pub fn percent_decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    Some(decoded)
}

/// Splits an `application/x-www-form-urlencoded` query into decoded pairs.
pub fn query_pairs(query: &str) -> Result<Vec<(String, String)>, String> {
    let decode = |part: &str| -> Result<String, String> {
        let spaced = part.replace('+', " ");
        percent_decode(&spaced)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| format!("invalid percent-encoding in {part:?}"))
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_head_and_reports_body_length() {
        let raw = b"POST /api/x?token=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}";
        let (request, head_len, body_len) = parse_head(raw).unwrap().unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/api/x");
        assert_eq!(request.query.as_deref(), Some("token=1"));
        assert_eq!(request.header("HOST"), Some("a"));
        assert!(request.keep_alive());
        assert_eq!(&raw[head_len..], b"{}");
        assert_eq!(body_len, 2);
    }

    #[test]
    fn partial_head_needs_more_bytes() {
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost").unwrap().is_none());
    }

    #[test]
    fn recognises_upgrades_and_connection_tokens() {
        let raw =
            b"GET /ws HTTP/1.0\r\nConnection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\n\r\n";
        let (request, _, _) = parse_head(raw).unwrap().unwrap();
        assert!(request.is_websocket_upgrade());
        assert!(request.keep_alive());
        let raw = b"GET / HTTP/1.0\r\n\r\n";
        assert!(!parse_head(raw).unwrap().unwrap().0.keep_alive());
    }

    #[test]
    fn rejects_chunked_and_bad_lengths() {
        let chunked = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert!(matches!(parse_head(chunked), Err(ReadError::ChunkedBody)));
        let bad = b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n";
        assert!(matches!(parse_head(bad), Err(ReadError::Malformed(_))));
    }

    #[test]
    fn rejects_more_than_one_content_length() {
        for lengths in [
            "Content-Length: 2\r\nContent-Length: 2",
            "Content-Length: 2\r\ncontent-length: 5",
        ] {
            let raw = format!("POST / HTTP/1.1\r\n{lengths}\r\n\r\n{{}}");
            match parse_head(raw.as_bytes()) {
                Err(ReadError::Malformed(why)) => {
                    assert_eq!(why, "more than one Content-Length header")
                }
                other => panic!("{lengths:?}: expected Malformed, got {other:?}"),
            }
        }
    }

    #[test]
    fn rejects_transfer_encoding_together_with_content_length() {
        let raw = b"POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n";
        match parse_head(raw) {
            Err(ReadError::Malformed(why)) => {
                assert_eq!(why, "both Transfer-Encoding and Content-Length")
            }
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn content_length_is_digits_only() {
        for raw in ["+2", "-0", "2 2", "2, 2", "0x2", ""] {
            let request = format!("POST / HTTP/1.1\r\nContent-Length:{raw}\r\n\r\n");
            assert!(
                matches!(parse_head(request.as_bytes()), Err(ReadError::Malformed(_))),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn decodes_percent_escapes_strictly() {
        assert_eq!(percent_decode("/a%20b%2F").unwrap(), b"/a b/");
        assert!(percent_decode("/a%2").is_none());
        assert!(percent_decode("/a%zz").is_none());
    }

    #[test]
    fn splits_query_pairs() {
        let pairs = query_pairs("mode=no-pong&reason=going+away%21&flag&&x=").unwrap();
        let expected = [
            ("mode", "no-pong"),
            ("reason", "going away!"),
            ("flag", ""),
            ("x", ""),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(pairs, expected);
        assert!(query_pairs("a=%ff").is_err());
    }

    #[test]
    fn responses_carry_length_and_connection() {
        let head = Response::text(404, "nope").head(false);
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(head.contains("Content-Length: 5\r\n"));
        assert!(head.contains("Connection: close\r\n"));
        let switching = Response::new(101)
            .header("Connection", "Upgrade")
            .head(true);
        assert!(!switching.contains("Content-Length"));
        assert!(!switching.contains("keep-alive"));
    }
}
