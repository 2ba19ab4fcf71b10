//! Imports that end abnormally, and uploads that are never started: a job
//! ends `failed` with its reason (never `done` with rows missing), a job
//! interrupted by a crash or a shutdown resumes from its last batch with
//! every row written exactly once, a process whose job was taken over
//! writes nothing more, a live job is never taken over, forgotten uploads
//! are dropped, and storing a large upload does not hold other writers back.

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

/// Queues an uploaded job with its guessed mapping and `policy`, as
/// "Importar" does, without running it.
async fn queue(app: &TestApp, company: CompanyId, id: i64, policy: &str) {
    let preview = call(app, "/api/import/preview", json!({"id": id})).await;
    let mapping =
        json!({"headers": preview["headers"], "targets": preview["targets"], "header_index": 0});
    let queued = repo::queue_job(
        &app.db,
        company,
        JobId::new(id),
        &mapping.to_string(),
        app::import_export::job::DuplicatePolicy::parse(policy).expect("policy"),
    )
    .await
    .expect("queue");
    assert!(queued);
}

/// A company "Loja" with a one-row job, queued under "create" and claimed
/// (running under its first attempt): the company, the job and its run.
async fn claimed_job(app: &TestApp) -> (CompanyId, i64, repo::JobRun) {
    let company = app.company("Loja").await;
    let id = upload(app, "x.csv", b"Nome\r\nAna\r\n".to_vec()).await;
    queue(app, company, id, "create").await;
    let run = repo::claim_job(&app.db, company, JobId::new(id))
        .await
        .expect("claim")
        .expect("claimed");
    (company, id, run)
}

async fn a_process_whose_job_was_taken_over_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, id, first) = claimed_job(&app).await;
    assert!(
        repo::claim_job(&app.db, company, JobId::new(id))
            .await
            .expect("claim")
            .is_none(),
        "a job is claimed once"
    );
    // A live job (fresh heartbeat) is not taken over.
    assert_eq!(
        repo::take_over(&app.db, company, JobId::new(id), Utc::now())
            .await
            .expect("take over"),
        repo::TakeOver::NotInterrupted
    );
    // Its process goes silent; another one takes it over.
    let old = Utc::now() - chrono::Duration::minutes(10);
    exec(
        &app,
        "UPDATE import_jobs SET heartbeat_at = $1 WHERE id = $2",
        old,
        id,
    )
    .await;
    let repo::TakeOver::Taken(second) =
        repo::take_over(&app.db, company, JobId::new(id), Utc::now())
            .await
            .expect("take over")
    else {
        panic!("not taken over")
    };
    assert_eq!(second.attempt, first.attempt + 1);
    // The first process comes back: its batch, beat, hand-back and end are
    // all refused.
    let row = batch_repo::PreparedRow::Blank;
    let policy = Default::default();
    let outcome =
        batch_repo::write_batch(&app.db, company, first, policy, std::slice::from_ref(&row))
            .await
            .expect("batch");
    assert!(matches!(outcome, BatchOutcome::NotRunning));
    assert!(!repo::beat(&app.db, company, first).await.expect("beat"));
    assert!(!repo::release_job(&app.db, company, first)
        .await
        .expect("release"));
    let status = app::import_export::job::JobStatus::Failed;
    assert!(!repo::finish_job(&app.db, company, first, status, None, 1)
        .await
        .expect("finish"));
    // The second writes.
    let outcome = batch_repo::write_batch(&app.db, company, second, policy, &[row])
        .await
        .expect("batch");
    assert!(matches!(outcome, BatchOutcome::Written(_)));
    let job = call(&app, "/api/import/status", json!({"id": id})).await;
    assert_eq!(
        (job["status"].as_str(), job["rows_done"].as_i64()),
        (Some("running"), Some(1)),
        "{job}"
    );
}

async fn a_job_interrupted_too_often_ends_failed(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let id = upload(&app, "x.csv", b"Nome\r\nAna\r\n".to_vec()).await;
    queue(&app, company, id, "create").await;
    let old = Utc::now() - chrono::Duration::minutes(10);
    for _ in 0..repo::MAX_ATTEMPTS {
        exec(
            &app,
            "UPDATE import_jobs SET heartbeat_at = $1 WHERE id = $2",
            old,
            id,
        )
        .await;
        let taken = repo::take_over(&app.db, company, JobId::new(id), Utc::now())
            .await
            .expect("take over");
        assert!(matches!(taken, repo::TakeOver::Taken(_)), "{taken:?}");
    }
    exec(
        &app,
        "UPDATE import_jobs SET heartbeat_at = $1 WHERE id = $2",
        old,
        id,
    )
    .await;
    let taken = repo::take_over(&app.db, company, JobId::new(id), Utc::now())
        .await
        .expect("take over");
    assert_eq!(taken, repo::TakeOver::GaveUp);
    let job = call(&app, "/api/import/status", json!({"id": id})).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(
        job["error"]
            .as_str()
            .unwrap_or_default()
            .contains("interrompida 8 vezes"),
        "{job}"
    );
    let pieces = "SELECT COUNT(*) FROM import_chunks WHERE job_id = $1";
    assert_eq!(count(&app, pieces, id).await, 0, "its file is gone");
}

/// A file for the resumption test: 9 batches of contacts with a unique
/// phone each, plus, every 97th row, one whose e-mail is refused, and
/// every 89th a blank row. Returns (file, valid, refused, blank).
fn resumable_file() -> (Vec<u8>, i64, i64, i64) {
    let mut out = String::from("Nome;Celular;E-mail\r\n");
    let (mut valid, mut refused, mut blank) = (0, 0, 0);
    for n in 0..20_400 {
        if n % 89 == 0 {
            out.push_str(";;\r\n");
            blank += 1;
        } else if n % 97 == 0 {
            out.push_str(&format!("Errada {n};;sem-arroba-{n}\r\n"));
            refused += 1;
        } else {
            out.push_str(&format!(
                "Pessoa {n};11 9{:08};p{n}@x.com\r\n",
                10_000_000 + n
            ));
            valid += 1;
        }
    }
    (out.into_bytes(), valid, refused, blank)
}

/// Holds every import batch back (the SQLite write lock; on PostgreSQL
/// the job's row, which each batch locks first) until dropped.
async fn hold_batches(app: &TestApp, id: i64) -> app::db::Tx {
    use app::db::{AsConn, Conn};
    let mut tx = app.db.begin_write().await.expect("begin");
    if let Conn::Postgres(pg) = tx.conn() {
        sqlx::query("SELECT id FROM import_jobs WHERE id = $1 FOR UPDATE")
            .bind(id)
            .execute(&mut *pg)
            .await
            .expect("lock");
    }
    tx
}

async fn rows_done(app: &TestApp, id: i64) -> i64 {
    count(app, "SELECT rows_done FROM import_jobs WHERE id = $1", id).await
}

/// Waits until the job has committed more than `rows` rows.
async fn past(app: &TestApp, id: i64, rows: i64) -> i64 {
    for _ in 0..3_000 {
        let done = rows_done(app, id).await;
        if done > rows {
            return done;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("import {id} stayed at {rows} rows");
}

/// The promise of a resumable import: killed mid-run (its task dropped at
/// any point, as a kill -9 leaves it), then stopped by a shutdown, it is
/// resumed each time from its last committed batch and every row of the
/// file ends written exactly once, under the "create" policy too (where a
/// row written twice would be a duplicate contact).
async fn an_interrupted_import_resumes_from_its_last_batch_exactly_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let (file, valid, refused, blank) = resumable_file();
    let id = upload(&app, "retomada.csv", file).await;
    queue(&app, company, id, "create").await;
    let job = JobId::new(id);

    // 1. A crash: the runner is dropped wherever it is, batches held back
    //    so that it dies with the file half done.
    let run = repo::claim_job(&app.db, company, job)
        .await
        .expect("claim")
        .expect("claimed");
    let db = app.db.clone();
    let runner = tokio::spawn(async move {
        let stop = app::import_export::import::CancellationToken::new();
        app::import_export::import::run_taken(&db, company, run, &stop).await
    });
    past(&app, id, 0).await;
    let held = hold_batches(&app, id).await;
    runner.abort();
    let _ = runner.await;
    held.rollback().await.expect("release");
    let after_crash = rows_done(&app, id).await;
    assert!(after_crash > 0 && after_crash < 20_400, "{after_crash}");
    let old = Utc::now() - chrono::Duration::minutes(10);
    exec(
        &app,
        "UPDATE import_jobs SET heartbeat_at = $1 WHERE id = $2",
        old,
        id,
    )
    .await;
    let status = call(&app, "/api/import/status", json!({"id": id})).await;
    assert_eq!(status["interrupted"], true, "{status}");

    // 2. A shutdown: the next process resumes it, then stops between two
    //    batches and hands it back.
    let first = app::import_export::import::Runners::default();
    assert_eq!(
        first.resume_interrupted(&app.db).await.expect("sweep"),
        [job]
    );
    past(&app, id, after_crash).await;
    let held = hold_batches(&app, id).await;
    let stopping = tokio::spawn({
        let first = first.clone();
        async move { first.shut_down(Duration::from_secs(30)).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    held.rollback().await.expect("release");
    assert!(stopping.await.expect("task"), "stopped within the time");
    let status = call(&app, "/api/import/status", json!({"id": id})).await;
    assert_eq!(
        (status["status"].as_str(), status["interrupted"].as_bool()),
        (Some("queued"), Some(true)),
        "handed back: {status}"
    );
    let after_stop = status["rows_done"].as_i64().expect("rows");
    assert!(after_stop > after_crash && after_stop < 20_400, "{status}");
    // A stopped process takes nothing more.
    assert!(first
        .resume_interrupted(&app.db)
        .await
        .expect("sweep")
        .is_empty());

    // 3. The next process resumes it at once (no heartbeat to wait for).
    assert_eq!(
        app.imports
            .resume_interrupted(&app.db)
            .await
            .expect("sweep"),
        [job]
    );
    let status = finished(&app, id).await;
    assert_eq!(status["status"], "done", "{status}");
    assert_eq!(
        [
            status["rows_done"].as_i64(),
            status["created"].as_i64(),
            status["failed"].as_i64(),
            status["skipped"].as_i64(),
        ],
        [Some(20_400), Some(valid), Some(refused), Some(blank)],
        "{status}"
    );
    let stored = count(
        &app,
        "SELECT COUNT(*) FROM contacts WHERE import_job_id = $1",
        id,
    )
    .await;
    assert_eq!(stored, valid, "every valid row once");
    let phones = count(
        &app,
        "SELECT COUNT(DISTINCT p.e164) FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
          WHERE c.import_job_id = $1",
        id,
    )
    .await;
    assert_eq!(phones, valid, "no row twice");
    let errors = count(
        &app,
        "SELECT COUNT(*) FROM import_errors WHERE job_id = $1",
        id,
    )
    .await;
    assert_eq!(errors, refused);
    let attempt = count(&app, "SELECT attempt FROM import_jobs WHERE id = $1", id).await;
    assert_eq!(attempt, 3);
    crate::helpers::assert_database_sound(&app.db).await;
}

async fn a_running_job_keeps_beating_between_batches(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let id = upload(&app, "x.csv", b"Nome\r\nAna\r\n".to_vec()).await;
    // Running, its last batch long ago (a slow batch), but its process alive.
    let old = Utc::now() - chrono::Duration::minutes(10);
    exec(&app, "UPDATE import_jobs SET status = 'running', started_at = $1, heartbeat_at = $1, attempt = 1 WHERE id = $2", old, id).await;
    let run = repo::JobRun {
        id: JobId::new(id),
        attempt: 1,
    };
    let beating = app::import_export::import::keep_beating(
        app.db.clone(),
        company,
        run,
        Duration::from_millis(50),
    );
    let mut fresh = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let job = repo::get_job(&app.db, company, JobId::new(id))
            .await
            .expect("job")
            .expect("exists");
        if job
            .heartbeat_at
            .is_some_and(|at| Utc::now() - at < chrono::Duration::seconds(5))
        {
            assert!(!job.job.interrupted, "a beating job is not interrupted");
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
    // the job is then seen as interrupted.
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
        run,
        Duration::from_millis(50),
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let job = repo::get_job(&app.db, company, JobId::new(id))
        .await
        .expect("job")
        .expect("exists");
    assert!(
        job.job.interrupted,
        "a runner that is gone is seen as interrupted"
    );
    assert_eq!(
        app::import_export::import::heartbeat_every(Duration::from_secs(60)),
        Duration::from_secs(10)
    );
}

/// A beat waits behind the batch being written, and that batch beats at
/// its commit: the beat, older, must not put its time back (the job would
/// look stale at once and be taken over by its own server).
async fn a_beat_held_behind_a_batch_never_moves_the_heartbeat_back(backend: Backend) {
    use app::db::{AsConn, Conn};
    let app = spawn_app(backend).await;
    let (company, id, run) = claimed_job(&app).await;
    let mut batch = hold_batches(&app, id).await;
    let before_beat = Utc::now();
    let db = app.db.clone();
    let beat = tokio::spawn(async move { repo::beat(&db, company, run).await });
    // The beat has read the clock and waits for the batch.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let batch_beat = Utc::now();
    let sql = "UPDATE import_jobs SET heartbeat_at = $1 WHERE id = $2";
    let beaten = match batch.conn() {
        Conn::Sqlite(c) => sqlx::query(sql)
            .bind(batch_beat)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()),
        Conn::Postgres(c) => sqlx::query(sql)
            .bind(batch_beat)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()),
    };
    assert_eq!(beaten.expect("the batch beats"), 1);
    batch.commit().await.expect("commit");
    assert!(beat.await.expect("task").expect("beat"), "still its run");
    let job = repo::get_job(&app.db, company, JobId::new(id))
        .await
        .expect("job")
        .expect("exists");
    let at = job.heartbeat_at.expect("a heartbeat");
    assert!(
        at - before_beat > chrono::Duration::milliseconds(200),
        "the heartbeat went back to the held beat's time: {at} (batch beat {batch_beat})"
    );
}

/// A batch being written proves its job alive, however stale the
/// heartbeat queued behind it: a take-over never takes the job during the
/// batch (on PostgreSQL it skips the job's locked row instead of waiting
/// for it; SQLite's write lock holds it until the batch ends). After the
/// batch failed the job is taken over once, with a fresh heartbeat: the
/// next sweep leaves it to its new run. (A take-over that waited behind
/// the batch wrote the time it began waiting, already stale, and the next
/// sweep took the job again: RELIABILITY.md, "writers" on PostgreSQL.)
async fn a_job_is_never_taken_over_during_a_batch_and_then_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, id, first) = claimed_job(&app).await;
    let job = JobId::new(id);
    let old = Utc::now() - chrono::Duration::minutes(10);
    let stale = "UPDATE import_jobs SET heartbeat_at = $1 WHERE id = $2";
    exec(&app, stale, old, id).await;
    let batch = hold_batches(&app, id).await;
    let db = app.db.clone();
    let during = tokio::spawn(async move { repo::take_over(&db, company, job, Utc::now()).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (taken_during, waiting) = match backend {
        Backend::Postgres => {
            assert!(
                during.is_finished(),
                "the take-over waited behind the batch"
            );
            (Some(during.await.expect("task").expect("take over")), None)
        }
        Backend::Sqlite => {
            assert!(!during.is_finished(), "a take-over ran during the batch");
            (None, Some(during))
        }
    };
    assert_eq!(
        taken_during.unwrap_or(repo::TakeOver::NotInterrupted),
        repo::TakeOver::NotInterrupted
    );
    // The batch fails: its transaction rolls back, the heartbeat stays old.
    let failed_at = Utc::now();
    batch.rollback().await.expect("rollback");
    let taken = match waiting {
        None => repo::take_over(&app.db, company, job, Utc::now()).await,
        Some(waiting) => waiting.await.expect("task"),
    }
    .expect("take over");
    let repo::TakeOver::Taken(second) = taken else {
        panic!("not taken over after the failed batch: {taken:?}")
    };
    assert_eq!(second.attempt, first.attempt + 1);
    let stored = repo::get_job(&app.db, company, job)
        .await
        .expect("job")
        .expect("exists");
    let beat = stored.heartbeat_at.expect("a heartbeat");
    assert!(
        beat >= failed_at - chrono::Duration::milliseconds(5),
        "taken with a heartbeat from before the batch ended: {beat} < {failed_at}"
    );
    assert_eq!(
        repo::take_over(&app.db, company, job, Utc::now())
            .await
            .expect("take over"),
        repo::TakeOver::NotInterrupted,
        "taken over twice"
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

/// Runs the claimed job through a second handle on the test's database
/// whose statements give up after 200 ms (`statement_timeout`), while the
/// contacts table is locked for `held` (its batches' inserts wait for it;
/// the job's own row stays free): how the job stood after the run.
async fn run_past_the_statement_timeout(held: Duration) -> serde_json::Value {
    use app::db::{Db, DbSettings};
    let app = spawn_app(Backend::Postgres).await;
    let (company, id, run) = claimed_job(&app).await;
    let settings = DbSettings {
        statement_timeout: Duration::from_millis(200),
        ..DbSettings::default()
    };
    let impatient = Db::open_with(app.database_url(), settings)
        .await
        .expect("open");
    let mut hold = app.db.begin_write().await.expect("begin");
    if let app::db::Conn::Postgres(pg) = app::db::AsConn::conn(&mut hold) {
        sqlx::query("LOCK TABLE contacts IN EXCLUSIVE MODE")
            .execute(&mut *pg)
            .await
            .expect("lock");
    }
    let running = tokio::spawn(async move {
        let stop = app::import_export::import::CancellationToken::new();
        app::import_export::import::run_taken(&impatient, company, run, &stop).await
    });
    tokio::time::sleep(held).await;
    hold.rollback().await.expect("rollback");
    running.await.expect("task").expect("run");
    let job = call(&app, "/api/import/status", json!({"id": id})).await;
    let contacts = app::with_db!(&app.db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM contacts")
            .fetch_one(pool)
            .await
            .expect("count")
    });
    json!({"job": job, "contacts": contacts})
}

/// A batch that ran past the statement timeout (here: waiting 700 ms for
/// a table another transaction holds) is written again after a pause, and
/// the import finishes; it used to fail the whole import.
#[tokio::test]
async fn postgres_a_batch_past_the_statement_timeout_is_written_again() {
    if !crate::helpers::postgres_enabled().await {
        return;
    }
    let outcome = run_past_the_statement_timeout(Duration::from_millis(700)).await;
    let job = &outcome["job"];
    assert_eq!(
        (job["status"].as_str(), job["created"].as_i64()),
        (Some("done"), Some(1)),
        "{outcome}"
    );
    assert_eq!(outcome["contacts"], 1, "{outcome}");
}

/// A batch that keeps failing is not retried forever in its process: after
/// its retries the job is handed back (queued, no heartbeat), so a sweep
/// resumes it from its last committed batch, and nothing was written twice.
#[tokio::test]
async fn postgres_a_batch_that_keeps_failing_hands_its_job_back() {
    if !crate::helpers::postgres_enabled().await {
        return;
    }
    // The retries wait 0.5 + 1 + 2 s, each try 0.2 s: all within 6 s.
    let outcome = run_past_the_statement_timeout(Duration::from_secs(6)).await;
    let job = &outcome["job"];
    assert_eq!(
        (job["status"].as_str(), job["rows_done"].as_i64()),
        (Some("queued"), Some(0)),
        "{outcome}"
    );
    assert_eq!(outcome["contacts"], 0, "{outcome}");
}

/// The import analyses the contact tables once its rows reach the size
/// they had at their last analysis (here: never analysed, so after 1,000
/// rows): plans that PostgreSQL made while the tables were small (the
/// foreign-key checks of every phone and e-mail among them) are made again
/// for their new size. Without it, a batch's checks read the whole
/// contacts table and passed the statement timeout (RELIABILITY.md).
#[tokio::test]
async fn postgres_an_import_analyses_the_tables_it_grows() {
    if !crate::helpers::postgres_enabled().await {
        return;
    }
    let app = spawn_app(Backend::Postgres).await;
    app.company("Loja").await;
    let analyses = || async {
        app::with_db!(&app.db, pool => {
            sqlx::query_scalar::<_, i64>(
                "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'contacts'",
            )
            .fetch_one(pool)
            .await
            .expect("stats")
        })
    };
    assert_eq!(analyses().await, 0, "analysed before the import");
    let mut file = String::from("Nome;Celular\r\n");
    for n in 0..1_500 {
        file.push_str(&format!("Pessoa {n};(11) 9{n:04}-0000\r\n"));
    }
    let id = upload(&app, "crescer.csv", file.into_bytes()).await;
    start(&app, id).await;
    let job = finished(&app, id).await;
    assert_eq!(job["created"], 1_500, "{job}");
    assert_eq!(
        analyses().await,
        1,
        "the import did not analyse the tables it grew"
    );
}

crate::on_both_backends!(
    a_job_is_never_taken_over_during_a_batch_and_then_once,
    a_beat_held_behind_a_batch_never_moves_the_heartbeat_back,
    a_stored_file_missing_a_piece_ends_failed_never_done,
    a_process_whose_job_was_taken_over_writes_nothing,
    a_job_interrupted_too_often_ends_failed,
    an_interrupted_import_resumes_from_its_last_batch_exactly_once,
    a_running_job_keeps_beating_between_batches,
    uploads_nobody_started_are_dropped_after_a_day,
);
