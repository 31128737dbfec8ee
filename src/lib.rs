//! Poolplay's core: a Go-style worker pool whose every state change is recorded.
//!
//! The model is Go's. A [`chan::Chan`] is a channel with Go's semantics (rendezvous at capacity 0,
//! buffered otherwise, `close` that lets receivers drain, Go's panics as errors). A
//! [`waitgroup::WaitGroup`] counts workers still running. The [`pool`] wires them the way the Go
//! blog posts do: a producer feeds the jobs channel, N workers turn jobs into results, a closer waits
//! on the WaitGroup and closes the results channel, and a consumer collects. Each of those *actors*
//! runs on its own thread, handed out by a [`spawn::Spawn`] (plain threads natively, the rayon pool
//! of Web Workers in the browser).
//!
//! Every channel and WaitGroup operation reports to the run's [`watch::Watch`], which keeps the
//! [`trace`] (timestamped events on the one [`clock`] all threads share) and knows which actors are
//! alive. The [`config`] module turns loosely typed input into a validated [`config::RunConfig`];
//! [`doubling`] is the first example built on the pool; [`imaging`] is the second, real image
//! processing (decode, Lanczos3 resize, encode) with an image or a tile per job. The `wasm` module
//! (browser builds only) is the single place that knows about JavaScript.

pub mod config;
pub mod demo;
mod locks;
pub mod observe;
pub mod patterns;
pub mod pool;
pub mod sync;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
