//! A server restart, for a fleet: every client is a `Machine` with its own seeded jitter,
//! all on one virtual clock and one event queue. The server closes every connection at
//! once (1001 or 1006), refuses new ones during a restart window (each refusal arrives a
//! millisecond after the attempt), then accepts again. The tests check the figures of both
//! presets; `make fleet` writes docs/fleet-restart.svg and prints the table of
//! RELIABILITY.md.
#![cfg(not(target_arch = "wasm32"))]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::Write as _;

use heartbeat_ws::core::{
    should_reconnect_by_default, CloseInfo, Config, ConnId, Event, HeartbeatMessage, Instant,
    Machine, Output, SplitMix64, State, UrlSource,
};

const CLIENTS: usize = 10_000;
/// Clients connect one after another over this time, so their heartbeats are spread.
const ARRIVALS_MS: u64 = 10_000;
/// Every connection has been up for longer than `minUptime` by then.
const RESTART_AT: u64 = 30_000;
const RESTART_WINDOW_MS: u64 = 10_000;
/// A handshake completes, or its refusal arrives, this long after the attempt.
const LATENCY_MS: u64 = 1;
const BUCKET_MS: u64 = 100;
/// The simulation stops this long after the restart at the latest.
const HORIZON_MS: u64 = 120_000;

fn url() -> UrlSource {
    UrlSource::Fixed("wss://example.com/live".into())
}

/// What happens to one client.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Happening {
    /// The client calls `connect()`.
    Start,
    /// The client's timer fires.
    Timer,
    /// The server answers the handshake of attempt `conn`.
    Handshake(ConnId),
    /// A pong arrives on socket `conn`.
    Pong(ConnId),
}

struct Client {
    machine: Machine<String>,
    /// The deadline the client's timer is armed for; earlier entries in the queue are
    /// stale and skipped.
    timer: Option<u64>,
}

/// The figures of one run, times in milliseconds since the restart.
struct Outcome {
    /// When each connection attempt after the restart was made.
    attempts: Vec<u64>,
    /// When 99% of the clients were open again.
    recovered_after: Option<u64>,
    gave_up: usize,
}

struct Fleet {
    clients: Vec<Client>,
    /// (time, order of scheduling, client, what): earliest first, ties in order.
    queue: BinaryHeap<Reverse<(u64, u64, usize, Happening)>>,
    scheduled: u64,
    now: u64,
    restarted: bool,
    open: usize,
    outcome: Outcome,
}

impl Fleet {
    fn new(config: &Config) -> Fleet {
        let mut fleet = Fleet {
            clients: (0..CLIENTS)
                .map(|seed| Client {
                    machine: Machine::new(
                        config.clone(),
                        Box::new(SplitMix64::new(seed as u64)),
                        Instant::from_millis(0),
                    ),
                    timer: None,
                })
                .collect(),
            queue: BinaryHeap::new(),
            scheduled: 0,
            now: 0,
            restarted: false,
            open: 0,
            outcome: Outcome {
                attempts: Vec::new(),
                recovered_after: None,
                gave_up: 0,
            },
        };
        for client in 0..CLIENTS {
            let at = client as u64 * ARRIVALS_MS / CLIENTS as u64;
            fleet.schedule(at, client, Happening::Start);
        }
        fleet
    }

    fn schedule(&mut self, at: u64, client: usize, happening: Happening) {
        self.scheduled += 1;
        self.queue
            .push(Reverse((at, self.scheduled, client, happening)));
    }

    fn accepting(at: u64) -> bool {
        !(RESTART_AT..RESTART_AT + RESTART_WINDOW_MS).contains(&at)
    }

    /// Runs everything due before `end`, or until every client is back (or gave up).
    fn run_until(&mut self, end: u64) {
        while let Some(Reverse((at, ..))) = self.queue.peek() {
            if *at >= end || self.restarted && self.open + self.outcome.gave_up == CLIENTS {
                return;
            }
            let Reverse((at, _, client, happening)) = self.queue.pop().expect("peeked");
            self.now = at;
            let now = Instant::from_millis(at);
            let Client { machine, timer } = &mut self.clients[client];
            match happening {
                Happening::Start => machine.connect(now),
                Happening::Timer if *timer == Some(at) => {
                    *timer = None;
                    machine.handle_timeout(now);
                }
                Happening::Timer => continue,
                Happening::Handshake(conn) if Self::accepting(at) => machine.handle_open(now, conn),
                Happening::Handshake(conn) => {
                    machine.handle_error(now, conn, "connection refused");
                    let info = abnormal();
                    let retry = should_reconnect_by_default(info.code);
                    machine.handle_close(now, conn, info, retry);
                }
                Happening::Pong(conn) => {
                    machine.handle_heartbeat(now, conn, HeartbeatMessage::Pong)
                }
            }
            self.drain(client);
        }
    }

    /// The server goes down: every open connection closes at once.
    fn restart(&mut self) {
        self.now = RESTART_AT;
        self.restarted = true;
        let now = Instant::from_millis(RESTART_AT);
        for client in 0..CLIENTS {
            let machine = &mut self.clients[client].machine;
            let Some(conn) = machine
                .live_conn()
                .filter(|_| machine.state() == State::Open)
            else {
                continue;
            };
            // Half the clients see the server's "going away", the others a dropped TCP
            // connection.
            let info = if client % 2 == 0 {
                CloseInfo {
                    code: 1001,
                    reason: "server restart".into(),
                    was_clean: true,
                }
            } else {
                abnormal()
            };
            let retry = should_reconnect_by_default(info.code);
            machine.handle_close(now, conn, info, retry);
            self.drain(client);
        }
    }

    /// The host run loop of one client, then its timer re-armed.
    fn drain(&mut self, client: usize) {
        let now = self.now;
        while let Some(output) = self.clients[client].machine.poll_output() {
            match output {
                Output::Connect { conn, .. } => {
                    if self.restarted {
                        self.outcome.attempts.push(now - RESTART_AT);
                    }
                    self.schedule(now + LATENCY_MS, client, Happening::Handshake(conn));
                }
                Output::SendPing { conn } => {
                    self.schedule(now + 2 * LATENCY_MS, client, Happening::Pong(conn))
                }
                Output::Emit(Event::StateChange { from, to }) => {
                    if from == State::Open {
                        self.open -= 1;
                    }
                    if to == State::Open {
                        self.open += 1;
                        let recovered = self.open * 100 >= CLIENTS * 99;
                        if self.restarted && recovered && self.outcome.recovered_after.is_none() {
                            self.outcome.recovered_after = Some(now - RESTART_AT);
                        }
                    }
                }
                Output::Emit(Event::GiveUp { .. }) => self.outcome.gave_up += 1,
                _ => {}
            }
        }
        let deadline = self.clients[client].machine.poll_timeout();
        if let Some(deadline) = deadline.map(Instant::as_millis) {
            if self.clients[client].timer != Some(deadline) {
                self.clients[client].timer = Some(deadline);
                self.schedule(deadline, client, Happening::Timer);
            }
        }
    }
}

fn abnormal() -> CloseInfo {
    CloseInfo {
        code: 1006,
        reason: String::new(),
        was_clean: false,
    }
}

fn simulate(config: &Config) -> Outcome {
    let mut fleet = Fleet::new(config);
    fleet.run_until(RESTART_AT);
    assert_eq!(
        fleet.open, CLIENTS,
        "everyone is connected before the restart"
    );
    fleet.restart();
    fleet.run_until(RESTART_AT + HORIZON_MS);
    fleet.outcome
}

impl Outcome {
    /// Attempts per 100 ms window since the restart.
    fn per_window(&self) -> Vec<usize> {
        let last = self.attempts.iter().max().map_or(0, |t| t / BUCKET_MS);
        let mut windows = vec![0; last as usize + 1];
        for t in &self.attempts {
            windows[(t / BUCKET_MS) as usize] += 1;
        }
        windows
    }

    fn peak(&self) -> usize {
        self.per_window().into_iter().max().unwrap_or(0)
    }
}

/// The peak of an even spread: the same number of first retries, one per client, spread
/// evenly over the first retry's window `[0, delay]`.
fn even_spread_peak(config: &Config) -> usize {
    let delay = config.reconnect.as_ref().expect("reconnection on").delay_ms;
    (CLIENTS as u64 * BUCKET_MS).div_ceil(delay) as usize
}

#[test]
fn the_article_preset_retries_in_lockstep() {
    let outcome = simulate(&Config::article(url()));
    // Without jitter every client retries 5 s after the restart, is refused, and retries
    // 5 s after the refusal, when the server accepts again.
    assert_eq!(outcome.peak(), CLIENTS);
    assert_eq!(outcome.attempts.len(), 2 * CLIENTS);
    assert_eq!(
        outcome.recovered_after,
        Some(5000 + LATENCY_MS + 5000 + LATENCY_MS)
    );
    assert_eq!(outcome.gave_up, 0);
    assert_eq!(even_spread_peak(&Config::article(url())), 200);
}

#[test]
fn default_jitter_keeps_the_peak_within_twice_an_even_spread() {
    let config = Config::new(url());
    let outcome = simulate(&config);
    let ideal = even_spread_peak(&config);
    assert_eq!(ideal, 1000);
    assert!(
        outcome.peak() <= 2 * ideal,
        "peak {} per 100 ms, an even spread {ideal}",
        outcome.peak()
    );
    assert_eq!(outcome.gave_up, 0);
    // The last refusal comes before the window ends, and no retry waits longer than
    // maxDelay after it.
    let latest = RESTART_WINDOW_MS + 30_000 + 2 * LATENCY_MS;
    assert!(
        outcome.recovered_after.is_some_and(|t| t <= latest),
        "99% back after {:?} ms",
        outcome.recovered_after
    );
}

#[test]
#[ignore = "a tool: `make fleet` writes docs/fleet-restart.svg and prints the figures"]
fn fleet_restart_chart() {
    let runs = [
        ("presets.article", Config::article(url())),
        ("defaults", Config::new(url())),
    ];
    let outcomes: Vec<(&str, usize, Outcome)> = runs
        .iter()
        .map(|(name, config)| (*name, even_spread_peak(config), simulate(config)))
        .collect();
    println!("| configuration | peak attempts / 100 ms | even spread | ratio | 99% back after | gave up | attempts |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, ideal, outcome) in &outcomes {
        println!(
            "| {name} | {} | {} | {:.1}× | {} | {} | {} |",
            thousands(outcome.peak()),
            thousands(*ideal),
            outcome.peak() as f64 / *ideal as f64,
            outcome
                .recovered_after
                .map_or("never".into(), |t| format!("{:.1} s", t as f64 / 1000.0)),
            outcome.gave_up,
            thousands(outcome.attempts.len()),
        );
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/fleet-restart.svg");
    std::fs::write(path, chart(&outcomes)).expect("docs/ is writable");
    println!("wrote {path}");
}

/// `n` with thin spaces between thousands, e.g. 10 000.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// Attempts per 100 ms over time, one panel per run, as hand-written SVG.
fn chart(runs: &[(&str, usize, Outcome)]) -> String {
    const WIDTH: f64 = 960.0;
    const PANEL: f64 = 240.0;
    const LEFT: f64 = 70.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 50.0;
    const BOTTOM: f64 = 50.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = PANEL - TOP - BOTTOM;
    let last = runs
        .iter()
        .flat_map(|(_, _, outcome)| outcome.attempts.iter().max())
        .max()
        .copied()
        .unwrap_or(0);
    let seconds = (last / 5000 + 1) * 5;
    let x = |ms: f64| LEFT + plot_width * (ms + 1000.0) / ((seconds + 1) as f64 * 1000.0);

    let mut svg = String::new();
    let height = PANEL * runs.len() as f64;
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"##
    );
    let _ = writeln!(svg, r##"<rect width="100%" height="100%" fill="#fff"/>"##);
    for (panel, (name, ideal, outcome)) in runs.iter().enumerate() {
        let top = panel as f64 * PANEL + TOP;
        let bottom = top + plot_height;
        let windows = outcome.per_window();
        let peak = windows.iter().copied().max().unwrap_or(0);
        let scale_max = nice_ceiling(peak.max(2 * ideal));
        let y = |count: f64| bottom - plot_height * count / scale_max as f64;
        let recovered = outcome
            .recovered_after
            .map_or("never".into(), |t| format!("{:.1} s", t as f64 / 1000.0));
        let _ = writeln!(
            svg,
            r##"<text x="{LEFT}" y="{}" font-size="14" font-weight="bold">{name}: peak {} attempts per 100 ms ({:.1}× an even spread), 99% back after {recovered}, {} attempts, {} gave up</text>"##,
            top - 20.0,
            thousands(peak),
            peak as f64 / *ideal as f64,
            thousands(outcome.attempts.len()),
            outcome.gave_up,
        );
        // The server refuses connections during the restart window.
        let _ = writeln!(
            svg,
            r##"<rect x="{:.1}" y="{top}" width="{:.1}" height="{plot_height}" fill="#eee"/><text x="{:.1}" y="{}" fill="#888">server refusing</text>"##,
            x(0.0),
            x(RESTART_WINDOW_MS as f64) - x(0.0),
            x(0.0) + 4.0,
            top + 14.0,
        );
        for tick in 0..=4 {
            let count = scale_max * tick / 4;
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
                WIDTH - RIGHT,
                LEFT - 6.0,
                y(count as f64) + 4.0,
                thousands(count),
                y = y(count as f64),
            );
        }
        for second in (0..=seconds).step_by(5) {
            let at = x(second as f64 * 1000.0);
            let _ = writeln!(
                svg,
                r##"<line x1="{at:.1}" x2="{at:.1}" y1="{bottom}" y2="{}" stroke="#000"/><text x="{at:.1}" y="{}" text-anchor="middle">{second} s</text>"##,
                bottom + 5.0,
                bottom + 20.0,
            );
        }
        // The even spread and twice it, as dashed lines with a legend after the restart
        // window (the lines may lie too close together for labels of their own).
        let lines = [
            (*ideal, "even spread", "4 4"),
            (2 * ideal, "2× even spread", "10 4"),
        ];
        let legend_x = x((RESTART_WINDOW_MS + 5000) as f64);
        for (row, (count, label, dash)) in lines.into_iter().enumerate() {
            let legend_y = top + 14.0 + 16.0 * row as f64;
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#c60" stroke-dasharray="{dash}"/><line x1="{legend_x:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#c60" stroke-dasharray="{dash}"/><text x="{:.1}" y="{legend_y:.1}" fill="#c60">{label}: {} per 100 ms</text>"##,
                WIDTH - RIGHT,
                legend_x + 30.0,
                legend_y - 4.0,
                legend_y - 4.0,
                legend_x + 36.0,
                thousands(count),
                y = y(count as f64),
            );
        }
        if let Some(recovered) = outcome.recovered_after {
            let at = x(recovered as f64);
            let _ = writeln!(
                svg,
                r##"<line x1="{at:.1}" x2="{at:.1}" y1="{top}" y2="{bottom}" stroke="#393"/><text x="{:.1}" y="{:.1}" fill="#393">99% back</text>"##,
                at + 4.0,
                bottom - 6.0,
            );
        }
        let mut path = format!("M{:.1},{bottom}", x(0.0));
        for (window, count) in windows.iter().enumerate() {
            let start = x((window as u64 * BUCKET_MS) as f64);
            let _ = write!(path, " H{start:.1} V{:.1}", y(*count as f64));
        }
        let _ = write!(
            path,
            " H{:.1} V{bottom}",
            x((windows.len() as u64 * BUCKET_MS) as f64)
        );
        let _ = writeln!(
            svg,
            r##"<path d="{path}" fill="#36c" fill-opacity="0.3" stroke="#36c"/>"##
        );
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{bottom}" y2="{bottom}" stroke="#000"/><line x1="{LEFT}" x2="{LEFT}" y1="{top}" y2="{bottom}" stroke="#000"/><text x="{}" y="{}" text-anchor="middle">time since the restart ({} clients, attempts per 100 ms)</text>"##,
            WIDTH - RIGHT,
            LEFT + plot_width / 2.0,
            bottom + 38.0,
            thousands(CLIENTS),
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `n`.
fn nice_ceiling(n: usize) -> usize {
    let mut power = 1;
    loop {
        for step in [power, 2 * power, 5 * power / 2, 5 * power] {
            if step >= n {
                return step;
            }
        }
        power *= 10;
    }
}
