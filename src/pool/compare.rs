//! A comparison: the same batch run twice, first with no pool (a task per job, all started at
//! once, as "a goroutine per request" does) and then with a fixed pool, each against a fresh copy
//! of the downstream service. The first side shows the failure that motivates pools (requests
//! beyond the service's limit, refused); the second the fix.
//!
//! The sides run one after the other on the same threads. A [`Comparison`] is driven by polling,
//! like a single run: whoever asks for events or whether it is finished also starts the second
//! side once the first has completed (a cancel, a deadlock or a panic ends the comparison there). Its events form one timeline: a `phase`
//! event opens each side, the second side's times are shifted by when it started, and only the
//! last side's `ended` event is kept. The report is the second side's (the first's when that did
//! not complete), plus `comparison` with the figures of both sides.

use crate::locks::lock;
use crate::observe::actor::Actor;
use crate::observe::clock;
use crate::observe::trace::{Event, EventKind, Outcome, Phase};
use crate::patterns::service::ServiceReport;
use crate::pool::report::{Accounting, Delivery, Report};
use crate::pool::spawn::Spawn;
use crate::pool::{PoolConfig, Run, Staffing, StartError};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// Starts one side's run with the given pool, on the given spawner.
type StartSide<J, R> =
    Box<dyn Fn(&PoolConfig, &dyn Spawn) -> Result<Run<J, R>, StartError> + Send + Sync>;

/// Both sides of a comparison, in progress or finished.
pub struct Comparison<J, R> {
    pool: PoolConfig,
    jobs: u32,
    start_side: StartSide<J, R>,
    spawner: Arc<dyn Spawn + Send + Sync>,
    state: Mutex<State<J, R>>,
}

struct State<J, R> {
    /// Events taken from a finished side, and phase markers, not yet handed out.
    pending: Vec<Event>,
    /// The side running now (or the last one), and where its times start on the timeline.
    current: Run<J, R>,
    offset_ms: f64,
    started_at_ms: f64,
    /// The unbounded side's `ended`, held back until it is known whether it ends the timeline.
    held_end: Option<Event>,
    /// The unbounded side, once it is over.
    unbounded: Option<(Side, Report<Delivery<R>>)>,
    on_pool_side: bool,
    cancelled: bool,
    report: Option<ComparisonReport<R>>,
}

/// One side's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    /// Tasks (one per job) on the unbounded side, workers on the pool side.
    pub workers: u32,
    /// When the side began on the run's timeline, in ms.
    pub start_ms: f64,
    /// How the side ended.
    pub outcome: Outcome,
    /// How long the side took, in ms.
    pub wall_ms: f64,
    /// Jobs that succeeded.
    pub succeeded: usize,
    /// Jobs that failed (a refused request is a failed job unless a retry gets through).
    pub failed: usize,
    /// What the service saw: requests, rejections, concurrency over time (from the side's start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceReport>,
    /// Every job of the side, once.
    pub accounting: Accounting,
}

impl Side {
    fn new<R>(workers: u32, start_ms: f64, report: &Report<Delivery<R>>) -> Self {
        Side {
            workers,
            start_ms,
            outcome: report.outcome,
            wall_ms: report.stats.wall_ms,
            succeeded: report.stats.succeeded,
            failed: report.stats.failed,
            service: report.service.clone(),
            accounting: report.accounting.clone(),
        }
    }
}

/// The two sides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sides {
    /// A task per job, all at once.
    pub unbounded: Side,
    /// A fixed pool; absent when the unbounded side did not complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<Side>,
}

/// A finished comparison: the last side's report, and both sides' figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparisonReport<R> {
    /// The report of the side that ran last (the unbounded one, if it did not complete).
    #[serde(flatten)]
    pub report: Report<Delivery<R>>,
    /// Both sides.
    pub comparison: Sides,
}

impl<J: Send + 'static, R: Send + 'static> Comparison<J, R> {
    /// Starts the unbounded side of a comparison of `jobs` jobs whose pool side is `pool`;
    /// `start_side` starts a side with the pool it is given. Refused at once if either side would
    /// not fit the spawner's threads.
    pub fn start(
        pool: &PoolConfig,
        jobs: u32,
        start_side: impl Fn(&PoolConfig, &dyn Spawn) -> Result<Run<J, R>, StartError>
        + Send
        + Sync
        + 'static,
        spawner: &dyn Spawn,
    ) -> Result<Self, StartError> {
        let unbounded = PoolConfig {
            staffing: Staffing::Unbounded,
            ..pool.clone()
        };
        let pool = PoolConfig {
            staffing: Staffing::Fixed,
            ..pool.clone()
        };
        let need = unbounded.threads(jobs).max(pool.threads(jobs));
        if spawner.capacity() < need {
            return Err(StartError::NotEnoughThreads {
                have: spawner.capacity(),
                need,
            });
        }
        let kept = spawner.share().ok_or(StartError::CannotSpawnLater)?;
        let started_at_ms = clock::now_ms();
        let current = start_side(&unbounded, spawner)?;
        Ok(Comparison {
            jobs,
            state: Mutex::new(State {
                pending: vec![phase_event(0.0, Phase::Unbounded, jobs)],
                current,
                offset_ms: 0.0,
                started_at_ms,
                held_end: None,
                unbounded: None,
                on_pool_side: false,
                cancelled: false,
                report: None,
            }),
            pool,
            start_side: Box::new(start_side),
            spawner: kept,
        })
    }

    /// Every event since the last call, on the comparison's one timeline.
    pub fn take_events(&self) -> Vec<Event> {
        let mut state = lock(&self.state);
        self.advance(&mut state);
        let mut events = std::mem::take(&mut state.pending);
        let current = state.current.take_events();
        events.extend(on_timeline(&mut state, current));
        events
    }

    /// Whether both sides are over (or the first, when it did not complete).
    pub fn is_finished(&self) -> bool {
        let mut state = lock(&self.state);
        self.advance(&mut state);
        state.report.is_some()
    }

    /// Cancels the side that runs now, in its shutdown mode; the pool side then does not start.
    pub fn cancel(&self) {
        let mut state = lock(&self.state);
        state.cancelled = true;
        state.current.cancel();
    }

    /// The report, once finished (and only once).
    pub fn take_report(&self) -> Option<ComparisonReport<R>> {
        let mut state = lock(&self.state);
        self.advance(&mut state);
        state.report.take()
    }

    /// When the current side is over: keeps its last events, then starts the pool side, or
    /// writes the report.
    fn advance(&self, state: &mut State<J, R>) {
        if state.report.is_some() || !state.current.is_finished() {
            return;
        }
        let rest = state.current.take_events();
        let rest = on_timeline(state, rest);
        state.pending.extend(rest);
        let Some(report) = state.current.take_report() else {
            return;
        };
        if state.on_pool_side {
            let pool = Side::new(u32::from(self.pool.workers), state.offset_ms, &report);
            let (unbounded, _) = state
                .unbounded
                .take()
                .expect("the unbounded side ran first");
            state.report = Some(ComparisonReport {
                report,
                comparison: Sides {
                    unbounded,
                    pool: Some(pool),
                },
            });
            return;
        }
        let unbounded = Side::new(self.jobs, 0.0, &report);
        if state.cancelled || report.outcome != Outcome::Completed {
            state.pending.extend(state.held_end.take());
            state.report = Some(ComparisonReport {
                report,
                comparison: Sides {
                    unbounded,
                    pool: None,
                },
            });
            return;
        }
        state.unbounded = Some((unbounded, report));
        self.start_pool_side(state);
    }

    fn start_pool_side(&self, state: &mut State<J, R>) {
        let offset_ms = clock::now_ms() - state.started_at_ms;
        match (self.start_side)(&self.pool, &*self.spawner) {
            Ok(run) => {
                state.current = run;
                state.offset_ms = offset_ms;
                state.on_pool_side = true;
                let workers = u32::from(self.pool.workers);
                state
                    .pending
                    .push(phase_event(offset_ms, Phase::Pool, workers));
            }
            Err(_) => {
                // The threads were checked at the start; if the pool side still cannot start,
                // the comparison ends with the unbounded side.
                state.pending.extend(state.held_end.take());
                let (unbounded, report) = state.unbounded.take().expect("just kept");
                state.report = Some(ComparisonReport {
                    report,
                    comparison: Sides {
                        unbounded,
                        pool: None,
                    },
                });
            }
        }
    }
}

/// `events` of the current side, moved onto the comparison's timeline. The unbounded side's
/// `ended` is held back: it ends the timeline only if the pool side never starts.
fn on_timeline<J, R>(state: &mut State<J, R>, events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let event = Event {
            t: event.t + state.offset_ms,
            ..event
        };
        if !state.on_pool_side && matches!(event.kind, EventKind::Ended { .. }) {
            state.held_end = Some(event);
        } else {
            out.push(event);
        }
    }
    out
}

fn phase_event(t: f64, phase: Phase, workers: u32) -> Event {
    Event {
        t,
        actor: Actor::Main,
        kind: EventKind::Phase { phase, workers },
    }
}
