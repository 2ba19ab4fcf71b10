//! `import-kill`: a 200,000-row import (`AGENDA_BENCH_ROWS`) under the
//! "create" policy, its server killed with SIGKILL during the upload, twice
//! mid-import and (SQLite) during the compaction that follows it. After
//! each restart the job resumes by itself; at the end every valid row is
//! one contact, every bad row one failure, and `agenda check` passes.

use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::server::{self, check, contacts_file, start_import, wait_job, Server, STALE_SECONDS};

/// What the scenario measured.
pub struct Outcome {
    pub lines: Vec<String>,
    pub passed: bool,
}

pub async fn run(url: &str, backend: &str) -> Outcome {
    let rows = server::env_number("AGENDA_BENCH_ROWS", 200_000) as usize;
    let mut lines = vec![format!(
        "import-kill on {backend}, {rows} rows, policy create"
    )];
    let mut server = Server::start(url).await;
    let client = server::client();
    server::sign_up(&client, &server.base, "Falhas").await;
    let (file, valid, refused, blank) = contacts_file(rows, "ik");

    // 1. Killed during the upload: half the file sent, then SIGKILL.
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(tokio_stream_of(receiver));
    let upload = {
        let client = client.clone();
        let base = server.base.clone();
        tokio::spawn(async move {
            client
                .post(format!("{base}/contacts/import?name=metade.csv"))
                .body(body)
                .send()
                .await
        })
    };
    for piece in file[..file.len() / 2].chunks(64 * 1024) {
        sender.send(Ok(piece.to_vec())).await.expect("send");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill();
    drop(sender);
    let answered = upload.await.expect("task");
    server.restart().await;
    let jobs = server::call(&client, &server.base, "/api/import/jobs", &[])
        .await
        .expect("jobs");
    let upload_ok = answered.is_err() && jobs.as_array().is_some_and(Vec::is_empty);
    lines.push(format!(
        "  killed mid-upload: client saw {}, jobs listed after restart: {} -> {}",
        if answered.is_err() {
            "a broken connection"
        } else {
            "an answer"
        },
        jobs.as_array().map_or(0, Vec::len),
        if upload_ok { "ok" } else { "FAILED" }
    ));

    // 2. The whole file, imported; killed at 30 % and at 70 %.
    let started = Instant::now();
    let id = start_import(&client, &server.base, file, "create").await;
    for share in [0.3, 0.7] {
        let at = (rows as f64 * share) as i64;
        wait_job(
            &client,
            &server.base,
            id,
            Duration::from_secs(1_800),
            |job| job["rows_done"].as_i64().unwrap_or(0) >= at || job["status"] == "done",
        )
        .await;
        server.kill();
        let killed = Instant::now();
        // What had committed when it died (the last poll may lag a batch).
        let done_at_kill = scalar(url, "SELECT rows_done FROM import_jobs WHERE id = $1", id).await;
        let share = done_at_kill as f64 / rows as f64;
        server.restart().await;
        wait_job(&client, &server.base, id, Duration::from_secs(600), |job| {
            job["rows_done"].as_i64().unwrap_or(0) > done_at_kill || job["status"] == "done"
        })
        .await;
        lines.push(format!(
            "  killed at {done_at_kill} rows ({:.0} %): resumed and committed its next batch {:.1} s after the kill (heartbeat stale after {STALE_SECONDS} s), attempt {}",
            share * 100.0,
            killed.elapsed().as_secs_f64(),
            attempt(url, id).await
        ));
    }
    let job = wait_job(
        &client,
        &server.base,
        id,
        Duration::from_secs(3_600),
        |job| job["status"] != "running" && job["status"] != "queued",
    )
    .await;
    let elapsed = started.elapsed();

    // 3. SQLite compacts its search index after a large import: killed
    //    right when the job is done, the compaction is finished later.
    let mut compaction = "not applicable (PostgreSQL)".to_string();
    if backend == "SQLite" {
        server.kill();
        let pending_after_kill = compact_pending(url, id).await;
        server.restart().await;
        let mut cleared = false;
        for _ in 0..600 {
            if !compact_pending(url, id).await {
                cleared = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        compaction = format!(
            "killed when done (compaction pending: {pending_after_kill}); after restart {}",
            if cleared { "finished" } else { "STILL PENDING" }
        );
    }
    lines.push(format!("  compaction: {compaction}"));

    let (check_ok, report) = check(url);
    let stored = contacts_of(url, id).await;
    let counts = [
        job["status"].as_str().unwrap_or("?").to_string(),
        job["created"].to_string(),
        job["failed"].to_string(),
        job["skipped"].to_string(),
    ];
    let expected = [
        "done".to_string(),
        valid.to_string(),
        refused.to_string(),
        blank.to_string(),
    ];
    let passed = upload_ok && check_ok && counts == expected && stored == valid;
    lines.push(format!(
        "  end: {} in {:.0} s with two kills: created {}, failed {}, skipped {} (file: {valid} valid, {refused} refused, {blank} blank); contacts stored {stored}; agenda check {}",
        counts[0],
        elapsed.as_secs_f64(),
        counts[1],
        counts[2],
        counts[3],
        if check_ok { "ok" } else { "FAILED" }
    ));
    if !check_ok {
        lines.push(report);
    }
    lines.push(format!(
        "  server peak RSS {} MiB; {}",
        server.peak_mib.load(std::sync::atomic::Ordering::SeqCst),
        if passed { "PASSED" } else { "FAILED" }
    ));
    Outcome { lines, passed }
}

/// A stream of the pieces `receiver` gets (the upload that is cut).
fn tokio_stream_of(
    mut receiver: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx)).boxed()
}

/// One number from the database (read directly, the server up or not).
pub async fn scalar(url: &str, sql: &str, id: i64) -> i64 {
    let db = app::db::Db::open(url).await.expect("open");
    let value = app::with_db!(&db, pool => {
        sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(pool).await.expect("query")
    });
    db.close().await;
    value
}

async fn attempt(url: &str, id: i64) -> i64 {
    scalar(url, "SELECT attempt FROM import_jobs WHERE id = $1", id).await
}

async fn compact_pending(url: &str, id: i64) -> bool {
    scalar(
        url,
        "SELECT CASE WHEN compact_pending THEN 1 ELSE 0 END FROM import_jobs WHERE id = $1",
        id,
    )
    .await
        == 1
}

async fn contacts_of(url: &str, id: i64) -> i64 {
    scalar(
        url,
        "SELECT COUNT(*) FROM contacts WHERE import_job_id = $1",
        id,
    )
    .await
}
