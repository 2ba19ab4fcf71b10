//! Imports that end abnormally, and uploads that are never started: a job
//! ends `failed` with its reason (never `done` with rows missing), a live
//! job is never declared lost, forgotten uploads are dropped, and storing a
//! large upload does not hold other writers back.

use app::ids::JobId;
use std::time::Duration;

use app::import_export::batch_repo::{self, BatchOutcome};
use app::import_export::repo::{self, NewJob};
use app::tenant::CompanyId;
use chrono::Utc;
use serde_json::json;

use crate::helpers::{contact, spawn_app, Backend, TestApp};
use crate::import::{call, finished, upload};

/// Runs `sql` with `id` and a time on the test's database.
async fn exec(app: &TestApp, sql: &str, at: chrono::DateTime<Utc>, id: i64) {
    app::with_db!(&app.db, pool => {
        sqlx::query(sql)
            .bind(at)
            .bind(id)
            .execute(pool)
            .await
            .expect("sql");
    });
}

async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    app::with_db!(&app.db, pool => {
        sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(pool).await.expect("count")
    })
}

/// A file of `rows` contacts, each row about 1 KB (so it spans pieces).
fn wide_file(rows: usize) -> Vec<u8> {
    let mut out = String::from("Nome;Observações\r\n");
    let note = "x".repeat(1_000);
    for n in 0..rows {
        out.push_str(&format!("Pessoa {n};{note}\r\n"));
    }
    out.into_bytes()
}

async fn start(app: &TestApp, id: i64) {
    let preview = call(app, "/api/import/preview", json!({"id": id})).await;
    call(
        app,
        "/api/import/start",
        json!({"id": id, "targets": preview["targets"], "policy": "create"}),
    )
    .await;
}

async fn a_stored_file_missing_a_piece_ends_failed_never_done(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    // 1,500 rows of ~1 KB: two pieces of the stored file.
    let id = upload(&app, "grande.csv", wide_file(1_500)).await;
    let pieces = count(
        &app,
        "SELECT COUNT(*) FROM import_chunks WHERE job_id = $1",
        id,
    )
    .await;
    assert_eq!(pieces, 2);
    exec(
        &app,
        "DELETE FROM import_chunks WHERE seq = 1 AND $1 IS NOT NULL AND job_id = $2",
        Utc::now(),
        id,
    )
    .await;
    start(&app, id).await;
    let job = finished(&app, id).await;
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().unwrap_or_default();
    assert!(error.contains("incompleto"), "{job}");
    assert!(job["created"].as_i64().expect("created") < 1_500, "{job}");

    // The same file whole imports every row.
    let id = upload(&app, "grande.csv", wide_file(1_500)).await;
    start(&app, id).await;
    let job = finished(&app, id).await;
    assert_eq!(
        (job["status"].as_str(), job["created"].as_i64()),
        (Some("done"), Some(1_500)),
        "{job}"
    );
}

async fn a_job_that_is_no_longer_running_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let id = upload(&app, "x.csv", b"Nome\r\nAna\r\n".to_vec()).await;
    // Declared lost (failed) by another process while its runner still had a batch.
    exec(
        &app,
        "UPDATE import_jobs SET status = 'failed', finished_at = $1 WHERE id = $2",
        Utc::now(),
        id,
    )
    .await;
    let row = batch_repo::PreparedRow::Blank;
    let outcome =
        batch_repo::write_batch(&app.db, company, JobId::new(id), Default::default(), &[row])
            .await
            .expect("batch");
    assert!(matches!(outcome, BatchOutcome::NotRunning));
    let job = call(&app, "/api/import/status", json!({"id": id})).await;
    assert_eq!(
        (job["status"].as_str(), job["rows_done"].as_i64()),
        (Some("failed"), Some(0)),
        "{job}"
    );
}

async fn a_running_job_keeps_beating_between_batches(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let id = upload(&app, "x.csv", b"Nome\r\nAna\r\n".to_vec()).await;
    // Running, its last batch long ago (a slow batch), but its process alive.
    let old = Utc::now() - chrono::Duration::minutes(10);
    exec(&app, "UPDATE import_jobs SET status = 'running', started_at = $1, heartbeat_at = $1 WHERE id = $2", old, id).await;
    let beating = app::import_export::import::keep_beating(
        app.db.clone(),
        company,
        JobId::new(id),
        Duration::from_millis(50),
    );
    let mut fresh = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let job = repo::get_job(&app.db, company, JobId::new(id))
            .await
            .expect("job")
            .expect("exists");
        assert_eq!(
            job.job.status,
            app::import_export::job::JobStatus::Running,
            "never declared lost"
        );
        if job
            .heartbeat_at
            .is_some_and(|at| Utc::now() - at < chrono::Duration::seconds(5))
        {
            fresh = true;
            break;
        }
    }
    assert!(fresh, "the heartbeat was renewed");
    // It stops by itself once the job stops running.
    exec(
        &app,
        "UPDATE import_jobs SET status = 'done', finished_at = $1 WHERE id = $2",
        Utc::now(),
        id,
    )
    .await;
    let mut stopped = false;
    for _ in 0..100 {
        if beating.is_finished() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(stopped, "the heartbeat stops with the job");
    // And dropping it stops it whatever the job does (a runner that panicked):
    // the job is then seen as lost.
    exec(
        &app,
        "UPDATE import_jobs SET status = 'running', heartbeat_at = $1 WHERE id = $2",
        old,
        id,
    )
    .await;
    drop(app::import_export::import::keep_beating(
        app.db.clone(),
        company,
        JobId::new(id),
        Duration::from_millis(50),
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let job = repo::get_job(&app.db, company, JobId::new(id))
        .await
        .expect("job")
        .expect("exists");
    assert_eq!(
        job.job.status,
        app::import_export::job::JobStatus::Failed,
        "a runner that is gone is seen as lost"
    );
    assert_eq!(
        app::import_export::import::heartbeat_every(Duration::from_secs(60)),
        Duration::from_secs(10)
    );
}

async fn uploads_nobody_started_are_dropped_after_a_day(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let forgotten = upload(&app, "esquecido.csv", b"Nome\r\nAna\r\n".to_vec()).await;
    let recent = upload(&app, "recente.csv", b"Nome\r\nBia\r\n".to_vec()).await;
    exec(
        &app,
        "UPDATE import_jobs SET created_at = $1 WHERE id = $2",
        Utc::now() - chrono::Duration::hours(25),
        forgotten,
    )
    .await;
    // An upload a crash interrupted while storing its pieces, two hours ago.
    let half = upload(&app, "metade.csv", b"Nome\r\nCaio\r\n".to_vec()).await;
    exec(
        &app,
        "UPDATE import_jobs SET uploaded_at = NULL, created_at = $1 WHERE id = $2",
        Utc::now() - chrono::Duration::hours(2),
        half,
    )
    .await;

    let purged = app::housekeeping::purge(&app.db, Utc::now(), Duration::from_secs(12 * 3600))
        .await
        .expect("purge");
    assert_eq!((purged.uploads.expired, purged.uploads.broken), (1, 1));
    let job = call(&app, "/api/import/status", json!({"id": forgotten})).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(
        job["error"]
            .as_str()
            .unwrap_or_default()
            .contains("24 horas"),
        "{job}"
    );
    let pieces = "SELECT COUNT(*) FROM import_chunks WHERE job_id = $1";
    assert_eq!(count(&app, pieces, forgotten).await, 0, "its file is gone");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM import_jobs WHERE id = $1", half).await,
        0
    );
    assert_eq!(count(&app, pieces, half).await, 0);
    // The recent one waits for its mapping, and imports.
    start(&app, recent).await;
    assert_eq!(finished(&app, recent).await["status"], "done");
    let _ = company;
}

/// SQLite has one writer at a time: an upload that stored its whole file in
/// one transaction held every other writer back for as long as it took.
/// The pieces now go in one transaction each; between two, another write
/// goes through at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_upload_lets_other_writers_in_between_its_pieces() {
    let app = spawn_app(Backend::Sqlite).await;
    let company: CompanyId = app.company("Loja").await;
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let (stored_first, first_stored) = tokio::sync::oneshot::channel::<()>();
    let mut stored_first = Some(stored_first);
    let mut piece = 0;
    let pieces = move || -> std::io::Result<Option<Vec<u8>>> {
        piece += 1;
        Ok(match piece {
            1 => Some(b"Nome\r\nAna\r\n".to_vec()),
            2 => {
                // The first piece is stored; hold the upload here.
                if let Some(signal) = stored_first.take() {
                    let _ = signal.send(());
                }
                let _ = wait.recv_timeout(Duration::from_secs(30));
                Some(b"Bia\r\n".to_vec())
            }
            _ => None,
        })
    };
    let db = app.db.clone();
    let user: i64 = app::with_db!(&app.db, pool => {
        sqlx::query_scalar("SELECT id FROM users LIMIT 1").fetch_one(pool).await.expect("user")
    });
    let uploading = tokio::spawn(async move {
        let job = NewJob {
            created_by: user,
            file_name: "a.csv",
            file_size: 16,
            encoding: "utf-8",
            delimiter: b';',
            total_rows: 2,
        };
        repo::create_job(&db, company, &job, pieces).await
    });
    first_stored.await.expect("first piece");
    // Mid-upload: the job is not listed yet, and another writer is not held back.
    let jobs = repo::list_jobs(&app.db, company, 20).await.expect("jobs");
    assert!(
        jobs.is_empty(),
        "a half-stored upload is not a job yet: {jobs:?}"
    );
    let write = tokio::time::timeout(
        Duration::from_secs(3),
        app.add(company, &[contact("Carlos", None, None)]),
    )
    .await;
    let _ = go.send(());
    assert!(write.is_ok(), "another writer waited for the upload to end");
    let id = uploading.await.expect("task").expect("upload");
    let jobs = repo::list_jobs(&app.db, company, 20).await.expect("jobs");
    assert_eq!(jobs.iter().map(|j| j.id).collect::<Vec<_>>(), [id]);
}

crate::on_both_backends!(
    a_stored_file_missing_a_piece_ends_failed_never_done,
    a_job_that_is_no_longer_running_writes_nothing,
    a_running_job_keeps_beating_between_batches,
    uploads_nobody_started_are_dropped_after_a_day,
);
