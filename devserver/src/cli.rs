//! Command-line parsing. Hand-rolled because the surface is four flags and a
//! dependency like clap would dominate the build time of this small tool.

use std::fmt;
use std::path::PathBuf;

pub const USAGE: &str = "\
heartbeat-ws-devserver: loopback WebSocket server with fault injection

USAGE:
    heartbeat-ws-devserver [--host HOST] [--port PORT] [--static PREFIX=DIR]... [--quiet]

OPTIONS:
    --host HOST            Address to bind (default 127.0.0.1)
    --port PORT            Port to bind, 0 picks a free one (default 8787)
    --static PREFIX=DIR    Serve files under DIR at URL PREFIX; repeatable,
                           the longest matching prefix wins, `/` serves index.html
    --quiet                Do not log per-connection events
    -h, --help             Print this help

The first line on stdout is `listening on http://HOST:PORT`.
WebSocket endpoint: /ws?mode=echo|silent|no-pong|stall|refuse&...  Control API: /api/...
See devserver/README.md for every parameter.";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub mounts: Vec<Mount>,
    pub quiet: bool,
}

/// One `--static PREFIX=DIR` mapping, with the prefix normalised to start with
/// `/` and carry no trailing slash (except the root mount, which is `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub prefix: String,
    pub dir: PathBuf,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve(Options),
    Help,
}

/// A command-line mistake; `main` prints it with a hint and exits with code 2.
#[derive(Debug, PartialEq, Eq)]
pub struct CliError(String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, CliError> {
    let mut options = Options {
        host: "127.0.0.1".to_owned(),
        port: 8787,
        mounts: Vec::new(),
        quiet: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, CliError> {
            match inline_value.clone().or_else(|| args.next()) {
                Some(v) => Ok(v),
                None => Err(CliError(format!("{name}: missing value"))),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--quiet" if inline_value.is_some() => {
                return Err(CliError("--quiet: takes no value".into()));
            }
            "--quiet" => options.quiet = true,
            "--host" => {
                let host = value("--host")?;
                if host.is_empty() {
                    return Err(CliError(
                        "--host: expected a host name or address, got \"\"".into(),
                    ));
                }
                options.host = host;
            }
            "--port" => {
                let raw = value("--port")?;
                options.port = raw.parse().map_err(|_| {
                    CliError(format!(
                        "--port: expected a port number 0-65535, got {raw:?}"
                    ))
                })?;
            }
            "--static" => options.mounts.push(parse_mount(&value("--static")?)?),
            other if other.starts_with('-') => {
                return Err(CliError(format!("unknown flag {other}")));
            }
            other => return Err(CliError(format!("unexpected argument {other:?}"))),
        }
    }
    Ok(Command::Serve(options))
}

fn parse_mount(raw: &str) -> Result<Mount, CliError> {
    let invalid = |why: &str| CliError(format!("--static: {why}, got {raw:?}"));
    let (prefix, dir) = raw
        .split_once('=')
        .ok_or_else(|| invalid("expected PREFIX=DIR, e.g. /=demo"))?;
    if !prefix.starts_with('/') {
        return Err(invalid("PREFIX must start with /"));
    }
    if dir.is_empty() {
        return Err(invalid("DIR must not be empty"));
    }
    let trimmed = prefix.trim_end_matches('/');
    let prefix = if trimmed.is_empty() { "/" } else { trimmed };
    Ok(Mount {
        prefix: prefix.to_owned(),
        dir: PathBuf::from(dir),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn serve(list: &[&str]) -> Options {
        match parse(args(list)) {
            Ok(Command::Serve(options)) => options,
            other => panic!("expected options, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let options = serve(&[]);
        assert_eq!(options.host, "127.0.0.1");
        assert_eq!(options.port, 8787);
        assert!(options.mounts.is_empty());
        assert!(!options.quiet);
    }

    #[test]
    fn all_flags_in_both_spellings() {
        let options = serve(&[
            "--host",
            "::1",
            "--port=0",
            "--static",
            "/=demo",
            "--static=/pkg/=pkg",
            "--quiet",
        ]);
        assert_eq!(options.host, "::1");
        assert_eq!(options.port, 0);
        assert_eq!(
            options.mounts,
            vec![
                Mount {
                    prefix: "/".into(),
                    dir: "demo".into()
                },
                Mount {
                    prefix: "/pkg".into(),
                    dir: "pkg".into()
                },
            ]
        );
        assert!(options.quiet);
    }

    #[test]
    fn help() {
        assert_eq!(parse(args(&["--port", "1", "-h"])), Ok(Command::Help));
    }

    #[test]
    fn errors_name_the_flag() {
        let error = |list: &[&str]| parse(args(list)).unwrap_err().to_string();
        assert_eq!(
            error(&["--port", "x"]),
            "--port: expected a port number 0-65535, got \"x\""
        );
        assert_eq!(error(&["--port"]), "--port: missing value");
        assert_eq!(error(&["--bogus"]), "unknown flag --bogus");
        assert_eq!(error(&["--quiet=1"]), "--quiet: takes no value");
        assert!(error(&["--static", "demo"]).starts_with("--static: expected PREFIX=DIR"));
        assert!(error(&["--static", "pkg=pkg"]).starts_with("--static: PREFIX must start with /"));
        assert_eq!(error(&["stray"]), "unexpected argument \"stray\"");
    }
}
