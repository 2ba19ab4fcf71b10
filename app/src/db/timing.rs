//! Where a request's time goes in the database: how long its write
//! transactions waited for the write lock (SQLite's single writer) and how
//! long they held it. The server measures a request inside [`measure`] and,
//! when `AGENDA_SERVER_TIMING` is on, reports the sums in a `Server-Timing`
//! header (shown by the browser's developer tools, read by the benches).
//! Outside [`measure`] the records are dropped, at the cost of a
//! task-local lookup.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The database time of one request so far.
#[derive(Debug, Default)]
pub struct DbTiming {
    lock_us: AtomicU64,
    write_us: AtomicU64,
    writes: AtomicU64,
}

impl DbTiming {
    /// Time spent waiting to begin write transactions.
    pub fn lock(&self) -> Duration {
        Duration::from_micros(self.lock_us.load(Ordering::Relaxed))
    }

    /// Time write transactions were open (begun to committed or rolled
    /// back).
    pub fn write(&self) -> Duration {
        Duration::from_micros(self.write_us.load(Ordering::Relaxed))
    }

    /// How many write transactions ended.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }
}

tokio::task_local! {
    static CURRENT: Arc<DbTiming>;
}

/// Runs `work`, recording the database time of everything it awaits on
/// this task.
pub async fn measure<F: std::future::Future>(work: F) -> (F::Output, Arc<DbTiming>) {
    let timing = Arc::new(DbTiming::default());
    let output = CURRENT.scope(timing.clone(), work).await;
    (output, timing)
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// Records a wait to begin a write transaction.
pub(crate) fn record_lock(waited: Duration) {
    let _ = CURRENT.try_with(|t| t.lock_us.fetch_add(micros(waited), Ordering::Relaxed));
}

/// Records a write transaction that ended after being open `held`.
pub(crate) fn record_write(held: Duration) {
    let _ = CURRENT.try_with(|t| {
        t.write_us.fetch_add(micros(held), Ordering::Relaxed);
        t.writes.fetch_add(1, Ordering::Relaxed);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_inside_a_measure_and_drops_them_outside() {
        record_lock(Duration::from_millis(5));
        let ((), timing) = measure(async {
            record_lock(Duration::from_millis(3));
            record_write(Duration::from_millis(7));
            record_write(Duration::from_millis(1));
        })
        .await;
        assert_eq!(timing.lock(), Duration::from_millis(3));
        assert_eq!(timing.write(), Duration::from_millis(8));
        assert_eq!(timing.writes(), 2);
    }
}
