//! `agenda import`: upload, guessed mapping, run with a progress bar,
//! summary and error report, the same path as "Importar CSV"; and
//! `agenda import --resume JOB`, which continues an interrupted import from
//! its last committed batch. Ctrl-C stops after the batch being written and
//! says how to resume.

use std::path::{Path, PathBuf};

use app::db::Db;
use app::ids::JobId;
use app::import_export::import::{self, CancellationToken, ConfirmedMapping};
use app::import_export::job::{DuplicatePolicy, ImportJob, JobStatus};
use app::import_export::repo::{self, TakeOver};
use app::tenant::CompanyId;

type CliResult = Result<(), Box<dyn std::error::Error>>;

async fn company_of(db: &Db, company: i64) -> Result<CompanyId, Box<dyn std::error::Error>> {
    Ok(app::tenant::find_company(db, company)
        .await?
        .ok_or_else(|| format!("no company with id {company}"))?)
}

/// Imports a file: upload, guessed mapping, run, progress, summary.
pub async fn import_file(
    db: &Db,
    company_number: i64,
    file: &Path,
    duplicates: &str,
    error_report: Option<PathBuf>,
) -> CliResult {
    let company = company_of(db, company_number).await?;
    let policy =
        DuplicatePolicy::parse(duplicates).ok_or("--duplicates must be skip, update or create")?;
    let user = app::auth::repo::first_admin(db, company)
        .await?
        .ok_or("the company has no active admin to import as")?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pieces = import::file_pieces(tokio::fs::File::open(file).await?);
    let id = import::store_upload(db, company, user, &name, pieces, u64::MAX)
        .await
        .map_err(|e| app::error::AppError::from(e).to_string())?;
    let preview = import::preview(db, company, id)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!(
        "import {id}, {name}: {} rows, {}, delimiter {}",
        preview.job.total_rows, preview.job.encoding, preview.job.delimiter
    );
    for (header, target) in preview.headers.iter().zip(&preview.targets) {
        eprintln!("  {header:<30} -> {}", target.code());
    }
    import::confirm(db, company, id, preview.targets.clone(), policy)
        .await
        .map_err(|e| e.to_string())?;
    let stop = stop_on_ctrl_c();
    let runner = tokio::spawn(import::run_job(db.clone(), company, id, stop));
    follow(
        db,
        company_number,
        company,
        id,
        runner,
        &preview.headers,
        error_report,
    )
    .await
}

/// Resumes an interrupted import from its last committed batch.
pub async fn resume(
    db: &Db,
    company_number: i64,
    job: i64,
    error_report: Option<PathBuf>,
) -> CliResult {
    let company = company_of(db, company_number).await?;
    let id = JobId::new(job);
    let stored = repo::get_job(db, company, id)
        .await?
        .ok_or_else(|| format!("company {company_number} has no import {job}"))?;
    match stored.job.status {
        JobStatus::Uploaded => {
            return Err(format!(
                "import {job} was never started (its columns were not confirmed); import the file again"
            )
            .into())
        }
        status if status.is_finished() => {
            return Err(format!("import {job} has already ended: {}", status.as_str()).into())
        }
        _ => {}
    }
    let run = match repo::take_over(db, company, id, chrono::Utc::now()).await? {
        TakeOver::Taken(run) => run,
        TakeOver::GaveUp => {
            return Err(format!(
                "import {job} was interrupted {} times and is now failed",
                repo::MAX_ATTEMPTS
            )
            .into())
        }
        TakeOver::NotInterrupted => {
            let age = stored
                .heartbeat_at
                .map(|at| (chrono::Utc::now() - at).num_seconds())
                .unwrap_or(0);
            return Err(format!(
                "import {job} is being run by another process (its last sign of life was {age} s ago); \
                 a server resumes it by itself if that process stops, or retry once it has been \
                 silent for {} s",
                repo::stale_after_seconds()
            )
            .into());
        }
    };
    eprintln!(
        "resuming import {job}, {}: {} of {} rows were already imported",
        stored.job.file_name, stored.job.rows_done, stored.job.total_rows
    );
    let headers = stored
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str::<ConfirmedMapping>(m).ok())
        .map(|m| m.headers)
        .unwrap_or_default();
    let stop = stop_on_ctrl_c();
    let db_run = db.clone();
    let runner = tokio::spawn(async move {
        import::run_taken(&db_run, company, run, &stop).await?;
        Ok(true)
    });
    follow(
        db,
        company_number,
        company,
        id,
        runner,
        &headers,
        error_report,
    )
    .await
}

/// A stop signal raised by Ctrl-C.
fn stop_on_ctrl_c() -> CancellationToken {
    let stop = CancellationToken::new();
    let raised = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nstopping after the batch being written…");
            raised.cancel();
        }
    });
    stop
}

/// Shows the job's progress until its runner ends, then the summary, the
/// error report, or how to resume it.
async fn follow(
    db: &Db,
    company_number: i64,
    company: CompanyId,
    id: JobId,
    runner: tokio::task::JoinHandle<Result<bool, app::error::AppError>>,
    headers: &[String],
    error_report: Option<PathBuf>,
) -> CliResult {
    let started = std::time::Instant::now();
    let job = loop {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let ended = runner.is_finished();
        let job = repo::get_job(db, company, id)
            .await?
            .ok_or("the import disappeared")?
            .job;
        progress(&job);
        if job.status.is_finished() || ended {
            break job;
        }
    };
    runner.await?.map_err(|e| e.to_string())?;
    if !job.status.is_finished() {
        eprintln!(
            "\ninterrupted: {} of {} rows imported. Resume with:\n  agenda import --resume {id} --company {company_number}",
            job.rows_done, job.total_rows
        );
        return Err("the import was interrupted".into());
    }
    eprintln!(
        "\n{}: {} created, {} updated, {} skipped, {} failed in {:.1}s",
        job.status.as_str(),
        job.created,
        job.updated,
        job.skipped,
        job.failed,
        started.elapsed().as_secs_f64()
    );
    if job.failed > 0 {
        let failures = repo::failures(db, company, id, 0, i64::MAX).await?;
        match error_report {
            Some(path) => {
                let report = import::error_report(headers, failures);
                std::fs::write(&path, report)?;
                eprintln!("error report: {}", path.display());
            }
            None => {
                for failure in failures.iter().take(20) {
                    eprintln!("  line {}: {}", failure.line, failure.reason);
                }
            }
        }
    }
    match job.status {
        JobStatus::Done => Ok(()),
        _ => Err(job
            .error
            .unwrap_or_else(|| job.status.as_str().to_string())
            .into()),
    }
}

/// One line of progress, redrawn in place.
fn progress(job: &ImportJob) {
    let width = 30;
    let filled = (job.percent() / 100.0 * width as f64).round() as usize;
    eprint!(
        "\r[{}{}] {:5.1}% {}/{} rows, {:.0} rows/s, {} errors   ",
        "#".repeat(filled.min(width)),
        " ".repeat(width - filled.min(width)),
        job.percent(),
        job.rows_done,
        job.total_rows,
        job.rows_per_second().unwrap_or(0.0),
        job.failed
    );
}
