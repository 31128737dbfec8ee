//! The worker pool, wired as in Go.
//!
//! ```text
//! producer ──jobs──▶ worker 1..N ──results──▶ consumer
//!                        │ wg.Done()
//!                     closer: wg.Wait(); close(results)
//! ```
//! [`start`] spawns the actors and returns a [`Run`] at once. The run ends when its last actor
//! exits; [`Run::take_report`] then hands over the results in arrival order and the run's figures,
//! while [`Run::take_events`] streams the trace at any time. [`Run::cancel`] aborts every channel
//! and the WaitGroup, so blocked actors return and their threads go back to the pool.

use crate::actor::{self, Actor};
use crate::chan::Chan;
use crate::clock;
use crate::error::OpError;
use crate::locks::lock;
use crate::spawn::Spawn;
use crate::trace::{Event, EventKind, Outcome, Resource};
use crate::waitgroup::WaitGroup;
use crate::watch::{Probe, Watch};
use serde::Serialize;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Actors besides the workers: producer, closer, consumer.
pub const HELPER_ACTORS: usize = 3;

/// The shape of a pool.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// Number of workers (at least 1).
    pub workers: u16,
    /// Capacity of the jobs channel (0 = unbuffered).
    pub jobs_buffer: usize,
    /// Capacity of the results channel (0 = unbuffered).
    pub results_buffer: usize,
    /// Whether to record the trace.
    pub tracing: bool,
}

/// A job travelling through the jobs channel: its number (from 1) and its payload.
struct Numbered<J> {
    job: u32,
    payload: J,
}

/// One result, as the consumer received it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delivery<R> {
    /// The job's number, from 1 in submission order.
    pub job: u32,
    /// What the work function returned.
    pub value: R,
    /// The worker that produced it (from 1).
    pub worker: u16,
}

/// What the work function knows besides its job.
pub struct WorkCtx<'a> {
    /// The job's number.
    pub job: u32,
    /// The worker running it.
    pub worker: u16,
    cancelled: &'a AtomicBool,
}

impl WorkCtx<'_> {
    /// Whether the run has been cancelled; long work should stop early.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Sleeps `ms` milliseconds (simulated work), waking early if the run is cancelled.
    pub fn sleep_ms(&self, ms: f64) {
        const SLICE_MS: f64 = 10.0;
        let until = clock::now_ms() + ms;
        loop {
            let left = until - clock::now_ms();
            if left <= 0.0 || self.is_cancelled() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_secs_f64(
                left.min(SLICE_MS) / 1000.0,
            ));
        }
    }
}

/// The figures of a finished run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// From start to the last actor's exit.
    pub wall_ms: f64,
    /// Total time the producer spent blocked on the jobs channel.
    pub producer_blocked_ms: f64,
    /// The most jobs the jobs channel held at once.
    pub max_jobs_queued: usize,
    /// Threads the run occupied: one per actor.
    pub threads: usize,
}

/// A finished run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report<R> {
    /// How it ended.
    pub outcome: Outcome,
    /// A sentence for the reader when the outcome is not `completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Results in arrival order.
    pub results: Vec<Delivery<R>>,
    /// Timing and queue figures.
    pub stats: Stats,
}

/// Why a run could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    /// The spawner cannot keep every actor blocked at once.
    NotEnoughThreads {
        /// Threads available.
        have: usize,
        /// Threads the run needs.
        need: usize,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NotEnoughThreads { have, need } => write!(
                f,
                "the thread pool has {have} threads, but this run needs {need}: one per worker \
                 plus the producer, the closer and the consumer"
            ),
        }
    }
}

impl std::error::Error for StartError {}

/// A run in progress (or finished); cheap to share.
pub struct Run<J, R> {
    inner: Arc<Inner<J, R>>,
}

struct Inner<J, R> {
    watch: Arc<Watch>,
    jobs: Chan<Numbered<J>>,
    results: Chan<Delivery<R>>,
    wg: WaitGroup,
    threads: usize,
    cancelled: AtomicBool,
    panic: Mutex<Option<(Actor, OpError)>>,
    collected: Mutex<Vec<Delivery<R>>>,
    report: Mutex<Option<Report<R>>>,
    finished: AtomicBool,
}

/// Starts a pool run over `jobs` (numbered from 1), each turned into a result by `work` on one of
/// `config.workers` workers. Returns at once; the actors run on threads from `spawner`.
pub fn start<J, R, I, F>(
    config: &PoolConfig,
    jobs: I,
    work: F,
    spawner: &dyn Spawn,
) -> Result<Run<J, R>, StartError>
where
    J: Send + 'static,
    R: Send + 'static,
    I: IntoIterator<Item = J>,
    I::IntoIter: Send + 'static,
    F: Fn(&J, &WorkCtx) -> R + Send + Sync + 'static,
{
    let threads = usize::from(config.workers) + HELPER_ACTORS;
    if spawner.capacity() < threads {
        return Err(StartError::NotEnoughThreads {
            have: spawner.capacity(),
            need: threads,
        });
    }
    let watch = Watch::new(config.tracing);
    let inner = Arc::new(Inner {
        jobs: Chan::observed(
            config.jobs_buffer,
            Probe::new(&watch, Resource::Jobs).after_receive(|job| EventKind::Started { job }),
            |n: &Numbered<J>| n.job,
        ),
        results: Chan::observed(
            config.results_buffer,
            Probe::new(&watch, Resource::Results).before_send(|job| EventKind::Finished { job }),
            |d: &Delivery<R>| d.job,
        ),
        wg: WaitGroup::observed(Probe::new(&watch, Resource::WaitGroup)),
        watch,
        threads,
        cancelled: AtomicBool::new(false),
        panic: Mutex::new(None),
        collected: Mutex::new(Vec::new()),
        report: Mutex::new(None),
        finished: AtomicBool::new(false),
    });
    inner.watch.enter(threads as u32);
    inner.wg.add(usize::from(config.workers));

    let jobs = jobs.into_iter();
    spawn_actor(&inner, spawner, Actor::Producer, move |run| {
        run.produce(jobs)
    });
    let work = Arc::new(work);
    for k in 1..=config.workers {
        let work = Arc::clone(&work);
        spawn_actor(&inner, spawner, Actor::Worker(k), move |run| {
            run.work(k, &*work)
        });
    }
    spawn_actor(&inner, spawner, Actor::Closer, |run| run.close_when_done());
    spawn_actor(&inner, spawner, Actor::Consumer, |run| run.consume());
    Ok(Run { inner })
}

fn spawn_actor<J, R>(
    inner: &Arc<Inner<J, R>>,
    spawner: &dyn Spawn,
    who: Actor,
    body: impl FnOnce(&Inner<J, R>) + Send + 'static,
) where
    J: Send + 'static,
    R: Send + 'static,
{
    let inner = Arc::clone(inner);
    spawner.spawn(Box::new(move || {
        actor::act_as(who, || body(&inner));
        if inner.watch.exit(who) {
            inner.finish();
        }
    }));
}

impl<J: Send + 'static, R: Send + 'static> Inner<J, R> {
    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Returns the value, or notes a panic-worthy error (aborting the run) and returns `None`.
    fn check<T>(&self, result: Result<T, OpError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                if error.is_panic() {
                    lock(&self.panic).get_or_insert((actor::current(), error));
                    self.abort();
                }
                None
            }
        }
    }

    fn abort(&self) {
        self.jobs.abort();
        self.results.abort();
        self.wg.abort();
    }

    fn produce(&self, jobs: impl Iterator<Item = J>) {
        for (payload, job) in jobs.zip(1..) {
            if self.is_cancelled()
                || self
                    .check(self.jobs.send(Numbered { job, payload }))
                    .is_none()
            {
                return;
            }
        }
        self.check(self.jobs.close());
    }

    /// A worker: "started" and "finished" are noted by the jobs and results channels, in the same
    /// critical section as the receive and the send they go with.
    fn work(&self, worker: u16, work: &(dyn Fn(&J, &WorkCtx) -> R + Send + Sync)) {
        while let Some(Numbered { job, payload }) = self.check(self.jobs.recv()) {
            let ctx = WorkCtx {
                job,
                worker,
                cancelled: &self.cancelled,
            };
            let value = work(&payload, &ctx);
            let delivery = Delivery { job, value, worker };
            if self.check(self.results.send(delivery)).is_none() {
                break;
            }
        }
        self.check(self.wg.done());
    }

    fn close_when_done(&self) {
        if self.check(self.wg.wait()).is_some() {
            self.check(self.results.close());
        }
    }

    fn consume(&self) {
        let mut received = Vec::new();
        while let Some(delivery) = self.check(self.results.recv()) {
            received.push(delivery);
        }
        *lock(&self.collected) = received;
    }

    /// Called by the last actor to exit: writes the report and marks the run finished.
    fn finish(&self) {
        let panic = *lock(&self.panic);
        let (outcome, message) = match panic {
            Some((who, error)) => (Outcome::Panic, Some(format!("panic: {error} (in {who})"))),
            None if self.is_cancelled() => (
                Outcome::Cancelled,
                Some("the run was cancelled".to_string()),
            ),
            None => (Outcome::Completed, None),
        };
        let stats = Stats {
            wall_ms: self.watch.trace().elapsed_ms(),
            producer_blocked_ms: self.watch.blocked_ms(Actor::Producer),
            max_jobs_queued: self.jobs.peak_len(),
            threads: self.threads,
        };
        self.watch
            .trace()
            .record_last(Actor::Main, EventKind::Ended { outcome });
        *lock(&self.report) = Some(Report {
            outcome,
            message,
            results: std::mem::take(&mut *lock(&self.collected)),
            stats,
        });
        self.finished.store(true, Ordering::Release);
    }
}

impl<J: Send + 'static, R: Send + 'static> Run<J, R> {
    /// Whether every actor has exited.
    pub fn is_finished(&self) -> bool {
        self.inner.finished.load(Ordering::Acquire)
    }

    /// Cancels the run: work in progress stops early, blocked actors are released, queued jobs
    /// are dropped.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Release);
        self.inner.abort();
    }

    /// Every event recorded since the last call.
    pub fn take_events(&self) -> Vec<Event> {
        self.inner.watch.trace().drain()
    }

    /// The report, once the run is finished (and only once).
    pub fn take_report(&self) -> Option<Report<R>> {
        if !self.is_finished() {
            return None;
        }
        lock(&self.inner.report).take()
    }

    /// Waits up to `timeout_ms` for the run to finish, polling (so it works on any thread that may
    /// sleep), and returns its report; `None` if it did not finish in time.
    pub fn wait_report(&self, timeout_ms: f64) -> Option<Report<R>> {
        let deadline = clock::now_ms() + timeout_ms;
        while !self.is_finished() {
            if clock::now_ms() > deadline {
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        self.take_report()
    }
}
