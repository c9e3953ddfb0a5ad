//! What became of every user message: the accounting invariants.

use std::collections::BTreeSet;

use heartbeat_ws::core::{DropReason, Payload};

/// A user message: its number in sending order and the size it claims. Nothing is
/// allocated, so sizes up to `usize::MAX` cost nothing.
#[derive(Debug)]
pub(crate) struct Message {
    pub(crate) id: u64,
    pub(crate) bytes: usize,
}

impl Payload for Message {
    fn byte_len(&self) -> usize {
        self.bytes
    }
}

/// Every message the user sends ends in exactly one of: handed to a socket, reported
/// dropped, refused to the caller, or still queued.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    offered: u64,
    /// Bytes of the messages the machine holds (queued, or on their way to a socket).
    held_bytes: u128,
    /// Whether they ever claimed more than `usize::MAX` bytes together: from then on the
    /// core's byte count, which saturates, is an estimate.
    saturated: bool,
    sent: BTreeSet<u64>,
    dropped: BTreeSet<u64>,
    refused: u64,
    /// Handed back with `handle_send_failed`, their `drop` event not yet seen.
    failed: BTreeSet<u64>,
}

impl Ledger {
    /// A new message to offer.
    pub(crate) fn offer(&mut self, bytes: usize) -> Message {
        self.held_bytes += bytes as u128;
        self.saturated |= self.held_bytes > usize::MAX as u128;
        self.offered += 1;
        Message {
            id: self.offered,
            bytes,
        }
    }

    /// `send` refused a message of `bytes`.
    pub(crate) fn refused(&mut self, bytes: usize) {
        self.held_bytes -= bytes as u128;
        self.refused += 1;
    }

    /// The host handed `message` to a socket.
    pub(crate) fn sent(&mut self, message: &Message) -> Result<(), String> {
        // Messages go out in the order they were offered, so each at most once.
        if self.sent.last().is_some_and(|&last| message.id <= last) {
            return Err(format!(
                "message {} sent after message {:?}",
                message.id,
                self.sent.last()
            ));
        }
        if self.dropped.contains(&message.id) {
            return Err(format!("message {} sent after its drop", message.id));
        }
        self.sent.insert(message.id);
        self.held_bytes -= message.bytes as u128;
        Ok(())
    }

    /// The host's socket threw on `message`: it must be reported dropped.
    pub(crate) fn failed(&mut self, message: &Message) {
        self.failed.insert(message.id);
    }

    pub(crate) fn dropped(&mut self, message: &Message, reason: DropReason) -> Result<(), String> {
        let id = message.id;
        if self.sent.contains(&id) || !self.dropped.insert(id) {
            return Err(format!("message {id} dropped after being sent or dropped"));
        }
        if (reason == DropReason::SendFailed) != self.failed.remove(&id) {
            return Err(format!("message {id} dropped for {reason:?}"));
        }
        self.held_bytes -= message.bytes as u128;
        Ok(())
    }

    /// Checked after every drain, when every message the machine holds is queued:
    /// nothing lost, nothing counted twice, the bytes queued counted right.
    pub(crate) fn balance(&self, queued: u64, queued_bytes: u64) -> Result<(), String> {
        if !self.failed.is_empty() {
            return Err(format!("failed sends never reported: {:?}", self.failed));
        }
        if !self.saturated && u128::from(queued_bytes) != self.held_bytes {
            return Err(format!(
                "{queued_bytes} bytes queued, but the messages held claim {}",
                self.held_bytes
            ));
        }
        let accounted = self.sent.len() as u64 + self.dropped.len() as u64 + self.refused + queued;
        if accounted != self.offered {
            return Err(format!(
                "{} offered, but {} sent + {} dropped + {} refused + {queued} queued",
                self.offered,
                self.sent.len(),
                self.dropped.len(),
                self.refused
            ));
        }
        Ok(())
    }
}
