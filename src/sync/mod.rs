//! Go's synchronisation, reporting every operation: channels, the WaitGroup, and the parked
//! party both keep queues of.
//!
//! A [`chan::Chan`] is a channel with Go's semantics (rendezvous at capacity 0, buffered
//! otherwise, `close` that lets receivers drain, Go's panics as [`error::OpError`]s). A
//! [`waitgroup::WaitGroup`] counts running workers. Both complete a waiting party's operation
//! under their lock and wake exactly that party's thread (`parker.rs`); a channel's buffer is a
//! lock-free ring (`ring.rs`) that, with tracing off, buffered operations use without the lock. Each reports to a
//! [`crate::observe::watch::Probe`]; they know nothing of pools.

mod backoff;
pub mod chan;
pub mod error;
mod parker;
mod ring;
pub mod waitgroup;
