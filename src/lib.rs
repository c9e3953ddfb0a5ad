//! heartbeat-ws: a WebSocket that stays alive.
//!
//! Heartbeat, fast dead-connection detection, reconnection with backoff and a bounded send
//! queue for any WebSocket-like connection: browser `WebSocket`, mini-program `SocketTask`
//! shims, Node's `ws`. The logic is a sans-IO state machine in [`core`], tested natively;
//! on `wasm32` a thin binding drives it from JavaScript and exports the `HeartbeatSocket`
//! class.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod core;

/// A free-list allocator a few hundred bytes big instead of dlmalloc's 5 KB: the wasm
/// module's size budget is 20 KB gzipped, and its allocations are few and small.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm without threads is single-threaded; this crate never enables atomics.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[cfg(target_arch = "wasm32")]
mod connection;
#[cfg(target_arch = "wasm32")]
mod driver;
#[cfg(target_arch = "wasm32")]
mod errors;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod inbox;
#[cfg(target_arch = "wasm32")]
mod listeners;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg(target_arch = "wasm32")]
mod payload;
#[cfg(target_arch = "wasm32")]
mod shapes;
#[cfg(target_arch = "wasm32")]
mod socket;
#[cfg(target_arch = "wasm32")]
mod transports;

#[cfg(target_arch = "wasm32")]
pub use socket::HeartbeatSocket;
#[cfg(target_arch = "wasm32")]
pub use transports::browser_transport;
