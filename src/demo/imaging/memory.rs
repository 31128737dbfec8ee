//! A run's memory gate: bytes shared by its workers, so that however many workers decode at once,
//! the full-size images in memory stay within one budget.
//!
//! A job reserves what its image will need (the decoded pixels, the RGB copy, the resize's
//! intermediate rows) before decoding or generating it, and gives it back when the job ends. A job
//! that does not fit waits until others finish. Every reservation fits in the gate on its own, so
//! waiting always ends.

use crate::pool::shutdown::Interrupted;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The bytes a batch's workers may hold in images at once. The module's memory is at most 1 GiB,
/// and the reader's files (up to 256 MB) and the thumbnails need room besides.
pub const GATE_BYTES: u64 = 512 << 20;

/// How long a waiting job sleeps before looking at the context again.
const CANCEL_CHECK: Duration = Duration::from_millis(10);

/// Bytes available to a run's jobs.
pub struct MemoryGate {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Bytes held by one job; given back when dropped.
pub struct Reservation<'a> {
    gate: &'a MemoryGate,
    bytes: u64,
}

impl MemoryGate {
    /// A gate of `limit` bytes.
    pub fn new(limit: u64) -> Self {
        MemoryGate {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    fn used(&self) -> MutexGuard<'_, u64> {
        self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reserves `bytes` (at most the whole gate), waiting while other jobs hold too much; gives up
    /// with [`Interrupted`] as soon as `cancelled` says so. Also says whether it had to wait.
    pub fn reserve(
        &self,
        bytes: u64,
        cancelled: impl Fn() -> bool,
    ) -> Result<(Reservation<'_>, bool), Interrupted> {
        let bytes = bytes.min(self.limit);
        let mut used = self.used();
        let mut waited = false;
        while *used + bytes > self.limit {
            if cancelled() {
                return Err(Interrupted);
            }
            waited = true;
            used = self
                .freed
                .wait_timeout(used, CANCEL_CHECK)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *used += bytes;
        Ok((Reservation { gate: self, bytes }, waited))
    }

    /// Bytes reserved right now.
    pub fn in_use(&self) -> u64 {
        *self.used()
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        *self.gate.used() -= self.bytes;
        self.gate.freed.notify_all();
    }
}
