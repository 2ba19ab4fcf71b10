//! The fault scenarios of RELIABILITY.md, each against real `agenda serve`
//! processes (this build's binary) on a fresh database, each server watched
//! and killed past `AGENDA_BENCH_RSS_CAP_MIB` (default 3,000):
//!
//! - `import-kill`: a 200,000-row import killed during its upload, twice
//!   mid-import and during its compaction; it resumes and ends exactly once;
//! - `write-kill`: 16 clients writing, the server killed: every acknowledged
//!   write is there, whole;
//! - `writers`: 16 clients writing during a 100,000-row import: errors and
//!   edit latency;
//! - `two-servers` (PostgreSQL): an import on A, searches on A and B, B then
//!   A killed; the import ends once;
//! - `load` (only when named: it reads the benchmarks' database of
//!   1,000,000 generated contacts, built the first time, ~10 min): the
//!   signed-in `/contacts` page and `contacts/list` at 50 and 200 clients.
//!
//! ```text
//! cargo bench -p server --bench faults                    # every scenario on SQLite
//! cargo bench -p server --bench faults -- import-kill     # one
//! cargo bench -p server --bench faults -- load            # the load runs
//! AGENDA_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test \
//!   cargo bench -p server --bench faults                  # on PostgreSQL (two-servers too)
//! ```
//!
//! SQLite databases go to `target/bench/faults/`; PostgreSQL ones are
//! `agenda_bench_faults_*`, dropped at the end. Exits 1 if a scenario fails.

#[path = "../common/mod.rs"]
mod common;
mod import_kill;
mod load;
mod server;
mod two_servers;
mod write_kill;
mod writers;

const SCENARIOS: [&str; 5] = [
    "import-kill",
    "write-kill",
    "writers",
    "two-servers",
    "load",
];

fn main() {
    let asked: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    for name in &asked {
        assert!(
            SCENARIOS.contains(&name.as_str()),
            "unknown scenario {name}; one of {SCENARIOS:?}"
        );
    }
    let passed = common::block_on(async {
        let pg = std::env::var("AGENDA_BENCH_PG_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite" };
        let mut passed = true;
        for scenario in SCENARIOS {
            if !asked.is_empty() && !asked.iter().any(|a| a == scenario) {
                continue;
            }
            if scenario == "two-servers" && pg.is_none() {
                println!("two-servers: PostgreSQL only (set AGENDA_BENCH_PG_URL)\n");
                continue;
            }
            if scenario == "load" {
                if asked.is_empty() {
                    println!("load: run it by name (faults -- load)\n");
                    continue;
                }
                let outcome = load::run(backend).await;
                for line in &outcome.lines {
                    println!("{line}");
                }
                println!();
                passed &= outcome.passed;
                continue;
            }
            let url = fresh_database(pg.as_deref(), scenario).await;
            let outcome = match scenario {
                "import-kill" => import_kill::run(&url, backend).await,
                "write-kill" => write_kill::run(&url, backend).await,
                "writers" => writers::run(&url, backend).await,
                _ => two_servers::run(&url, backend).await,
            };
            for line in &outcome.lines {
                println!("{line}");
            }
            println!();
            passed &= outcome.passed;
            if let Some(server) = &pg {
                drop_database(server, scenario).await;
            }
        }
        passed
    });
    if !passed {
        std::process::exit(1);
    }
}

/// An empty database for `scenario`.
async fn fresh_database(pg: Option<&str>, scenario: &str) -> String {
    match pg {
        Some(server) => common::pg_database(server, &pg_name(scenario), true).await,
        None => {
            let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/bench/faults")
                .join(scenario);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("bench dir");
            format!("sqlite:{}", dir.join("agenda.db").display())
        }
    }
}

fn pg_name(scenario: &str) -> String {
    format!("agenda_bench_faults_{}", scenario.replace('-', "_"))
}

async fn drop_database(server: &str, scenario: &str) {
    use sqlx::{Connection, PgConnection};
    if let Ok(mut conn) = PgConnection::connect(server).await {
        let _ = sqlx::query(&format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            pg_name(scenario)
        ))
        .execute(&mut conn)
        .await;
    }
}
