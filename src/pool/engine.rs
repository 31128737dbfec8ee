//! The engine of one run: its shared state, how it starts its actors, and how it stops them.
//!
//! [`Engine`] is what every actor of a run shares (behind an `Arc`): the channels, the WaitGroup,
//! the watch, the shutdown state and what the consumer gathered. [`launch`] builds it, counts the
//! actors live, and spawns each one; every actor body runs inside `catch_unwind`, so a panic (in
//! the work, say) ends the run with a panic outcome naming the actor instead of leaving it
//! hanging. The actors' bodies are in `actors.rs`, the timer and shutdown in `timer.rs`, the
//! report in `report.rs`.

use super::config::{Mistake, PoolConfig, Staffing, ms};
use super::progress::Progress;
use super::report::{Delivery, Report};
use super::shutdown::{Interrupted, Shutdown};
use super::spawn::{self, Spawn, Supervisor};
use super::work::WorkCtx;
use super::{StartError, reorder::ReorderBuffer};
use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::trace::{Resource, Tag};
use crate::observe::watch::{Probe, Watch};
use crate::patterns::PatternState;
use crate::patterns::retry::DeadLetter;
use crate::sync::chan::Chan;
use crate::sync::waitgroup::WaitGroup;
use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// What an error of the work must be: shown in the report, sent between threads, and made from
/// the context's cancellation (a backoff wait cut short by a forced shutdown).
pub trait WorkError: From<Interrupted> + fmt::Display + Send + 'static {}

impl<E: From<Interrupted> + fmt::Display + Send + 'static> WorkError for E {}

/// The work function, shared by every worker.
pub(crate) type Work<J, R, E> = dyn Fn(&J, &WorkCtx) -> Result<R, E> + Send + Sync;

/// A job travelling through the jobs channel: its number (from 1) and its payload.
pub(crate) struct Numbered<J> {
    pub(crate) job: u32,
    pub(crate) payload: J,
}

/// A result travelling through the results channel.
pub(crate) struct Done<R, E> {
    pub(crate) job: u32,
    pub(crate) worker: u16,
    pub(crate) result: Result<R, E>,
    pub(crate) attempts: u32,
}

/// Where the producer's jobs come from.
pub(crate) enum Intake<J> {
    /// Every job, known at the start.
    Fixed(Box<dyn Iterator<Item = J> + Send>),
    /// Jobs submitted while the run goes on, numbered as they were submitted; the intake closes
    /// when every sender is gone.
    Open(mpsc::Receiver<Numbered<J>>),
}

/// What the consumer gathered. Each delivery is added as it is made, so the run can be watched
/// ([`crate::pool::Run::delivered_from`]) or its results taken as they come
/// ([`crate::pool::Run::results`]); the report gets the ones not taken.
pub(crate) struct Collected<R, E> {
    /// Deliveries not taken yet, in delivery order.
    pub(crate) results: VecDeque<Delivery<R, E>>,
    /// How many deliveries were taken from the front.
    pub(crate) taken: usize,
    /// Every delivery's job and whether it failed, for the accounting.
    pub(crate) delivered: Vec<(u32, bool)>,
    /// The jobs that failed every attempt, in delivery order (retrying runs).
    pub(crate) dead_letters: Vec<DeadLetter>,
    /// An ordered run's reorder figures: the most held back at once, the mean wait in ms.
    pub(crate) reorder: Option<(usize, f64)>,
}

/// Everything the actors of one run share.
pub(crate) struct Engine<J, R, E> {
    pub(crate) config: PoolConfig,
    /// Jobs submitted so far (all of them, for a fixed intake).
    pub(crate) total_jobs: AtomicU32,
    pub(crate) work: Arc<Work<J, R, E>>,
    /// The production patterns' state.
    pub(crate) patterns: PatternState,
    pub(crate) spawner: Option<Arc<dyn Spawn + Send + Sync>>,
    pub(crate) watch: Arc<Watch>,
    pub(crate) jobs: Chan<Numbered<J>>,
    pub(crate) results: Chan<Done<R, E>>,
    pub(crate) wg: WaitGroup,
    pub(crate) threads: usize,
    pub(crate) shutdown: Shutdown,
    /// Who panicked first, and the panic's words.
    pub(crate) panic: Mutex<Option<(Actor, String)>>,
    /// Jobs the workers took.
    pub(crate) taken: Mutex<Vec<u32>>,
    pub(crate) collected: Mutex<Collected<R, E>>,
    /// Notified at each delivery and when the run finishes.
    pub(crate) progress: Progress,
    pub(crate) report: Mutex<Option<Report<Delivery<R, E>>>>,
    pub(crate) finished: AtomicBool,
}

/// Builds the engine of a run of `config` taking its jobs from `intake` (`jobs` of them so far),
/// and starts its actors on `spawner`.
pub(crate) fn launch<J, R, E, F>(
    config: &PoolConfig,
    intake: Intake<J>,
    jobs: u32,
    work: F,
    spawner: &dyn Spawn,
) -> Result<Arc<Engine<J, R, E>>, StartError>
where
    J: Send + 'static,
    R: Send + 'static,
    E: WorkError,
    F: Fn(&J, &WorkCtx) -> Result<R, E> + Send + Sync + 'static,
{
    let actors = config.actors(jobs);
    let threads = config.threads(jobs);
    if spawner.capacity() < threads {
        return Err(StartError::NotEnoughThreads {
            have: spawner.capacity(),
            need: threads,
        });
    }
    let scaling = match config.staffing {
        Staffing::Autoscale(scaling) => Some(scaling),
        Staffing::Fixed | Staffing::Unbounded => None,
    };
    let spawner_kept = match scaling {
        Some(_) => Some(spawner.share().ok_or(StartError::CannotSpawnLater)?),
        None => None,
    };
    let watch = Watch::new(config.tracing);
    let engine = Arc::new(Engine {
        config: config.clone(),
        total_jobs: AtomicU32::new(jobs),
        work: Arc::new(work),
        patterns: PatternState::new(&config.patterns, scaling),
        spawner: spawner_kept,
        jobs: Chan::observed(
            config.jobs_buffer,
            Probe::new(&watch, Resource::Jobs).receive_starts_the_job(),
            |n: &Numbered<J>| Tag::new(n.job),
        ),
        results: Chan::observed(
            config.results_buffer,
            Probe::new(&watch, Resource::Results).send_finishes_the_job(),
            |d: &Done<R, E>| Tag {
                job: d.job,
                failed: d.result.is_err(),
            },
        ),
        wg: WaitGroup::observed(Probe::new(&watch, Resource::WaitGroup)),
        watch,
        threads,
        shutdown: Shutdown::new(config.shutdown, ms(config.shutdown_timeout)),
        panic: Mutex::new(None),
        taken: Mutex::new(Vec::new()),
        collected: Mutex::new(Collected {
            results: VecDeque::new(),
            taken: 0,
            delivered: Vec::new(),
            dead_letters: Vec::new(),
            reorder: None,
        }),
        progress: Progress::default(),
        report: Mutex::new(None),
        finished: AtomicBool::new(false),
    });
    let weak = Arc::downgrade(&engine);
    engine.watch.on_deadlock(Box::new(move || {
        if let Some(engine) = weak.upgrade() {
            engine.abort();
        }
    }));
    engine.watch.enter(actors.len() as u32);
    if config.lesson.mistake != Mistake::AddInWorker {
        let workers = actors
            .iter()
            .filter(|a| matches!(a, Actor::Worker(_) | Actor::Task(_)));
        engine.wg.add(workers.count());
    }

    let mut intake = Some(intake);
    for who in actors {
        match who {
            Actor::Producer => {
                let intake = intake.take().expect("one producer");
                spawn_actor(&engine, spawner, who, move |run| run.producer(intake));
            }
            Actor::Worker(k) => spawn_actor(&engine, spawner, who, move |run| run.worker(k)),
            Actor::Task(k) => {
                // Tasks are numbered by their jobs, which a fixed intake yields in order.
                let payload = match intake.as_mut() {
                    Some(Intake::Fixed(jobs)) => jobs.next().expect("a job per task"),
                    _ => unreachable!("an unbounded run's jobs are known at the start"),
                };
                spawn_actor(&engine, spawner, who, move |run| run.task(k, payload));
            }
            Actor::Closer => spawn_actor(&engine, spawner, who, |run| run.closer()),
            Actor::Consumer => spawn_actor(&engine, spawner, who, |run| run.consumer()),
            Actor::Main | Actor::Scaler | Actor::StageWorker { .. } | Actor::StageCloser(_) => {
                unreachable!("{who} is not spawned by a pool")
            }
        }
    }
    if config.needs_timer() {
        let engine = Arc::clone(&engine);
        spawner.spawn(Box::new(move || engine.keep_time()));
    }
    Ok(engine)
}

/// Spawns actor `who` running `body` on the engine (see [`spawn::supervised`]).
pub(crate) fn spawn_actor<J, R, E>(
    engine: &Arc<Engine<J, R, E>>,
    spawner: &dyn Spawn,
    who: Actor,
    body: impl FnOnce(&Engine<J, R, E>) + Send + 'static,
) where
    J: Send + 'static,
    R: Send + 'static,
    E: WorkError,
{
    spawn::supervised(engine, spawner, who, body);
}

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Supervisor for Engine<J, R, E> {
    fn panicked(&self, who: Actor, words: String) {
        Engine::panicked(self, who, words);
    }

    fn exited(&self, who: Actor) {
        if self.watch.exit(who) {
            self.finish();
        }
    }
}

impl<J: Send + 'static, R: Send + 'static, E: WorkError> Engine<J, R, E> {
    /// `who` panicked with `words`: the first panic is the run's, and the run is torn down.
    pub(crate) fn panicked(&self, who: Actor, words: String) {
        lock(&self.panic).get_or_insert((who, words));
        self.abort();
    }

    /// Tears the run down (after a panic or a deadlock): every blocked operation returns. The
    /// results channel goes first, so no actor woken by a later abort can still deliver a result
    /// and change the outcome after the fact.
    pub(crate) fn abort(&self) {
        self.watch.disarm();
        self.shutdown.cancel_context();
        self.results.abort();
        self.wg.abort();
        self.jobs.abort();
    }

    /// Milliseconds since the run started.
    pub(crate) fn elapsed_ms(&self) -> f64 {
        self.watch.trace().elapsed_ms()
    }

    /// Whether the run is stopping: a shutdown was requested or the context cancelled.
    pub(crate) fn stopping(&self) -> bool {
        self.shutdown.is_requested() || self.shutdown.is_cancelled()
    }

    /// Whether every actor has exited.
    pub(crate) fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// The reorder buffer of an ordered run.
    pub(crate) fn reorder_buffer(&self) -> Option<ReorderBuffer<R, E>> {
        self.config.ordered.then(ReorderBuffer::new)
    }
}
