//! heartbeat-ws: a WebSocket that stays alive.
//!
//! Heartbeat, fast dead-connection detection, reconnection with backoff and a bounded send
//! queue for any WebSocket-like connection: browser `WebSocket`, mini-program `SocketTask`
//! shims, Node's `ws`. The logic is a sans-IO state machine in [`core`], tested natively;
//! on `wasm32` the [`binding`](crate#the-binding) drives it from JavaScript.
//!
//! # The binding
//! `src/binding/` (wasm only) is the control plane of the `HeartbeatSocket` class defined in
//! `js/socket.js`, which this module re-exports: JavaScript keeps the data plane (messages in
//! and out of an open socket), Rust decides every state change, deadline and retry.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod core;

/// A free-list allocator a few hundred bytes big instead of dlmalloc's 5 KB: the package's
/// size budget is tight, and the binding's allocations are few and small.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm without threads is single-threaded; this crate never enables atomics.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[cfg(target_arch = "wasm32")]
mod binding;

#[cfg(target_arch = "wasm32")]
pub use binding::{heartbeat_socket_class, start};
