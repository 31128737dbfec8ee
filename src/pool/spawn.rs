//! Where actors run. Every actor blocks a whole thread while it waits, so a spawner also says how
//! many actors it can keep blocked at once; the pool refuses a run that would starve it. A run
//! that starts actors later (an autoscaling pool's new workers, the second side of a comparison)
//! keeps a shared handle to its spawner.

use std::sync::Arc;

/// A unit of work for one thread: an actor's whole life.
pub type Task = Box<dyn FnOnce() + Send + 'static>;

/// Something that runs tasks on threads of their own.
pub trait Spawn {
    /// Starts `task` on a thread.
    fn spawn(&self, task: Task);
    /// How many tasks can be blocked at the same time without starving the others.
    fn capacity(&self) -> usize;
    /// A handle a run can keep to start actors later, from its own threads; `None` when this
    /// spawner cannot be kept.
    fn share(&self) -> Option<Arc<dyn Spawn + Send + Sync>> {
        None
    }
}

/// A fresh operating-system thread per task. Native builds only: in the browser, std cannot start
/// threads; use the wasm module's `WebWorkers` there.
pub struct OsThreads;

impl Spawn for OsThreads {
    fn spawn(&self, task: Task) {
        std::thread::spawn(task);
    }

    fn capacity(&self) -> usize {
        usize::MAX
    }

    fn share(&self) -> Option<Arc<dyn Spawn + Send + Sync>> {
        Some(Arc::new(OsThreads))
    }
}
