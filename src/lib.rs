//! Poolplay's core: a Go-style worker pool whose every state change can be recorded.
//!
//! # A pool in a few lines
//!
//! Build a pool, start it with the work each job needs, submit jobs while it runs, and take the
//! results as they come. Every actor (producer, workers, closer, consumer) is a thread of its own.
//!
//! ```ignore-wasm32
//! use poolplay::Pool;
//!
//! let run = Pool::builder()
//!     .workers(4)
//!     .start(|n: &u64, _ctx| Ok::<u64, String>(n * 2))?;
//! for n in 1..=10 {
//!     run.submit(n)?;
//! }
//! run.close(); // no more jobs: the producer closes the jobs channel once they are sent
//! let mut doubled: Vec<u64> = run.results().filter_map(|d| d.value).collect();
//! doubled.sort();
//! assert_eq!(doubled, (1..=10).map(|n| n * 2).collect::<Vec<_>>());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Errors are results, and every job is accounted for
//!
//! The work returns `Result<R, E>` with an error type of your own (anything that shows itself and
//! can say "context canceled", see [`WorkError`]). [`Run::join`] closes the intake, waits for the
//! end, and hands over the [`Report`]: how the run ended, the results not taken yet, and an
//! account that puts every job in exactly one list.
//!
//! ```ignore-wasm32
//! use poolplay::{Outcome, Pool};
//!
//! let run = Pool::builder().workers(2).start(|n: &u32, _ctx| match n % 5 {
//!     0 => Err(format!("{n} is a multiple of five")),
//!     _ => Ok(*n),
//! })?;
//! for n in 1..=10 {
//!     run.submit(n)?;
//! }
//! let report = run.join().expect("the report, once");
//! assert_eq!(report.outcome, Outcome::Completed);
//! assert_eq!(report.accounting.failed, [5, 10]);
//! assert_eq!(report.accounting.done.len(), 8);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # A panicking job ends the run, it does not hang it
//!
//! Each actor runs inside `catch_unwind`: a job that panics ends the run with outcome
//! [`Outcome::Panic`], naming the actor, and every other actor is released. (In the browser the
//! module is built with `panic = "abort"`, so there a panic still kills its Web Worker: the
//! examples' work returns errors instead.)
//!
//! ```ignore-wasm32
//! use poolplay::{Actor, Outcome, Pool};
//! # std::panic::set_hook(Box::new(|_| {})); // no backtrace printed for the expected panic
//!
//! let run = Pool::builder().workers(1).start(|n: &u32, _ctx| {
//!     assert_ne!(*n, 3, "three is right out");
//!     Ok::<u32, String>(*n)
//! })?;
//! for n in 1..=5 {
//!     run.submit(n)?;
//! }
//! let report = run.join().expect("the report");
//! assert_eq!(report.outcome, Outcome::Panic);
//! assert_eq!(report.panic.expect("who").actor, Actor::Worker(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Watching it work
//!
//! With tracing on, every channel and WaitGroup operation becomes an [`Event`]: who did what, when
//! (milliseconds on one clock all threads share). The page draws its pictures from these.
//!
//! ```ignore-wasm32
//! use poolplay::{EventKind, Pool};
//!
//! let run = Pool::builder()
//!     .workers(2)
//!     .tracing(true)
//!     .start(|n: &u32, _ctx| Ok::<u32, String>(*n))?;
//! run.submit(7)?; // job 1
//! run.join();
//! let events = run.take_events();
//! assert!(events.iter().any(|e| e.kind == EventKind::Started { job: 1 }));
//! assert!(matches!(events.last().unwrap().kind, EventKind::Ended { .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How the crate is layered
//!
//! Each layer is a folder and uses only the layers above it in this list:
//!
//! - [`observe`]: who acts ([`observe::actor`]), the one [`observe::clock`], the [`observe::trace`]
//!   with its Lamport stamps, the [`observe::watch`] channels report to, and the exact
//!   [`observe::deadlock`] detector (its README argues both protocols).
//! - [`sync`]: Go's channel ([`sync::chan::Chan`]) and WaitGroup, reporting every operation.
//! - [`patterns`]: the production patterns' policies and state (retry, scaling, service, arrivals),
//!   knowing nothing of pools or of the page's field names.
//! - [`pool`]: the engine (actors, timer and shutdown, reorder buffer, report), the
//!   [`pool::Lesson`] the page bends its lifecycle with, the library API, and the comparison of
//!   no pool with a pool.
//! - [`pipeline`]: stages, each a pool of its own, joined by channels (fan-out, fan-in), on the
//!   same channels, WaitGroups, watch and supervision as the pool.
//! - [`config`]: the one table of fields (names, labels, ranges, defaults) that validates the
//!   page's input and that the page builds its knobs from.
//! - [`demo`]: the examples, doubling numbers and (feature `imaging`) processing images.
//! - `wasm` (browser builds only): the one boundary with JavaScript.

#![warn(missing_docs)]

pub mod config;
pub mod demo;
mod locks;
pub mod observe;
pub mod patterns;
pub mod pipeline;
pub mod pool;
pub mod sync;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use observe::actor::Actor;
pub use observe::trace::{Event, EventKind, Outcome, ShutdownMode};
pub use patterns::retry::Retry;
pub use patterns::scaling::Scaling;
pub use pool::shutdown::Interrupted;
pub use pool::{
    Closed, Delivery, Pool, PoolBuilder, Report, Results, Run, StartError, WorkCtx, WorkError,
};
