//! The imports a server process runs: started ones, the interrupted ones it
//! resumes, and their hand-back when the process shuts down.
//!
//! - A confirmed import runs at once in the process that queued it.
//! - Every process sweeps now and then ([`Runners::keep_resuming`]) for
//!   queued or running jobs whose heartbeat went stale (their process was
//!   killed, crashed or lost its database) or that a stopping process
//!   handed back (it was stopping, or a batch kept failing on a busy or
//!   unreachable database), takes each over ([`repo::take_over`]: one process wins)
//!   and runs it from its last committed batch.
//! - On shutdown ([`Runners::shut_down`]) the running imports stop between
//!   two batches and hand their jobs back, so the next process (or another
//!   one of a PostgreSQL cluster) resumes them at its next sweep instead of
//!   waiting for the heartbeat to go stale.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::db::Db;
use crate::error::AppError;
use crate::ids::JobId;
use crate::import_export::repo::{self, TakeOver};
use crate::tenant::CompanyId;

use super::runner::{compact_after_imports, run_job, run_taken};

/// The import runners of one process.
#[derive(Clone, Debug, Default)]
pub struct Runners {
    stop: CancellationToken,
    tasks: TaskTracker,
    /// A compaction of the search index is under way in this process.
    compacting: Arc<AtomicBool>,
}

impl Runners {
    /// Runs a queued job in the background; nothing once shutting down
    /// (the job stays queued and another process's sweep takes it).
    pub fn start(&self, db: Db, company: CompanyId, id: JobId) {
        if self.stop.is_cancelled() {
            return;
        }
        let stop = self.stop.clone();
        self.tasks.spawn(async move {
            if let Err(error) = run_job(db, company, id, stop).await {
                tracing::error!(%error, job = %id, "import job");
            }
        });
    }

    /// Takes over every interrupted job (see the module's documentation)
    /// and runs each in the background; also finishes a compaction of the
    /// search index that a crash interrupted. Returns the jobs taken.
    pub async fn resume_interrupted(&self, db: &Db) -> Result<Vec<JobId>, AppError> {
        let mut taken = Vec::new();
        if self.stop.is_cancelled() {
            return Ok(taken);
        }
        for (company, id) in repo::interrupted_jobs(db, Utc::now()).await? {
            match repo::take_over(db, company, id, Utc::now()).await? {
                TakeOver::Taken(run) => {
                    tracing::info!(job = %id, attempt = run.attempt, "resuming an interrupted import");
                    taken.push(id);
                    let (db, stop) = (db.clone(), self.stop.clone());
                    self.tasks.spawn(async move {
                        if let Err(error) = run_taken(&db, company, run, &stop).await {
                            tracing::error!(%error, job = %id, "import job");
                        }
                    });
                }
                TakeOver::GaveUp => {
                    tracing::error!(job = %id, "import interrupted too many times: failed");
                }
                TakeOver::NotInterrupted => {}
            }
        }
        if !self.compacting.swap(true, Ordering::AcqRel) {
            let (db, compacting) = (db.clone(), self.compacting.clone());
            self.tasks.spawn(async move {
                compact_after_imports(&db).await;
                compacting.store(false, Ordering::Release);
            });
        }
        Ok(taken)
    }

    /// Sweeps for interrupted jobs now and then every `every`, until
    /// [`Runners::shut_down`].
    pub fn keep_resuming(&self, db: Db, every: Duration) {
        let runners = self.clone();
        self.tasks.spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = runners.stop.cancelled() => return,
                    _ = ticks.tick() => {}
                }
                if let Err(error) = runners.resume_interrupted(&db).await {
                    tracing::warn!(%error, "sweeping for interrupted imports");
                }
            }
        });
    }

    /// Stops: running imports finish the batch they are writing and hand
    /// their jobs back. Waits at most `within`; `false` if some were still
    /// running then (their jobs are resumed once their heartbeat is stale).
    pub async fn shut_down(&self, within: Duration) -> bool {
        self.stop.cancel();
        self.tasks.close();
        tokio::time::timeout(within, self.tasks.wait())
            .await
            .is_ok()
    }
}
