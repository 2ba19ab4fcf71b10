//! `two-servers` (PostgreSQL): servers A and B on one database, a 200,000-
//! row "create" import started on A (`AGENDA_BENCH_ROWS`), searches on both
//! meanwhile. B is killed and restarted; then A, which runs the import, is
//! killed: B takes the job over and finishes it. The import ends once, with
//! every row once; searches on a server that is up never fail.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::import_kill::Outcome;
use crate::server::{self, check, contacts_file, ms, percentile, wait_job, Server};

/// Searches `base` until `stop`, while `up`; latencies of answered ones,
/// and failures while up.
async fn search_loop(
    client: reqwest::Client,
    base: String,
    up: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    failures: Arc<AtomicU64>,
) -> Vec<Duration> {
    let mut latencies = Vec::new();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        if !up.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        n += 1;
        let query = format!("Pessoa ts {}", n * 7919 % 100_000);
        let started = Instant::now();
        let answer = server::call(&client, &base, "/api/contacts/list", &[("q", &query)]).await;
        match answer {
            Some(_) => latencies.push(started.elapsed()),
            // A request cut by a kill in between the check above and now is
            // not a failure of a live server.
            None if up.load(Ordering::Relaxed) => {
                failures.fetch_add(1, Ordering::Relaxed);
            }
            None => {}
        }
    }
    latencies
}

pub async fn run(url: &str, backend: &str) -> Outcome {
    let rows = server::env_number("AGENDA_BENCH_ROWS", 200_000) as usize;
    let mut lines = vec![format!(
        "two-servers on {backend}, {rows} rows, policy create"
    )];
    let mut a = Server::start(url).await;
    let mut b = Server::start(url).await;
    let client = server::client();
    server::sign_up(&client, &a.base, "Dois").await;
    let (file, valid, _, _) = contacts_file(rows, "ts");
    let started = Instant::now();
    let id = server::start_import(&client, &a.base, file, "create").await;

    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    let (a_up, b_up) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicBool::new(true)),
    );
    let searches: Vec<_> = [(&a, &a_up), (&b, &b_up), (&a, &a_up), (&b, &b_up)]
        .into_iter()
        .map(|(server, up)| {
            // The session made on A works on B (sessions live in the database).
            tokio::spawn(search_loop(
                client.clone(),
                server.base.clone(),
                up.clone(),
                stop.clone(),
                failures.clone(),
            ))
        })
        .collect();

    // B (not running the import) killed at 30 %, restarted.
    let progress = |share: f64| {
        let at = (rows as f64 * share) as i64;
        move |job: &serde_json::Value| job["rows_done"].as_i64().unwrap_or(0) >= at
    };
    wait_job(
        &client,
        &a.base,
        id,
        Duration::from_secs(1_800),
        progress(0.3),
    )
    .await;
    b_up.store(false, Ordering::Relaxed);
    b.kill();
    b.restart().await;
    b_up.store(true, Ordering::Relaxed);
    lines.push("  B killed at 30 % and restarted".to_string());

    // A, running it, killed at 60 %: B takes it over.
    wait_job(
        &client,
        &a.base,
        id,
        Duration::from_secs(1_800),
        progress(0.6),
    )
    .await;
    a_up.store(false, Ordering::Relaxed);
    a.kill();
    let killed = Instant::now();
    // What had committed when A died (the last poll may lag a batch).
    let done_at_kill =
        crate::import_kill::scalar(url, "SELECT rows_done FROM import_jobs WHERE id = $1", id)
            .await;
    wait_job(&client, &b.base, id, Duration::from_secs(600), |job| {
        job["rows_done"].as_i64().unwrap_or(0) > done_at_kill || job["status"] == "done"
    })
    .await;
    lines.push(format!(
        "  A killed at {done_at_kill} rows: B resumed it {:.1} s later",
        killed.elapsed().as_secs_f64()
    ));
    a.restart().await;
    a_up.store(true, Ordering::Relaxed);
    let job = wait_job(&client, &b.base, id, Duration::from_secs(3_600), |job| {
        job["status"] != "running" && job["status"] != "queued"
    })
    .await;
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    for search in searches {
        latencies.extend(search.await.expect("search"));
    }
    latencies.sort();

    let stored = {
        let db = app::db::Db::open(url).await.expect("open");
        let count = app::with_db!(&db, pool => {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM contacts WHERE import_job_id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
                .expect("count")
        });
        db.close().await;
        count
    };
    let (check_ok, report) = check(url);
    let failed_searches = failures.load(Ordering::Relaxed);
    let created = job["created"].as_i64().unwrap_or(0);
    let passed = job["status"] == "done"
        && created == valid
        && stored == valid
        && failed_searches == 0
        && check_ok;
    lines.push(format!(
        "  import {} in {seconds:.0} s: created {created}, stored {stored} (file: {valid} valid)",
        job["status"].as_str().unwrap_or("?")
    ));
    lines.push(format!(
        "  searches on both servers meanwhile: {} answered, {failed_searches} failed on a live server; p50 {}, p95 {}, p99 {}",
        latencies.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 0.99))
    ));
    lines.push(format!(
        "  peak RSS A {} MiB, B {} MiB; agenda check {}; {}",
        a.peak_mib.load(Ordering::SeqCst),
        b.peak_mib.load(Ordering::SeqCst),
        if check_ok { "ok" } else { "FAILED" },
        if passed { "PASSED" } else { "FAILED" }
    ));
    if !check_ok {
        lines.push(report);
    }
    Outcome { lines, passed }
}
