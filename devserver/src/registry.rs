//! Shared server state: the open and stalled connections, the traffic
//! counters, and the global faults (refuse / stall windows) set by the API.
//!
//! Each connection task owns its socket; the registry only keeps a command
//! channel to it, so API changes reach the task without sharing the socket.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{mpsc, watch};

use crate::behaviour::{Behaviour, CloseSpec, Mode, Patch};
use crate::connection::Command;

/// Traffic of one connection, or of all of them since the last reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Traffic {
    pub messages_in: u64,
    pub messages_out: u64,
    pub pings_in: u64,
    pub pongs_out: u64,
    pub server_pings_out: u64,
    pub pongs_in: u64,
}

/// One message through a connection. Heartbeat kinds also count as messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    DataIn,
    DataOut,
    PingIn,
    PongOut,
    ServerPingOut,
    PongIn,
}

impl Traffic {
    fn record(&mut self, message: Message) {
        match message {
            Message::DataIn => self.messages_in += 1,
            Message::DataOut => self.messages_out += 1,
            Message::PingIn => {
                self.messages_in += 1;
                self.pings_in += 1;
            }
            Message::PongOut => {
                self.messages_out += 1;
                self.pongs_out += 1;
            }
            Message::ServerPingOut => {
                self.messages_out += 1;
                self.server_pings_out += 1;
            }
            Message::PongIn => {
                self.messages_in += 1;
                self.pongs_in += 1;
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ConnectionState {
    Open,
    /// The handshake was read but will never be answered.
    Stalled,
}

/// A connection as the API shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    pub id: u64,
    pub label: Option<String>,
    pub path: String,
    pub state: ConnectionState,
    pub behaviour: Behaviour,
    pub opened_at: u64,
    #[serde(flatten)]
    pub traffic: Traffic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// Upgrades answered with 101.
    pub connections: u64,
    pub open: u64,
    pub refused: u64,
    pub stalled: u64,
    #[serde(flatten)]
    pub traffic: Traffic,
    /// Close frames initiated by the server.
    pub closes: u64,
    /// Connections reset without a close frame.
    pub drops: u64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum PatchError {
    NotFound,
    /// A stalled connection has no WebSocket to change yet.
    Stalled,
}

/// Details of a connection being registered.
pub struct NewConnection {
    pub label: Option<String>,
    pub path: String,
    pub state: ConnectionState,
    pub behaviour: Behaviour,
}

struct Entry {
    view: ConnectionView,
    commands: mpsc::UnboundedSender<Command>,
}

#[derive(Default)]
struct Totals {
    connections: u64,
    refused: u64,
    stalled: u64,
    traffic: Traffic,
    closes: u64,
    drops: u64,
}

struct Refusal {
    until: Instant,
    status: u16,
}

#[derive(Default)]
struct State {
    next_id: u64,
    entries: BTreeMap<u64, Entry>,
    totals: Totals,
    refusal: Option<Refusal>,
    stall_until: Option<Instant>,
    shutting_down: bool,
}

pub struct Registry {
    started: Instant,
    state: Mutex<State>,
    /// Number of registered connections, watched by shutdown to know when
    /// every connection has said goodbye.
    live: watch::Sender<usize>,
}

impl Registry {
    pub fn new(started: Instant) -> Self {
        Registry {
            started,
            state: Mutex::default(),
            live: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain counters behind, which
        // are still worth serving; so recover instead of propagating poison.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn millis_since_start(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.started).as_millis()).unwrap_or(u64::MAX)
    }

    /// Registers a connection and hands back its command inbox, or `None`
    /// once shutdown has begun (the caller then refuses the upgrade).
    pub fn register(
        self: &Arc<Self>,
        new: NewConnection,
    ) -> Option<(Registration, mpsc::UnboundedReceiver<Command>)> {
        let (commands, inbox) = mpsc::unbounded_channel();
        let opened_at = self.millis_since_start(Instant::now());
        let mut state = self.lock();
        if state.shutting_down {
            return None;
        }
        state.next_id += 1;
        let id = state.next_id;
        match new.state {
            ConnectionState::Open => state.totals.connections += 1,
            ConnectionState::Stalled => state.totals.stalled += 1,
        }
        let view = ConnectionView {
            id,
            label: new.label,
            path: new.path,
            state: new.state,
            behaviour: new.behaviour,
            opened_at,
            traffic: Traffic::default(),
        };
        state.entries.insert(id, Entry { view, commands });
        self.live.send_replace(state.entries.len());
        Some((
            Registration {
                registry: Arc::clone(self),
                id,
            },
            inbox,
        ))
    }

    /// The status to refuse upgrades with right now, if any.
    pub fn refusal(&self) -> Option<u16> {
        let state = self.lock();
        if state.shutting_down {
            return Some(503);
        }
        state
            .refusal
            .as_ref()
            .filter(|refusal| refusal.until > Instant::now())
            .map(|refusal| refusal.status)
    }

    pub fn stalling(&self) -> bool {
        self.lock()
            .stall_until
            .is_some_and(|until| until > Instant::now())
    }

    pub fn count_refused(&self) {
        self.lock().totals.refused += 1;
    }

    /// Refuses upgrades for `ms` (0 cancels); returns when that ends, in ms
    /// since start.
    pub fn refuse_for(&self, ms: u64, status: u16) -> Option<u64> {
        let until = (ms > 0).then(|| Instant::now() + Duration::from_millis(ms));
        self.lock().refusal = until.map(|until| Refusal { until, status });
        until.map(|until| self.millis_since_start(until))
    }

    /// Stalls upgrades for `ms` (0 cancels); returns when that ends.
    pub fn stall_for(&self, ms: u64) -> Option<u64> {
        let until = (ms > 0).then(|| Instant::now() + Duration::from_millis(ms));
        self.lock().stall_until = until;
        until.map(|until| self.millis_since_start(until))
    }

    pub fn list(&self) -> Vec<ConnectionView> {
        self.lock()
            .entries
            .values()
            .map(|entry| entry.view.clone())
            .collect()
    }

    pub fn get(&self, id: u64) -> Option<ConnectionView> {
        self.lock().entries.get(&id).map(|entry| entry.view.clone())
    }

    pub fn patch(&self, id: u64, patch: &Patch) -> Result<ConnectionView, PatchError> {
        let mut state = self.lock();
        let entry = state.entries.get_mut(&id).ok_or(PatchError::NotFound)?;
        if entry.view.state == ConnectionState::Stalled {
            return Err(PatchError::Stalled);
        }
        apply_patch(entry, patch);
        Ok(entry.view.clone())
    }

    /// Applies `patch` to every open (not stalled) connection.
    pub fn patch_all(&self, patch: &Patch) -> Vec<ConnectionView> {
        let mut state = self.lock();
        state
            .entries
            .values_mut()
            .filter(|entry| entry.view.state == ConnectionState::Open)
            .map(|entry| {
                apply_patch(entry, patch);
                entry.view.clone()
            })
            .collect()
    }

    pub fn counters(&self) -> Counters {
        let state = self.lock();
        counters(&state)
    }

    /// Zeroes the counters and cancels global faults; with `close_all`, also
    /// closes every connection with 1001.
    pub fn reset(&self, close_all: bool) -> Counters {
        let mut state = self.lock();
        state.totals = Totals::default();
        state.refusal = None;
        state.stall_until = None;
        if close_all {
            close_every_connection(&state, "reset by devserver API");
        }
        counters(&state)
    }

    /// Refuses new upgrades from now on and asks every connection to close
    /// with 1001.
    pub fn begin_shutdown(&self) {
        let mut state = self.lock();
        state.shutting_down = true;
        close_every_connection(&state, "server shutting down");
    }

    /// Resolves once no connection is registered.
    pub async fn all_gone(&self) {
        let mut live = self.live.subscribe();
        // The sender lives in `self`, so waiting cannot fail while we borrow it.
        let _ = live.wait_for(|count| *count == 0).await;
    }

    fn with_entry(&self, id: u64, update: impl FnOnce(&mut Totals, &mut ConnectionView)) {
        let mut state = self.lock();
        let State {
            entries, totals, ..
        } = &mut *state;
        if let Some(entry) = entries.get_mut(&id) {
            update(totals, &mut entry.view);
        }
    }
}

fn apply_patch(entry: &mut Entry, patch: &Patch) {
    let behaviour = patch.behaviour.apply_to(&entry.view.behaviour);
    // A send only fails when the task has just ended; the entry is then
    // about to be removed and there is nobody left to apply the patch to.
    if behaviour != entry.view.behaviour {
        entry.view.behaviour = behaviour.clone();
        let _ = entry.commands.send(Command::Apply(behaviour));
    }
    if let Some(text) = &patch.send {
        let _ = entry.commands.send(Command::Send(text.clone()));
    }
    if let Some(close) = &patch.close {
        let _ = entry.commands.send(Command::Close(close.clone()));
    }
    if let Some(after_ms) = patch.drop_after_ms {
        let _ = entry.commands.send(Command::Drop { after_ms });
    }
}

fn close_every_connection(state: &State, reason: &str) {
    for entry in state.entries.values() {
        let close = CloseSpec {
            code: 1001,
            reason: reason.to_owned(),
            after_ms: 0,
        };
        let _ = entry.commands.send(Command::Close(close));
    }
}

fn counters(state: &State) -> Counters {
    let open = state
        .entries
        .values()
        .filter(|entry| entry.view.state == ConnectionState::Open)
        .count();
    Counters {
        connections: state.totals.connections,
        open: open as u64,
        refused: state.totals.refused,
        stalled: state.totals.stalled,
        traffic: state.totals.traffic,
        closes: state.totals.closes,
        drops: state.totals.drops,
    }
}

/// A connection's handle on its registry entry; dropping it (however the
/// task ends) removes the entry.
pub struct Registration {
    registry: Arc<Registry>,
    id: u64,
}

impl Registration {
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn record(&self, message: Message) {
        self.registry.with_entry(self.id, |totals, view| {
            view.traffic.record(message);
            totals.traffic.record(message);
        });
    }

    /// Records a mode change the connection made by itself (`silentAfter`).
    pub fn set_mode(&self, mode: Mode) {
        self.registry
            .with_entry(self.id, |_, view| view.behaviour.mode = mode);
    }

    pub fn count_close(&self) {
        self.registry.lock().totals.closes += 1;
    }

    pub fn count_drop(&self) {
        self.registry.lock().totals.drops += 1;
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut state = self.registry.lock();
        state.entries.remove(&self.id);
        self.registry.live.send_replace(state.entries.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviour::BehaviourPatch;

    fn open(
        registry: &Arc<Registry>,
        label: &str,
    ) -> (Registration, mpsc::UnboundedReceiver<Command>) {
        registry
            .register(NewConnection {
                label: Some(label.to_owned()),
                path: "/ws".to_owned(),
                state: ConnectionState::Open,
                behaviour: Behaviour::default(),
            })
            .unwrap()
    }

    #[test]
    fn registration_lifecycle_and_counters() {
        let registry = Arc::new(Registry::new(Instant::now()));
        let (first, _inbox1) = open(&registry, "a");
        let (second, _inbox2) = open(&registry, "b");
        first.record(Message::PingIn);
        first.record(Message::PongOut);
        second.record(Message::DataIn);
        let list = registry.list();
        assert_eq!(
            list.iter().map(|view| view.id).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(list[0].traffic.pings_in, 1);
        assert_eq!(list[0].traffic.messages_in, 1);
        let counters = registry.counters();
        assert_eq!((counters.connections, counters.open), (2, 2));
        assert_eq!(counters.traffic.messages_in, 2);
        assert_eq!(counters.traffic.pongs_out, 1);
        drop(first);
        assert_eq!(registry.counters().open, 1);
        assert!(registry.get(1).is_none());
        assert_eq!(registry.reset(false).traffic, Traffic::default());
    }

    #[test]
    fn patches_reach_the_connection() {
        let registry = Arc::new(Registry::new(Instant::now()));
        let (registration, mut inbox) = open(&registry, "a");
        let patch = Patch {
            behaviour: BehaviourPatch {
                mode: Some(Mode::Silent),
                ..BehaviourPatch::default()
            },
            send: Some("hi".into()),
            ..Patch::default()
        };
        let view = registry.patch(registration.id(), &patch).unwrap();
        assert_eq!(view.behaviour.mode, Mode::Silent);
        assert!(matches!(inbox.try_recv(), Ok(Command::Apply(b)) if b.mode == Mode::Silent));
        assert!(matches!(inbox.try_recv(), Ok(Command::Send(text)) if text == "hi"));
        assert_eq!(
            registry.patch(99, &patch).unwrap_err(),
            PatchError::NotFound
        );
    }

    #[test]
    fn global_faults_and_shutdown() {
        let registry = Arc::new(Registry::new(Instant::now()));
        assert_eq!(registry.refusal(), None);
        assert!(registry.refuse_for(60_000, 502).is_some());
        assert_eq!(registry.refusal(), Some(502));
        assert_eq!(registry.refuse_for(0, 503), None);
        assert_eq!(registry.refusal(), None);
        assert!(registry.stall_for(60_000).is_some());
        assert!(registry.stalling());
        registry.reset(false);
        assert!(!registry.stalling());
        let (_registration, mut inbox) = open(&registry, "a");
        registry.begin_shutdown();
        assert!(matches!(inbox.try_recv(), Ok(Command::Close(close)) if close.code == 1001));
        assert_eq!(registry.refusal(), Some(503));
        assert!(registry
            .register(NewConnection {
                label: None,
                path: "/ws".into(),
                state: ConnectionState::Open,
                behaviour: Behaviour::default(),
            })
            .is_none());
    }
}
