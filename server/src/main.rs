//! `agenda`: serve the app, seed demo data, or apply migrations.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use app::auth::client_address::TrustedProxies;
use app::auth::password_checks::PasswordCheckSettings;
use app::db::{Db, DbSettings, DEFAULT_DATABASE_URL};
use app::state::{AppState, LimitSettings, RequestLimits};
use server::{build_router, cli_import, leptos_options, open_database, seed, Config};

#[derive(Debug, Parser)]
#[command(
    name = "agenda",
    version,
    about = "Agenda: the contacts module of an omnichannel service platform"
)]
struct Cli {
    /// Database URL: `sqlite:PATH` (the embedded default) or
    /// `postgres://USER@HOST:PORT/DATABASE`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    /// Most database connections this process opens.
    #[arg(
        long,
        env = "AGENDA_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    db_max_connections: u32,
    /// Seconds a PostgreSQL statement may run before it is cancelled.
    #[arg(
        long,
        env = "AGENDA_DB_STATEMENT_TIMEOUT",
        default_value_t = 30,
        global = true
    )]
    db_statement_timeout: u64,
    /// SQLite: page cache of each pooled connection, in KiB (SQLite's
    /// default). The CSV import writes through a connection of its own
    /// with a larger cache (docs/architecture.md, "CSV import").
    #[arg(
        long,
        env = "AGENDA_SQLITE_CACHE_KIB",
        default_value_t = 2_000,
        global = true
    )]
    sqlite_cache_kib: u32,
    /// SQLite: WAL pages after which a commit checkpoints (SQLite's default).
    #[arg(
        long,
        env = "AGENDA_SQLITE_WAL_AUTOCHECKPOINT",
        default_value_t = 1_000,
        global = true
    )]
    sqlite_wal_autocheckpoint: u32,
    /// Adds a `Server-Timing` header to every response (database waits
    /// and the handler's time; for benches and diagnosis, off by default).
    #[arg(
        long,
        env = "AGENDA_SERVER_TIMING",
        global = true,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    server_timing: bool,
    /// Password checks (Argon2id, ~19 MiB each) run at once; default: one
    /// per core.
    #[arg(long, env = "AGENDA_PASSWORD_CHECKS", global = true)]
    password_checks: Option<usize>,
    /// Password checks that may wait for one of those; the next is answered
    /// 503 at once.
    #[arg(
        long,
        env = "AGENDA_PASSWORD_QUEUE",
        default_value_t = 32,
        global = true
    )]
    password_queue: usize,
    /// Milliseconds a password check may wait before it is answered 503.
    #[arg(
        long,
        env = "AGENDA_PASSWORD_WAIT_MS",
        default_value_t = 3_000,
        global = true
    )]
    password_wait_ms: u64,
    /// Comma-separated IP addresses of reverse proxies whose
    /// X-Forwarded-For names the client (default: none; the header is ignored).
    #[arg(
        long,
        env = "AGENDA_TRUSTED_PROXIES",
        default_value = "",
        global = true
    )]
    trusted_proxies: String,
    /// Company sign-ups allowed per client address and hour.
    #[arg(
        long,
        env = "AGENDA_SIGN_UPS_PER_HOUR",
        default_value_t = app::auth::throttle::DEFAULT_SIGN_UPS_PER_HOUR,
        global = true
    )]
    sign_ups_per_hour: u32,
    /// Largest request body of server functions and forms, in KiB (the CSV
    /// upload has AGENDA_IMPORT_MAX_MB, the photo upload its own 2 MiB).
    #[arg(
        long,
        env = "AGENDA_MAX_BODY_KIB",
        default_value_t = 1_024,
        global = true
    )]
    max_body_kib: u64,
    /// The URL users open the app at, when it is behind a reverse proxy
    /// (`https://agenda.example`): cross-site checks compare a request's
    /// Origin with it instead of the Host header, and responses carry HSTS
    /// when it is https.
    #[arg(long, env = "AGENDA_PUBLIC_URL", global = true)]
    public_url: Option<String>,
    /// Hours a session lives without use (besides the 30 days after login).
    #[arg(
        long,
        env = "AGENDA_SESSION_IDLE_HOURS",
        default_value_t = app::auth::session::DEFAULT_IDLE_HOURS,
        value_parser = clap::value_parser!(u64).range(1..=720),
        global = true
    )]
    session_idle_hours: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web app (the default command).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "AGENDA_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Directory with the built site (`pkg/`, icons, manifest).
        #[arg(long, env = "AGENDA_SITE_ROOT", default_value = "target/site")]
        site_root: PathBuf,
    },
    /// Add demo contacts to the demo company (created if missing).
    Seed {
        /// How many contacts to create.
        #[arg(long, default_value_t = 1000)]
        contacts: usize,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Verify the database: SQLite's integrity and foreign keys, the search
    /// index, search columns and ranks in step with contacts, no orphan
    /// rows, finished imports whole; then each company's counts. Exits 1
    /// when something is wrong.
    Check,
    /// Write a consistent copy of the SQLite database to FILE while the
    /// server keeps serving (PostgreSQL: use pg_dump, docs/operations.md).
    Backup {
        /// The backup file to create (it must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the SQLite database with a backup; the current file is kept
    /// beside it. Stop the server first.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        /// Restore even though the database looks in use (its -wal file is
        /// there, as after a crash).
        #[arg(long)]
        force: bool,
    },
    /// Write a company's contacts as CSV to standard output (the same file
    /// as "Exportar CSV"); progress goes to standard error.
    Export {
        /// The company's id.
        #[arg(long)]
        company: i64,
        /// `excel` (UTF-8 with BOM, `;`, dd/mm/aaaa) or `rfc4180` (`,`, ISO dates).
        #[arg(long, default_value = "excel")]
        format: String,
        /// Only contacts this search finds (as in the search box).
        #[arg(long)]
        query: Option<String>,
    },
    /// Import a CSV file into a company (the same checks, mapping guesses
    /// and batched writes as "Importar CSV"), with a progress bar on
    /// standard error. Columns go where their headers suggest; the mapping
    /// used is printed first. Ctrl-C stops after the batch being written;
    /// `--resume JOB` continues an interrupted import from its last batch.
    Import {
        /// The CSV file.
        #[arg(required_unless_present = "resume", conflicts_with = "resume")]
        file: Option<PathBuf>,
        /// The company's id.
        #[arg(long)]
        company: i64,
        /// Rows matching an existing contact: `skip`, `update` or `create`.
        #[arg(long, default_value = "skip")]
        duplicates: String,
        /// Where to write the error report CSV when rows fail.
        #[arg(long)]
        error_report: Option<PathBuf>,
        /// Resume the interrupted import with this number (printed when it
        /// started) instead of importing a file.
        #[arg(long)]
        resume: Option<i64>,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    if let Err(error) = run(cli).await {
        eprintln!("agenda: {error}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let db_settings = DbSettings {
        max_connections: cli.db_max_connections,
        statement_timeout: std::time::Duration::from_secs(cli.db_statement_timeout),
        sqlite_cache_kib: cli.sqlite_cache_kib,
        sqlite_wal_autocheckpoint: cli.sqlite_wal_autocheckpoint,
        ..DbSettings::default()
    };
    let defaults = LimitSettings::default();
    let limits = LimitSettings {
        password_checks: PasswordCheckSettings {
            concurrent: cli
                .password_checks
                .unwrap_or(defaults.password_checks.concurrent)
                .max(1),
            queue: cli.password_queue,
            max_wait: std::time::Duration::from_millis(cli.password_wait_ms),
        },
        trusted_proxies: TrustedProxies::parse(&cli.trusted_proxies)
            .map_err(|e| format!("AGENDA_TRUSTED_PROXIES: {e}"))?,
        sign_ups_per_hour: cli.sign_ups_per_hour,
        requests: RequestLimits {
            max_body_bytes: cli.max_body_kib * 1024,
            ..defaults.requests
        },
        public_origin: cli
            .public_url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
            .map(server::headers::public_origin)
            .transpose()
            .map_err(|e| format!("AGENDA_PUBLIC_URL: {e}"))?,
        session_idle: std::time::Duration::from_secs(cli.session_idle_hours * 3600),
    };
    match cli.command.unwrap_or(Command::Serve {
        addr: std::env::var("AGENDA_ADDR")
            .ok()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000))),
        site_root: std::env::var_os("AGENDA_SITE_ROOT")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target/site")),
    }) {
        Command::Serve { addr, site_root } => {
            let config = Config {
                addr,
                site_root,
                database_url: cli.database_url,
                db_settings,
                limits,
                server_timing: cli.server_timing,
            };
            serve(config).await
        }
        Command::Seed { contacts } => {
            let db = Db::open_with(&cli.database_url, db_settings).await?;
            let started = std::time::Instant::now();
            let (company, created) = seed::seed_demo(&db, contacts).await?;
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "created {created} demo contacts in company {} in {seconds:.1}s ({:.0} contacts/s)",
                company.get(),
                created as f64 / seconds.max(1e-9)
            );
            db.close().await;
            Ok(())
        }
        Command::Export {
            company,
            format,
            query,
        } => {
            let db = Db::open_with(&cli.database_url, db_settings).await?;
            let started = std::time::Instant::now();
            let written = export_to_stdout(&db, company, format, query).await?;
            let seconds = started.elapsed().as_secs_f64();
            eprintln!(
                "\rexported {written} contacts in {seconds:.1}s ({:.0} contacts/s)",
                written as f64 / seconds.max(1e-9)
            );
            db.close().await;
            Ok(())
        }
        Command::Import {
            file,
            company,
            duplicates,
            error_report,
            resume,
        } => {
            let db = Db::open_with(&cli.database_url, db_settings).await?;
            let result = match (file, resume) {
                (_, Some(job)) => cli_import::resume(&db, company, job, error_report).await,
                (Some(file), None) => {
                    cli_import::import_file(&db, company, &file, &duplicates, error_report).await
                }
                (None, None) => Err("a file or --resume JOB is needed".into()),
            };
            db.close().await;
            result
        }
        Command::Check => {
            let db = Db::open_with(&cli.database_url, db_settings).await?;
            let report = app::maintenance::check(&db).await;
            db.close().await;
            let report = report?;
            print!("{report}");
            if report.is_ok() {
                Ok(())
            } else {
                Err(format!("{} problem(s) found", report.findings.len()).into())
            }
        }
        Command::Backup { to } => {
            let db = Db::open_with(&cli.database_url, db_settings).await?;
            let started = std::time::Instant::now();
            let summary = app::maintenance::backup(&db, &to).await;
            db.close().await;
            let summary = summary?;
            println!(
                "backup written to {} ({} bytes, {} companies, {} contacts, integrity ok) in {:.1}s",
                summary.path.display(),
                summary.bytes,
                summary.companies,
                summary.contacts,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore { from, force } => {
            let path = app::maintenance::sqlite_path(&cli.database_url).ok_or(
                "restore is for SQLite databases (PostgreSQL: pg_restore, docs/operations.md)",
            )?;
            let (summary, kept) = app::maintenance::restore(&path, &from, force).await?;
            println!(
                "restored {} into {} ({} companies, {} contacts)",
                from.display(),
                summary.path.display(),
                summary.companies,
                summary.contacts
            );
            if let Some(kept) = kept {
                println!("the database it replaced is kept at {}", kept.display());
            }
            // Newer migrations run now, as when the server starts.
            let db = Db::open_with(&cli.database_url, db_settings).await?;
            db.close().await;
            Ok(())
        }
        Command::Migrate => {
            let db = Db::open_with(&cli.database_url, db_settings).await?;
            println!("migrations applied ({})", db.backend());
            db.close().await;
            Ok(())
        }
    }
}

/// Streams the export to standard output, counting contacts on standard error.
async fn export_to_stdout(
    db: &Db,
    company: i64,
    format: String,
    query: Option<String>,
) -> Result<usize, Box<dyn std::error::Error>> {
    use futures_util::TryStreamExt;
    use std::io::Write;
    let company = app::tenant::find_company(db, company)
        .await?
        .ok_or_else(|| format!("no company with id {company}"))?;
    let params = app::import_export::export::ExportParams {
        q: query,
        format: Some(format),
        ..Default::default()
    };
    let stream = app::import_export::export::export_stream(db.clone(), company, params)
        .await
        .map_err(|e| e.to_string())?;
    futures_util::pin_mut!(stream);
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut written = 0;
    while let Some((bytes, rows)) = stream.try_next().await.map_err(|e| e.to_string())? {
        out.write_all(&bytes)?;
        written += rows;
        eprint!("\r{written} contacts…");
    }
    out.flush()?;
    Ok(written)
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    if !config.site_root.join("pkg").join("agenda_bg.wasm").exists() {
        tracing::warn!(
            site_root = %config.site_root.display(),
            "browser bundle not found: pages render but will not hydrate; run scripts/build-front.sh"
        );
    }
    let db = open_database(&config.database_url, config.db_settings).await?;
    let state = AppState::with_limits(leptos_options(&config), db.clone(), config.limits.clone());
    let router = server::timing::layer(build_router(state.clone()), config.server_timing);
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("Agenda listening on http://{}", listener.local_addr()?);
    let purge = app::housekeeping::spawn(db.clone(), config.limits.session_idle);
    let imports = state.imports.clone();
    imports.keep_resuming(db.clone(), resume_sweep_every());
    server::serve(listener, router, shutdown_signal()).await?;
    purge.abort();
    if !imports.shut_down(std::time::Duration::from_secs(30)).await {
        tracing::warn!(
            "an import did not stop within 30 s; it resumes once its heartbeat is stale"
        );
    }
    db.close().await;
    Ok(())
}

/// How often a server looks for interrupted imports to resume: as often as
/// a running import beats, so one is resumed at most this long after its
/// heartbeat goes stale.
fn resume_sweep_every() -> std::time::Duration {
    app::import_export::import::heartbeat_every(std::time::Duration::from_secs(
        u64::try_from(app::import_export::repo::stale_after_seconds()).unwrap_or(60),
    ))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
