//! `writers`: 16 clients create and edit contacts through the API while a
//! 100,000-row import runs (`AGENDA_BENCH_IMPORT_ROWS`): how many requests
//! failed (the target is none: no `database is locked` reaches a client),
//! and the latency of an edit during the import (target p95 ≤ 150 ms on
//! SQLite).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::import_kill::Outcome;
use crate::server::{self, call_timed, check, contacts_file, ms, percentile, Server};

const CLIENTS: usize = 16;

#[derive(Default)]
struct Tally {
    edits: Vec<Duration>,
    creates: Vec<Duration>,
    /// The server's own account of each edit (`Server-Timing`).
    edit_parts: Parts,
    errors: Vec<String>,
}

/// Where edits' time went on the server, one entry per edit.
#[derive(Default)]
struct Parts {
    begin: Vec<Duration>,
    write: Vec<Duration>,
    handler: Vec<Duration>,
}

impl Parts {
    fn add(&mut self, timing: &[(String, f64)]) {
        let get = |name: &str| {
            let ms = timing.iter().find(|(n, _)| n == name).map_or(0.0, |t| t.1);
            Duration::from_secs_f64(ms / 1000.0)
        };
        self.begin.push(get("db-begin"));
        self.write.push(get("db-write"));
        self.handler.push(get("total"));
    }

    fn extend(&mut self, other: Parts) {
        self.begin.extend(other.begin);
        self.write.extend(other.write);
        self.handler.extend(other.handler);
    }

    fn lines(mut self) -> Vec<String> {
        let line = |label: &str, values: &mut Vec<Duration>| {
            values.sort();
            format!(
                "    {label}: p50 {}, p95 {}, p99 {}",
                ms(percentile(values, 0.50)),
                ms(percentile(values, 0.95)),
                ms(percentile(values, 0.99))
            )
        };
        vec![
            line("server, waiting to begin the write", &mut self.begin),
            line("server, write transaction open", &mut self.write),
            line("server, whole handler", &mut self.handler),
        ]
    }
}

async fn client_loop(
    c: usize,
    client: reqwest::Client,
    base: String,
    importing: Arc<AtomicBool>,
) -> Tally {
    let mut tally = Tally::default();
    let mut ids = Vec::new();
    let mut n = 0u64;
    while importing.load(Ordering::Relaxed) {
        n += 1;
        let started = Instant::now();
        let editing = n.is_multiple_of(2) && !ids.is_empty();
        let (status, body, timing) = if editing {
            let id: i64 = ids[(n as usize * 7) % ids.len()];
            let form = json!({"name": format!("C{c}-{n} editado"), "phones": [format!("+55 31 9{c:02}{:06}", n % 1_000_000)]});
            call_timed(
                &client,
                &base,
                "/api/contacts/update",
                &json!({"id": id, "form": form}),
            )
            .await
        } else {
            let form = json!({"name": format!("C{c}-{n}"), "phones": [format!("+55 41 9{c:02}{:06}", n % 1_000_000)]});
            call_timed(
                &client,
                &base,
                "/api/contacts/create",
                &json!({"form": form}),
            )
            .await
        };
        let took = started.elapsed();
        if status != 200 {
            tally.errors.push(format!("{status} {body}"));
            continue;
        }
        if editing {
            tally.edits.push(took);
            tally.edit_parts.add(&timing);
        } else {
            ids.extend(body["id"].as_i64());
            tally.creates.push(took);
        }
    }
    tally
}

pub async fn run(url: &str, backend: &str) -> Outcome {
    let rows = server::env_number("AGENDA_BENCH_IMPORT_ROWS", 100_000) as usize;
    let mut lines = vec![format!(
        "writers on {backend}: {CLIENTS} clients creating and editing during a {rows}-row import"
    )];
    let server = Server::start(url).await;
    let admin = server::client();
    server::sign_up(&admin, &server.base, "Concorrentes").await;
    let (file, valid, _, _) = contacts_file(rows, "cw");
    let importing = Arc::new(AtomicBool::new(true));
    let started = Instant::now();
    let id = server::start_import(&admin, &server.base, file, "skip").await;
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            // The admin's session, shared (clones share the cookie jar).
            let client = admin.clone();
            tokio::spawn(client_loop(
                c,
                client,
                server.base.clone(),
                importing.clone(),
            ))
        })
        .collect();
    let job = server::wait_job(
        &admin,
        &server.base,
        id,
        Duration::from_secs(3_600),
        |job| job["status"] != "running" && job["status"] != "queued",
    )
    .await;
    importing.store(false, Ordering::Relaxed);
    let import_seconds = started.elapsed().as_secs_f64();
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await.expect("client");
        all.edits.extend(tally.edits);
        all.creates.extend(tally.creates);
        all.edit_parts.extend(tally.edit_parts);
        all.errors.extend(tally.errors);
    }
    all.edits.sort();
    all.creates.sort();
    let (check_ok, report) = check(url);
    let created = job["created"].as_i64().unwrap_or(0);
    let passed = all.errors.is_empty() && job["status"] == "done" && created == valid && check_ok;
    lines.push(format!(
        "  import: {}{} in {import_seconds:.1} s ({:.0} rows/s), created {created} of {valid}",
        job["status"].as_str().unwrap_or("?"),
        job["error"]
            .as_str()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default(),
        rows as f64 / import_seconds
    ));
    lines.push(format!(
        "  edits during the import: {} — p50 {}, p95 {}, p99 {}, max {}",
        all.edits.len(),
        ms(percentile(&all.edits, 0.50)),
        ms(percentile(&all.edits, 0.95)),
        ms(percentile(&all.edits, 0.99)),
        ms(all.edits.last().copied().unwrap_or_default())
    ));
    lines.extend(std::mem::take(&mut all.edit_parts).lines());
    lines.push(format!(
        "  creates during the import: {} — p50 {}, p95 {}, p99 {}",
        all.creates.len(),
        ms(percentile(&all.creates, 0.50)),
        ms(percentile(&all.creates, 0.95)),
        ms(percentile(&all.creates, 0.99))
    ));
    lines.push(format!(
        "  errors seen by clients: {}{}",
        all.errors.len(),
        all.errors
            .first()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    ));
    lines.push(format!(
        "  server peak RSS {} MiB; agenda check {}; {}",
        server.peak_mib.load(Ordering::SeqCst),
        if check_ok { "ok" } else { "FAILED" },
        if passed { "PASSED" } else { "FAILED" }
    ));
    if !check_ok {
        lines.push(report);
    }
    Outcome { lines, passed }
}
