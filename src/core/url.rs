//! WebSocket URLs: which ones are accepted, and how they appear in logs and errors.
//!
//! URLs often carry tokens in their query string (`wss://host/ws?token=…`), so nothing the
//! library logs or reports contains a query string, a fragment or user credentials.

/// Checks that `url` is a `ws:` or `wss:` URL with a host.
pub fn is_websocket_url(url: &str) -> bool {
    let Some(rest) = strip_websocket_scheme(url) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    !host.is_empty() && !url.chars().any(char::is_whitespace)
}

fn strip_websocket_scheme(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    (scheme.eq_ignore_ascii_case("ws") || scheme.eq_ignore_ascii_case("wss")).then_some(rest)
}

/// `url` without its query string, fragment and user credentials, for logs and errors.
///
/// `wss://user:pw@host/ws?token=abc#x` becomes `wss://host/ws`.
pub fn redact_url(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let without_query = &url[..end];
    match without_query.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            let host = authority.rsplit('@').next().unwrap_or_default();
            let mut redacted = String::with_capacity(without_query.len());
            redacted.push_str(scheme);
            redacted.push_str("://");
            redacted.push_str(host);
            redacted.push_str(path);
            redacted
        }
        None => without_query.to_owned(),
    }
}

/// `text` with every URL in it redacted by [`redact_url`].
///
/// Error messages from platforms quote the URL they failed on, e.g. WeChat's
/// `"createSocketTask:fail wss url not in domain list: wss://h/ws?token=…"`.
pub fn redact_urls_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(scheme_sep) = rest.find("://") {
        let scheme_start = rest[..scheme_sep]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| i + 1);
        let url_end = rest[scheme_sep..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')'))
            .map_or(rest.len(), |i| scheme_sep + i);
        out.push_str(&rest[..scheme_start]);
        out.push_str(&redact_url(&rest[scheme_start..url_end]));
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
        for ok in ["ws://h", "wss://example.com/ws?x=1", "WSS://h:443/", "ws://u:p@h/p", "ws://[::1]:80/"] {
            assert!(is_websocket_url(ok), "{ok}");
        }
        for bad in ["", "http://h", "https://h/ws", "ws://", "wss:///path", "ws:h", "ws://h /x", "h/ws", "ws://u@"] {
            assert!(!is_websocket_url(bad), "{bad}");
        }
    }

    #[test]
    fn redaction_removes_query_fragment_and_credentials() {
        assert_eq!(redact_url("wss://user:pw@host:8443/ws/a?token=abc&u=1#frag"), "wss://host:8443/ws/a");
        assert_eq!(redact_url("ws://h?t=1"), "ws://h");
        assert_eq!(redact_url("ws://h/p"), "ws://h/p");
        assert_eq!(redact_url("not a url?secret"), "not a url");
    }

    #[test]
    fn redacts_every_url_inside_a_message() {
        let message = "fail url not in domain list: \"wss://h/ws?token=s3cret\" (ws://x?y=2)";
        let redacted = redact_urls_in(message);
        assert_eq!(redacted, "fail url not in domain list: \"wss://h/ws\" (ws://x)");
        assert!(!redacted.contains("s3cret"));
        assert_eq!(redact_urls_in("no urls here"), "no urls here");
        assert_eq!(redact_urls_in("wss://a?t=1 and https://b/c?d=2"), "wss://a and https://b/c");
    }
}
