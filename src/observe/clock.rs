//! One clock for every thread of a run.
//!
//! Natively this is [`std::time::Instant`]. In the browser `Instant` does not exist and each Web
//! Worker's `performance.now()` has its own origin, so the `wasm` module installs a source that
//! reads `performance.timeOrigin + performance.now()`: the same absolute time on every thread.

use std::sync::OnceLock;

static SOURCE: OnceLock<fn() -> f64> = OnceLock::new();

/// Installs the millisecond clock to use instead of `Instant`; only the first call has an effect.
pub fn install(source: fn() -> f64) {
    let _ = SOURCE.set(source);
}

/// Milliseconds since an arbitrary origin that is the same on every thread.
pub fn now_ms() -> f64 {
    match SOURCE.get() {
        Some(source) => source(),
        None => fallback_ms(),
    }
}

/// Checks `done` every millisecond until it holds (true) or `timeout_ms` have passed (false). For
/// threads that may sleep: never the browser's main thread.
pub fn poll_until(timeout_ms: f64, mut done: impl FnMut() -> bool) -> bool {
    let deadline = now_ms() + timeout_ms;
    while !done() {
        if now_ms() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    true
}

#[cfg(not(target_arch = "wasm32"))]
fn fallback_ms() -> f64 {
    use std::time::Instant;
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

#[cfg(target_arch = "wasm32")]
fn fallback_ms() -> f64 {
    // Reached only if the wasm boundary forgot to install its clock; time then stands still
    // rather than trapping a pool thread.
    0.0
}
