//! WebSocket URLs: which ones are accepted, and how they appear in logs and errors.
//!
//! URLs often carry tokens in their query string (`wss://host/ws?token=…`), so nothing the
//! library logs or reports contains a query string, a fragment or user credentials.

// Byte scanning rather than `str` pattern searches: the positions found are all at ASCII
// bytes (so at char boundaries), and the wasm build stays free of the generic searchers.

/// Where `://` starts in `text`.
fn scheme_separator(text: &str) -> Option<usize> {
    text.as_bytes()
        .windows(3)
        .position(|window| window == b"://")
}

/// Checks that `url` is a `ws:` or `wss:` URL with a host.
pub fn is_websocket_url(url: &str) -> bool {
    let Some(separator) = scheme_separator(url) else {
        return false;
    };
    let scheme = &url[..separator];
    if !(scheme.eq_ignore_ascii_case("ws") || scheme.eq_ignore_ascii_case("wss")) {
        return false;
    }
    let rest = &url.as_bytes()[separator + 3..];
    let authority = &rest[..rest
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len())];
    let host_start = authority
        .iter()
        .rposition(|&b| b == b'@')
        .map_or(0, |at| at + 1);
    host_start < authority.len() && !url.bytes().any(|b| b.is_ascii_whitespace())
}

/// `url` without its query string, fragment and user credentials, for logs and errors.
///
/// `wss://user:pw@host/ws?token=abc#x` becomes `wss://host/ws`.
pub fn redact_url(url: &str) -> String {
    let url = &url[..url
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(url.len())];
    let Some(separator) = scheme_separator(url) else {
        return url.to_owned();
    };
    let authority_start = separator + 3;
    let authority_end = url[authority_start..]
        .bytes()
        .position(|b| b == b'/')
        .map_or(url.len(), |i| authority_start + i);
    let host_start = url[authority_start..authority_end]
        .bytes()
        .rposition(|b| b == b'@')
        .map_or(authority_start, |at| authority_start + at + 1);
    [&url[..authority_start], &url[host_start..]].concat()
}

/// `text` with every URL in it redacted by [`redact_url`].
///
/// Error messages from platforms quote the URL they failed on, e.g. WeChat's
/// `"createSocketTask:fail wss url not in domain list: wss://h/ws?token=…"`.
pub fn redact_urls_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(separator) = scheme_separator(rest) {
        let bytes = rest.as_bytes();
        let is_scheme_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.');
        let url_start = bytes[..separator]
            .iter()
            .rposition(|&b| !is_scheme_byte(b))
            .map_or(0, |i| i + 1);
        let url_end = bytes[separator..]
            .iter()
            .position(|&b| {
                b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b')')
            })
            .map_or(bytes.len(), |i| separator + i);
        out.push_str(&rest[..url_start]);
        out.push_str(&redact_url(&rest[url_start..url_end]));
        rest = &rest[url_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_websocket_urls_with_a_host() {
        for ok in [
            "ws://h",
            "wss://example.com/ws?x=1",
            "WSS://h:443/",
            "ws://u:p@h/p",
            "ws://[::1]:80/",
        ] {
            assert!(is_websocket_url(ok), "{ok}");
        }
        for bad in [
            "",
            "http://h",
            "https://h/ws",
            "ws://",
            "wss:///path",
            "ws:h",
            "ws://h /x",
            "h/ws",
            "ws://u@",
            "ws://u@/p",
        ] {
            assert!(!is_websocket_url(bad), "{bad}");
        }
    }

    #[test]
    fn redaction_removes_query_fragment_and_credentials() {
        assert_eq!(
            redact_url("wss://user:pw@host:8443/ws/a?token=abc&u=1#frag"),
            "wss://host:8443/ws/a"
        );
        assert_eq!(redact_url("ws://h?t=1"), "ws://h");
        assert_eq!(redact_url("ws://h/p"), "ws://h/p");
        assert_eq!(redact_url("not a url?secret"), "not a url");
    }

    #[test]
    fn redacts_every_url_inside_a_message() {
        let message = "fail url not in domain list: \"wss://h/ws?token=s3cret\" (ws://x?y=2)";
        let redacted = redact_urls_in(message);
        assert_eq!(
            redacted,
            "fail url not in domain list: \"wss://h/ws\" (ws://x)"
        );
        assert!(!redacted.contains("s3cret"));
        assert_eq!(redact_urls_in("no urls here"), "no urls here");
        assert_eq!(
            redact_urls_in("wss://a?t=1 and https://b/c?d=2"),
            "wss://a and https://b/c"
        );
        assert_eq!(
            redact_urls_in("é: wss://ü@h/ö?t=1 ü"),
            "é: wss://h/ö ü",
            "non-ASCII text around and inside"
        );
    }
}
