//! What the database no longer needs, deleted on a timer (server only):
//! sessions past their 30 days or idle too long, invitations past their
//! expiry, login counts, paces and known browsers whose windows are over,
//! and uploaded files nobody started importing within 24 hours (or that a
//! crash left half-stored). The limits read their windows themselves, so
//! this only keeps the tables small; it runs on every server process (on
//! PostgreSQL the deletes of several processes simply overlap).

use chrono::{DateTime, Utc};

use crate::auth::session::DEVICE_MS;
use crate::auth::{repo, throttle};
use crate::db::Db;

/// How often [`spawn`]'s task purges.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// How many rows a purge deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub invitations: u64,
    pub uploads: crate::import_export::repo::PurgedUploads,
}

/// Deletes what has ended by `now`; sessions unused for `idle` have.
pub async fn purge(
    db: &Db,
    now: DateTime<Utc>,
    idle: std::time::Duration,
) -> Result<Purged, sqlx::Error> {
    let idle = chrono::Duration::from_std(idle).unwrap_or(chrono::Duration::MAX);
    let idle_since = now
        .checked_sub_signed(idle)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let sessions = repo::purge_sessions(db, now, idle_since).await?;
    let invitations = repo::purge_invites(db, now).await?;
    let uploads = crate::import_export::repo::purge_stale_uploads(db, now).await?;
    let now_ms = now.timestamp_millis();
    repo::forget_old_attempts(
        db,
        now_ms - throttle::ATTEMPTS_KEPT_MS,
        now_ms - throttle::PACE_WINDOW_MS,
        now_ms - DEVICE_MS,
    )
    .await?;
    Ok(Purged {
        sessions,
        invitations,
        uploads,
    })
}

/// Purges now and then every [`EVERY`], for as long as the server runs.
pub fn spawn(db: Db, idle: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match purge(&db, Utc::now(), idle).await {
                Ok(purged) if purged != Purged::default() => {
                    tracing::info!(
                        sessions = purged.sessions,
                        invitations = purged.invitations,
                        expired_uploads = purged.uploads.expired,
                        broken_uploads = purged.uploads.broken,
                        "purged what has ended"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "purge failed"),
            }
        }
    })
}
