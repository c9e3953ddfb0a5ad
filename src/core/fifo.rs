//! A first-in, first-out list that never moves items within its buffer: taking from the
//! front leaves an empty slot, and the taken prefix is dropped in one go once it is half
//! the buffer. Simpler than a ring buffer (and, in wasm, free of the overlapping-copy code
//! a ring buffer's growth needs).

#[derive(Debug)]
pub(crate) struct Fifo<T> {
    slots: Vec<Option<T>>,
    head: usize,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo {
            slots: Vec::new(),
            head: 0,
        }
    }
}

impl<T> Fifo<T> {
    pub(crate) fn push_back(&mut self, item: T) {
        self.slots.push(Some(item));
    }

    pub(crate) fn pop_front(&mut self) -> Option<T> {
        let item = self.slots.get_mut(self.head)?.take();
        self.head += 1;
        if self.head == self.slots.len() {
            self.slots.clear();
            self.head = 0;
        } else if self.head * 2 >= self.slots.len() {
            // Keep the buffer at most twice the live items: copy the live part out.
            self.slots = self.slots.split_off(self.head);
            self.head = 0;
        }
        item
    }

    /// The items, front first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.slots[self.head..].iter().flatten()
    }

    /// The items, front first, to change in place.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.slots[self.head..].iter_mut().flatten()
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len() - self.head
    }

    /// Puts `items` before everything else, in their order.
    pub(crate) fn push_front_all(&mut self, items: Vec<T>) {
        if items.is_empty() {
            return;
        }
        let mut rest = std::mem::take(self);
        for item in items {
            self.push_back(item);
        }
        while let Some(item) = rest.pop_front() {
            self.push_back(item);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn drain(fifo: &mut Fifo<i32>) -> Vec<i32> {
        std::iter::from_fn(|| fifo.pop_front()).collect()
    }

    #[test]
    fn first_in_first_out() {
        let mut fifo = Fifo::default();
        for i in 0..5 {
            fifo.push_back(i);
        }
        assert_eq!(fifo.len(), 5);
        assert_eq!([fifo.pop_front(), fifo.pop_front()], [Some(0), Some(1)]);
        fifo.push_back(5);
        assert_eq!(drain(&mut fifo), [2, 3, 4, 5]);
        assert_eq!((fifo.len(), fifo.pop_front()), (0, None));
    }

    #[test]
    fn the_buffer_stays_bounded_under_steady_traffic() {
        let mut fifo = Fifo::default();
        for i in 0..100_000 {
            fifo.push_back(i);
            if i >= 10 {
                assert_eq!(fifo.pop_front(), Some(i - 10));
            }
            assert!(
                fifo.slots.len() <= 2 * fifo.len() + 2,
                "buffer {} for {} items",
                fifo.slots.len(),
                fifo.len()
            );
        }
    }

    #[test]
    fn items_put_back_go_first_in_their_order() {
        let mut fifo = Fifo::default();
        fifo.push_back(3);
        fifo.push_back(4);
        assert_eq!(fifo.pop_front(), Some(3));
        fifo.push_front_all(vec![1, 2]);
        assert_eq!(drain(&mut fifo), [1, 2, 4]);
        fifo.push_front_all(vec![]);
        assert_eq!(fifo.len(), 0);
    }
}
