//! The worker pool, wired as in Go, with the mistakes the Go posts warn about available on purpose.
//!
//! ```text
//! producer ──jobs──▶ worker 1..N ──results──▶ consumer
//!                        │ wg.Done()
//!                     closer: wg.Wait(); close(results)
//! ```
//! [`start`] spawns the actors and returns a [`Run`] at once. The run ends when its last actor
//! exits; [`Run::take_report`] then hands over the [`Report`], while [`Run::take_events`] streams
//! the trace at any time. [`Collect`] chooses who gathers the results (the right way, or after
//! `wg.Wait()`, or by the producer after sending everything); a [`Mistake`] breaks the channel or
//! WaitGroup lifecycle. Three things end a run early: a Go panic (an actor's operation fails the
//! way Go panics), a deadlock (the watch finds every live actor blocked) and a shutdown
//! ([`Run::cancel`] or the `cancel_after_ms` timer, in the configured [`ShutdownMode`]). A panic or a
//! deadlock aborts every channel and the WaitGroup, so blocked actors return and their threads go
//! back to the pool; a shutdown stops only the jobs channel, so no finished work is lost.
//!
//! The production patterns plug in here. [`Staffing`] says who takes the jobs: a fixed pool, an
//! autoscaling one (its scaler runs on the timer thread, see [`crate::patterns::scaling`]), or no pool at
//! all, one task per job. A worker retries a failed job as its [`Retry`] policy says, recording
//! each attempt and backoff wait. With a [`ServiceLimits`] the work calls the run's [`Service`]
//! through [`WorkCtx::request`], and a request beyond its limits fails with a 429. [`Arrivals`]
//! paces the producer. The report then carries the service's figures, the dead-letter queue and
//! the scaling series.

pub mod compare;
mod reorder;
pub mod report;
pub mod shutdown;
pub mod spawn;

use crate::locks::lock;
use crate::observe::actor::{self, Actor};
use crate::observe::clock;
use crate::observe::trace::{Event, EventKind, Outcome, Resource, Tag, Trace};
use crate::observe::trace::{ShutdownMode, Stage};
use crate::observe::watch::{Probe, Watch};
use crate::patterns::arrivals::Arrivals;
use crate::patterns::retry::{DeadLetter, Retry};
use crate::patterns::scaling::{SCALE_TICK_MS, Scaling, Staff};
use crate::patterns::service::{REJECT_FRACTION, Service, ServiceLimits};
use crate::pool::reorder::ReorderBuffer;
use crate::pool::report::{Accounting, Delivery, PanicInfo, Report, Stats};
use crate::pool::shutdown::{Interrupted, Shutdown};
use crate::pool::spawn::Spawn;
use crate::sync::chan::Chan;
use crate::sync::error::OpError;
use crate::sync::waitgroup::WaitGroup;
use serde::Serialize;
use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The most threads a run needs besides its workers: producer, closer, consumer and timer (which
/// is also an autoscaling pool's scaler).
pub const HELPER_THREADS: usize = 4;

/// How often the timer looks at the clock, in ms.
const TIMER_TICK_MS: f64 = 5.0;

/// Who gathers the results, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Collect {
    /// The consumer reads while the workers run; a closer does `wg.Wait(); close(results)`.
    Concurrent,
    /// The consumer does `wg.Wait()`, closes results, and only then reads: workers block once the
    /// results buffer is full.
    AfterWait,
    /// The producer sends every job, then reads the results itself: with small buffers the
    /// producer and the workers wait on each other.
    AfterSend,
}

/// A lifecycle bug committed on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mistake {
    /// No bug.
    None,
    /// The producer closes the jobs channel twice.
    CloseJobsTwice,
    /// The closer closes the results channel without waiting for the workers.
    CloseResultsEarly,
    /// Each worker calls `wg.Add(1)` when it starts, instead of the pool before starting it.
    AddInWorker,
}

/// Who takes the jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staffing {
    /// `workers` workers, all through the run.
    Fixed,
    /// No pool: a task per job, all started at once, each given its job (Go's `go handle(j)` in
    /// a loop). There is no producer and no jobs channel.
    PerJob,
    /// Between a minimum and a maximum of workers, by queue depth and idle time.
    Autoscale(Scaling),
}

/// The shape and behaviour of a pool.
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
    /// Whether the producer closes the jobs channel after the last job.
    pub close_jobs: bool,
    /// Who gathers the results.
    pub collect: Collect,
    /// A lifecycle bug to commit.
    pub mistake: Mistake,
    /// The consumer's pause after each result, in ms.
    pub consumer_ms: f64,
    /// Deliver results in job order through a reorder buffer.
    pub ordered: bool,
    /// Request a shutdown this many ms after the start.
    pub cancel_after_ms: Option<f64>,
    /// How a shutdown treats queued and in-flight jobs.
    pub shutdown: ShutdownMode,
    /// The grace period of a forced shutdown, in ms.
    pub shutdown_timeout_ms: f64,
    /// Who takes the jobs.
    pub staffing: Staffing,
    /// How failed jobs are retried.
    pub retry: Retry,
    /// The seed of the backoff jitter.
    pub seed: u32,
    /// The limits of the service the work calls, if it calls one.
    pub service: Option<ServiceLimits>,
    /// When the producer sends each job.
    pub arrivals: Arrivals,
}

impl PoolConfig {
    /// A correct pool of `workers` with the given buffers: tracing on, no timer, graceful shutdown.
    pub fn new(workers: u16, jobs_buffer: usize, results_buffer: usize) -> Self {
        PoolConfig {
            workers,
            jobs_buffer,
            results_buffer,
            tracing: true,
            close_jobs: true,
            collect: Collect::Concurrent,
            mistake: Mistake::None,
            consumer_ms: 0.0,
            ordered: false,
            cancel_after_ms: None,
            shutdown: ShutdownMode::Graceful,
            shutdown_timeout_ms: 1000.0,
            staffing: Staffing::Fixed,
            retry: Retry::default(),
            seed: 1,
            service: None,
            arrivals: Arrivals::default(),
        }
    }

    /// The actors this pool runs, each on a thread of its own, in the order they are started.
    /// The workers come last, as goroutines do in Go: whoever waits on the WaitGroup is already
    /// running when they start (which is what makes `Add` inside a worker a race).
    /// With a task per job, the tasks (one per job of `jobs`) take the workers' place.
    fn actors(&self, jobs: u32) -> Vec<Actor> {
        let mut actors = Vec::new();
        if self.staffing != Staffing::PerJob {
            actors.push(Actor::Producer);
        }
        if self.collect != Collect::AfterWait {
            actors.push(Actor::Closer);
        }
        if self.collect != Collect::AfterSend {
            actors.push(Actor::Consumer);
        }
        match self.staffing {
            Staffing::Fixed => actors.extend((1..=self.workers).map(Actor::Worker)),
            Staffing::Autoscale(scaling) => {
                actors.extend((1..=scaling.min_workers).map(Actor::Worker));
            }
            Staffing::PerJob => {
                let tasks = u16::try_from(jobs).unwrap_or(u16::MAX);
                actors.extend((1..=tasks).map(Actor::Task));
            }
        }
        actors
    }

    /// The actors this pool starts for `jobs` jobs, in drawing order: tasks, producer, workers,
    /// closer, consumer (the page draws a lane per actor in this order).
    pub fn lanes(&self, jobs: u32) -> Vec<Actor> {
        let rank = |actor: &Actor| match *actor {
            Actor::Task(k) => (0, k),
            Actor::Producer => (1, 0),
            Actor::Worker(k) => (2, k),
            Actor::Closer => (3, 0),
            Actor::Consumer => (4, 0),
            Actor::Main | Actor::Scaler => (5, 0),
        };
        let mut actors = self.actors(jobs);
        actors.sort_by_key(rank);
        actors
    }

    /// Whether the run needs a timer thread (for `cancel_after_ms`, a forced shutdown or a scaler).
    fn needs_timer(&self) -> bool {
        self.cancel_after_ms.is_some()
            || self.shutdown == ShutdownMode::Force
            || matches!(self.staffing, Staffing::Autoscale(_))
    }

    /// The threads a run of `jobs` jobs needs at most: one per actor (an autoscaling pool's
    /// workers at their maximum) and the timer.
    pub fn threads(&self, jobs: u32) -> usize {
        let growth = match self.staffing {
            Staffing::Autoscale(s) => usize::from(s.max_workers - s.min_workers),
            Staffing::Fixed | Staffing::PerJob => 0,
        };
        self.actors(jobs).len() + growth + usize::from(self.needs_timer())
    }
}

/// A job travelling through the jobs channel: its number (from 1) and its payload.
struct Numbered<J> {
    job: u32,
    payload: J,
}

/// A result travelling through the results channel.
struct Done<R> {
    job: u32,
    worker: u16,
    result: Result<R, String>,
    attempts: u32,
}

/// What the work function knows besides its job.
pub struct WorkCtx<'a> {
    /// The job's number.
    pub job: u32,
    /// The worker (or task) running it.
    pub worker: u16,
    /// Which attempt at the job this is, from 1.
    pub attempt: u32,
    context: &'a AtomicBool,
    service: Option<&'a Service>,
    trace: &'a Trace,
    ended: Cell<WorkEnd>,
}

/// What the trace knows of when a job's work ended.
#[derive(Clone, Copy)]
enum WorkEnd {
    /// Nothing: real work, so the worker reads the clock for "finished".
    Unknown,
    /// Simulated work that slept until this reading (ms, the shared clock).
    At(f64),
    /// Simulated work that took no time at all.
    AtOnce,
}

impl WorkCtx<'_> {
    /// Whether the run's context has been cancelled; long work should stop early.
    pub fn is_cancelled(&self) -> bool {
        self.context.load(Ordering::Acquire)
    }

    /// Sleeps `ms` milliseconds (part of the work, say a simulated download); stops early with
    /// [`Interrupted`] if the context is cancelled.
    pub fn sleep_ms(&self, ms: f64) -> Result<(), Interrupted> {
        sleep_unless(ms, self.context).map(|_| ())
    }

    /// Sleeps `ms` as simulated work and notes when it ended for the trace.
    fn simulate_ms(&self, ms: f64) -> Result<(), Interrupted> {
        let ended = sleep_unless(ms, self.context)?;
        self.ended.set(ended.map_or(WorkEnd::AtOnce, WorkEnd::At));
        Ok(())
    }

    /// A request that takes `ms` at the run's service (or simply `ms`, without one). The service
    /// may refuse it with a 429, which comes back after a tenth of the time; the error is the
    /// refusal, or "context canceled" if the run's context was cancelled meanwhile. It is
    /// simulated work, meant as the job's whole work: the trace takes the job's end from the
    /// reading that ended its sleep, so "finished" needs no clock reading of its own (and a job
    /// of 0 ms none at all).
    pub fn request(&self, ms: f64) -> Result<(), String> {
        let Some(service) = self.service else {
            return self.simulate_ms(ms).map_err(|e| e.to_string());
        };
        let admission = service.arrive(|| self.trace.elapsed_ms());
        let takes = if admission.is_ok() {
            ms
        } else {
            ms * REJECT_FRACTION
        };
        let slept = self.simulate_ms(takes);
        service.answer(&admission, || self.trace.elapsed_ms());
        slept.map_err(|e| e.to_string())?;
        admission
    }
}

/// Sleeps `ms` in short slices, giving up with [`Interrupted`] as soon as `cancelled` is set.
/// Returns the clock reading at which the sleep ended, if it slept at all.
fn sleep_unless(ms: f64, cancelled: &AtomicBool) -> Result<Option<f64>, Interrupted> {
    sleep_until_stopped(ms, || cancelled.load(Ordering::Acquire))
}

/// Sleeps `ms` in short slices, giving up with [`Interrupted`] as soon as `stop()` says so.
/// Returns the clock reading at which the sleep ended, if it slept at all.
fn sleep_until_stopped(ms: f64, stop: impl Fn() -> bool) -> Result<Option<f64>, Interrupted> {
    const SLICE_MS: f64 = 10.0;
    if ms <= 0.0 {
        return Ok(None);
    }
    let until = clock::now_ms() + ms;
    loop {
        if stop() {
            return Err(Interrupted);
        }
        let now = clock::now_ms();
        if now >= until {
            return Ok(Some(now));
        }
        std::thread::sleep(std::time::Duration::from_secs_f64(
            (until - now).min(SLICE_MS) / 1000.0,
        ));
    }
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
    /// The run must start actors while it goes on, and the spawner cannot be kept for that.
    CannotSpawnLater,
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NotEnoughThreads { have, need } => write!(
                f,
                "the thread pool has {have} threads, but this run needs {need}: one per worker \
                 plus the producer, the closer, the consumer and a timer"
            ),
            StartError::CannotSpawnLater => f.write_str(
                "this run starts workers while it goes on, but its spawner cannot be kept for that",
            ),
        }
    }
}

impl std::error::Error for StartError {}

/// A run in progress (or finished); cheap to share.
pub struct Run<J, R> {
    inner: Arc<Inner<J, R>>,
}

/// What the consumer gathered: each delivery is added as it is made, so the run can be watched.
struct Collected<R> {
    results: Vec<Delivery<R>>,
    reorder: Option<(usize, f64)>,
}

/// The work function, shared by every worker.
type Work<J, R> = dyn Fn(&J, &WorkCtx) -> Result<R, String> + Send + Sync;

/// Why a worker stops taking jobs.
enum Stop {
    /// The jobs ran out, the run stopped, or a send failed.
    Ended,
    /// It idled out of an autoscaling pool.
    Retired,
}

struct Inner<J, R> {
    config: PoolConfig,
    total_jobs: u32,
    work: Arc<Work<J, R>>,
    service: Option<Service>,
    staff: Option<Staff>,
    spawner: Option<Arc<dyn Spawn + Send + Sync>>,
    watch: Arc<Watch>,
    jobs: Chan<Numbered<J>>,
    results: Chan<Done<R>>,
    wg: WaitGroup,
    threads: usize,
    shutdown: Shutdown,
    panic: Mutex<Option<(Actor, OpError)>>,
    taken: Mutex<Vec<u32>>,
    collected: Mutex<Collected<R>>,
    report: Mutex<Option<Report<Delivery<R>>>>,
    finished: AtomicBool,
}

/// Starts a pool run over `jobs` (numbered from 1), each turned into a result (or an error) by
/// `work` on one of `config.workers` workers. Returns at once; the actors run on threads from
/// `spawner`.
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
    I::IntoIter: ExactSizeIterator + Send + 'static,
    F: Fn(&J, &WorkCtx) -> Result<R, String> + Send + Sync + 'static,
{
    let jobs = jobs.into_iter();
    let total_jobs = u32::try_from(jobs.len()).expect("fewer than 2^32 jobs");
    let actors = config.actors(total_jobs);
    let threads = config.threads(total_jobs);
    if spawner.capacity() < threads {
        return Err(StartError::NotEnoughThreads {
            have: spawner.capacity(),
            need: threads,
        });
    }
    let staff = match config.staffing {
        Staffing::Autoscale(scaling) => Some(Staff::new(scaling)),
        Staffing::Fixed | Staffing::PerJob => None,
    };
    let spawner_kept = match staff {
        Some(_) => Some(spawner.share().ok_or(StartError::CannotSpawnLater)?),
        None => None,
    };
    let watch = Watch::new(config.tracing);
    let inner = Arc::new(Inner {
        config: config.clone(),
        total_jobs,
        work: Arc::new(work),
        service: config.service.map(Service::new),
        staff,
        spawner: spawner_kept,
        jobs: Chan::observed(
            config.jobs_buffer,
            Probe::new(&watch, Resource::Jobs).receive_starts_the_job(),
            |n: &Numbered<J>| Tag::new(n.job),
        ),
        results: Chan::observed(
            config.results_buffer,
            Probe::new(&watch, Resource::Results).send_finishes_the_job(),
            |d: &Done<R>| Tag {
                job: d.job,
                failed: d.result.is_err(),
            },
        ),
        wg: WaitGroup::observed(Probe::new(&watch, Resource::WaitGroup)),
        watch,
        threads,
        shutdown: Shutdown::new(config.shutdown, config.shutdown_timeout_ms),
        panic: Mutex::new(None),
        taken: Mutex::new(Vec::new()),
        collected: Mutex::new(Collected {
            results: Vec::new(),
            reorder: None,
        }),
        report: Mutex::new(None),
        finished: AtomicBool::new(false),
    });
    let weak = Arc::downgrade(&inner);
    inner.watch.on_deadlock(Box::new(move || {
        if let Some(inner) = weak.upgrade() {
            inner.abort();
        }
    }));
    inner.watch.enter(actors.len() as u32);
    if config.mistake != Mistake::AddInWorker {
        let workers = actors
            .iter()
            .filter(|a| matches!(a, Actor::Worker(_) | Actor::Task(_)));
        inner.wg.add(workers.count());
    }

    let mut jobs = Some(jobs);
    for who in actors {
        match who {
            Actor::Producer => {
                let jobs = jobs.take().expect("one producer");
                spawn_actor(&inner, spawner, who, move |run| run.main(jobs));
            }
            Actor::Worker(k) => spawn_actor(&inner, spawner, who, move |run| run.work(k)),
            Actor::Task(k) => {
                // Tasks are numbered by their jobs, which the iterator yields in order.
                let payload = jobs
                    .as_mut()
                    .and_then(Iterator::next)
                    .expect("a job per task");
                spawn_actor(&inner, spawner, who, move |run| run.task(k, payload));
            }
            Actor::Closer => spawn_actor(&inner, spawner, who, |run| run.close_when_done()),
            Actor::Consumer => spawn_actor(&inner, spawner, who, |run| run.collect()),
            Actor::Main | Actor::Scaler => unreachable!("{who} is not spawned"),
        }
    }
    if config.needs_timer() {
        let inner = Arc::clone(&inner);
        spawner.spawn(Box::new(move || inner.keep_time()));
    }
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
    /// Returns the value; on an error Go would panic over, notes it and aborts the run.
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

    /// Tears the run down (after a panic or a deadlock): every blocked operation returns. The
    /// results channel goes first, so no actor woken by a later abort can still deliver a result
    /// and change the outcome after the fact.
    fn abort(&self) {
        self.watch.disarm();
        self.shutdown.cancel_context();
        self.results.abort();
        self.wg.abort();
        self.jobs.abort();
    }

    fn elapsed_ms(&self) -> f64 {
        self.watch.trace().elapsed_ms()
    }

    fn note(&self, kind: EventKind) {
        self.watch.trace().record_own(Actor::Main, kind);
    }

    /// Starts the shutdown in the configured mode (once).
    fn request_shutdown(&self) {
        if !self.shutdown.request(self.elapsed_ms()) {
            return;
        }
        let mode = self.shutdown.mode();
        self.note(EventKind::Shutdown {
            mode,
            stage: Stage::Requested,
        });
        match mode {
            ShutdownMode::Graceful => self.jobs.abort(),
            ShutdownMode::Drain | ShutdownMode::Force => self.jobs.cancel_sends(),
        }
    }

    /// Ends a forced shutdown's grace period: cancels the context and drops the queued jobs.
    fn force(&self) {
        if !self.shutdown.cancel_context() {
            return;
        }
        self.note(EventKind::Shutdown {
            mode: self.shutdown.mode(),
            stage: Stage::Forced,
        });
        self.jobs.abort();
    }

    /// The timer: fires `cancel_after_ms` and the forced shutdown's deadline, and runs the
    /// scaler of an autoscaling pool.
    fn keep_time(self: &Arc<Self>) {
        let mut next_look = 0.0;
        while !self.finished.load(Ordering::Acquire) {
            let now = self.elapsed_ms();
            if let Some(staff) = self.staff.as_ref().filter(|_| now >= next_look) {
                self.scale(staff);
                next_look = now + SCALE_TICK_MS;
            }
            if self
                .config
                .cancel_after_ms
                .is_some_and(|after| now >= after)
            {
                self.request_shutdown();
            }
            if self.shutdown.force_deadline().is_some_and(|at| now >= at) {
                self.force();
            }
            std::thread::sleep(std::time::Duration::from_secs_f64(TIMER_TICK_MS / 1000.0));
        }
    }

    /// The producer: sends the jobs, closes the jobs channel (unless told not to) and, when it
    /// also collects, reads the results.
    fn main(&self, jobs: impl Iterator<Item = J>) {
        self.produce(jobs);
        if self.config.collect == Collect::AfterSend {
            self.consume();
        }
    }

    /// Whether the run is stopping: a shutdown was requested or the context cancelled.
    fn stopping(&self) -> bool {
        self.shutdown.is_requested() || self.shutdown.is_cancelled()
    }

    /// The scaler's look at the queue: one more worker when it is deep (see [`Staff::look`]).
    fn scale(self: &Arc<Self>, staff: &Staff) {
        if self.stopping() {
            return;
        }
        let enlist = || {
            self.watch.enter(1);
            if self.config.mistake != Mistake::AddInWorker {
                self.wg.add(1);
            }
        };
        let Some(enlisted) = staff.look(|| self.elapsed_ms(), || self.jobs.len(), enlist) else {
            return;
        };
        self.note_as(
            Actor::Scaler,
            EventKind::Scaled {
                workers: enlisted.workers,
                queued: enlisted.queued,
            },
        );
        let k = enlisted.worker;
        let spawner = self.spawner.as_deref().expect("a kept spawner");
        spawn_actor(self, spawner, Actor::Worker(k), move |run| run.work(k));
    }

    fn note_as(&self, who: Actor, kind: EventKind) {
        self.watch.trace().record_own(who, kind);
    }

    fn produce(&self, jobs: impl Iterator<Item = J>) {
        for (payload, job) in jobs.zip(1..) {
            let pause = self.config.arrivals.pause_before_ms(job);
            if pause > 0.0 {
                // A shutdown ends the pause early; the send below then fails or is refused.
                let slept = sleep_until_stopped(pause, || self.stopping());
                // The next events are stamped after the pause, from a fresh clock reading.
                self.watch.trace().read_at(slept.ok().flatten());
            }
            match self.jobs.send(Numbered { job, payload }) {
                Ok(()) => {}
                // Drain or force: stop sending, but still close below.
                Err(OpError::Cancelled) => break,
                Err(error) => {
                    self.check::<()>(Err(error));
                    return;
                }
            }
        }
        if !self.config.close_jobs {
            return;
        }
        let twice = self.config.mistake == Mistake::CloseJobsTwice;
        if self.check(self.jobs.close()).is_some() && twice {
            self.check(self.jobs.close());
        }
    }

    /// A worker: "started" and "finished" are noted by the jobs and results channels, in the same
    /// critical section as the receive and the send they go with.
    fn work(&self, worker: u16) {
        if self.config.mistake == Mistake::AddInWorker {
            self.wg.add(1);
        }
        let mut taken = Vec::new();
        let stop = loop {
            let Numbered { job, payload } = match self.next_job() {
                Ok(next) => next,
                Err(stop) => break stop,
            };
            taken.push(job);
            if !self.serve(job, worker, &payload) {
                break Stop::Ended;
            }
        };
        lock(&self.taken).extend(taken);
        if let (Some(staff), Stop::Ended) = (&self.staff, stop) {
            staff.leave();
        }
        self.check(self.wg.done());
    }

    /// The next job for a worker. In an autoscaling pool above its minimum the worker waits at
    /// most the idle timeout, then retires if the pool is still above it (or waits again). At
    /// the minimum it waits as any worker does, so the deadlock detector counts it as waiting.
    fn next_job(&self) -> Result<Numbered<J>, Stop> {
        let Some(staff) = &self.staff else {
            return self.check(self.jobs.recv()).ok_or(Stop::Ended);
        };
        loop {
            if !staff.above_minimum() {
                return self.check(self.jobs.recv()).ok_or(Stop::Ended);
            }
            match self.jobs.recv_timeout(staff.idle_timeout_ms()) {
                Err(OpError::TimedOut) => {
                    if let Some(workers) = staff.try_retire(|| self.elapsed_ms()) {
                        self.note_as(actor::current(), EventKind::Retired { workers });
                        return Err(Stop::Retired);
                    }
                }
                received => return self.check(received).ok_or(Stop::Ended),
            }
        }
    }

    /// A task of its own for job `k` (no pool): works on it, sends the result, and is done.
    fn task(&self, k: u16, payload: J) {
        if self.config.mistake == Mistake::AddInWorker {
            self.wg.add(1);
        }
        let job = u32::from(k);
        self.note_as(actor::current(), EventKind::Started { job });
        lock(&self.taken).push(job);
        self.serve(job, k, &payload);
        self.check(self.wg.done());
    }

    /// Works on `job` (retrying as the policy says) and sends its result; false if the send
    /// failed and the worker must stop.
    fn serve(&self, job: u32, worker: u16, payload: &J) -> bool {
        let (result, attempts) = self.attempt(job, worker, payload);
        let done = Done {
            job,
            worker,
            result,
            attempts,
        };
        self.check(self.results.send(done)).is_some()
    }

    /// Runs the work on `job` until it succeeds or the attempts run out, waiting the backoff
    /// between attempts; returns the last result and the attempts made.
    fn attempt(&self, job: u32, worker: u16, payload: &J) -> (Result<R, String>, u32) {
        let retry = &self.config.retry;
        let mut attempt = 1;
        loop {
            let ctx = WorkCtx {
                job,
                worker,
                attempt,
                context: self.shutdown.context(),
                service: self.service.as_ref(),
                trace: self.watch.trace(),
                ended: Cell::new(WorkEnd::Unknown),
            };
            let result = (self.work)(payload, &ctx);
            // "Finished" is stamped when the work ended: read now, unless the work said when.
            match ctx.ended.get() {
                WorkEnd::Unknown => self.watch.trace().read_at(None),
                WorkEnd::At(ms) => self.watch.trace().read_at(Some(ms)),
                WorkEnd::AtOnce => {}
            }
            if result.is_ok() || attempt >= retry.max_attempts || self.shutdown.is_cancelled() {
                return (result, attempt);
            }
            let ms = retry.backoff_ms(self.config.seed, job, attempt);
            let me = actor::current();
            self.note_as(me, EventKind::Backoff { job, attempt, ms });
            if let Err(stopped) = sleep_unless(ms, self.shutdown.context()) {
                return (Err(stopped.to_string()), attempt);
            }
            attempt += 1;
            self.note_as(me, EventKind::Attempt { job, attempt });
        }
    }

    fn close_when_done(&self) {
        if self.config.mistake == Mistake::CloseResultsEarly || self.check(self.wg.wait()).is_some()
        {
            self.check(self.results.close());
        }
    }

    /// The consumer: reads the results, after `wg.Wait()` when told to collect that way.
    fn collect(&self) {
        if self.config.collect == Collect::AfterWait {
            if self.check(self.wg.wait()).is_none() {
                return;
            }
            self.check(self.results.close());
        }
        self.consume();
    }

    fn consume(&self) {
        let mut reorder = self.config.ordered.then(ReorderBuffer::new);
        let mut arrival = 0;
        let retries = self.config.retry.retries();
        while let Some(Done {
            job,
            worker,
            result,
            attempts,
        }) = self.check(self.results.recv())
        {
            arrival += 1;
            let (value, error) = match result {
                Ok(value) => (Some(value), None),
                Err(error) => (None, Some(error)),
            };
            let delivery = Delivery {
                job,
                worker,
                arrival,
                value,
                error,
                attempts: retries.then_some(attempts),
            };
            if self.config.consumer_ms > 0.0 {
                // A forced shutdown cancels the pause too; the result is kept either way.
                let slept = sleep_unless(self.config.consumer_ms, self.shutdown.context());
                // The consumer's next events are stamped after its pause.
                self.watch.trace().read_at(slept.ok().flatten());
            }
            match &mut reorder {
                None => lock(&self.collected).results.push(delivery),
                Some(buffer) => {
                    let released = buffer.push(delivery, self.elapsed_ms());
                    self.deliver(released, buffer.held());
                }
            }
        }
        let reorder = reorder.map(|mut buffer| {
            let rest = buffer.flush(self.elapsed_ms());
            self.deliver(rest, 0);
            (buffer.peak(), buffer.mean_delay_ms())
        });
        lock(&self.collected).reorder = reorder;
    }

    /// Delivers results released by the reorder buffer, noting each.
    fn deliver(&self, released: Vec<Delivery<R>>, held: usize) {
        let mut collected = lock(&self.collected);
        for delivery in released {
            self.watch.trace().record_own(
                actor::current(),
                EventKind::Delivered {
                    job: delivery.job,
                    held: held as u32,
                },
            );
            collected.results.push(delivery);
        }
    }

    /// How the run ended, and a sentence about it.
    fn verdict(&self) -> (Outcome, Option<String>) {
        if let Some((who, error)) = *lock(&self.panic) {
            return (Outcome::Panic, Some(format!("panic: {error} (in {who})")));
        }
        if self.watch.deadlock().is_some() {
            return (
                Outcome::Deadlock,
                Some("fatal error: all goroutines are asleep - deadlock!".to_string()),
            );
        }
        if self.shutdown.is_requested() {
            let mode = self.shutdown.mode().describe();
            return (Outcome::Cancelled, Some(format!("cancelled ({mode})")));
        }
        (Outcome::Completed, None)
    }

    /// Called by the last actor to exit: writes the report and marks the run finished.
    fn finish(&self) {
        let (outcome, message) = self.verdict();
        let Collected { results, reorder } = std::mem::replace(
            &mut *lock(&self.collected),
            Collected {
                results: Vec::new(),
                reorder: None,
            },
        );
        let accounting = Accounting::new(self.total_jobs, &results, &lock(&self.taken));
        let failed = accounting.failed.len();
        let workers_blocked_ms = self.workers().map(|who| self.watch.blocked_ms(who)).sum();
        let dead_letters = self.config.retry.retries().then(|| {
            results
                .iter()
                .filter_map(|d| {
                    Some(DeadLetter {
                        job: d.job,
                        attempts: d.attempts?,
                        error: d.error.clone()?,
                    })
                })
                .collect()
        });
        let stats = Stats {
            wall_ms: self.elapsed_ms(),
            producer_blocked_ms: self.watch.blocked_ms(Actor::Producer),
            workers_blocked_ms,
            max_jobs_queued: self.jobs.peak_len(),
            max_results_queued: self.results.peak_len(),
            threads: self.threads,
            succeeded: accounting.done.len(),
            failed,
            missed: self.total_jobs as usize - results.len(),
            reorder_peak: reorder.map(|(peak, _)| peak),
            reorder_delay_ms: reorder.map(|(_, delay)| delay),
        };
        self.watch
            .trace()
            .record_last(Actor::Main, EventKind::Ended { outcome });
        let panic = lock(&self.panic).map(|(actor, error)| PanicInfo {
            actor,
            error: error.to_string(),
        });
        *lock(&self.report) = Some(Report {
            outcome,
            message,
            blocked: self.watch.deadlock(),
            panic,
            results,
            accounting,
            stats,
            service: self.service.as_ref().map(Service::report),
            dead_letters,
            scaling: self.staff.as_ref().map(Staff::report),
        });
        self.finished.store(true, Ordering::Release);
    }

    /// Every worker (or task) the run had.
    fn workers(&self) -> impl Iterator<Item = Actor> {
        let (count, actor): (u16, fn(u16) -> Actor) = match self.config.staffing {
            Staffing::Fixed => (self.config.workers, Actor::Worker),
            Staffing::Autoscale(_) => {
                let spawned = self.staff.as_ref().map_or(0, Staff::spawned);
                (spawned, Actor::Worker)
            }
            Staffing::PerJob => (
                u16::try_from(self.total_jobs).unwrap_or(u16::MAX),
                Actor::Task,
            ),
        };
        (1..=count).map(actor)
    }
}

impl<J: Send + 'static, R: Send + 'static> Run<J, R> {
    /// Whether every actor has exited.
    pub fn is_finished(&self) -> bool {
        self.inner.finished.load(Ordering::Acquire)
    }

    /// Requests the shutdown, in the mode the run was configured with; the run then ends with
    /// outcome `cancelled` (unless it deadlocks or panics first).
    pub fn cancel(&self) {
        self.inner.request_shutdown();
    }

    /// Every event recorded since the last call.
    pub fn take_events(&self) -> Vec<Event> {
        self.inner.watch.trace().drain()
    }

    /// Drops every event recorded since the last call without building them; returns how many.
    pub fn discard_events(&self) -> usize {
        self.inner.watch.trace().discard()
    }

    /// Copies of the results delivered so far, from the `from`-th (counting from 0) on, in
    /// delivery order: a run can be watched result by result. Empty once the run is finished: its
    /// report has them all.
    pub fn delivered_from(&self, from: usize) -> Vec<Delivery<R>>
    where
        R: Clone,
    {
        lock(&self.inner.collected)
            .results
            .get(from..)
            .map_or_else(Vec::new, <[_]>::to_vec)
    }

    /// The report, once the run is finished (and only once).
    pub fn take_report(&self) -> Option<Report<Delivery<R>>> {
        if !self.is_finished() {
            return None;
        }
        lock(&self.inner.report).take()
    }

    /// Waits up to `timeout_ms` for the run to finish, polling (so it works on any thread that may
    /// sleep), and returns its report; `None` if it did not finish in time.
    pub fn wait_report(&self, timeout_ms: f64) -> Option<Report<Delivery<R>>> {
        if !clock::poll_until(timeout_ms, || self.is_finished()) {
            return None;
        }
        self.take_report()
    }
}
