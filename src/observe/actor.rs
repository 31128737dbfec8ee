//! Who is acting: the producer, a worker (or a task of its own per job), the closer, the consumer,
//! an autoscaling pool's scaler, and a pipeline stage's workers and closer.
//!
//! Each actor runs on its own thread, and the thread remembers which actor it is (like a goroutine's
//! identity), so channel operations can say *who* blocked without every call passing it along.

use serde::{Serialize, Serializer};
use std::cell::Cell;
use std::fmt;

/// One participant of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// The thread that started the run, or any thread that is not an actor.
    Main,
    /// Sends every job into the jobs channel, then closes it.
    Producer,
    /// Worker `k` (numbered from 1): takes jobs, sends results.
    Worker(u16),
    /// Task `k`: started for job `k` alone, with no pool (one goroutine per job).
    Task(u16),
    /// Grows an autoscaling pool when its queue is deep.
    Scaler,
    /// Waits for every worker to finish, then closes the results channel.
    Closer,
    /// Receives every result.
    Consumer,
    /// Worker `worker` (from 1) of pipeline stage `stage` (from 1): takes values from the
    /// stage's input channel and sends each result on to the stage's output.
    StageWorker {
        /// The stage, from 1.
        stage: u8,
        /// The worker within its stage, from 1.
        worker: u16,
    },
    /// The closer of pipeline stage `stage` (from 1): waits for the stage's workers, then closes
    /// the stage's output channel.
    StageCloser(u8),
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Main => f.write_str("main"),
            Actor::Producer => f.write_str("producer"),
            Actor::Worker(k) => write!(f, "worker-{k}"),
            Actor::Task(k) => write!(f, "task-{k}"),
            Actor::Scaler => f.write_str("scaler"),
            Actor::Closer => f.write_str("closer"),
            Actor::Consumer => f.write_str("consumer"),
            Actor::StageWorker { stage, worker } => write!(f, "s{stage}-worker-{worker}"),
            Actor::StageCloser(stage) => write!(f, "s{stage}-closer"),
        }
    }
}

/// The tag bits of a packed worker or task; its number is in the low 13 bits.
const WORKER_BITS: u16 = 1 << 15;
const TASK_BITS: u16 = 1 << 14;
const NUMBER_BITS: u16 = (1 << 13) - 1;
/// The tag bit of a packed pipeline stage's actor: the stage in the 3 bits above the low 10,
/// the worker in the low 10 (0 for the stage's closer).
const STAGE_BITS: u16 = 1 << 13;
const STAGE_SHIFT: u16 = 10;
const STAGE_WORKER_BITS: u16 = (1 << STAGE_SHIFT) - 1;

impl Actor {
    /// The actor in 16 bits, for the trace's compact entries. Worker and task numbers must be
    /// below 8,192 (a run on the page has at most 16); a pipeline's stages at most 7, each with
    /// fewer than 1,024 workers.
    #[inline]
    pub(crate) fn packed(self) -> u16 {
        match self {
            Actor::Main => 0,
            Actor::Producer => 1,
            Actor::Closer => 2,
            Actor::Consumer => 3,
            Actor::Scaler => 4,
            Actor::Worker(k) => {
                debug_assert!(k <= NUMBER_BITS, "worker number {k} too large to pack");
                WORKER_BITS | k
            }
            Actor::Task(k) => {
                debug_assert!(k <= NUMBER_BITS, "task number {k} too large to pack");
                TASK_BITS | k
            }
            Actor::StageWorker { stage, worker } => {
                debug_assert!(
                    stage <= 7 && worker <= STAGE_WORKER_BITS,
                    "{self} cannot pack"
                );
                STAGE_BITS | u16::from(stage) << STAGE_SHIFT | worker
            }
            Actor::StageCloser(stage) => {
                debug_assert!(stage <= 7, "{self} cannot pack");
                STAGE_BITS | u16::from(stage) << STAGE_SHIFT
            }
        }
    }

    /// The actor [`Actor::packed`] packed.
    pub(crate) fn unpacked(bits: u16) -> Actor {
        match bits {
            _ if bits & WORKER_BITS != 0 => Actor::Worker(bits & NUMBER_BITS),
            _ if bits & TASK_BITS != 0 => Actor::Task(bits & NUMBER_BITS),
            _ if bits & STAGE_BITS != 0 => {
                let stage = ((bits >> STAGE_SHIFT) & 0b111) as u8;
                match bits & STAGE_WORKER_BITS {
                    0 => Actor::StageCloser(stage),
                    worker => Actor::StageWorker { stage, worker },
                }
            }
            1 => Actor::Producer,
            2 => Actor::Closer,
            3 => Actor::Consumer,
            4 => Actor::Scaler,
            _ => Actor::Main,
        }
    }
}

impl Serialize for Actor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

thread_local! {
    static CURRENT: Cell<Actor> = const { Cell::new(Actor::Main) };
}

/// The actor the calling thread is running as.
pub fn current() -> Actor {
    CURRENT.with(Cell::get)
}

/// Runs `body` as `actor` on this thread, then restores the previous identity (also when `body`
/// panics, so a thread handed back to its pool is nobody again).
pub fn act_as<R>(actor: Actor, body: impl FnOnce() -> R) -> R {
    struct Restore(Actor);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(actor)));
    body()
}
