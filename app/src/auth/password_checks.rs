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
//! most `concurrent + queue` such requests are in flight at once, and at
//! most a quarter of them (at least one) from one client address, so one
//! client cannot take every place. Memory for hashing stays at
//! about `threads` × 19 MiB whatever the traffic, and is the same memory
//! from one burst to the next (each thread reuses its own allocator arena).
//!
//! Settings and defaults: [`PasswordCheckSettings`], `docs/security.md`.

use std::collections::HashMap;
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
    /// Of those, how many each client has (only clients with some).
    per_client: Arc<Mutex<HashMap<String, usize>>>,
    settings: PasswordCheckSettings,
}

/// A request's place among those on their way to a password check; the
/// place is given back when this is dropped.
pub struct Admission {
    checks: PasswordChecks,
    client: String,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.checks.admitted.fetch_sub(1, Ordering::SeqCst);
        if let Ok(mut clients) = self.checks.per_client.lock() {
            if let Some(count) = clients.get_mut(&self.client) {
                *count -= 1;
                if *count == 0 {
                    clients.remove(&self.client);
                }
            }
        }
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
        // Room for every admitted request, so an admitted check is only
        // refused by its deadline.
        let (queue, jobs) = sync_channel::<Job>(settings.concurrent.max(1) + settings.queue);
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
            per_client: Arc::new(Mutex::new(HashMap::new())),
            settings,
        }
    }

    /// Places in all: checks running and waiting.
    fn places(&self) -> usize {
        self.settings.concurrent.max(1) + self.settings.queue
    }

    /// Places one client may hold at once.
    pub fn places_per_client(&self) -> usize {
        (self.places() / 4).max(1)
    }

    /// A place for a request of `client` (its key, `auth::throttle::
    /// client_key`) on its way to a password check, or [`AppError::Busy`]
    /// when every place is taken, or this client's share is.
    pub fn admit(&self, client: &str) -> Result<Admission, AppError> {
        {
            let Ok(mut clients) = self.per_client.lock() else {
                return Err(AppError::Internal);
            };
            let count = clients.entry(client.to_string()).or_insert(0);
            if *count >= self.places_per_client() {
                return Err(self.busy());
            }
            *count += 1;
        }
        // From here on, dropping the admission gives both back.
        let admission = Admission {
            checks: self.clone(),
            client: client.to_string(),
        };
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= self.places() {
            return Err(self.busy());
        }
        Ok(admission)
    }

    /// Admits the request and runs `work` ([`Admission::run`]).
    pub async fn run<T: Send + 'static>(
        &self,
        client: &str,
        work: impl FnOnce(&mut Hasher) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        self.admit(client)?.run(work).await
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
        // A panicking check must not take its thread with it: the caller
        // sees its answer channel closed (500) and the thread goes on.
        let work = job.work;
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&mut hasher))).is_err() {
            tracing::error!("a password check panicked");
            hasher = Hasher::new();
        }
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
        assert_eq!(checks.run("a", |_| 6 * 7).await, Ok(42));
    }

    #[tokio::test]
    async fn no_more_checks_run_at_once_than_the_threads() {
        let checks = PasswordChecks::start(settings(2, 16, 5_000));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let calls = (0..12).map(|n| {
            let (checks, running, most) = (checks.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                checks
                    .run(&format!("client {n}"), move |_| {
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
                    .run("a", move |_| {
                        let _ = started_tx.send(());
                        let _ = release_rx.recv();
                    })
                    .await
            }
        });
        started_rx.await.expect("started");
        let queued = tokio::spawn({
            let checks = checks.clone();
            async move { checks.run("b", |_| ()).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        // ... so the next one is refused without waiting.
        let refused = checks.run("c", |_| ()).await;
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
        let admit = |n: usize| checks.admit(&format!("client {n}"));
        let places: Vec<Admission> = (0..3).map(|n| admit(n).expect("a place")).collect();
        assert!(admit(3).is_err(), "a fourth request is refused");
        drop(places);
        let again: Vec<Admission> = (0..3).map(|n| admit(n).expect("places again")).collect();
        assert_eq!(again.len(), 3);
    }

    #[test]
    fn one_client_holds_at_most_a_quarter_of_the_places() {
        let checks = PasswordChecks::start(settings(4, 12, 1_000));
        assert_eq!(checks.places_per_client(), 4);
        let mine: Vec<Admission> = (0..4).map(|_| checks.admit("me").expect("mine")).collect();
        assert!(
            checks.admit("me").is_err(),
            "my fifth waits for one of mine"
        );
        let theirs = checks
            .admit("someone else")
            .expect("another client still gets in");
        drop(mine);
        assert!(checks.admit("me").is_ok());
        drop(theirs);
    }

    #[tokio::test]
    async fn a_check_that_panics_leaves_its_thread_working() {
        let checks = PasswordChecks::start(settings(1, 1, 1_000));
        let panicked = checks.run("a", |_| -> u8 { panic!("boom") }).await;
        assert_eq!(panicked, Err(AppError::Internal));
        assert_eq!(checks.run("a", |_| 7).await, Ok(7));
    }

    #[tokio::test]
    async fn a_check_that_waited_past_its_deadline_is_refused_unrun() {
        let checks = PasswordChecks::start(settings(1, 4, 50));
        let slow = tokio::spawn({
            let checks = checks.clone();
            async move {
                checks
                    .run("slow", |_| std::thread::sleep(Duration::from_millis(300)))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let late = checks
            .run("late", {
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
