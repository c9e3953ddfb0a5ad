//! The send queue: messages sent while the socket is not open, bounded by count and bytes.

use super::config::{Overflow, QueueConfig};
use super::fifo::Fifo;
use super::payload::Payload;

/// Messages waiting for an open socket, oldest first. Payloads are opaque: the binding
/// keeps JavaScript values here, never copies of their bytes.
#[derive(Debug)]
pub(crate) struct SendQueue<P> {
    items: Fifo<(P, usize)>,
    bytes: usize,
}

/// What happened to a message offered to the queue.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Enqueued<P> {
    /// Queued; older messages may have been evicted to make room.
    Queued {
        /// Messages dropped to make room, oldest first.
        evicted: Vec<P>,
    },
    /// Did not fit and was dropped (policy `DropNewest`, or larger than the whole queue).
    Dropped(P),
    /// Did not fit and was refused (policy `Reject`): the caller still owns it.
    Refused,
    /// Larger than the queue's byte limit, so it can never fit, and refused (policy
    /// `Reject`): the caller still owns it.
    TooLarge,
}

impl<P> Default for SendQueue<P> {
    fn default() -> Self {
        SendQueue {
            items: Fifo::default(),
            bytes: 0,
        }
    }
}

impl<P: Payload> SendQueue<P> {
    /// Offers `data` under `limits`.
    pub(crate) fn push(&mut self, data: P, limits: &QueueConfig) -> Enqueued<P> {
        let bytes = data.byte_len();
        let fits = |queue: &Self| {
            queue.items.len() < limits.max_messages
                && queue
                    .bytes
                    .checked_add(bytes)
                    .is_some_and(|total| total <= limits.max_bytes)
        };
        // A message bigger than the whole queue can never fit, whatever the policy evicts.
        let too_large = bytes > limits.max_bytes;
        let can_ever_fit = limits.max_messages > 0 && !too_large;
        let mut evicted = Vec::new();
        if !fits(self) {
            match limits.overflow {
                Overflow::Reject if too_large => return Enqueued::TooLarge,
                Overflow::Reject => return Enqueued::Refused,
                Overflow::DropNewest => return Enqueued::Dropped(data),
                Overflow::DropOldest if !can_ever_fit => return Enqueued::Dropped(data),
                Overflow::DropOldest => {
                    while !fits(self) {
                        match self.pop() {
                            Some(old) => evicted.push(old),
                            None => break,
                        }
                    }
                }
            }
        }
        self.bytes += bytes;
        self.items.push_back((data, bytes));
        Enqueued::Queued { evicted }
    }

    /// Puts messages that were on their way to a socket that went away back at the front,
    /// in their order. They were admitted once, so the limits do not apply to them again.
    pub(crate) fn requeue_front(&mut self, messages: Vec<P>) {
        let mut measured = Vec::with_capacity(messages.len());
        for data in messages {
            let bytes = data.byte_len();
            // Messages handed to an open socket were never measured against the limits:
            // their sizes may add up to anything.
            self.bytes = self.bytes.saturating_add(bytes);
            measured.push((data, bytes));
        }
        self.items.push_front_all(measured);
    }

    /// The oldest message.
    pub(crate) fn pop(&mut self) -> Option<P> {
        let (data, bytes) = self.items.pop_front()?;
        self.bytes = self.bytes.saturating_sub(bytes);
        Some(data)
    }

    /// Number of messages held.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// A message `id` that claims to be `1` byte per unit of `size`.
    #[derive(Debug, PartialEq, Eq)]
    struct Sized(u32, usize);

    impl Payload for Sized {
        fn byte_len(&self) -> usize {
            self.1
        }
    }

    fn limits(max_messages: usize, max_bytes: usize, overflow: Overflow) -> QueueConfig {
        QueueConfig {
            max_messages,
            max_bytes,
            overflow,
        }
    }

    fn drain(queue: &mut SendQueue<Sized>) -> Vec<u32> {
        std::iter::from_fn(|| queue.pop()).map(|m| m.0).collect()
    }

    fn push(q: &mut SendQueue<Sized>, id: u32, size: usize, l: &QueueConfig) -> Enqueued<u32> {
        match q.push(Sized(id, size), l) {
            Enqueued::Queued { evicted } => Enqueued::Queued {
                evicted: evicted.into_iter().map(|m| m.0).collect(),
            },
            Enqueued::Dropped(m) => Enqueued::Dropped(m.0),
            Enqueued::Refused => Enqueued::Refused,
            Enqueued::TooLarge => Enqueued::TooLarge,
        }
    }

    #[test]
    fn keeps_order_within_limits() {
        let mut q = SendQueue::default();
        let l = limits(3, 100, Overflow::DropOldest);
        for i in 0..3 {
            assert_eq!(
                push(&mut q, i, 10, &l),
                Enqueued::Queued { evicted: vec![] }
            );
        }
        assert_eq!((q.len(), q.bytes()), (3, 30));
        assert_eq!(drain(&mut q), [0, 1, 2]);
        assert_eq!(q.bytes(), 0);
    }

    #[test]
    fn drop_oldest_evicts_by_count_and_by_bytes() {
        let mut q = SendQueue::default();
        let l = limits(2, 25, Overflow::DropOldest);
        push(&mut q, 1, 10, &l);
        push(&mut q, 2, 10, &l);
        assert_eq!(
            push(&mut q, 3, 10, &l),
            Enqueued::Queued { evicted: vec![1] }
        );
        assert_eq!(
            push(&mut q, 4, 20, &l),
            Enqueued::Queued {
                evicted: vec![2, 3]
            }
        );
        assert_eq!(drain(&mut q), [4]);
    }

    #[test]
    fn drop_newest_and_reject_leave_the_queue_alone() {
        let mut q = SendQueue::default();
        let l = limits(1, 100, Overflow::DropNewest);
        push(&mut q, 1, 1, &l);
        assert_eq!(push(&mut q, 2, 1, &l), Enqueued::Dropped(2));
        let l = limits(1, 100, Overflow::Reject);
        assert_eq!(push(&mut q, 3, 1, &l), Enqueued::Refused);
        assert_eq!(drain(&mut q), [1]);
    }

    #[test]
    fn reject_tells_a_message_larger_than_the_byte_limit_from_a_full_queue() {
        let mut q = SendQueue::default();
        let l = limits(10, 4, Overflow::Reject);
        assert_eq!(push(&mut q, 1, 5, &l), Enqueued::TooLarge);
        assert_eq!(push(&mut q, 2, 4, &l), Enqueued::Queued { evicted: vec![] });
        assert_eq!(push(&mut q, 3, 1, &l), Enqueued::Refused);
        assert_eq!(drain(&mut q), [2]);
    }

    #[test]
    fn a_message_larger_than_the_queue_is_dropped_without_evicting_others() {
        let mut q = SendQueue::default();
        let l = limits(10, 100, Overflow::DropOldest);
        push(&mut q, 1, 50, &l);
        assert_eq!(push(&mut q, 2, 101, &l), Enqueued::Dropped(2));
        assert_eq!(drain(&mut q), [1]);
        let none = limits(0, 100, Overflow::DropOldest);
        assert_eq!(push(&mut q, 3, 1, &none), Enqueued::Dropped(3));
    }

    #[test]
    fn requeued_messages_go_first_in_their_order() {
        let mut q = SendQueue::default();
        let l = limits(10, 100, Overflow::DropOldest);
        push(&mut q, 5, 1, &l);
        q.requeue_front(vec![Sized(1, 2), Sized(2, 3)]);
        assert_eq!(q.bytes(), 6);
        assert_eq!(drain(&mut q), [1, 2, 5]);
    }
}
