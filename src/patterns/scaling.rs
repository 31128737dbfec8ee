//! An autoscaling pool: between `min_workers` and `max_workers` workers, more when the queue is deep,
//! fewer when they idle.
//!
//! Every [`SCALE_TICK_MS`] the scaler looks at the jobs channel: when more than
//! `scale_up_per_worker` × (current workers) jobs wait and the pool is below its maximum, it starts
//! one more worker. While the pool is above its minimum, a worker receives with a timeout of
//! `idle_timeout_ms` (Go's `select` with a `time.After`); when it times out and the pool is still
//! above its minimum, it retires. At the minimum a worker waits without a timeout, as in a fixed
//! pool, so the deadlock detector (which does not count timed waits: they end by themselves)
//! still finds a real deadlock, once the idle workers above the minimum have retired. Both decisions
//! are made under one lock (the [`Roster`]), so two idle workers cannot both retire past the
//! minimum, and the scaler can only enlist a worker (count it live and add it to the WaitGroup)
//! while another is still running: once the last worker has left, the pool stays closed. The
//! pool (`crate::pool`) runs the scaler on its timer thread and starts the workers; this module keeps
//! the count, the rules and the series the report shows.

use crate::locks::lock;
use serde::Serialize;
use std::sync::Mutex;

/// How often the scaler looks at the queue, in ms.
pub const SCALE_TICK_MS: f64 = 50.0;

/// The limits and rules of an autoscaling pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scaling {
    /// The fewest workers, and how many start.
    pub min_workers: u16,
    /// The most workers.
    pub max_workers: u16,
    /// Grow when more than this many jobs per worker wait.
    pub scale_up_per_worker: u32,
    /// A worker above the minimum retires after this long without a job, in ms.
    pub idle_timeout_ms: u32,
}

impl Default for Scaling {
    fn default() -> Self {
        Scaling {
            min_workers: 1,
            max_workers: 8,
            scale_up_per_worker: 5,
            idle_timeout_ms: 500,
        }
    }
}

/// The workers of an autoscaling pool while it runs.
pub struct Roster {
    scaling: Scaling,
    counts: Mutex<Counts>,
}

struct Counts {
    /// Workers running now.
    count: u16,
    /// Workers started so far (the next one is numbered `spawned + 1`).
    spawned: u16,
    workers: Vec<(f64, u16)>,
    queued: Vec<(f64, u32)>,
    scaled_up: u32,
    retired: u32,
}

/// A worker the scaler enlisted.
pub struct Enlisted {
    /// Its number.
    pub worker: u16,
    /// Workers running with it.
    pub workers: u16,
    /// The queue depth that called for it.
    pub queued: u32,
}

impl Roster {
    /// The roster of a pool that starts with its minimum.
    pub fn new(scaling: Scaling) -> Self {
        Roster {
            scaling,
            counts: Mutex::new(Counts {
                count: scaling.min_workers,
                spawned: scaling.min_workers,
                workers: vec![(0.0, scaling.min_workers)],
                queued: vec![(0.0, 0)],
                scaled_up: 0,
                retired: 0,
            }),
        }
    }

    /// How long a worker waits for a job before it may retire, in ms.
    pub fn idle_timeout_ms(&self) -> f64 {
        self.scaling.idle_timeout_ms.into()
    }

    /// Whether more workers run than the minimum (so an idle one may retire).
    pub fn above_minimum(&self) -> bool {
        lock(&self.counts).count > self.scaling.min_workers
    }

    /// Workers started so far: they are numbered 1 to this.
    pub fn spawned(&self) -> u16 {
        lock(&self.counts).spawned
    }

    /// The scaler's look at the queue (`depth` reads it) at the run's time `now`: notes the depth
    /// and, when the pool should grow, counts one more worker and calls `enlist` under the
    /// roster's lock (to count it live and add it to the WaitGroup before anyone can leave).
    pub fn look(
        &self,
        now: impl FnOnce() -> f64,
        depth: impl FnOnce() -> usize,
        enlist: impl FnOnce(),
    ) -> Option<Enlisted> {
        let mut roster = lock(&self.counts);
        let now_ms = now();
        let queued = u32::try_from(depth()).unwrap_or(u32::MAX);
        if roster.queued.last().is_none_or(|&(_, last)| last != queued) {
            roster.queued.push((now_ms, queued));
        }
        let threshold = self.scaling.scale_up_per_worker * u32::from(roster.count);
        let grow = roster.count > 0
            && roster.count < self.scaling.max_workers
            && queued > threshold
            && roster.spawned < u16::MAX;
        if !grow {
            return None;
        }
        enlist();
        roster.count += 1;
        roster.spawned += 1;
        roster.scaled_up += 1;
        let workers = roster.count;
        roster.workers.push((now_ms, workers));
        Some(Enlisted {
            worker: roster.spawned,
            workers,
            queued,
        })
    }

    /// A worker idled out at the run's time `now`: if the pool is above its minimum it retires,
    /// and this returns the workers left; otherwise it stays (`None`).
    pub fn try_retire(&self, now: impl FnOnce() -> f64) -> Option<u16> {
        let mut roster = lock(&self.counts);
        if roster.count <= self.scaling.min_workers {
            return None;
        }
        roster.count -= 1;
        roster.retired += 1;
        let workers = roster.count;
        roster.workers.push((now(), workers));
        Some(workers)
    }

    /// A worker left because the jobs ran out or the run stopped (not a scaling decision, so the
    /// series does not show it).
    pub fn leave(&self) {
        let mut roster = lock(&self.counts);
        roster.count = roster.count.saturating_sub(1);
    }

    /// The figures so far.
    pub fn report(&self) -> ScalingReport {
        let roster = lock(&self.counts);
        ScalingReport {
            scaling: self.scaling,
            peak_workers: roster.workers.iter().map(|&(_, n)| n).max().unwrap_or(0),
            scaled_up: roster.scaled_up,
            retired: roster.retired,
            workers: roster.workers.clone(),
            queued: roster.queued.clone(),
        }
    }
}

/// How an autoscaling pool grew and shrank.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScalingReport {
    /// The rules it ran with.
    #[serde(flatten)]
    pub scaling: Scaling,
    /// The most workers at once.
    pub peak_workers: u16,
    /// Workers the scaler added.
    pub scaled_up: u32,
    /// Workers that retired after idling.
    pub retired: u32,
    /// `[t, workers]`: the count at the start and after each scaling decision; within
    /// `[minWorkers, maxWorkers]` throughout. (When the jobs run out the workers leave; that is
    /// the pool closing, not scaling, and is not in the series.)
    pub workers: Vec<(f64, u16)>,
    /// `[t, jobs]`: the queue depth the scaler saw, at the start and whenever it changed.
    pub queued: Vec<(f64, u32)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster(min_workers: u16, max_workers: u16) -> Roster {
        Roster::new(Scaling {
            min_workers,
            max_workers,
            scale_up_per_worker: 5,
            idle_timeout_ms: 100,
        })
    }

    #[test]
    fn the_pool_grows_only_while_more_than_five_jobs_per_worker_wait_and_up_to_its_maximum() {
        let staff = roster(1, 3);
        assert!(
            staff.look(|| 1.0, || 5, || {}).is_none(),
            "5 is not more than 5 × 1"
        );
        let grown = staff.look(|| 2.0, || 6, || {}).expect("6 > 5 × 1");
        assert_eq!((grown.worker, grown.workers, grown.queued), (2, 2, 6));
        assert!(
            staff.look(|| 3.0, || 10, || {}).is_none(),
            "10 is not more than 5 × 2"
        );
        assert_eq!(staff.look(|| 4.0, || 11, || {}).unwrap().workers, 3);
        assert!(
            staff.look(|| 5.0, || 100, || {}).is_none(),
            "at the maximum"
        );
        let report = staff.report();
        assert_eq!(report.workers, vec![(0.0, 1), (2.0, 2), (4.0, 3)]);
        assert_eq!(report.peak_workers, 3);
        assert_eq!(
            report.queued,
            vec![
                (0.0, 0),
                (1.0, 5),
                (2.0, 6),
                (3.0, 10),
                (4.0, 11),
                (5.0, 100)
            ]
        );
    }

    #[test]
    fn idle_workers_retire_down_to_the_minimum_and_no_further() {
        let staff = roster(2, 4);
        staff.look(|| 1.0, || 11, || {});
        staff.look(|| 2.0, || 16, || {});
        assert_eq!(staff.try_retire(|| 3.0), Some(3));
        assert_eq!(staff.try_retire(|| 4.0), Some(2));
        assert_eq!(staff.try_retire(|| 5.0), None, "the minimum stays");
        assert_eq!(staff.report().retired, 2);
    }

    #[test]
    fn once_every_worker_has_left_the_scaler_enlists_no_one() {
        let staff = roster(1, 4);
        staff.leave();
        let mut enlisted = false;
        assert!(staff.look(|| 1.0, || 50, || enlisted = true).is_none());
        assert!(!enlisted);
    }
}
