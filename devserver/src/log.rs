//! One line per event on stderr, stamped with the time since start so lines
//! can be matched against API timestamps (`openedAt`, `refuseUntil`).

use std::fmt;
use std::time::Instant;

pub struct Log {
    started: Instant,
    quiet: bool,
}

impl Log {
    pub fn new(started: Instant, quiet: bool) -> Self {
        Log { started, quiet }
    }

    /// Server-wide events (startup, API changes, shutdown): always shown.
    pub fn event(&self, message: fmt::Arguments<'_>) {
        let elapsed = self.started.elapsed().as_secs_f64();
        eprintln!("[{elapsed:9.3}s] {message}");
    }

    /// Per-connection events, which `--quiet` silences because test suites
    /// open hundreds of connections.
    pub fn connection(&self, message: fmt::Arguments<'_>) {
        if !self.quiet {
            self.event(message);
        }
    }
}
