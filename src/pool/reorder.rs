//! A reorder buffer: results arrive in any order and leave in job order.
//!
//! A result whose predecessors have all left goes straight through; any other waits. Jobs that
//! never arrive (dropped by a shutdown) would hold back everything after them, so the consumer
//! flushes the rest in job order when the results channel closes.

use crate::pool::report::Delivery;
use std::collections::BTreeMap;

/// Results waiting for their turn, and what waiting cost.
pub(crate) struct ReorderBuffer<R, E> {
    next: u32,
    held: BTreeMap<u32, (Delivery<R, E>, f64)>,
    peak: usize,
    delay_ms: f64,
    released: usize,
}

impl<R, E> ReorderBuffer<R, E> {
    /// An empty buffer expecting job 1 first.
    pub(crate) fn new() -> Self {
        ReorderBuffer {
            next: 1,
            held: BTreeMap::new(),
            peak: 0,
            delay_ms: 0.0,
            released: 0,
        }
    }

    /// Takes `delivery`, arrived at `now_ms`; returns the results now free to leave, in order.
    pub(crate) fn push(&mut self, delivery: Delivery<R, E>, now_ms: f64) -> Vec<Delivery<R, E>> {
        self.held.insert(delivery.job, (delivery, now_ms));
        let mut out = Vec::new();
        while let Some(held) = self.held.remove(&self.next) {
            self.next += 1;
            out.push(self.release(held, now_ms));
        }
        self.peak = self.peak.max(self.held.len());
        out
    }

    /// Everything still held, in job order (the channel closed; the gaps will never fill).
    pub(crate) fn flush(&mut self, now_ms: f64) -> Vec<Delivery<R, E>> {
        std::mem::take(&mut self.held)
            .into_values()
            .map(|held| self.release(held, now_ms))
            .collect()
    }

    /// How many results wait now.
    pub(crate) fn held(&self) -> usize {
        self.held.len()
    }

    /// The most results that waited at once.
    pub(crate) fn peak(&self) -> usize {
        self.peak
    }

    /// The mean wait of the results released so far, in ms.
    pub(crate) fn mean_delay_ms(&self) -> f64 {
        if self.released == 0 {
            0.0
        } else {
            self.delay_ms / self.released as f64
        }
    }

    fn release(
        &mut self,
        (delivery, arrived_ms): (Delivery<R, E>, f64),
        now_ms: f64,
    ) -> Delivery<R, E> {
        self.delay_ms += now_ms - arrived_ms;
        self.released += 1;
        delivery
    }
}
