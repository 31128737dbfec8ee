//! A pipeline run's shared state and its actors: the source sends the jobs and closes `jobs`;
//! each stage's workers range over the stage's input, work, and send on the stage's output; each
//! stage's closer does `wg.Wait(); close(out)`; the consumer ranges over the last output.
//!
//! A shutdown follows the plan: `drain` refuses the source's sends (it stops and closes `jobs`,
//! and everything inside goes through); `graceful` cancels the context and aborts every channel
//! (each stage stops taking and passing on jobs, as a `select` on `ctx.Done()` beside every send
//! and receive would), or, with the mistake, only `jobs` and the first stage's output, so the
//! later stages go on working through what is inside. A panic or a deadlock aborts everything.

use super::report::Tally;
use super::{CancelReach, PipelinePlan, PipelineReport};
use crate::locks::lock;
use crate::observe::actor::{self, Actor};
use crate::observe::clock;
use crate::observe::trace::{EventKind, Resource, ShutdownMode, Stage, Tag};
use crate::observe::watch::{Probe, Watch};
use crate::pool::report::Delivery;
use crate::pool::shutdown::Shutdown;
use crate::pool::spawn::{self, Spawn, Supervisor};
use crate::pool::work::sleep_unless;
use crate::sync::chan::Chan;
use crate::sync::error::OpError;
use crate::sync::waitgroup::WaitGroup;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the timer looks whether the run's deadline has come.
const TIMER_TICK: Duration = Duration::from_millis(5);

/// A context nobody cancels: what a stage that does not watch the run's context works under.
static NEVER_CANCELLED: AtomicBool = AtomicBool::new(false);

/// A value travelling between stages: its job, its value so far, and who sent it.
pub(super) struct Item {
    pub(super) job: u32,
    pub(super) value: u64,
    pub(super) worker: u16,
}

/// Everything the actors of one pipeline run share.
pub(super) struct Flow {
    pub(super) plan: PipelinePlan,
    pub(super) watch: Arc<Watch>,
    /// The source's channel, into the first stage.
    pub(super) jobs: Chan<Item>,
    /// Each stage's output: `outs[k - 1]` is stage k's (`c{k}`).
    pub(super) outs: Vec<Chan<Item>>,
    /// Each stage's WaitGroup.
    pub(super) groups: Vec<WaitGroup>,
    pub(super) shutdown: Shutdown,
    /// Set once a requested shutdown has stopped the channels it reaches: a job taken after this
    /// was taken by a stage the cancel did not stop.
    pub(super) stopped: AtomicBool,
    pub(super) panic: Mutex<Option<(Actor, String)>>,
    /// What each stage's workers did, added as each worker returns.
    pub(super) tallies: Vec<Mutex<Tally>>,
    /// Jobs the first stage took.
    pub(super) taken: Mutex<Vec<u32>>,
    /// What the consumer received, in arrival order.
    pub(super) delivered: Mutex<Vec<Delivery<u64>>>,
    pub(super) report: Mutex<Option<PipelineReport>>,
    pub(super) finished: AtomicBool,
}

/// Builds the run's state and starts its actors (the spawner's capacity is checked already).
pub(super) fn launch(plan: &PipelinePlan, spawner: &dyn Spawn) -> Arc<Flow> {
    let watch = Watch::new(plan.tracing);
    let last = plan.stages.len();
    let label = |item: &Item| Tag::new(item.job);
    let outs = (1..=last)
        .map(|k| {
            let mut probe = Probe::new(&watch, Resource::Out(k as u8)).send_finishes_the_job();
            // Taking from a stage's output starts the next stage's work; the consumer's does not.
            if k < last {
                probe = probe.receive_starts_the_job();
            }
            Chan::observed(plan.stages[k - 1].buffer, probe, label)
        })
        .collect();
    let flow = Arc::new(Flow {
        plan: plan.clone(),
        jobs: Chan::observed(
            plan.jobs_buffer,
            Probe::new(&watch, Resource::Jobs).receive_starts_the_job(),
            label,
        ),
        outs,
        groups: (1..=last)
            .map(|k| WaitGroup::observed(Probe::new(&watch, Resource::Group(k as u8))))
            .collect(),
        watch,
        shutdown: Shutdown::new(plan.shutdown, 0.0),
        stopped: AtomicBool::new(false),
        panic: Mutex::new(None),
        tallies: (0..last).map(|_| Mutex::new(Tally::default())).collect(),
        taken: Mutex::new(Vec::new()),
        delivered: Mutex::new(Vec::new()),
        report: Mutex::new(None),
        finished: AtomicBool::new(false),
    });
    let weak = Arc::downgrade(&flow);
    flow.watch.on_deadlock(Box::new(move || {
        if let Some(flow) = weak.upgrade() {
            flow.abort();
        }
    }));
    let actors = plan.actors();
    flow.watch.enter(actors.len() as u32);
    for (group, stage) in flow.groups.iter().zip(&plan.stages) {
        group.add(usize::from(stage.workers));
    }
    for who in actors {
        match who {
            Actor::Producer => spawn::supervised(&flow, spawner, who, Flow::source),
            Actor::StageWorker { stage, worker } => {
                spawn::supervised(&flow, spawner, who, move |f| f.worker(stage, worker));
            }
            Actor::StageCloser(stage) => {
                spawn::supervised(&flow, spawner, who, move |f| f.closer(stage));
            }
            Actor::Consumer => spawn::supervised(&flow, spawner, who, Flow::consumer),
            other => unreachable!("a pipeline has no {other}"),
        }
    }
    if let Some(after) = plan.cancel_after {
        let flow = Arc::clone(&flow);
        spawner.spawn(Box::new(move || flow.keep_time(after)));
    }
    flow
}

impl Supervisor for Flow {
    fn panicked(&self, who: Actor, words: String) {
        lock(&self.panic).get_or_insert((who, words));
        self.abort();
    }

    fn exited(&self, who: Actor) {
        if self.watch.exit(who) {
            self.finish();
        }
    }
}

impl Flow {
    /// The input channel of stage `stage` (from 1).
    fn input(&self, stage: u8) -> &Chan<Item> {
        match stage {
            1 => &self.jobs,
            k => &self.outs[usize::from(k) - 2],
        }
    }

    /// Whether every actor has exited.
    pub(super) fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// Results the consumer has received so far.
    pub(super) fn delivered(&self) -> usize {
        lock(&self.delivered).len()
    }

    /// The report, if it is written and not taken yet.
    pub(super) fn take_report(&self) -> Option<PipelineReport> {
        lock(&self.report).take()
    }

    /// Tears the run down after a panic or a deadlock: every blocked operation returns.
    fn abort(&self) {
        self.watch.disarm();
        self.shutdown.cancel_context();
        self.abort_channels(CancelReach::EveryStage);
        self.groups.iter().for_each(WaitGroup::abort);
    }

    /// Aborts the channels a cancel reaching `reach` stops: every one, last first (so nothing
    /// woken later can still deliver), or `jobs` and the first stage's sends only.
    fn abort_channels(&self, reach: CancelReach) {
        match reach {
            CancelReach::EveryStage => {
                self.outs.iter().rev().for_each(Chan::abort);
                self.jobs.abort();
            }
            CancelReach::FirstStage => {
                self.jobs.abort();
                self.outs[0].cancel_sends();
            }
        }
    }

    /// Starts the shutdown in the plan's mode (once). The event is stamped after everything the
    /// shutdown stopped, so no job is taken after it by a stage it reached.
    pub(super) fn request_shutdown(&self) {
        if !self.shutdown.request(self.watch.trace().elapsed_ms()) {
            return;
        }
        let mode = match self.plan.shutdown {
            ShutdownMode::Drain => {
                self.jobs.cancel_sends();
                ShutdownMode::Drain
            }
            ShutdownMode::Graceful | ShutdownMode::Force => {
                self.shutdown.cancel_context();
                self.abort_channels(self.plan.cancel_reaches);
                ShutdownMode::Graceful
            }
        };
        self.stopped.store(true, Ordering::Release);
        let stage = Stage::Requested;
        let event = EventKind::Shutdown { mode, stage };
        self.watch.trace().record_last(Actor::Main, event);
    }

    /// The timer: requests the shutdown once `after` has passed, unless the run ended first.
    fn keep_time(&self, after: Duration) {
        let at = after.as_secs_f64() * 1000.0;
        while !self.is_finished() {
            if self.watch.trace().elapsed_ms() >= at {
                self.request_shutdown();
                return;
            }
            std::thread::sleep(TIMER_TICK);
        }
    }

    /// The source: sends every job into `jobs` until the jobs run out or a shutdown refuses
    /// them, then closes `jobs`.
    fn source(&self) {
        for job in 1..=self.plan.jobs {
            let item = Item {
                job,
                value: u64::from(job),
                worker: 0,
            };
            match self.jobs.send(item) {
                Ok(()) => {}
                Err(OpError::Cancelled) => break,
                Err(error) => {
                    self.check::<()>(Err(error));
                    return;
                }
            }
        }
        self.check(self.jobs.close());
    }

    /// Worker `worker` of stage `stage`: takes a value, works on it (doubling it), sends it on.
    /// A job is dropped when its work is cancelled or its send given up; the worker then stops.
    fn worker(&self, stage: u8, worker: u16) {
        let index = usize::from(stage) - 1;
        let plan = self.plan.stages[index];
        let (input, output) = (self.input(stage), &self.outs[index]);
        // With the mistake, only the first stage watches the run's context.
        let watches_context = stage == 1 || self.plan.cancel_reaches == CancelReach::EveryStage;
        let context = if watches_context {
            self.shutdown.context()
        } else {
            &NEVER_CANCELLED
        };
        let mut tally = Tally::default();
        let mut taken = Vec::new();
        loop {
            // Read before the receive begins: a receive that races the shutdown took its job
            // before the channels stopped, and only one begun after them counts.
            let began_stopped = self.stopped.load(Ordering::Acquire);
            let Ok(item) = input.recv() else { break };
            if stage == 1 {
                taken.push(item.job);
            }
            if began_stopped {
                tally.after_cancel += 1;
            }
            let began = clock::now_ms();
            let worked = sleep_unless(f64::from(plan.work_ms), context);
            let ended = match worked {
                Ok(Some(at)) => at,
                _ => clock::now_ms(),
            };
            tally.busy_ms += ended - began;
            self.watch.trace().read_at(Some(ended));
            if worked.is_err() {
                // Cut short by the cancel: the job ends here, dropped (there is no send to say so).
                let finished = EventKind::Finished {
                    job: item.job,
                    failed: true,
                };
                self.watch.trace().record_own(actor::current(), finished);
                tally.dropped += 1;
                continue;
            }
            tally.processed += 1;
            let next = Item {
                job: item.job,
                value: item.value * 2,
                worker,
            };
            if let Err(error) = output.send(next) {
                tally.dropped += 1;
                self.check::<()>(Err(error));
                break;
            }
        }
        lock(&self.taken).extend(taken);
        lock(&self.tallies[index]).add(&tally);
        self.check(self.groups[index].done());
    }

    /// The closer of stage `stage`: `wg.Wait(); close(out)`, or, as the mistake, only the wait.
    fn closer(&self, stage: u8) {
        let index = usize::from(stage) - 1;
        let waited = self.check(self.groups[index].wait()).is_some();
        if waited && self.plan.stages[index].close_output {
            self.check(self.outs[index].close());
        }
    }

    /// The consumer: ranges over the last stage's output.
    fn consumer(&self) {
        let output = self.outs.last().expect("at least one stage");
        let mut arrival = 0;
        while let Ok(item) = output.recv() {
            arrival += 1;
            lock(&self.delivered).push(Delivery {
                job: item.job,
                worker: item.worker,
                arrival,
                value: Some(item.value),
                error: None,
                attempts: None,
            });
        }
    }
}
