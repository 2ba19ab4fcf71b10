//! A real `agenda serve` process for the fault scenarios: started on a
//! database URL, watched (past the memory cap it is killed and the bench
//! stops with a message), killed with SIGKILL when the scenario says so,
//! and the API calls the scenarios make.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Seconds after which a silent import is taken over (the default is 60;
/// the scenarios use 10 so a kill costs seconds, not minutes).
pub const STALE_SECONDS: u64 = 10;

/// The memory cap of each server, in MiB (`AGENDA_BENCH_RSS_CAP_MIB`).
fn rss_cap_mib() -> u64 {
    std::env::var("AGENDA_BENCH_RSS_CAP_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000)
}

/// The resident set of process `pid`, in MiB.
pub fn rss_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kib| kib / 1024)
}

/// One server process.
pub struct Server {
    pub base: String,
    pub url: String,
    port: u16,
    child: Option<Child>,
    /// Its peak RSS (MiB) since it started.
    pub peak_mib: Arc<AtomicU64>,
}

impl Server {
    /// Starts a server on `url` and waits until it answers.
    pub async fn start(url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            url: url.to_string(),
            port,
            child: None,
            peak_mib: Arc::new(AtomicU64::new(0)),
        };
        server.spawn().await;
        server
    }

    async fn spawn(&mut self) {
        let server_log = std::env::var("AGENDA_BENCH_SERVER_LOG").ok();
        let child = Command::new(env!("CARGO_BIN_EXE_agenda"))
            .arg("serve")
            .env("DATABASE_URL", &self.url)
            .env("AGENDA_ADDR", format!("127.0.0.1:{}", self.port))
            .env("AGENDA_SITE_ROOT", "target/site")
            .env("AGENDA_IMPORT_STALE_SECONDS", STALE_SECONDS.to_string())
            .env("AGENDA_SIGN_UPS_PER_HOUR", "1000")
            .env("AGENDA_SERVER_TIMING", "1")
            // AGENDA_BENCH_SERVER_LOG: the servers' RUST_LOG, their log shown
            // (e.g. "warn,sqlx::query=debug" for every statement's time).
            .env("RUST_LOG", server_log.as_deref().unwrap_or("warn"))
            .stdout(if server_log.is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the agenda binary");
        watch(child.id(), self.peak_mib.clone());
        self.child = Some(child);
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(response) = client.get(format!("{}/healthz", self.base)).send().await {
                if response.status() == 200 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("agenda did not start on {}", self.base);
    }

    /// `kill -9`, then reaped.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Its resident set now, in MiB.
    pub fn rss_mib(&self) -> Option<u64> {
        rss_mib(self.child.as_ref()?.id())
    }

    /// Starts it again on the same port and database.
    pub async fn restart(&mut self) {
        self.kill();
        self.spawn().await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Watches a server's memory every 20 ms; past the cap it is killed and
/// the bench stops, so a missing bound ends that process, not the machine.
fn watch(pid: u32, peak: Arc<AtomicU64>) {
    let cap = rss_cap_mib();
    static STOPPING: AtomicBool = AtomicBool::new(false);
    std::thread::spawn(move || loop {
        let Some(rss) = rss_mib(pid) else { return };
        peak.fetch_max(rss, Ordering::SeqCst);
        if rss > cap && !STOPPING.swap(true, Ordering::SeqCst) {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            eprintln!(
                "\nfaults: a server passed the memory cap ({rss} MiB > {cap} MiB) and was killed"
            );
            std::process::exit(1);
        }
        std::thread::sleep(Duration::from_millis(20));
    });
}

/// A client that keeps its session cookie.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Signs up a company on `base` with `client`; its number.
pub async fn sign_up(client: &reqwest::Client, base: &str, company: &str) -> i64 {
    let slug: String = company
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let response = client
        .post(format!("{base}/api/auth/sign_up"))
        .form(&[
            ("company", company),
            ("name", "Admin"),
            ("email", &format!("admin@{}.example", slug.to_lowercase())),
            ("password", "senha-de-teste-123"),
        ])
        .send()
        .await
        .expect("sign up");
    assert_eq!(response.status(), 200, "sign up");
    response.json::<Value>().await.expect("json")["company_id"]
        .as_i64()
        .expect("company")
}

/// Signs `client` in; panics unless the server accepts.
pub async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) {
    let response = client
        .post(format!("{base}/api/auth/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), 200, "sign in");
}

/// A server function with form fields; `None` when the server did not
/// answer 200.
pub async fn call(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    form: &[(&str, &str)],
) -> Option<Value> {
    let response = client
        .post(format!("{base}{path}"))
        .form(form)
        .send()
        .await
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    response.json().await.ok()
}

/// A JSON-input server function; the status (0 when no answer) and body.
pub async fn call_json(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    match client.post(format!("{base}{path}")).json(body).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            (status, response.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    }
}

/// [`call_json`], with the server's `Server-Timing` metrics in
/// milliseconds by name (the servers run with `AGENDA_SERVER_TIMING`).
pub async fn call_timed(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    body: &Value,
) -> (u16, Value, Vec<(String, f64)>) {
    match client.post(format!("{base}{path}")).json(body).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let timing = response
                .headers()
                .get("server-timing")
                .and_then(|v| v.to_str().ok())
                .map(::server::timing::parse)
                .unwrap_or_default();
            (status, response.json().await.unwrap_or(Value::Null), timing)
        }
        Err(_) => (0, Value::Null, Vec::new()),
    }
}

/// Uploads a file and starts its import with the guessed mapping.
pub async fn start_import(
    client: &reqwest::Client,
    base: &str,
    file: Vec<u8>,
    policy: &str,
) -> i64 {
    let response = client
        .post(format!("{base}/contacts/import?name=faults.csv"))
        .body(file)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 201, "upload");
    let id = response.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");
    let preview = call(
        client,
        base,
        "/api/import/preview",
        &[("id", &id.to_string())],
    )
    .await
    .expect("preview");
    let (status, body) = call_json(
        client,
        base,
        "/api/import/start",
        &json!({"id": id, "targets": preview["targets"], "policy": policy}),
    )
    .await;
    assert_eq!(status, 200, "start: {body}");
    id
}

/// The job's status as the API gives it (`None` while the server is down).
pub async fn job(client: &reqwest::Client, base: &str, id: i64) -> Option<Value> {
    call(
        client,
        base,
        "/api/import/status",
        &[("id", &id.to_string())],
    )
    .await
}

/// Polls the job until `done(job)` holds; the job then.
pub async fn wait_job(
    client: &reqwest::Client,
    base: &str,
    id: i64,
    limit: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let started = Instant::now();
    loop {
        if let Some(job) = job(client, base, id).await {
            if done(&job) {
                return job;
            }
        }
        assert!(started.elapsed() < limit, "import {id}: waited {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `agenda check` on `url`: its report, and whether it passed.
pub fn check(url: &str) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .arg("check")
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("agenda check");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

/// A contacts file of `rows` rows: unique names and phones, every 100th
/// row with a refused e-mail, every 150th blank. (file, valid, refused, blank)
pub fn contacts_file(rows: usize, tag: &str) -> (Vec<u8>, i64, i64, i64) {
    let mut out = String::from("Nome;Celular;E-mail\r\n");
    let (mut valid, mut refused, mut blank) = (0, 0, 0);
    for n in 0..rows {
        if n % 150 == 149 {
            out.push_str(";;\r\n");
            blank += 1;
        } else if n % 100 == 99 {
            out.push_str(&format!("Errada {tag} {n};;sem-arroba-{n}\r\n"));
            refused += 1;
        } else {
            out.push_str(&format!(
                "Pessoa {tag} {n};11 9{:08};p{n}@{tag}.example\r\n",
                10_000_000 + n
            ));
            valid += 1;
        }
    }
    (out.into_bytes(), valid, refused, blank)
}

/// A number from the environment, or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Milliseconds, one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1_000.0)
}

/// The `p` percentile of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}
