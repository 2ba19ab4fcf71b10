//! `load`: the signed-in contact list under many agents at once, against
//! the benchmarks' database of generated contacts (`AGENDA_BENCH_CONTACTS`,
//! default 1,000,000; built once into `target/bench/search-<N>.db` or
//! `agenda_bench_<N>`). For 50 and 200 clients in turn, each for
//! `AGENDA_BENCH_LOAD_SECONDS` (default 60): the `/contacts` page rendered
//! on the server, then `POST /api/contacts/list`; then 50 clients again.
//! Clients loop without think time; every other request searches (a name
//! prefix, a first name and surname initial, phone digits, an e-mail
//! part), the others ask for the first page. Records errors, throughput,
//! p50/p95/p99 and the server's memory at its peak and after each run;
//! passes with no error and memory flat: the closing runs at 50 clients end
//! within 5 % of where the runs at 200 left it (what the busiest moment
//! took is kept by the allocator; growth beyond it would be a leak).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::auth::{DEMO_EMAIL, DEMO_PASSWORD};

use crate::common;
use crate::import_kill::Outcome;
use crate::server::{self, ms, percentile, Server};

/// The searches every other request makes, in turn.
const SEARCHES: [&str; 8] = [
    "mar", "silva", "ana s", "joão p", "9876", "1234", "gmail", "souza",
];

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Page,
    List,
}

impl Target {
    fn label(self) -> &'static str {
        match self {
            Target::Page => "GET /contacts (page)",
            Target::List => "POST /api/contacts/list",
        }
    }
}

#[derive(Default)]
struct Tally {
    took: Vec<Duration>,
    errors: Vec<String>,
}

async fn one(
    client: &reqwest::Client,
    base: &str,
    target: Target,
    query: &str,
) -> Result<(), String> {
    let request = match target {
        Target::Page if query.is_empty() => client.get(format!("{base}/contacts")),
        Target::Page => client
            .get(format!("{base}/contacts"))
            .query(&[("q", query)]),
        Target::List => client
            .post(format!("{base}/api/contacts/list"))
            .form(&[("q", query)]),
    };
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    // Read the whole body: the time counts the page, not its first byte.
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    if status != 200 || body.is_empty() {
        return Err(format!(
            "{status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ));
    }
    Ok(())
}

async fn client_loop(
    c: usize,
    client: reqwest::Client,
    base: String,
    target: Target,
    running: Arc<AtomicBool>,
) -> Tally {
    let mut tally = Tally::default();
    let mut n = c;
    while running.load(Ordering::Relaxed) {
        n += 1;
        let query = if n.is_multiple_of(2) {
            ""
        } else {
            SEARCHES[(n / 2) % SEARCHES.len()]
        };
        let started = Instant::now();
        match one(&client, &base, target, query).await {
            Ok(()) => tally.took.push(started.elapsed()),
            Err(error) => tally.errors.push(error),
        }
    }
    tally
}

/// `clients` loops on `target` for `seconds`; the tally of all, the
/// server's peak RSS meanwhile.
async fn run_phase(
    server: &Server,
    client: &reqwest::Client,
    clients: usize,
    target: Target,
    seconds: u64,
) -> (Tally, Duration) {
    let running = Arc::new(AtomicBool::new(true));
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            tokio::spawn(client_loop(
                c,
                client.clone(),
                server.base.clone(),
                target,
                running.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    running.store(false, Ordering::Relaxed);
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await.expect("client");
        all.took.extend(tally.took);
        all.errors.extend(tally.errors);
    }
    all.took.sort();
    (all, started.elapsed())
}

/// Waits for the server to settle, then its RSS.
async fn settled_rss(server: &Server) -> u64 {
    tokio::time::sleep(Duration::from_secs(5)).await;
    server.rss_mib().unwrap_or(0)
}

pub async fn run(backend: &str) -> Outcome {
    let contacts = common::contacts_wanted();
    let seconds = server::env_number("AGENDA_BENCH_LOAD_SECONDS", 60);
    let url = common::bench_database_url(contacts).await;
    // Built (the first time) and checked by the benchmarks' own code.
    let (db, _) = common::bench_database(contacts).await;
    db.close().await;
    let mut lines = vec![format!(
        "load on {backend}: {contacts} contacts, the signed-in contact list, {seconds} s per run"
    )];
    let server = Server::start(&url).await;
    let client = server::client();
    server::sign_in(&client, &server.base, DEMO_EMAIL, DEMO_PASSWORD).await;
    // Warm up (caches, connections), not recorded.
    for target in [Target::Page, Target::List] {
        run_phase(&server, &client, 10, target, 5).await;
    }
    let rss_start = settled_rss(&server).await;
    lines.push(format!("  server RSS after warm-up: {rss_start} MiB"));
    lines.push(
        "  | clients | request | answered | errors | per second | p50 | p95 | p99 | RSS peak / after |"
            .to_string(),
    );
    let mut errors = 0;
    let mut after = Vec::new();
    for clients in [50, 200, 50] {
        for target in [Target::Page, Target::List] {
            server.peak_mib.store(0, Ordering::SeqCst);
            let (tally, took) = run_phase(&server, &client, clients, target, seconds).await;
            let peak = server.peak_mib.load(Ordering::SeqCst);
            let rss_after = settled_rss(&server).await;
            after.push(rss_after);
            errors += tally.errors.len();
            lines.push(format!(
                "  | {clients} | {} | {} | {}{} | {:.0} | {} | {} | {} | {peak} / {rss_after} MiB |",
                target.label(),
                tally.took.len(),
                tally.errors.len(),
                tally
                    .errors
                    .first()
                    .map(|e| format!(" (first: {e})"))
                    .unwrap_or_default(),
                tally.took.len() as f64 / took.as_secs_f64(),
                ms(percentile(&tally.took, 0.50)),
                ms(percentile(&tally.took, 0.95)),
                ms(percentile(&tally.took, 0.99)),
            ));
        }
    }
    // After the runs at 200 (the 4th) and after the closing runs at 50.
    let busiest = after[3];
    let last = after[after.len() - 1];
    let flat = last as f64 <= busiest as f64 * 1.05;
    let passed = errors == 0 && flat;
    lines.push(format!(
        "  memory after the runs at 200 clients {busiest} MiB, after the closing runs at 50 {last} MiB ({}); {}",
        if flat { "flat" } else { "GREW" },
        if passed { "PASSED" } else { "FAILED" }
    ));
    Outcome { lines, passed }
}
