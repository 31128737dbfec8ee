//! The image example: real image processing on the pool's threads.
//!
//! Two modes share the pool and differ in what a job is. In a [`batch`] each image is a job: a
//! built-in [`samples`] image generated at its size, or one of the reader's files decoded; then
//! resized to the target width and encoded as a thumbnail. In [`tiles`] mode one image is cut into
//! tiles and each tile is a job, so the order in which workers finish shows on the picture. The
//! pixel work itself (header checks before decoding, Lanczos3 resizing, encoding) is in
//! [`process`]; [`config`] validates the fields; a batch's [`memory`] gate bounds the full-size
//! images its workers hold at once.
//!
//! Both modes run through [`ImageRun`]: the pool's run plus a [`Plan`] that says what each job was,
//! so that every delivery becomes a card the reader can show (an image's thumbnail and timings, or
//! a tile's place and pixels): one by one while the run goes on, and all of them in its [`Report`].

pub mod batch;
pub mod config;
pub mod memory;
pub mod process;
pub mod samples;
pub mod tiles;

use crate::observe::trace::Event;
use crate::pool::Run;
use crate::pool::report::{Delivery, Report};
use config::ImageConfig;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One of the reader's files: its name and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserFile {
    /// The file's name, shown on its card.
    pub name: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// What a run's jobs are, known before it starts: turns each delivery into a card.
pub trait Plan {
    /// A job's payload in the jobs channel.
    type Job: Send + 'static;
    /// What a job's work returns when it succeeds (copied for the cards shown during the run).
    type Output: Clone + Send + 'static;
    /// What the reader sees for a job.
    type Card: Serialize;

    /// The card for one delivery (its job number says which job it was).
    fn card(&self, delivery: Delivery<Self::Output>) -> Self::Card;
}

/// An image run in progress: the pool's run, the configuration and the plan.
pub struct ImageRun<P: Plan> {
    run: Run<P::Job, P::Output>,
    config: ImageConfig,
    plan: P,
    /// How many deliveries [`ImageRun::take_cards`] has handed out.
    shown: AtomicUsize,
}

impl<P: Plan> ImageRun<P> {
    fn new(run: Run<P::Job, P::Output>, config: &ImageConfig, plan: P) -> Self {
        ImageRun {
            run,
            config: config.clone(),
            plan,
            shown: AtomicUsize::new(0),
        }
    }

    /// The configuration the run uses.
    pub fn config(&self) -> &ImageConfig {
        &self.config
    }

    /// What the jobs are.
    pub fn plan(&self) -> &P {
        &self.plan
    }

    /// Whether every actor has exited.
    pub fn is_finished(&self) -> bool {
        self.run.is_finished()
    }

    /// Requests the shutdown in the configured mode.
    pub fn cancel(&self) {
        self.run.cancel();
    }

    /// Every event recorded since the last call.
    pub fn take_events(&self) -> Vec<Event> {
        self.run.take_events()
    }

    /// The cards of the results delivered since the last call, in delivery order, while the run
    /// goes on (the report then has every card, these included).
    pub fn take_cards(&self) -> Vec<P::Card> {
        let fresh = self.run.delivered_from(self.shown.load(Ordering::Acquire));
        self.shown.fetch_add(fresh.len(), Ordering::AcqRel);
        fresh.into_iter().map(|d| self.plan.card(d)).collect()
    }

    /// The report with a card per delivery, once the run is finished (and only once).
    pub fn take_report(&self) -> Option<Report<P::Card>> {
        self.run.take_report().map(|report| self.report(report))
    }

    /// Waits up to `timeout_ms` for the run to finish and returns its report.
    pub fn wait_report(&self, timeout_ms: f64) -> Option<Report<P::Card>> {
        self.run
            .wait_report(timeout_ms)
            .map(|report| self.report(report))
    }

    fn report(&self, report: Report<Delivery<P::Output>>) -> Report<P::Card> {
        report.map_results(|d| self.plan.card(d))
    }
}
