//! heartbeat-ws-devserver: a loopback WebSocket server with fault injection,
//! used by the browser tests and the demo. It shares no code with the
//! library on purpose: it is the independent peer the library is tested
//! against.

mod accept_backoff;
mod access;
mod api;
mod behaviour;
mod cli;
mod connection;
mod hang_up;
mod http;
mod log;
mod params;
mod registry;
mod server;
mod static_files;
mod upgrade;

use std::future::Future;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;

use crate::access::Access;
use crate::cli::{Command, Options};
use crate::log::Log;
use crate::registry::Registry;
use crate::server::{App, Limits};
use crate::static_files::StaticFiles;

/// How long shutdown waits for clients to acknowledge the 1001 close.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Serve(options)) => options,
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("heartbeat-ws-devserver: {error}\nRun with --help for usage.");
            return ExitCode::from(2);
        }
    };
    // One thread is plenty for a test peer, and keeps timer behaviour simple.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("heartbeat-ws-devserver: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("heartbeat-ws-devserver: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> io::Result<()> {
    let started = Instant::now();
    // Install signal handlers before announcing the port, so a test that
    // signals right after reading the line is already heard.
    let stop_signal = shutdown_signal()?;
    let listener = TcpListener::bind((options.host.as_str(), options.port))
        .await
        .map_err(|error| {
            io::Error::new(
                error.kind(),
                format!(
                    "cannot listen on {}:{}: {error}",
                    options.host, options.port
                ),
            )
        })?;
    let address = listener.local_addr()?;
    let app = Arc::new(App {
        registry: Arc::new(Registry::new(started)),
        files: StaticFiles::new(options.mounts),
        log: Log::new(started, options.quiet),
        limits: Limits::default(),
        access: Access::new(&options.host, address.ip()),
    });
    if !address.ip().is_loopback() {
        app.log.event(format_args!("warning: {address} is reachable from other machines; this server has no authentication"));
    }
    for mount in app.files.missing_dirs() {
        app.log.event(format_args!(
            "warning: --static {}={}: not a directory (yet)",
            mount.prefix,
            mount.dir.display()
        ));
    }
    let mut stdout = io::stdout();
    writeln!(stdout, "listening on http://{address}")?;
    stdout.flush()?;

    let signal_name = server::serve(listener, Arc::clone(&app), stop_signal).await;
    app.log.event(format_args!("{signal_name}: shutting down"));
    app.registry.begin_shutdown();
    if tokio::time::timeout(SHUTDOWN_GRACE, app.registry.all_gone())
        .await
        .is_err()
    {
        app.log.event(format_args!(
            "some connections did not close in time; exiting anyway"
        ));
    }
    Ok(())
}

/// Resolves with the signal's name on Ctrl-C or SIGTERM. Handlers are
/// installed by this call, not on first poll.
#[cfg(unix)]
fn shutdown_signal() -> io::Result<impl Future<Output = &'static str>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> io::Result<impl Future<Output = &'static str>> {
    Ok(async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C",
            // Without a handler we simply run until killed.
            Err(_) => std::future::pending().await,
        }
    })
}
