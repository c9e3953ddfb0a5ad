//! One open WebSocket connection: answers the client according to its
//! [`Behaviour`], runs its timers (push, server pings, delayed pongs,
//! scheduled faults), and obeys commands from the API as they arrive.

use std::collections::VecDeque;
use std::future;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::Interest;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{interval_at, sleep_until, timeout, Instant, Interval, MissedTickBehavior};
use tokio_tungstenite::tungstenite::error::CapacityError;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use crate::behaviour::{Behaviour, CloseSpec, Mode};
use crate::hang_up::hang_up;
use crate::log::Log;
use crate::registry::{self, Registration};

/// The largest message a client may send, and so the most a connection
/// holds for an unfinished fragmented one. Plenty for a test peer, and a
/// quarter of tungstenite's default.
const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// How long a server-initiated close waits for the client's close frame
/// before hanging up; short so that shutdown stays within about a second.
const CLOSE_DRAIN: Duration = Duration::from_millis(500);
/// How often a silent connection with unread data checks for a hang-up.
const HANG_UP_POLL: Duration = Duration::from_millis(250);

/// Codec settings for client connections. Browsers send each message as a
/// single frame, so frames get the message limit too.
pub fn websocket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
}

/// Instructions from the API to a running connection.
#[derive(Debug)]
pub enum Command {
    Apply(Behaviour),
    Send(String),
    Close(CloseSpec),
    Drop { after_ms: u64 },
}

/// Faults scheduled at connect time by query parameters.
pub struct Schedule {
    pub close: Option<CloseSpec>,
    pub drop_after_ms: Option<u64>,
    pub silent_after_ms: Option<u64>,
}

/// Why a connection ended, for the log and the counters.
enum End {
    ClientClosed(Option<CloseFrame>),
    /// The client hung up on a silent connection.
    Abandoned,
    ServerClosed(u16),
    Dropped,
    Failed(WsError),
}

/// What woke the connection up.
enum Wake {
    Inbound(Option<Result<Message, WsError>>),
    HungUp,
    Command(Option<Command>),
    PushDue,
    ServerPingDue,
    PongDue,
    CloseDue,
    DropDue,
    SilentDue,
}

pub async fn run(
    ws: WebSocketStream<TcpStream>,
    registration: Registration,
    commands: mpsc::UnboundedReceiver<Command>,
    behaviour: Behaviour,
    schedule: Schedule,
    log: &Log,
) {
    let now = Instant::now();
    let at = |ms: u64| now + Duration::from_millis(ms);
    let mut connection = Connection {
        ws,
        registration,
        commands,
        push: every(behaviour.push),
        server_ping: every(behaviour.server_ping),
        behaviour,
        push_seq: 0,
        pending_pongs: VecDeque::new(),
        close_at: schedule.close.map(|close| (at(close.after_ms), close)),
        drop_at: schedule.drop_after_ms.map(at),
        silent_at: schedule.silent_after_ms.map(at),
        client_closing: false,
        client_close: None,
    };
    let end = connection.run(log).await;
    let id = connection.registration.id();
    match end {
        End::ClientClosed(Some(frame)) => {
            log.connection(format_args!(
                "ws#{id} closed by client ({})",
                u16::from(frame.code)
            ));
        }
        End::ClientClosed(None) => log.connection(format_args!("ws#{id} closed by client")),
        End::Abandoned => log.connection(format_args!("ws#{id} silent connection left by client")),
        End::ServerClosed(code) => {
            connection.registration.count_close();
            log.connection(format_args!("ws#{id} closed by server ({code})"));
        }
        End::Dropped => {
            connection.registration.count_drop();
            // With SO_LINGER 0, dropping the socket when this function
            // returns sends RST instead of FIN.
            if let Err(error) = connection.ws.get_ref().set_zero_linger() {
                log.connection(format_args!("ws#{id} could not arm reset: {error}"));
            }
            log.connection(format_args!("ws#{id} dropped (TCP reset, no close frame)"));
        }
        End::Failed(error) => log.connection(format_args!("ws#{id} ended: {error}")),
    }
}

struct Connection {
    ws: WebSocketStream<TcpStream>,
    registration: Registration,
    commands: mpsc::UnboundedReceiver<Command>,
    behaviour: Behaviour,
    push: Option<Interval>,
    push_seq: u64,
    server_ping: Option<Interval>,
    /// Pongs waiting out `pongDelay`, each with its due time and text. Kept
    /// in arrival order, so a shortened delay never reorders them.
    pending_pongs: VecDeque<(Instant, String)>,
    close_at: Option<(Instant, CloseSpec)>,
    drop_at: Option<Instant>,
    silent_at: Option<Instant>,
    /// Set once the client's close frame arrived: tungstenite answers it
    /// and refuses further sends, so timers must stop writing.
    client_closing: bool,
    client_close: Option<CloseFrame>,
}

impl Connection {
    async fn run(&mut self, log: &Log) -> End {
        loop {
            let wake = self.next_wake().await;
            if let Err(end) = self.handle(wake, log).await {
                return end;
            }
        }
    }

    async fn next_wake(&mut self) -> Wake {
        // Silent means the socket is not read or written at all: not even
        // close frames or protocol pings are answered, so the peer sees a
        // half-open connection. Scheduled close/drop and API commands still
        // apply.
        let live = self.behaviour.mode != Mode::Silent;
        let pong_due = self.pending_pongs.front().map(|(due, _)| *due);
        let close_due = self.close_at.as_ref().map(|(due, _)| *due);
        tokio::select! {
            wake = inbound(&mut self.ws, live) => wake,
            command = self.commands.recv() => Wake::Command(command),
            () = tick(&mut self.push), if live => Wake::PushDue,
            () = tick(&mut self.server_ping), if live => Wake::ServerPingDue,
            () = sleep_until_some(pong_due), if live => Wake::PongDue,
            () = sleep_until_some(close_due) => Wake::CloseDue,
            () = sleep_until_some(self.drop_at) => Wake::DropDue,
            () = sleep_until_some(self.silent_at) => Wake::SilentDue,
        }
    }

    async fn handle(&mut self, wake: Wake, log: &Log) -> Result<(), End> {
        match wake {
            Wake::Inbound(None | Some(Err(WsError::ConnectionClosed))) => {
                Err(End::ClientClosed(self.client_close.take()))
            }
            Wake::Inbound(Some(Err(WsError::Capacity(CapacityError::MessageTooLong {
                size,
                max_size,
            })))) => {
                log.connection(format_args!(
                    "ws#{}: a message of {size} bytes or more exceeds the limit of {max_size}",
                    self.registration.id()
                ));
                Err(self.close_too_big(max_size).await)
            }
            Wake::Inbound(Some(Err(error))) => Err(End::Failed(error)),
            Wake::Inbound(Some(Ok(message))) => self.receive(message).await,
            Wake::HungUp => Err(End::Abandoned),
            // Cannot happen while registered (the registry keeps the sender
            // until our registration drops); closing is the safe answer.
            Wake::Command(None) => Err(self.close_now(1001, "server shutting down").await),
            Wake::Command(Some(command)) => self.obey(command).await,
            Wake::PushDue => {
                self.push_seq += 1;
                let text = format!("push {}", self.push_seq);
                self.send(Message::text(text), registry::Message::DataOut)
                    .await
            }
            Wake::ServerPingDue => {
                let ping = self.behaviour.ping.clone();
                self.send(Message::text(ping), registry::Message::ServerPingOut)
                    .await
            }
            Wake::PongDue => match self.pending_pongs.pop_front() {
                Some((_, pong)) => {
                    self.send(Message::text(pong), registry::Message::PongOut)
                        .await
                }
                None => Ok(()),
            },
            Wake::CloseDue => match self.close_at.take() {
                Some((_, close)) => Err(self.close_now(close.code, &close.reason).await),
                None => Ok(()),
            },
            Wake::DropDue => Err(End::Dropped),
            Wake::SilentDue => {
                self.silent_at = None;
                self.behaviour.mode = Mode::Silent;
                self.registration.set_mode(Mode::Silent);
                log.connection(format_args!("ws#{} now silent", self.registration.id()));
                Ok(())
            }
        }
    }

    async fn receive(&mut self, message: Message) -> Result<(), End> {
        match message {
            Message::Text(text) => {
                if self.behaviour.server_ping > 0 && text.as_str() == self.behaviour.pong {
                    // The client answering our heartbeat: count it, don't echo.
                    self.registration.record(registry::Message::PongIn);
                    Ok(())
                } else if text.as_str() == self.behaviour.ping {
                    self.registration.record(registry::Message::PingIn);
                    match self.behaviour.mode {
                        Mode::Echo => self.answer_ping().await,
                        Mode::NoPong | Mode::Silent => Ok(()),
                    }
                } else {
                    self.registration.record(registry::Message::DataIn);
                    self.send(Message::Text(text), registry::Message::DataOut)
                        .await
                }
            }
            Message::Binary(bytes) => {
                self.registration.record(registry::Message::DataIn);
                self.send(Message::Binary(bytes), registry::Message::DataOut)
                    .await
            }
            // tungstenite queues the close reply itself; the stream then ends.
            Message::Close(frame) => {
                self.client_closing = true;
                self.client_close = frame;
                Ok(())
            }
            // Protocol-level pings are answered by tungstenite; browsers
            // cannot send them anyway, heartbeats here are text messages.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => Ok(()),
        }
    }

    async fn answer_ping(&mut self) -> Result<(), End> {
        let pong = self.behaviour.pong.clone();
        if self.behaviour.pong_delay == 0 && self.pending_pongs.is_empty() {
            return self
                .send(Message::text(pong), registry::Message::PongOut)
                .await;
        }
        let due = Instant::now() + Duration::from_millis(self.behaviour.pong_delay);
        self.pending_pongs.push_back((due, pong));
        Ok(())
    }

    async fn obey(&mut self, command: Command) -> Result<(), End> {
        let at = |ms: u64| Instant::now() + Duration::from_millis(ms);
        match command {
            Command::Apply(behaviour) => {
                // Restart a timer only when its period changed, so unrelated
                // patches do not shift the push or ping rhythm.
                if behaviour.push != self.behaviour.push {
                    self.push = every(behaviour.push);
                }
                if behaviour.server_ping != self.behaviour.server_ping {
                    self.server_ping = every(behaviour.server_ping);
                }
                self.behaviour = behaviour;
                Ok(())
            }
            Command::Send(text) => {
                self.send(Message::text(text), registry::Message::DataOut)
                    .await
            }
            Command::Close(close) if close.after_ms == 0 => {
                Err(self.close_now(close.code, &close.reason).await)
            }
            Command::Close(close) => {
                self.close_at = Some((at(close.after_ms), close));
                Ok(())
            }
            Command::Drop { after_ms: 0 } => Err(End::Dropped),
            Command::Drop { after_ms } => {
                self.drop_at = Some(at(after_ms));
                Ok(())
            }
        }
    }

    async fn send(&mut self, message: Message, kind: registry::Message) -> Result<(), End> {
        if self.client_closing {
            return Ok(());
        }
        self.ws.send(message).await.map_err(End::Failed)?;
        self.registration.record(kind);
        Ok(())
    }

    /// Sends a close frame, then gives the client a moment to answer with its
    /// own so it observes a clean close with our code and reason.
    async fn close_now(&mut self, code: u16, reason: &str) -> End {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: reason.to_owned().into(),
        };
        if let Err(error) = self.ws.close(Some(frame)).await {
            return End::Failed(error);
        }
        let drain = async { while let Some(Ok(_)) = self.ws.next().await {} };
        // Timing out just means the client was slow; we hang up regardless.
        let _ = timeout(CLOSE_DRAIN, drain).await;
        End::ServerClosed(code)
    }

    /// Closes with 1009 (Message Too Big) after the client's message outgrew
    /// the limit. The codec gave up mid-frame, so the rest of the input can
    /// no longer be read as frames: instead of waiting for the client's close
    /// frame, send FIN and discard its input until it hangs up.
    async fn close_too_big(&mut self, max_size: usize) -> End {
        let frame = CloseFrame {
            code: CloseCode::Size,
            reason: format!("message too big: the limit is {max_size} bytes").into(),
        };
        if let Err(error) = self.ws.close(Some(frame)).await {
            return End::Failed(error);
        }
        hang_up(self.ws.get_mut()).await;
        End::ServerClosed(1009)
    }
}

/// The next inbound message or, while silent, the client hanging up. The
/// latter only looks at the socket's readiness, never at its bytes, so a
/// silent connection stays silent but is not kept in the registry forever
/// after its client has gone.
async fn inbound(ws: &mut WebSocketStream<TcpStream>, live: bool) -> Wake {
    if live {
        return Wake::Inbound(ws.next().await);
    }
    loop {
        match ws.get_ref().ready(Interest::READABLE).await {
            Ok(ready) if ready.is_read_closed() => return Wake::HungUp,
            Err(_) => return Wake::HungUp,
            // Readable because data is waiting, which we must not consume;
            // readiness stays set, so look again later instead of spinning.
            Ok(_) => tokio::time::sleep(HANG_UP_POLL).await,
        }
    }
}

/// A repeating timer whose first tick is one period from now; `None` if off.
fn every(period_ms: u64) -> Option<Interval> {
    (period_ms > 0).then(|| {
        let period = Duration::from_millis(period_ms);
        let mut interval = interval_at(Instant::now() + period, period);
        // After a silent spell, resume the rhythm instead of bursting.
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        interval
    })
}

async fn tick(interval: &mut Option<Interval>) {
    match interval {
        Some(interval) => {
            interval.tick().await;
        }
        None => future::pending().await,
    }
}

async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => sleep_until(deadline).await,
        None => future::pending().await,
    }
}
