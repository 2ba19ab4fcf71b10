//! The benchmarks' shared database: `N` generated contacts of the demo
//! company in `target/bench/search-<N>.db`, built once (deterministically)
//! and reused by later runs of any benchmark.

use std::path::PathBuf;
use std::time::Instant;

use app::contacts::repo::count_contacts;
use app::contacts::writer::insert_contacts;
use app::db::Db;
use app::tenant::CompanyId;
use server::seed;

/// The generator's seed (the search bench also draws its queries with it).
#[allow(dead_code)] // not every bench that includes this module uses it
pub const SEED: u64 = 2026;

/// Runs a benchmark's async body on a multi-threaded runtime.
pub fn block_on<F: std::future::Future>(body: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(body)
}

/// The process's peak resident set so far, in MiB (Linux `VmHWM`).
#[allow(dead_code)] // not every bench that includes this module uses it
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The number of contacts to benchmark with: `AGENDA_BENCH_CONTACTS`, or
/// 1,000,000.
#[allow(dead_code)]
pub fn contacts_wanted() -> usize {
    std::env::var("AGENDA_BENCH_CONTACTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// `AGENDA_BENCH_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`):
/// run on PostgreSQL instead of SQLite, in databases of the benchmark's own
/// (`agenda_bench_…`) on that server.
#[allow(dead_code)]
pub fn pg_url() -> Option<String> {
    std::env::var("AGENDA_BENCH_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// The backend's name for the reports.
#[allow(dead_code)]
pub fn backend(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => "SQLite",
        Db::Postgres(_) => "PostgreSQL",
    }
}

/// The URL of database `name` on the server of `server_url`, created when
/// missing (`fresh`: dropped and created anew).
#[allow(dead_code)]
pub async fn pg_database(server_url: &str, name: &str, fresh: bool) -> String {
    use sqlx::{Connection, PgConnection};
    let mut conn = PgConnection::connect(server_url)
        .await
        .expect("connect to AGENDA_BENCH_PG_URL");
    if fresh {
        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .expect("drop");
    }
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(&mut conn)
        .await
        .expect("look up");
    if exists.is_none() {
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .expect("create");
    }
    let (base, _) = server_url
        .split('?')
        .next()
        .and_then(|u| u.rsplit_once('/'))
        .expect("a postgres://host/db URL");
    format!("{base}/{name}")
}

/// Opens (building it the first time) the database of `contacts` contacts:
/// `target/bench/search-<N>.db`, or `agenda_bench_<N>` on PostgreSQL.
#[allow(dead_code)]
pub async fn bench_database(contacts: usize) -> (Db, CompanyId) {
    let url = bench_database_url(contacts).await;
    let db = Db::open_with(&url, db_settings())
        .await
        .expect("open the bench database");
    let company = prepare(&db, contacts).await;
    (db, company)
}

/// The URL of the database [`bench_database`] opens.
#[allow(dead_code)]
pub async fn bench_database_url(contacts: usize) -> String {
    match pg_url() {
        Some(server) => pg_database(&server, &format!("agenda_bench_{contacts}"), false).await,
        None => {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
            std::fs::create_dir_all(&dir).expect("bench dir");
            format!(
                "sqlite:{}",
                dir.join(format!("search-{contacts}.db")).display()
            )
        }
    }
}

/// Opens or builds the database of `contacts` generated contacts; returns
/// the company that holds them.
async fn prepare(db: &Db, contacts: usize) -> CompanyId {
    let company = app::tenant::demo_company(db).await.expect("query");
    if let Some(company) = company {
        let count = count_contacts(db, company).await.expect("count") as usize;
        if count == contacts {
            eprintln!("reusing the database of {count} contacts");
            return company;
        }
        panic!("the bench database holds {count} contacts, not {contacts}: delete target/bench/");
    }
    let (company, _) = seed::seed_demo(db, 0).await.expect("company");
    let started = Instant::now();
    const CHUNK: usize = 50_000;
    for start in (0..contacts).step_by(CHUNK) {
        let n = CHUNK.min(contacts - start);
        let batch = seed::generate_contacts(n, SEED + start as u64);
        insert_contacts(db, company, &batch).await.expect("insert");
        eprintln!("generated {} contacts", start + n);
    }
    eprintln!("generated in {:.0?}", started.elapsed());
    // As an import of this size does when it ends (import::COMPACT_AFTER_ROWS).
    let started = Instant::now();
    let steps = app::contacts::search::rank_repo::compact_index(db)
        .await
        .expect("compact the search index");
    eprintln!(
        "search index compacted in {:.1?} ({steps} steps)",
        started.elapsed()
    );
    match db {
        Db::Sqlite(pool) => {
            sqlx::query("PRAGMA optimize")
                .execute(pool)
                .await
                .expect("optimize");
        }
        Db::Postgres(pool) => {
            sqlx::query("ANALYZE").execute(pool).await.expect("analyze");
        }
    }
    company
}

/// The database settings: the server's defaults, with SQLite's page cache
/// and checkpoint interval taken from `AGENDA_SQLITE_CACHE_KIB` and
/// `AGENDA_SQLITE_WAL_AUTOCHECKPOINT` when set (the server's own flags).
#[allow(dead_code)]
pub fn db_settings() -> app::db::DbSettings {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
    let defaults = app::db::DbSettings::default();
    app::db::DbSettings {
        sqlite_cache_kib: env("AGENDA_SQLITE_CACHE_KIB").unwrap_or(defaults.sqlite_cache_kib),
        sqlite_wal_autocheckpoint: env("AGENDA_SQLITE_WAL_AUTOCHECKPOINT")
            .unwrap_or(defaults.sqlite_wal_autocheckpoint),
        ..defaults
    }
}
