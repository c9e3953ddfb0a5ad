//! Which requests the server answers at all. It has no authentication, so
//! it must not do what a web page on another site tells a browser to ask:
//!
//! - `Host` must name `localhost` or a loopback address. A page that reaches
//!   us through DNS rebinding (its own name made to resolve to 127.0.0.1)
//!   still sends its own name there.
//! - `Origin`, when present, must be a page on `localhost`, on a loopback
//!   address, or on this server. Browsers send it with every cross-site
//!   WebSocket handshake, POST and CORS request, which is what keeps other
//!   sites from opening sockets here or driving the control API. Clients
//!   outside browsers (Node `ws`, curl) send none and are let through.

use std::net::IpAddr;

use crate::http::{Request, Response};

pub struct Access {
    /// The `--host` name when it is not a loopback address: other machines
    /// then address us by that name or by an IP address.
    public_host: Option<String>,
}

/// Why a request is not answered: its status and a plain-text reason.
#[derive(Debug)]
pub struct Refusal {
    pub status: u16,
    pub reason: String,
}

impl Refusal {
    fn new(status: u16, reason: String) -> Self {
        Refusal { status, reason }
    }

    pub fn into_response(self) -> Response {
        Response::text(self.status, self.reason)
    }
}

impl Access {
    /// Rules for a server started with `--host host_flag` and bound to `bound`.
    pub fn new(host_flag: &str, bound: IpAddr) -> Self {
        Access {
            public_host: (!bound.is_loopback()).then(|| host_flag.to_owned()),
        }
    }

    pub fn check(&self, request: &Request) -> Result<(), Refusal> {
        let host = self.check_host(request)?;
        check_origin(request, host)
    }

    /// The request's Host header, if it names this server.
    fn check_host<'r>(&self, request: &'r Request) -> Result<&'r str, Refusal> {
        let mut hosts = request.header_values("host");
        let (Some(host), None) = (hosts.next(), hosts.next()) else {
            return Err(Refusal::new(
                400,
                "expected exactly one Host header".to_owned(),
            ));
        };
        let Some(name) = host_name(host) else {
            return Err(Refusal::new(400, format!("malformed Host header {host:?}")));
        };
        if self.serves(name) {
            return Ok(host);
        }
        let expected = match &self.public_host {
            None => "localhost or a loopback address such as 127.0.0.1".to_owned(),
            Some(public) => format!("localhost, an IP address or {public}"),
        };
        Err(Refusal::new(
            421,
            format!("Host {host:?} is not served here; address this server as {expected}"),
        ))
    }

    /// Whether requests addressed to `name` are for this server.
    fn serves(&self, name: &str) -> bool {
        is_loopback_name(name)
            || self.public_host.as_ref().is_some_and(|public| {
                // An IP address cannot be rebound the way a DNS name can.
                name.eq_ignore_ascii_case(public) || name.parse::<IpAddr>().is_ok()
            })
    }
}

fn check_origin(request: &Request, host: &str) -> Result<(), Refusal> {
    match request.header("origin") {
        Some(origin) if !origin_allowed(origin, host) => Err(Refusal::new(
            403,
            format!(
                "Origin {origin:?} may not use this server; only pages on localhost, \
                 a loopback address or this server may"
            ),
        )),
        _ => Ok(()),
    }
}

/// Whether a page from `origin` may use the server a request for `host`
/// reached: loopback pages, and this server's own.
fn origin_allowed(origin: &str, host: &str) -> bool {
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|authority| {
        authority.eq_ignore_ascii_case(host) || host_name(authority).is_some_and(is_loopback_name)
    })
}

/// The name or address in `host[:port]` (IPv6 addresses in brackets), or
/// `None` if that is malformed.
fn host_name(authority: &str) -> Option<&str> {
    let (name, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (address, rest) = bracketed.split_once(']')?;
            match rest {
                "" => (address, None),
                _ => (address, Some(rest.strip_prefix(':')?)),
            }
        }
        None => match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        },
    };
    let valid_port = port.is_none_or(|port| {
        port.bytes().all(|byte| byte.is_ascii_digit()) && port.parse::<u16>().is_ok()
    });
    (valid_port && !name.is_empty()).then_some(name)
}

fn is_loopback_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<IpAddr>()
            .is_ok_and(|address| address.to_canonical().is_loopback())
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn host_names_are_split_from_ports() {
        assert_eq!(host_name("localhost"), Some("localhost"));
        assert_eq!(host_name("127.0.0.1:8787"), Some("127.0.0.1"));
        assert_eq!(host_name("[::1]:8787"), Some("::1"));
        assert_eq!(host_name("[::1]"), Some("::1"));
        for malformed in [
            "", ":80", "::1", "[::1", "[::1]80", "a:b", "a:", "a:+80", "a:65536", "a:1:2",
        ] {
            assert_eq!(host_name(malformed), None, "{malformed:?}");
        }
    }

    #[test]
    fn loopback_serves_localhost_and_loopback_addresses_only() {
        let access = Access::new("127.0.0.1", Ipv4Addr::LOCALHOST.into());
        for name in [
            "localhost",
            "LocalHost",
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(access.serves(name), "{name}");
        }
        for name in [
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "10.0.0.1",
            "0.0.0.0",
            "::ffff:10.0.0.1",
        ] {
            assert!(!access.serves(name), "{name}");
        }
    }

    #[test]
    fn a_public_bind_also_serves_ip_addresses_and_its_host_name() {
        let access = Access::new("devbox.lan", Ipv4Addr::new(192, 168, 1, 5).into());
        for name in [
            "localhost",
            "127.0.0.1",
            "192.168.1.5",
            "10.0.0.1",
            "fe80::1",
            "DEVBOX.lan",
        ] {
            assert!(access.serves(name), "{name}");
        }
        for name in ["evil.example", "devbox.lan.evil.example"] {
            assert!(!access.serves(name), "{name}");
        }
    }

    #[test]
    fn origins_must_be_loopback_pages_or_this_server() {
        let host = "127.0.0.1:8787";
        for origin in [
            "http://127.0.0.1:8787",
            "http://127.0.0.1:3000",
            "http://localhost:5173",
            "https://localhost",
            "http://[::1]:9",
        ] {
            assert!(origin_allowed(origin, host), "{origin}");
        }
        for origin in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io:8787",
            "null",
            "file://",
            "ws://localhost",
            "http://10.0.0.1:8787",
        ] {
            assert!(!origin_allowed(origin, host), "{origin}");
        }
        // Bound to a public address, the server's own pages are same-origin.
        assert!(origin_allowed(
            "http://192.168.1.5:8787",
            "192.168.1.5:8787"
        ));
        assert!(!origin_allowed(
            "http://192.168.1.9:8787",
            "192.168.1.5:8787"
        ));
    }
}
