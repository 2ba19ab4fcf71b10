//! What a storm of anonymous logins costs the server (issue 32,
//! docs/security.md), measured on the real binary over HTTP.
//!
//! Starts `agenda serve` (this build's binary) on a fresh SQLite database in
//! `target/bench/login-storm/` (the first start seeds the demo company), and
//! watches its resident memory every 20 ms: past the cap
//! (`AGENDA_BENCH_RSS_CAP_MIB`, default 1,500) it is killed and the bench
//! stops with a message, so a missing bound ends this process, not the
//! machine. Then:
//!
//! 1. RSS before, signed in as the demo admin, after a warm-up;
//! 2. `AGENDA_BENCH_LOGINS` (default 1,000) concurrent anonymous logins with
//!    unknown e-mails from 50 client addresses, while the signed-in user
//!    loads `/contacts` over and over: their answers (422 checked, 503
//!    busy), the server's peak RSS, and the page's latency;
//! 3. RSS two seconds after the storm;
//! 4. 100 parallel wrong passwords for the demo admin from one address:
//!    how many were checked.
//!
//! `cargo bench -p server --bench login_storm`; results in BENCHMARKS.md.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::join_all;

const DEMO_EMAIL: &str = "demo@agenda.example";
const DEMO_PASSWORD: &str = "agenda-demo";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The resident set of process `pid`, in MiB (Linux `VmRSS`).
fn rss_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kib| kib / 1024)
}

/// The server under watch: its peak RSS since the last reset, and whether
/// the watch had to kill it.
struct Watch {
    peak: AtomicU64,
    killed: AtomicBool,
}

fn watch(pid: u32, cap_mib: u64) -> Arc<Watch> {
    let watch = Arc::new(Watch {
        peak: AtomicU64::new(0),
        killed: AtomicBool::new(false),
    });
    let shared = Arc::clone(&watch);
    std::thread::spawn(move || loop {
        let Some(rss) = rss_mib(pid) else { return };
        shared.peak.fetch_max(rss, Ordering::SeqCst);
        if rss > cap_mib {
            shared.killed.store(true, Ordering::SeqCst);
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            eprintln!(
                "\nlogin_storm: the server passed the memory cap ({rss} MiB > {cap_mib} MiB) and was \
                 killed: password checks are not bounded (see docs/security.md)"
            );
            std::process::exit(1);
        }
        std::thread::sleep(Duration::from_millis(20));
    });
    watch
}

fn start_server(dir: &std::path::Path, port: u16) -> Child {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench directory");
    Command::new(env!("CARGO_BIN_EXE_agenda"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite:{}", dir.join("agenda.db").display()),
        )
        .env("AGENDA_ADDR", format!("127.0.0.1:{port}"))
        .env("AGENDA_SITE_ROOT", dir.join("site"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the agenda binary")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .local_address(ip.parse::<std::net::IpAddr>().expect("ip"))
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

async fn login(client: &reqwest::Client, base: &str, email: &str, password: &str) -> u16 {
    match client
        .post(format!("{base}/api/auth/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
    {
        Ok(response) => response.status().as_u16(),
        Err(_) => 0,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1_000.0)
}

async fn run() {
    let logins = env_number("AGENDA_BENCH_LOGINS", 1_000) as usize;
    let cap = env_number("AGENDA_BENCH_RSS_CAP_MIB", 1_500);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench/login-storm");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start_server(&dir, port);
    let pid = child.id();
    let watched = watch(pid, cap);
    let probe = reqwest::Client::new();
    let started = Instant::now();
    while probe.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // 1. Signed in, warmed up.
    let user = client_from("127.0.0.1");
    assert_eq!(
        login(&user, &base, DEMO_EMAIL, DEMO_PASSWORD).await,
        200,
        "demo login"
    );
    for _ in 0..20 {
        let page = user
            .get(format!("{base}/contacts"))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200);
        let _ = page.bytes().await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_mib(pid).unwrap_or_default();
    watched.peak.store(before, Ordering::SeqCst);

    // 2. The storm, and the signed-in user meanwhile.
    let storm_over = Arc::new(AtomicBool::new(false));
    let pages = {
        let (user, base, storm_over) = (user.clone(), base.clone(), storm_over.clone());
        tokio::spawn(async move {
            let mut times = Vec::new();
            let mut failed = 0;
            while !storm_over.load(Ordering::SeqCst) {
                let start = Instant::now();
                match user.get(format!("{base}/contacts")).send().await {
                    Ok(page) if page.status() == 200 => {
                        let _ = page.bytes().await;
                        times.push(start.elapsed());
                    }
                    _ => failed += 1,
                }
            }
            (times, failed)
        })
    };
    let storm_started = Instant::now();
    let clients: Vec<reqwest::Client> = (0..50)
        .map(|n| client_from(&format!("127.0.10.{}", n + 1)))
        .collect();
    let answers = join_all((0..logins).map(|n| {
        let (client, base) = (&clients[n % clients.len()], &base);
        async move {
            login(
                client,
                base,
                &format!("visitante{n}@storm.example"),
                "wrong password",
            )
            .await
        }
    }))
    .await;
    let storm_time = storm_started.elapsed();
    storm_over.store(true, Ordering::SeqCst);
    let (mut times, page_failures) = pages.await.expect("pages");
    times.sort_unstable();
    let during = watched.peak.load(Ordering::SeqCst);
    let count = |status: u16| answers.iter().filter(|s| **s == status).count();

    // 3. After.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_mib(pid).unwrap_or_default();

    // 4. 100 parallel wrong passwords for one account, from one address.
    let guesser = client_from("127.0.20.1");
    let guesses = join_all((0..100).map(|n| {
        let (guesser, base) = (&guesser, &base);
        async move { login(guesser, base, DEMO_EMAIL, &format!("guess {n}")).await }
    }))
    .await;
    let checked = guesses.iter().filter(|s| **s == 422).count();
    let limited = guesses.iter().filter(|s| **s == 429).count();
    let busy = guesses.iter().filter(|s| **s == 503).count();

    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!watched.killed.load(Ordering::SeqCst));

    println!(
        "\n## login storm ({logins} concurrent anonymous logins, SQLite, {} cores)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| measure | value |");
    println!("|---|---|");
    println!("| server RSS before | {before} MiB |");
    println!(
        "| server peak RSS during the storm | {during} MiB (+{} MiB) |",
        during.saturating_sub(before)
    );
    println!("| server RSS 2 s after | {after} MiB |");
    println!("| storm answered in | {:.1} s |", storm_time.as_secs_f64());
    println!(
        "| answers | {} checked (422), {} busy (503), {} other |",
        count(422),
        count(503),
        logins - count(422) - count(503)
    );
    println!(
        "| signed-in `/contacts` meanwhile | {} loads, p50 {}, p95 {}, max {}, {} failed |",
        times.len(),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(times.last().copied().unwrap_or_default()),
        page_failures
    );
    println!(
        "| 100 parallel wrong passwords for one account | {checked} checked (422), {limited} limited (429), {busy} busy (503), {} other |",
        100 - checked - limited - busy
    );
}

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(run());
}
