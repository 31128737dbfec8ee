//! Where actors run. Every actor blocks a whole thread while it waits, so a spawner also says how
//! many actors it can keep blocked at once; the pool refuses a run that would starve it. A run
//! that starts actors later (an autoscaling pool's new workers, the second side of a comparison)
//! keeps a shared handle to its spawner. [`supervised`] starts an actor so that a panic in it
//! ends its run instead of hanging it (a pool's engine and a pipeline are both [`Supervisor`]s).

use crate::observe::actor::{self, Actor};
use crate::sync::error::OpError;
use std::panic::{self, AssertUnwindSafe};
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

/// A run that looks after its actors: told when one panics and when each exits.
pub(crate) trait Supervisor: Send + Sync + 'static {
    /// `who` panicked with `words` (a Go panic, or its code panicked): the run must end.
    fn panicked(&self, who: Actor, words: String);
    /// `who` has exited (after a panic too); the last one out ends the run.
    fn exited(&self, who: Actor);

    /// Returns the value; on an error Go would panic over, notes the panic (ending the run).
    fn check<T>(&self, result: Result<T, OpError>) -> Option<T>
    where
        Self: Sized,
    {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                if error.is_panic() {
                    self.panicked(actor::current(), error.to_string());
                }
                None
            }
        }
    }
}

/// Spawns actor `who` running `body` on `run`, inside `catch_unwind`: a panic in the body ends
/// the run as a panic of `who`; either way the actor then exits.
pub(crate) fn supervised<S: Supervisor>(
    run: &Arc<S>,
    spawner: &dyn Spawn,
    who: Actor,
    body: impl FnOnce(&S) + Send + 'static,
) {
    let run = Arc::clone(run);
    spawner.spawn(Box::new(move || {
        let ran = panic::catch_unwind(AssertUnwindSafe(|| {
            actor::act_as(who, || body(&run));
        }));
        if let Err(payload) = ran {
            run.panicked(who, panic_words(payload.as_ref()));
        }
        run.exited(who);
    }));
}

/// The words a panic was raised with.
fn panic_words(payload: &(dyn std::any::Any + Send)) -> String {
    match (
        payload.downcast_ref::<&str>(),
        payload.downcast_ref::<String>(),
    ) {
        (Some(words), _) => (*words).to_string(),
        (None, Some(words)) => words.clone(),
        (None, None) => "a panic with a value that is not text".to_string(),
    }
}
