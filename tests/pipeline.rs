//! Pipelines: stages that are pools of their own, joined by channels (fan-out, fan-in), and the
//! two mistakes the page commits on purpose: an output never closed, a cancel that reaches only
//! the first stage.
#![cfg(not(target_arch = "wasm32"))]

mod support;
use support::{assert_each_job_once, await_run, finish};

use poolplay::observe::actor::Actor;
use poolplay::observe::trace::{Event, EventKind, Op, Outcome, Reason, Resource, ShutdownMode};
use poolplay::pipeline::{self, CancelReach, PipelinePlan, PipelineReport, StagePlan};
use poolplay::pool::StartError;
use poolplay::pool::spawn::{OsThreads, Spawn, Task};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn stage(workers: u16, work_ms: u32, buffer: usize) -> StagePlan {
    StagePlan {
        workers,
        work_ms,
        buffer,
        close_output: true,
    }
}

fn plan(jobs: u32, stages: Vec<StagePlan>) -> PipelinePlan {
    PipelinePlan {
        jobs,
        stages,
        jobs_buffer: 2,
        tracing: true,
        cancel_after: None,
        shutdown: ShutdownMode::Graceful,
        cancel_reaches: CancelReach::EveryStage,
    }
}

fn run(plan: &PipelinePlan) -> (PipelineReport, Vec<Event>) {
    let pipeline = pipeline::start(plan, &OsThreads).expect("the pipeline starts");
    finish(&pipeline)
}

/// Every job is in exactly one accounting list, and the lists agree with the results and with
/// what each stage did: a job the first stage took and the consumer never got was dropped by a
/// stage or left in a stage's output.
fn assert_every_job_accounted(report: &PipelineReport, jobs: u32) {
    let a = &report.accounting;
    let jobs_delivered: Vec<u32> = report.results.iter().map(|d| d.job).collect();
    let delivered = assert_each_job_once(a, jobs, &jobs_delivered);
    assert_eq!(delivered, a.done.iter().copied().collect());
    let lost: usize = report.stages.iter().map(|s| s.dropped + s.stranded).sum();
    assert_eq!(a.undelivered.len(), lost, "{:#?}", report.stages);
    assert_eq!(report.stats.missed, jobs as usize - delivered.len());
}

/// The stage-k actor of `who`, if it belongs to a stage.
fn stage_of(who: Actor) -> Option<u8> {
    match who {
        Actor::StageWorker { stage, .. } | Actor::StageCloser(stage) => Some(stage),
        _ => None,
    }
}

/// Jobs that a worker of a stage from `first` on began after the shutdown event.
fn started_after_the_cancel(events: &[Event], first: u8) -> Vec<(Actor, u32)> {
    let cancel = events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Shutdown { .. }))
        .expect("a shutdown event");
    events[cancel..]
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Started { job } if stage_of(e.actor).is_some_and(|s| s >= first) => {
                Some((e.actor, job))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_job_passes_every_stage_and_is_doubled_once_per_stage() {
    let (report, events) = run(&plan(
        30,
        vec![stage(3, 2, 1), stage(2, 3, 0), stage(1, 1, 4)],
    ));
    assert_eq!(report.outcome, Outcome::Completed);
    let mut values: Vec<(u32, u64)> = report
        .results
        .iter()
        .map(|d| (d.job, d.value.expect("a value")))
        .collect();
    values.sort_unstable();
    let doubled_thrice: Vec<(u32, u64)> = (1..=30).map(|j| (j, u64::from(j) * 8)).collect();
    assert_eq!(values, doubled_thrice);
    for (k, stage) in (1..).zip(&report.stages) {
        assert_eq!(stage.processed, 30, "stage {k} worked on every job");
        let started: Vec<u32> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Started { job } if stage_of(e.actor) == Some(k) => Some(job),
                _ => None,
            })
            .collect();
        let once: BTreeSet<u32> = started.iter().copied().collect();
        assert_eq!(
            (started.len(), once.len()),
            (30, 30),
            "stage {k} started each job once"
        );
    }
    assert_every_job_accounted(&report, 30);
}

#[test]
fn fan_out_shares_a_stage_s_jobs_among_its_workers() {
    // Long enough jobs that one worker cannot take them all before the others ask.
    let (report, events) = run(&plan(12, vec![stage(3, 30, 0), stage(1, 0, 0)]));
    assert_eq!(report.outcome, Outcome::Completed);
    let workers: BTreeSet<Actor> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Started { .. }) && stage_of(e.actor) == Some(1))
        .map(|e| e.actor)
        .collect();
    assert!(
        workers.len() > 1,
        "several workers of stage 1 took jobs: {workers:?}"
    );
}

#[test]
fn fan_in_closes_each_output_once_after_all_its_senders_are_done() {
    let (report, events) = run(&plan(
        20,
        vec![stage(3, 1, 2), stage(2, 1, 0), stage(2, 1, 1)],
    ));
    assert_eq!(report.outcome, Outcome::Completed);
    for k in 1..=3u8 {
        let closes: Vec<usize> = (0..events.len())
            .filter(|&i| {
                events[i].kind
                    == EventKind::Closed {
                        channel: Resource::Out(k),
                    }
            })
            .collect();
        assert_eq!(closes.len(), 1, "c{k} closed once");
        assert_eq!(
            events[closes[0]].actor,
            Actor::StageCloser(k),
            "by its stage's closer"
        );
        let last_send = events
            .iter()
            .rposition(|e| matches!(e.kind, EventKind::Sent { channel, .. } if channel == Resource::Out(k)))
            .expect("sends on the output");
        assert!(last_send < closes[0], "c{k} closed after its last send");
    }
}

#[test]
fn stage_that_never_closes_its_output_deadlocks_the_next_stage() {
    let mut stages = vec![stage(2, 1, 1), stage(2, 1, 1), stage(2, 1, 1)];
    stages[1].close_output = false;
    let (report, events) = run(&plan(10, stages));
    assert_eq!(report.outcome, Outcome::Deadlock);
    assert_eq!(
        report.message.as_deref(),
        Some("fatal error: all goroutines are asleep - deadlock!")
    );
    let mut waits: Vec<(Actor, Op, Resource, Reason)> = report
        .blocked
        .as_ref()
        .expect("who waits")
        .iter()
        .map(|w| (w.actor, w.op, w.channel, w.reason))
        .collect();
    waits.sort_by_key(|w| w.0);
    let mut expected = [
        (
            Actor::StageWorker {
                stage: 3,
                worker: 1,
            },
            Op::Recv,
            Resource::Out(2),
            Reason::Empty,
        ),
        (
            Actor::StageWorker {
                stage: 3,
                worker: 2,
            },
            Op::Recv,
            Resource::Out(2),
            Reason::Empty,
        ),
        (
            Actor::StageCloser(3),
            Op::Wait,
            Resource::Group(3),
            Reason::Counter,
        ),
        (Actor::Consumer, Op::Recv, Resource::Out(3), Reason::Empty),
    ];
    expected.sort_by_key(|w| w.0);
    assert_eq!(
        waits, expected,
        "the third stage waits on c2, which stage 2 never closed"
    );
    assert!(
        !events.iter().any(|e| e.kind
            == EventKind::Closed {
                channel: Resource::Out(2)
            }),
        "nobody closed c2"
    );
    assert_eq!(
        report.accounting.done.len(),
        10,
        "every job got through before it froze"
    );
    assert_every_job_accounted(&report, 10);
}

#[test]
fn the_last_stage_never_closing_leaves_the_consumer_waiting() {
    let mut stages = vec![stage(1, 0, 0), stage(2, 0, 0)];
    stages[1].close_output = false;
    let (report, _) = run(&plan(5, stages));
    assert_eq!(report.outcome, Outcome::Deadlock);
    let blocked = report.blocked.expect("who waits");
    assert_eq!(blocked.len(), 1, "{blocked:?}");
    assert_eq!(
        (blocked[0].actor, blocked[0].channel),
        (Actor::Consumer, Resource::Out(2))
    );
}

#[test]
fn bottleneck_is_the_slowest_stage() {
    let (report, _) = run(&plan(
        12,
        vec![stage(2, 5, 2), stage(1, 60, 2), stage(2, 5, 2)],
    ));
    assert_eq!(report.outcome, Outcome::Completed);
    assert_eq!(report.bottleneck, 1, "{:#?}", report.stages);
    let slow = &report.stages[1];
    let fast = &report.stages[0];
    assert!(
        slow.busy_ms >= 12.0 * 60.0,
        "the slow stage worked every job's 60 ms"
    );
    assert!(
        fast.blocked_send_ms > 0.0,
        "the stage before the bottleneck waited to hand its results on"
    );
}

#[test]
fn widening_the_slowest_stage_moves_the_bottleneck() {
    let (narrow, _) = run(&plan(8, vec![stage(1, 40, 1), stage(1, 5, 1)]));
    assert_eq!(narrow.bottleneck, 0);
    let (wide, _) = run(&plan(8, vec![stage(8, 40, 1), stage(1, 30, 1)]));
    assert_eq!(wide.bottleneck, 1, "{:#?}", wide.stages);
}

/// Three stages, the second slow, with a large buffer in front of it (c1); cancelled once the
/// first stage waits to send into a full c1: whatever the machine's speed, jobs are then queued
/// in c1 and others not yet sent.
fn cancelled_with_a_full_middle(
    shutdown: ShutdownMode,
    reach: CancelReach,
) -> (PipelineReport, Vec<Event>) {
    let plan = PipelinePlan {
        shutdown,
        cancel_reaches: reach,
        ..plan(40, vec![stage(2, 5, 6), stage(1, 200, 0), stage(1, 0, 0)])
    };
    let pipeline = pipeline::start(&plan, &OsThreads).expect("the pipeline starts");
    let mut events = Vec::new();
    let first_stage_waits = |e: &Event| {
        stage_of(e.actor) == Some(1)
            && e.kind
                == EventKind::Blocked {
                    channel: Resource::Out(1),
                    op: Op::Send,
                    reason: Reason::Full,
                }
    };
    await_run(&pipeline, &mut events, "c1 is full", |seen| {
        seen.iter().any(first_stage_waits)
    });
    pipeline.cancel();
    let (report, rest) = finish(&pipeline);
    events.extend(rest);
    (report, events)
}

#[test]
fn cancellation_accounts_for_every_job() {
    let (report, events) =
        cancelled_with_a_full_middle(ShutdownMode::Graceful, CancelReach::EveryStage);
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert!(
        !report.accounting.not_started.is_empty(),
        "the source stopped early"
    );
    assert!(
        !report.accounting.undelivered.is_empty(),
        "queued jobs were dropped"
    );
    assert!(report.stages[0].stranded > 0, "c1 still held jobs");
    assert_eq!(
        report.stages[1].dropped, 1,
        "the slow stage's job in flight was cut short"
    );
    assert_eq!(
        started_after_the_cancel(&events, 1),
        [],
        "no stage took a job after the cancel"
    );
    assert!(report.stages.iter().all(|s| s.after_cancel == 0));
    let cut_short = events.iter().filter(|e| {
        e.actor
            == Actor::StageWorker {
                stage: 2,
                worker: 1,
            }
            && matches!(e.kind, EventKind::Finished { failed: true, .. })
    });
    assert_eq!(
        cut_short.count(),
        1,
        "the trace shows the job the cancel cut short"
    );
    assert_every_job_accounted(&report, 40);
}

#[test]
fn cancellation_that_reaches_only_the_first_stage_lets_the_later_stages_work_on() {
    let (report, events) =
        cancelled_with_a_full_middle(ShutdownMode::Graceful, CancelReach::FirstStage);
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert!(
        report
            .message
            .as_deref()
            .unwrap()
            .contains("only the first stage")
    );
    let late = started_after_the_cancel(&events, 2);
    assert!(
        late.iter().any(|(who, _)| stage_of(*who) == Some(2)),
        "the slow stage went on taking jobs from c1: {late:?}"
    );
    assert!(report.stages[1].after_cancel > 0);
    assert_eq!(
        report.stages[0].stranded, 0,
        "c1 was worked through after the cancel"
    );
    assert!(
        started_after_the_cancel(&events, 1)
            .iter()
            .all(|(who, _)| stage_of(*who) != Some(1)),
        "the first stage did stop"
    );
    assert_every_job_accounted(&report, 40);
}

#[test]
fn a_drain_finishes_everything_already_inside() {
    let (report, events) =
        cancelled_with_a_full_middle(ShutdownMode::Drain, CancelReach::EveryStage);
    assert_eq!(report.outcome, Outcome::Cancelled);
    let sent: BTreeSet<u32> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Sent {
                channel: Resource::Jobs,
                job,
                ..
            } => Some(job),
            _ => None,
        })
        .collect();
    let done: BTreeSet<u32> = report.accounting.done.iter().copied().collect();
    assert_eq!(
        done, sent,
        "every job the source sent was finished and delivered"
    );
    assert!(sent.len() < 40, "the source stopped early");
    assert!(report.accounting.undelivered.is_empty());
    assert_every_job_accounted(&report, 40);
}

#[test]
fn a_cancel_timer_stops_the_run() {
    let plan = PipelinePlan {
        cancel_after: Some(std::time::Duration::from_millis(50)),
        ..plan(1_000, vec![stage(1, 20, 0), stage(1, 20, 0)])
    };
    let (report, events) = run(&plan);
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Shutdown { .. }))
    );
    assert_eq!(
        report.stats.threads,
        plan.actors().len() + 1,
        "a timer thread besides"
    );
    assert_every_job_accounted(&report, 1_000);
}

/// A spawner that refuses to be asked for more than `threads` at once.
struct Few(usize);

impl Spawn for Few {
    fn spawn(&self, task: Task) {
        OsThreads.spawn(task);
    }
    fn capacity(&self) -> usize {
        self.0
    }
}

#[test]
fn a_pipeline_needs_a_thread_per_actor() {
    let plan = plan(4, vec![stage(3, 0, 0), stage(2, 0, 0)]);
    // source, 3 + closer, 2 + closer, consumer
    assert_eq!(plan.threads(), 9);
    let refused = pipeline::start(&plan, &Few(8)).err();
    assert_eq!(
        refused,
        Some(StartError::NotEnoughThreads { have: 8, need: 9 })
    );
    let names: Vec<String> = plan.actors().iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "producer",
            "s1-worker-1",
            "s1-worker-2",
            "s1-worker-3",
            "s1-closer",
            "s2-worker-1",
            "s2-worker-2",
            "s2-closer",
            "consumer"
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the stages, their widths and buffers, a pipeline that closes every output
    /// delivers every job once, doubled once per stage, and is never called deadlocked.
    #[test]
    fn pipelines_that_close_every_output_deliver_every_job_and_never_deadlock(
        jobs in 1u32..=30,
        jobs_buffer in 0usize..=4,
        stages in prop::collection::vec((1u16..=3, 0u32..=2, 0usize..=3), 1..=4),
    ) {
        let stages: Vec<StagePlan> = stages
            .into_iter()
            .map(|(workers, work_ms, buffer)| stage(workers, work_ms, buffer))
            .collect();
        let count = stages.len() as u32;
        let (report, _) = run(&PipelinePlan { jobs_buffer, ..plan(jobs, stages) });
        prop_assert_eq!(report.outcome, Outcome::Completed);
        let mut values: Vec<(u32, u64)> =
            report.results.iter().map(|d| (d.job, d.value.unwrap())).collect();
        values.sort_unstable();
        let expected: Vec<(u32, u64)> = (1..=jobs).map(|j| (j, u64::from(j) << count)).collect();
        prop_assert_eq!(values, expected);
        assert_every_job_accounted(&report, jobs);
    }
}

mod config {
    use poolplay::config::{Field, PipelineConfig};
    use std::collections::BTreeMap;

    fn fields(pairs: &[(&str, Field)]) -> BTreeMap<String, Field> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn stage(pairs: &[(&str, f64)]) -> Field {
        Field::Object(
            pairs
                .iter()
                .map(|&(k, v)| (k.to_string(), Field::Number(v)))
                .collect(),
        )
    }

    fn refused(pairs: &[(&str, Field)]) -> String {
        PipelineConfig::from_fields(&fields(pairs))
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn the_defaults_are_three_stages_with_a_narrow_middle() {
        let config = PipelineConfig::default();
        let workers: Vec<u16> = config.stages.iter().map(|s| s.workers).collect();
        assert_eq!(workers, [2, 1, 2]);
        assert!(config.stages.iter().all(|s| s.close_output));
    }

    #[test]
    fn a_stage_takes_its_defaults_for_the_fields_it_leaves_out() {
        let config = PipelineConfig::from_fields(&fields(&[(
            "stages",
            Field::List(vec![stage(&[("workers", 3.0)])]),
        )]))
        .expect("valid");
        let only = config.stages[0];
        assert_eq!(
            (only.workers, only.work_ms, only.buffer, only.close_output),
            (3, 100, 2, true)
        );
    }

    #[test]
    fn bad_stages_are_refused_naming_the_field_as_a_script_writes_it() {
        assert_eq!(
            refused(&[("stages", Field::List(vec![]))]),
            "stages must be a list of 1 to 6 stages, but got a list of 0"
        );
        let seven = Field::List(vec![stage(&[]); 7]);
        assert_eq!(
            refused(&[("stages", seven)]),
            "stages must be a list of 1 to 6 stages, but got a list of 7"
        );
        let no_workers = Field::List(vec![stage(&[]), stage(&[("workers", 0.0)])]);
        assert_eq!(
            refused(&[("stages", no_workers)]),
            "stages[1].workers must be a whole number from 1 to 16, but got 0"
        );
        let hello = Field::Object(BTreeMap::from([(
            "workMs".to_string(),
            Field::Text("hello".into()),
        )]));
        assert_eq!(
            refused(&[("stages", Field::List(vec![hello]))]),
            "stages[0].workMs must be a whole number from 0 to 2000, but got \"hello\""
        );
        assert_eq!(
            refused(&[("jobs", Field::Text("hello".into()))]),
            "jobs must be a whole number from 1 to 10000, but got \"hello\""
        );
        assert_eq!(
            refused(&[("stages", Field::Number(3.0))]),
            "stages must be a list of 1 to 6 stages, but got 3"
        );
        assert_eq!(
            refused(&[("stages", Field::List(vec![Field::Number(2.0)]))]),
            "stages[0] must be an object with the fields of a stage, but got 2"
        );
        assert!(
            refused(&[("stages", Field::List(vec![stage(&[("speed", 2.0)])]))])
                .starts_with("stages[0] has \"speed\", which is not a field of a stage")
        );
    }

    #[test]
    fn more_workers_in_all_than_the_thread_pool_holds_are_refused() {
        let wide = Field::List(vec![stage(&[("workers", 8.0)]); 3]);
        assert_eq!(
            refused(&[("stages", wide)]),
            "stages have 24 workers in all, but the thread pool has 20 threads and 5 of them go \
             to the source, a closer per stage and the consumer: at most 15 workers in all"
        );
        let just = Field::List(vec![stage(&[("workers", 5.0)]); 3]);
        assert!(PipelineConfig::from_fields(&fields(&[("stages", just.clone())])).is_ok());
        let with_timer = [("stages", just), ("cancelAfterMs", Field::Number(100.0))];
        assert!(refused(&with_timer).contains("the consumer and the cancel timer: at most 14"));
    }

    #[test]
    fn the_page_s_check_names_each_problem_by_its_label() {
        let no_workers = Field::List(vec![stage(&[]), stage(&[("workers", 0.0)])]);
        let problems = PipelineConfig::problems(&fields(&[
            ("stages", no_workers),
            ("jobs", Field::Number(0.0)),
            ("colour", Field::Text("red".into())),
        ]));
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "\"colour\" is not a setting",
                "Jobs must be a whole number from 1 to 10000, but got 0",
                "Stage 2: Workers must be a whole number from 1 to 16, but got 0",
            ]
        );
        assert_eq!(problems[2].field, "stages");
        assert!(PipelineConfig::problems(&BTreeMap::new()).is_empty());
    }
}
