//! How a run tells whoever waits for its results or its end (`Run::results`, `Run::join`) that
//! something changed: a condition variable that is notified only when someone waits on it. A
//! condition variable's notify is a system call even with no waiter, and the consumer notifies
//! at every delivery; counting the waiters spares a run nobody watches that call per job.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, LockResult, MutexGuard};

/// A condition variable that knows whether anyone waits on it. Wait and notify with the same
/// mutex held (the run's `collected`), which orders the count between them.
#[derive(Default)]
pub(crate) struct Progress {
    condvar: Condvar,
    waiters: AtomicUsize,
}

impl Progress {
    /// Releases `guard`'s lock until notified (or woken spuriously), then takes it again.
    pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.waiters.fetch_add(1, Ordering::Relaxed);
        let guard = self.condvar.wait(guard);
        self.waiters.fetch_sub(1, Ordering::Relaxed);
        guard
    }

    /// Wakes every waiter, if there is one; call with the waiters' lock held.
    pub(crate) fn notify_all(&self) {
        if self.waiters.load(Ordering::Relaxed) > 0 {
            self.condvar.notify_all();
        }
    }
}
