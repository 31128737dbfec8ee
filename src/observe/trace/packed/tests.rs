//! Packing, checked against the events' object form: every kind of event, in order.
use super::*;
use crate::observe::actor::Actor;
use crate::observe::trace::{EventKind, Op, Outcome, Reason, Resource, ShutdownMode, Stage};

/// A field as unpacked: the number, or the text or flag it stands for.
#[derive(Debug, PartialEq)]
enum Value {
    Number(f64),
    Text(String),
    Flag(bool),
}
use Value::{Flag, Number};

fn text(word: &str) -> Value {
    Value::Text(word.to_string())
}

/// The events of `packed`, each as its fields in order, keys and words looked up.
fn unpack(packed: &PackedEvents) -> Vec<Vec<(String, Value)>> {
    let mut at = 0;
    let mut events = Vec::new();
    for &width in &packed.widths {
        let fields = (at..at + usize::from(width)).map(|i| {
            let (key, kind) = &packed.keys[usize::from(packed.fields[i])];
            let value = packed.values[i];
            let value = match kind {
                ValueKind::Number => Number(value),
                ValueKind::Flag => Flag(value != 0.0),
                ValueKind::Text => text(&packed.words[value as usize]),
            };
            (key.clone(), value)
        });
        events.push(fields.collect());
        at += usize::from(width);
    }
    events
}

/// Fields after `kind`, as README's event table names them.
type Fields = Vec<(&'static str, Value)>;

/// One event of every kind (a worker's unless said), with its kind's name and the fields
/// after `kind` that README's event table gives it, in order.
fn every_kind() -> Vec<(Actor, EventKind, Fields)> {
    use EventKind::*;
    let worker = Actor::Worker(2);
    vec![
        (
            Actor::Producer,
            Sent {
                channel: Resource::Jobs,
                job: 1,
                len: 1,
            },
            vec![
                ("channel", text("jobs")),
                ("job", Number(1.0)),
                ("len", Number(1.0)),
            ],
        ),
        (
            worker,
            Received {
                channel: Resource::Jobs,
                job: 1,
                len: 0,
            },
            vec![
                ("channel", text("jobs")),
                ("job", Number(1.0)),
                ("len", Number(0.0)),
            ],
        ),
        (
            Actor::Consumer,
            Blocked {
                channel: Resource::Results,
                op: Op::Recv,
                reason: Reason::Empty,
            },
            vec![
                ("channel", text("results")),
                ("op", text("recv")),
                ("reason", text("empty")),
            ],
        ),
        (
            Actor::Closer,
            Unblocked {
                channel: Resource::WaitGroup,
                op: Op::Wait,
            },
            vec![("channel", text("waitGroup")), ("op", text("wait"))],
        ),
        (
            Actor::Producer,
            Closed {
                channel: Resource::Jobs,
            },
            vec![("channel", text("jobs"))],
        ),
        (worker, Started { job: 7 }, vec![("job", Number(7.0))]),
        (
            worker,
            Finished {
                job: 7,
                failed: false,
            },
            vec![("job", Number(7.0))],
        ),
        (
            worker,
            Finished {
                job: 8,
                failed: true,
            },
            vec![("job", Number(8.0)), ("failed", Flag(true))],
        ),
        (
            Actor::Main,
            Shutdown {
                mode: ShutdownMode::Force,
                stage: Stage::Forced,
            },
            vec![("mode", text("force")), ("stage", text("forced"))],
        ),
        (
            Actor::Consumer,
            Delivered { job: 3, held: 2 },
            vec![("job", Number(3.0)), ("held", Number(2.0))],
        ),
        (
            worker,
            Backoff {
                job: 9,
                attempt: 1,
                ms: 12.5,
            },
            vec![
                ("job", Number(9.0)),
                ("attempt", Number(1.0)),
                ("ms", Number(12.5)),
            ],
        ),
        (
            worker,
            Attempt { job: 9, attempt: 2 },
            vec![("job", Number(9.0)), ("attempt", Number(2.0))],
        ),
        (
            Actor::Scaler,
            Scaled {
                workers: 3,
                queued: 40,
            },
            vec![("workers", Number(3.0)), ("queued", Number(40.0))],
        ),
        (
            Actor::Worker(3),
            Retired { workers: 2 },
            vec![("workers", Number(2.0))],
        ),
        (
            Actor::Main,
            Phase {
                phase: crate::observe::trace::Phase::Unbounded,
                workers: 32,
            },
            vec![("phase", text("unbounded")), ("workers", Number(32.0))],
        ),
        (Actor::Task(12), Exited, vec![]),
        (
            Actor::Main,
            Ended {
                outcome: Outcome::Deadlock,
            },
            vec![("outcome", text("deadlock"))],
        ),
    ]
}

#[test]
fn every_kind_of_event_unpacks_into_t_actor_kind_and_its_fields_in_order() {
    const NAMES: [&str; 17] = [
        "sent",
        "received",
        "blocked",
        "unblocked",
        "closed",
        "started",
        "finished",
        "finished",
        "shutdown",
        "delivered",
        "backoff",
        "attempt",
        "scaled",
        "retired",
        "phase",
        "exited",
        "ended",
    ];
    let cases = every_kind();
    assert_eq!(cases.len(), NAMES.len());
    let events: Vec<Event> = cases
        .iter()
        .enumerate()
        .map(|(i, (actor, kind, _))| Event {
            t: i as f64 * 0.25,
            actor: *actor,
            kind: kind.clone(),
        })
        .collect();
    let packed = pack(&events).expect("events pack");
    assert_eq!(packed.len(), events.len());
    for (i, ((actor, _, fields), got)) in cases.into_iter().zip(unpack(&packed)).enumerate() {
        let mut want = vec![
            ("t".to_string(), Number(i as f64 * 0.25)),
            ("actor".to_string(), text(&actor.to_string())),
            ("kind".to_string(), text(NAMES[i])),
        ];
        want.extend(
            fields
                .into_iter()
                .map(|(key, value)| (key.to_string(), value)),
        );
        assert_eq!(got, want, "event {i}");
    }
}

#[test]
fn a_big_batch_shares_its_keys_and_words() {
    let events: Vec<Event> = (0..1000)
        .map(|job| Event {
            t: f64::from(job) / 3.0,
            actor: Actor::Worker(1 + (job % 16) as u16),
            kind: EventKind::Received {
                channel: Resource::Jobs,
                job,
                len: job % 5,
            },
        })
        .collect();
    let packed = pack(&events).expect("events pack");
    assert_eq!(packed.keys.len(), 6, "t, actor, kind, channel, job, len");
    assert_eq!(
        packed.words.len(),
        16 + 2,
        "16 workers, \"received\", \"jobs\""
    );
    assert_eq!(packed.values.len(), 6 * events.len());
    let unpacked = unpack(&packed);
    assert_eq!(unpacked[999][0], ("t".to_string(), Number(999.0 / 3.0)));
    assert_eq!(unpacked[999][1], ("actor".to_string(), text("worker-8")));
    assert_eq!(unpacked[999][5], ("len".to_string(), Number(4.0)));
}

#[test]
fn nothing_packs_into_an_empty_batch() {
    let packed = pack(&[]).expect("packs");
    assert!(packed.is_empty());
    assert_eq!(packed, PackedEvents::default());
}
