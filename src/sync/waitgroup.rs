//! A WaitGroup with Go's semantics: `add` before starting work, `done` when it ends, `wait` blocks
//! until the counter is back to zero. A counter driven below zero is Go's panic
//! "sync: negative WaitGroup counter".

use crate::locks::lock;
use crate::observe::actor;
use crate::observe::trace::{LogBook, Op, Pen, Reason, Source};
use crate::observe::watch::Probe;
use crate::sync::error::OpError;
use crate::sync::parker::Parker;
use std::sync::{Arc, Mutex};

/// A handle to a WaitGroup; clones share the same counter.
#[derive(Clone)]
pub struct WaitGroup {
    shared: Arc<Shared>,
}

struct Shared {
    probe: Probe,
    state: Mutex<State>,
}

struct State {
    count: usize,
    waiters: Vec<Arc<Parker<Result<(), OpError>>>>,
    aborted: bool,
    log: LogBook,
}

impl Default for WaitGroup {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitGroup {
    /// A WaitGroup at zero that reports nothing.
    pub fn new() -> Self {
        Self::observed(Probe::none())
    }

    /// A WaitGroup at zero that reports to `probe`.
    pub fn observed(probe: Probe) -> Self {
        let shared = Arc::new(Shared {
            probe,
            state: Mutex::new(State {
                count: 0,
                waiters: Vec::new(),
                aborted: false,
                log: LogBook::default(),
            }),
        });
        let source: Arc<dyn Source> = shared.clone();
        shared.probe.register(Arc::downgrade(&source));
        WaitGroup { shared }
    }

    /// The counter's current value.
    pub fn count(&self) -> usize {
        lock(&self.shared.state).count
    }

    /// Adds `n` to the counter.
    pub fn add(&self, n: usize) {
        lock(&self.shared.state).count += n;
    }

    /// Takes one from the counter, waking every waiter when it reaches zero.
    pub fn done(&self) -> Result<(), OpError> {
        let mut pen = self.shared.probe.pen();
        let mut state = lock(&self.shared.state);
        if state.count == 0 {
            return Err(OpError::NegativeCounter);
        }
        state.count -= 1;
        if state.count == 0 {
            self.release_all(&mut pen, &mut state, Ok(()));
        }
        Ok(())
    }

    /// Blocks until the counter is zero.
    pub fn wait(&self) -> Result<(), OpError> {
        let me = actor::current();
        let shared = &*self.shared;
        let mut pen = shared.probe.pen();
        let mut state = lock(&shared.state);
        if state.aborted {
            return Err(OpError::Aborted);
        }
        if state.count == 0 {
            return Ok(());
        }
        let parker = Parker::new(me);
        state.waiters.push(Arc::clone(&parker));
        shared
            .probe
            .blocked(&mut pen, &mut state.log, me, Op::Wait, Reason::Counter);
        drop(state);
        parker.park_watched(&shared.probe, pen)
    }

    /// Stops the WaitGroup for good: every waiting and later `wait` fails with
    /// [`OpError::Aborted`].
    pub fn abort(&self) {
        let mut pen = self.shared.probe.pen();
        let mut state = lock(&self.shared.state);
        state.aborted = true;
        self.release_all(&mut pen, &mut state, Err(OpError::Aborted));
    }

    fn release_all(&self, pen: &mut Pen<'_>, state: &mut State, outcome: Result<(), OpError>) {
        for waiter in state.waiters.drain(..) {
            let at = self
                .shared
                .probe
                .unblocked(pen, &mut state.log, waiter.actor, Op::Wait);
            waiter.wake(outcome, at);
        }
    }
}

impl Source for Shared {
    fn with_log(&self, f: &mut dyn FnMut(&mut LogBook)) {
        f(&mut lock(&self.state).log);
    }
}
