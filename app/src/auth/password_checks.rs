//! The bound on password hashing (server only).
//!
//! One Argon2id check takes ~19 MiB and tens of milliseconds of a core, and
//! anyone can ask for one (login, sign-up, invitation acceptance). Checks
//! therefore run on a fixed set of threads of their own, fed by a bounded
//! queue: a request that finds the queue full, or that waits in it longer
//! than its deadline, is answered [`AppError::Busy`] (503 with
//! `Retry-After`) instead of adding memory.
//!
//! A request is admitted ([`PasswordChecks::admit`]) before it does any
//! other work on the way to its check (counting the attempt in the
//! database, reading the account), so a flood is refused in memory: at
//! most `concurrent + queue` such requests are in flight at once. Memory for hashing stays at
//! about `threads` × 19 MiB whatever the traffic, and is the same memory
//! from one burst to the next (each thread reuses its own allocator arena).
//!
//! Settings and defaults: [`PasswordCheckSettings`], `docs/security.md`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::auth::secrets::Hasher;
use crate::error::AppError;

/// How many password checks run at once and how many may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCheckSettings {
    /// Checks running at once (threads). About one per core.
    pub concurrent: usize,
    /// Checks waiting for a thread; one more is refused at once.
    pub queue: usize,
    /// Longest a check waits in the queue before it is refused.
    pub max_wait: Duration,
}

impl Default for PasswordCheckSettings {
    fn default() -> Self {
        PasswordCheckSettings {
            concurrent: std::thread::available_parallelism().map_or(1, |n| n.get()),
            queue: 32,
            max_wait: Duration::from_secs(3),
        }
    }
}

/// A queued check: the work, when it stops being worth doing, and where
/// its answer goes.
struct Job {
    work: Box<dyn FnOnce(&mut Hasher) + Send>,
    deadline: Instant,
    /// Told `false` when the job was dropped unrun (past its deadline).
    ran: oneshot::Sender<bool>,
}

/// The password-check threads and their queue. Cheap to clone; the threads
/// end when the last clone is dropped.
#[derive(Clone)]
pub struct PasswordChecks {
    queue: SyncSender<Job>,
    /// Requests admitted and not yet done: at most `concurrent + queue`.
    admitted: Arc<AtomicUsize>,
    settings: PasswordCheckSettings,
}

/// A request's place among those on their way to a password check; the
/// place is given back when this is dropped.
pub struct Admission {
    checks: PasswordChecks,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.checks.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

impl std::fmt::Debug for PasswordChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChecks")
            .field("settings", &self.settings)
            .finish()
    }
}

impl PasswordChecks {
    /// Starts `settings.concurrent` threads (at least one).
    pub fn start(settings: PasswordCheckSettings) -> PasswordChecks {
        let (queue, jobs) = sync_channel::<Job>(settings.queue);
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..settings.concurrent.max(1) {
            let jobs = Arc::clone(&jobs);
            let spawned = std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || work_through(&jobs));
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a password-check thread");
            }
        }
        PasswordChecks {
            queue,
            admitted: Arc::new(AtomicUsize::new(0)),
            settings,
        }
    }

    /// A place for a request on its way to a password check, or
    /// [`AppError::Busy`] when `concurrent + queue` requests already are.
    pub fn admit(&self) -> Result<Admission, AppError> {
        let most = self.settings.concurrent.max(1) + self.settings.queue;
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= most {
            self.admitted.fetch_sub(1, Ordering::SeqCst);
            return Err(self.busy());
        }
        Ok(Admission {
            checks: self.clone(),
        })
    }

    /// Admits the request and runs `work` ([`Admission::run`]).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Hasher) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        self.admit()?.run(work).await
    }

    /// The settings the checks were started with.
    pub fn settings(&self) -> PasswordCheckSettings {
        self.settings
    }

    fn busy(&self) -> AppError {
        AppError::Busy {
            retry_after_secs: self.settings.max_wait.as_secs_f64().ceil().max(1.0) as u64,
        }
    }
}

impl Admission {
    /// Runs `work` (a hash or a verification) on a check thread and returns
    /// its result: [`AppError::Busy`] when the queue is full or the check
    /// waited past its deadline. A caller that goes away leaves its check
    /// to be skipped if it has not started.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Hasher) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let checks = &self.checks;
        let (result_tx, result_rx) = oneshot::channel::<T>();
        let (ran_tx, ran_rx) = oneshot::channel::<bool>();
        let job = Job {
            work: Box::new(move |hasher| {
                let _ = result_tx.send(work(hasher));
            }),
            deadline: Instant::now() + checks.settings.max_wait,
            ran: ran_tx,
        };
        match checks.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(checks.busy()),
            Err(TrySendError::Disconnected(_)) => {
                tracing::error!("no password-check thread is running");
                return Err(AppError::Internal);
            }
        }
        match ran_rx.await {
            Ok(true) => result_rx.await.map_err(|_| AppError::Internal),
            Ok(false) => Err(checks.busy()),
            Err(_) => Err(AppError::Internal),
        }
    }
}

/// A check thread's loop: take the next job, skip it when it waited too
/// long or nobody waits for it any more, run it otherwise, always with the
/// thread's own hasher (and its memory).
fn work_through(jobs: &Mutex<Receiver<Job>>) {
    let mut hasher = Hasher::new();
    loop {
        let job = {
            let Ok(jobs) = jobs.lock() else { return };
            match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        if job.ran.is_closed() {
            continue;
        }
        if Instant::now() > job.deadline {
            let _ = job.ran.send(false);
            continue;
        }
        // Told before the work so the caller is already waiting for the
        // result; the result channel carries the rest.
        let _ = job.ran.send(true);
        (job.work)(&mut hasher);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(concurrent: usize, queue: usize, wait_ms: u64) -> PasswordCheckSettings {
        PasswordCheckSettings {
            concurrent,
            queue,
            max_wait: Duration::from_millis(wait_ms),
        }
    }

    #[tokio::test]
    async fn a_check_runs_and_returns_its_result() {
        let checks = PasswordChecks::start(settings(1, 1, 1_000));
        assert_eq!(checks.run(|_| 6 * 7).await, Ok(42));
    }

    #[tokio::test]
    async fn no_more_checks_run_at_once_than_the_threads() {
        let checks = PasswordChecks::start(settings(2, 16, 5_000));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let calls = (0..12).map(|_| {
            let (checks, running, most) = (checks.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                checks
                    .run(move |_| {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
            })
        });
        for call in calls.collect::<Vec<_>>() {
            assert_eq!(call.await.expect("task"), Ok(()));
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once() {
        let checks = PasswordChecks::start(settings(1, 1, 5_000));
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let (started_tx, started_rx) = oneshot::channel::<()>();
        // One check holds the thread, one waits in the queue...
        let holding = tokio::spawn({
            let checks = checks.clone();
            async move {
                checks
                    .run(move |_| {
                        let _ = started_tx.send(());
                        let _ = release_rx.recv();
                    })
                    .await
            }
        });
        started_rx.await.expect("started");
        let queued = tokio::spawn({
            let checks = checks.clone();
            async move { checks.run(|_| ()).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        // ... so the next one is refused without waiting.
        let refused = checks.run(|_| ()).await;
        assert_eq!(
            refused,
            Err(AppError::Busy {
                retry_after_secs: 5
            })
        );
        release_tx.send(()).expect("release");
        assert_eq!(holding.await.expect("task"), Ok(()));
        assert_eq!(queued.await.expect("task"), Ok(()));
    }

    #[test]
    fn no_more_requests_are_admitted_than_threads_and_queue() {
        let checks = PasswordChecks::start(settings(1, 2, 1_000));
        let places: Vec<Admission> = (0..3).map(|_| checks.admit().expect("a place")).collect();
        assert!(checks.admit().is_err(), "a fourth request is refused");
        drop(places);
        let again: Vec<Admission> = (0..3)
            .map(|_| checks.admit().expect("places again"))
            .collect();
        assert_eq!(again.len(), 3);
    }

    #[tokio::test]
    async fn a_check_that_waited_past_its_deadline_is_refused_unrun() {
        let checks = PasswordChecks::start(settings(1, 4, 50));
        let slow = tokio::spawn({
            let checks = checks.clone();
            async move {
                checks
                    .run(|_| std::thread::sleep(Duration::from_millis(300)))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let late = checks
            .run({
                let ran = ran.clone();
                move |_| ran.store(true, std::sync::atomic::Ordering::SeqCst)
            })
            .await;
        assert_eq!(
            late,
            Err(AppError::Busy {
                retry_after_secs: 1
            })
        );
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(slow.await.expect("task"), Ok(()));
    }
}
