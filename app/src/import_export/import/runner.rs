//! The background runner: a pipeline of two tasks. A blocking thread reads
//! the stored file (decoding, CSV parsing, mapping, validation and phone
//! normalization: the CPU work) and hands batches of prepared rows to an
//! async task that writes each batch in one transaction together with the
//! job's counters. A cancel, a crash or a kill -9 therefore never leaves a
//! half-written contact, and the counters always say what was committed.
//!
//! A run that was interrupted is resumed by another (see [`super::runners`]):
//! it reads the file from its start and skips the `rows_done` rows already
//! committed, so every row is written exactly once, under every duplicate
//! policy.

use chrono::Utc;
use tokio_util::sync::CancellationToken;

use crate::contacts::search::rank_repo::compact_index;
use crate::contacts::store::{prepare_contact, Strictness};
use crate::custom_fields::model::FieldDefinition;
use crate::custom_fields::repo::list_fields;
use crate::db::{is_transient, Db};
use crate::error::AppError;
use crate::import_export::batch_repo::{self, BatchOutcome, PreparedContact, PreparedRow};
use crate::import_export::detect::TextEncoding;
use crate::import_export::job::{DuplicatePolicy, JobStatus, RowFailure};
use crate::import_export::repo::{self, JobRun};
use crate::import_export::rows::{RowRead, RowReader};
use crate::maintenance::statistics::Statistics;
use crate::tenant::CompanyId;

use super::preview::ConfirmedMapping;
use super::stored_file::{csv_reader, decode_record, encoding_of, ChunkReader};
use crate::ids::JobId;

/// Rows per write transaction. 2,500 imported ~25 % faster than 1,000
/// (fewer commits, larger set-based statements; BENCHMARKS.md) and holds
/// SQLite's write lock ~0.2 s a batch, which is what an agent saving a
/// contact during an import may wait. 5,000 was faster still but noisier
/// and doubled the memory.
pub const IMPORT_BATCH: usize = 2_500;

/// A batch is also sent once its rows hold this many bytes of the file,
/// so a file of huge rows (a 12 MiB cell each) never holds thousands of
/// them in memory at once.
pub const IMPORT_BATCH_BYTES: usize = 8 * 1024 * 1024;

/// Everything the parsing thread needs.
struct Parse {
    reader: ChunkReader,
    delimiter: u8,
    encoding: TextEncoding,
    mapping: ConfirmedMapping,
    definitions: Vec<FieldDefinition>,
    policy: DuplicatePolicy,
    /// Data rows an earlier run committed: read past, not prepared again.
    skip: u64,
}

/// One row through the reader and the shared validation.
fn prepare_row(
    reader: &RowReader<'_>,
    definitions: &[FieldDefinition],
    policy: DuplicatePolicy,
    record: &csv::ByteRecord,
    encoding: TextEncoding,
    line: i64,
    today: chrono::NaiveDate,
) -> PreparedRow {
    let cells = match decode_record(record, encoding) {
        Ok(cells) => cells,
        Err((cells, reason)) => {
            return PreparedRow::Failed(RowFailure {
                line,
                cells,
                reason,
            })
        }
    };
    match reader.read(&cells) {
        RowRead::Blank => PreparedRow::Blank,
        RowRead::Invalid(reason) => PreparedRow::Failed(RowFailure {
            line,
            cells,
            reason,
        }),
        RowRead::Contact(row) => {
            match prepare_contact(
                &row.form,
                definitions,
                &|_| Vec::new(),
                today,
                Strictness::Import,
            ) {
                Ok(contact) => {
                    // On update the required fields are checked only if the
                    // row ends up creating a contact.
                    let missing_required = if policy == DuplicatePolicy::Update {
                        definitions
                            .iter()
                            .filter(|d| {
                                d.required && !contact.custom.iter().any(|(f, _)| *f == d.id)
                            })
                            .map(|d| d.label.clone())
                            .collect()
                    } else {
                        Vec::new()
                    };
                    PreparedRow::Contact(Box::new(PreparedContact {
                        line,
                        cells,
                        contact,
                        contact_id: row.contact_id,
                        name_given: row.name_given,
                        organization: row.organization.clone(),
                        groups: row.groups.clone(),
                        missing_required,
                    }))
                }
                Err(errors) => PreparedRow::Failed(RowFailure {
                    line,
                    reason: reader.describe(&row, &errors),
                    cells,
                }),
            }
        }
    }
}

/// What the parsing thread sends the writer.
enum Parsed {
    /// The next rows.
    Rows(Vec<PreparedRow>),
    /// The file cannot be read further: why.
    Failed(String),
    /// Every row was sent.
    End,
}

/// What the writer makes of the next message; a channel that closes
/// without [`Parsed::End`] (the parsing thread panicked or stopped early)
/// ends the job as failed, never as done.
fn next_step(message: Option<Parsed>) -> Result<Vec<PreparedRow>, RunEnd> {
    match message {
        Some(Parsed::Rows(rows)) => Ok(rows),
        Some(Parsed::Failed(message)) => Err(RunEnd::Failed(message)),
        Some(Parsed::End) => Err(RunEnd::Done),
        None => Err(RunEnd::Failed(
            "A leitura do arquivo parou antes do fim (erro interno); \
             as linhas contadas até aqui foram gravadas."
                .to_string(),
        )),
    }
}

/// The parsing thread: file → prepared batches, then [`Parsed::End`]; a
/// panic while parsing is sent as [`Parsed::Failed`].
fn parse_file(parse: Parse, batches: tokio::sync::mpsc::Sender<Parsed>) {
    let sender = batches.clone();
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        parse_rows(parse, batches)
    }));
    if parsed.is_err() {
        tracing::error!("the import's parsing thread panicked");
        let _ = sender.blocking_send(Parsed::Failed(
            "Erro interno ao ler o arquivo; as linhas contadas até aqui foram gravadas."
                .to_string(),
        ));
    }
}

/// [`parse_file`]'s work. Stops when the writer hangs up (cancel, failure).
fn parse_rows(parse: Parse, batches: tokio::sync::mpsc::Sender<Parsed>) {
    let Parse {
        reader,
        delimiter,
        encoding,
        mapping,
        definitions,
        policy,
        skip,
    } = parse;
    // Select options are matched with every field's options; required
    // fields are relaxed on update (checked again when a row creates).
    let relaxed: Vec<FieldDefinition> = if policy == DuplicatePolicy::Update {
        definitions
            .iter()
            .cloned()
            .map(|mut d| {
                d.required = false;
                d
            })
            .collect()
    } else {
        Vec::new()
    };
    let checked: &[FieldDefinition] = if policy == DuplicatePolicy::Update {
        &relaxed
    } else {
        &definitions
    };
    let row_reader = RowReader::new(&mapping.headers, &mapping.targets, checked);
    let today = Utc::now().date_naive();
    let mut csv = csv_reader(reader, delimiter);
    let mut record = csv::ByteRecord::new();
    let mut index = 0usize;
    let mut data_rows = 0u64;
    let mut batch_bytes = 0usize;
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let _ = batches.blocking_send(Parsed::Failed(format!(
                    "O arquivo não pôde ser lido: {error}"
                )));
                return;
            }
        }
        let this = index;
        index += 1;
        if this <= mapping.header_index {
            continue;
        }
        data_rows += 1;
        if data_rows <= skip {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as i64);
        batch_bytes += record.as_slice().len();
        batch.push(prepare_row(
            &row_reader,
            checked,
            policy,
            &record,
            encoding,
            line,
            today,
        ));
        if batch.len() == IMPORT_BATCH || batch_bytes >= IMPORT_BATCH_BYTES {
            batch_bytes = 0;
            let full = std::mem::replace(&mut batch, Vec::with_capacity(IMPORT_BATCH));
            if batches.blocking_send(Parsed::Rows(full)).is_err() {
                return;
            }
        }
    }
    if !batch.is_empty() && batches.blocking_send(Parsed::Rows(batch)).is_err() {
        return;
    }
    let _ = batches.blocking_send(Parsed::End);
}

/// Runs a queued job to its end (done, failed or cancelled), or until
/// `stop` (then it is handed back for another process to resume). Returns
/// `Ok(false)` when another process had taken it.
pub async fn run_job(
    db: Db,
    company: CompanyId,
    id: JobId,
    stop: CancellationToken,
) -> Result<bool, AppError> {
    let Some(run) = repo::claim_job(&db, company, id).await? else {
        return Ok(false);
    };
    run_taken(&db, company, run, &stop).await?;
    Ok(true)
}

/// Runs a job this process has taken, from its last committed batch.
pub async fn run_taken(
    db: &Db,
    company: CompanyId,
    run: JobRun,
    stop: &CancellationToken,
) -> Result<(), AppError> {
    let id = run.id;
    let result = run_claimed(db, company, run, stop).await;
    let (status, error) = match &result {
        Ok(RunEnd::NotRunning) => {
            tracing::warn!(job = %id, "import stopped: another process took it over");
            return Ok(());
        }
        Ok(RunEnd::Stopped) => {
            if repo::release_job(db, company, run).await? {
                tracing::info!(job = %id, "import handed back: it resumes on the next start");
            }
            return Ok(());
        }
        Ok(RunEnd::HandedBack) => {
            if repo::release_job(db, company, run).await? {
                tracing::warn!(job = %id, "import handed back after failed batches: a sweep resumes it");
            }
            return Ok(());
        }
        Ok(RunEnd::Done) => (JobStatus::Done, None),
        Ok(RunEnd::Cancelled) => (JobStatus::Cancelled, None),
        Ok(RunEnd::Failed(message)) => (JobStatus::Failed, Some(message.clone())),
        Err(error) => {
            tracing::error!(%error, job = %id, "import failed");
            (
                JobStatus::Failed,
                Some("Erro interno ao gravar; as linhas contadas foram gravadas.".to_string()),
            )
        }
    };
    repo::finish_job(
        db,
        company,
        run,
        status,
        error.as_deref(),
        COMPACT_AFTER_ROWS,
    )
    .await?;
    compact_after_imports(db).await;
    Ok(())
}

/// Compacts the search index after the imports that wrote enough contacts
/// to need it (also those whose compaction a crash interrupted). Only the
/// search's speed depends on it: a failure is logged and retried later.
pub async fn compact_after_imports(db: &Db) {
    let jobs = match repo::jobs_to_compact(db).await {
        Ok(jobs) if jobs.is_empty() => return,
        Ok(jobs) => jobs,
        Err(error) => {
            tracing::warn!(%error, "listing the imports to compact after");
            return;
        }
    };
    match compact_index(db).await {
        Ok(_) => {
            if let Err(error) = repo::compacted(db, &jobs).await {
                tracing::warn!(%error, "recording the search index's compaction");
            }
        }
        Err(error) => tracing::warn!(%error, "compacting the search index"),
    }
}

/// An import that wrote at least this many contacts compacts the search
/// index after it (`search::rank_repo::compact_index`): its batches leave
/// large index segments that every search would otherwise read one by one
/// (at 1,000,000 contacts, 13 segments made a phone search 3-5 times
/// slower; BENCHMARKS.md). Smaller writes leave small segments, which
/// SQLite's own merging keeps few.
pub const COMPACT_AFTER_ROWS: i64 = 10_000;

#[derive(Debug, PartialEq, Eq)]
enum RunEnd {
    Done,
    Cancelled,
    Failed(String),
    /// The job was no longer running under this run when a batch was to
    /// be written.
    NotRunning,
    /// This process is stopping: the job is handed back between batches.
    Stopped,
    /// A batch kept failing for a passing reason (see [`BATCH_RETRIES`]):
    /// the job is handed back to be resumed.
    HandedBack,
}

/// How often a running import records that its process is alive, for a
/// job declared lost once its heartbeat is `stale_after` old: six beats
/// fit in that window, whatever a batch takes.
pub fn heartbeat_every(stale_after: std::time::Duration) -> std::time::Duration {
    (stale_after / 6).max(std::time::Duration::from_millis(100))
}

/// A heartbeat task that stops when this is dropped (whichever way its
/// runner ends, a panic included: a job whose runner is gone must stop
/// beating, to be seen as lost).
pub struct Heartbeat(tokio::task::JoinHandle<()>);

impl Heartbeat {
    /// Whether the task has stopped by itself (the job stopped running).
    pub fn is_finished(&self) -> bool {
        self.0.is_finished()
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Beats for a running job every `every` until dropped (or the job stops
/// running), independently of its batches: a slow batch never makes a live
/// job look lost.
pub fn keep_beating(
    db: Db,
    company: CompanyId,
    run: JobRun,
    every: std::time::Duration,
) -> Heartbeat {
    let id = run.id;
    Heartbeat(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match repo::beat(&db, company, run).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(error) => tracing::warn!(%error, job = %id, "import heartbeat"),
            }
        }
    }))
}

/// Runs the job's batches from its last committed one: how it ended.
async fn run_claimed(
    db: &Db,
    company: CompanyId,
    run: JobRun,
    stop: &CancellationToken,
) -> Result<RunEnd, AppError> {
    let id = run.id;
    let job = repo::get_job(db, company, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mapping: ConfirmedMapping = job
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .ok_or(AppError::Internal)?;
    let policy = job.job.policy.unwrap_or_default();
    if job.job.rows_done > 0 {
        tracing::info!(job = %id, attempt = run.attempt, rows_done = job.job.rows_done, "resuming an import");
    }
    let definitions = list_fields(db, company, false).await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Parsed>(4);
    let parse = Parse {
        reader: ChunkReader::new(
            db.clone(),
            company,
            id,
            u64::try_from(job.job.file_size).unwrap_or(0),
        ),
        delimiter: job.delimiter,
        encoding: encoding_of(&job.encoding),
        mapping,
        definitions,
        policy,
        skip: u64::try_from(job.job.rows_done).unwrap_or(0),
    };
    let writer = db.bulk_writer().await?;
    let every = heartbeat_every(std::time::Duration::from_secs(
        u64::try_from(repo::stale_after_seconds()).unwrap_or(60),
    ));
    let heartbeat = keep_beating(db.clone(), company, run, every);
    let parser = tokio::task::spawn_blocking(move || parse_file(parse, sender));
    let end = write_batches(db, writer.db(), company, run, policy, &mut receiver, stop).await;
    drop(heartbeat);
    writer.finish().await;
    drop(receiver);
    let _ = parser.await;
    end
}

/// Writes the parsed batches through `writer` until the file ends, the job
/// is cancelled or stops running, parsing fails, a write fails, or `stop`
/// (checked between batches: a batch being written is committed first).
async fn write_batches(
    db: &Db,
    writer: &Db,
    company: CompanyId,
    run: JobRun,
    policy: DuplicatePolicy,
    receiver: &mut tokio::sync::mpsc::Receiver<Parsed>,
    stop: &CancellationToken,
) -> Result<RunEnd, AppError> {
    // Until when batches go in CONTENDED_ROWS-row pieces.
    let mut small_until: Option<std::time::Instant> = None;
    let mut retries = 0u32;
    let mut statistics = Statistics::start(db).await?;
    loop {
        let message = tokio::select! {
            biased;
            _ = stop.cancelled() => return Ok(RunEnd::Stopped),
            message = receiver.recv() => message,
        };
        let rows = match next_step(message) {
            Ok(rows) => rows,
            Err(end) => return Ok(end),
        };
        // While agents' writes wait for SQLite's write lock, the batch goes
        // in chunks, each its own transaction with its counters (a prefix
        // of the file, so a resume still skips exactly what committed).
        let mut start = 0;
        while start < rows.len() {
            if start > 0 && stop.is_cancelled() {
                return Ok(RunEnd::Stopped);
            }
            let small = small_until.is_some_and(|until| std::time::Instant::now() < until);
            let end = if small {
                (start + CONTENDED_ROWS).min(rows.len())
            } else {
                rows.len()
            };
            let written = batch_repo::write_batch(writer, company, run, policy, &rows[start..end]);
            let outcome = match written.await {
                Ok(outcome) => outcome,
                Err(error) if is_transient(&error) => {
                    if retries == BATCH_RETRIES {
                        tracing::warn!(%error, job = %run.id, "import batch failed again: handing the job back");
                        return Ok(RunEnd::HandedBack);
                    }
                    retries += 1;
                    tracing::warn!(%error, job = %run.id, retry = retries, rows = end - start,
                        "import batch failed: writing it again in smaller pieces");
                    tokio::select! {
                        biased;
                        _ = stop.cancelled() => return Ok(RunEnd::Stopped),
                        _ = tokio::time::sleep(RETRY_PAUSE * 2u32.pow(retries - 1)) => {}
                    }
                    small_until = Some(std::time::Instant::now() + SMALL_AFTER_FAILURE_FOR);
                    continue;
                }
                Err(error) => return Err(error.into()),
            };
            match outcome {
                BatchOutcome::Written(counts) => {
                    retries = 0;
                    statistics.wrote(db, counts.created + counts.updated).await;
                    if db.yield_to_writers().await {
                        small_until = Some(std::time::Instant::now() + CONTENDED_FOR);
                    }
                }
                BatchOutcome::Cancelled => return Ok(RunEnd::Cancelled),
                BatchOutcome::NotRunning => return Ok(RunEnd::NotRunning),
            }
            start = end;
        }
    }
}

/// Rows per write transaction while other writers of the process wait for
/// SQLite's write lock: about 70 ms of lock instead of a whole batch's
/// 0.3–0.7 s, so an agent saving a contact during an import is not held
/// back by it (RELIABILITY.md, "writers").
pub const CONTENDED_ROWS: usize = 200;

/// How long after other writers were last seen waiting the import keeps
/// writing [`CONTENDED_ROWS`] at a time.
const CONTENDED_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// Times a batch that failed for a passing reason ([`is_transient`]: a
/// statement past the timeout, a deadlock, a lost connection, a busy
/// database) is written again, in [`CONTENDED_ROWS`]-row pieces, after
/// pauses of [`RETRY_PAUSE`], twice that, and so on. Past them the job is
/// handed back: a sweep resumes it from its last committed batch, as after
/// a crash, within the bound of `repo::MAX_ATTEMPTS`.
const BATCH_RETRIES: u32 = 3;

/// The first pause before a failed batch is written again.
const RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(500);

/// How long after a failed batch the import keeps writing
/// [`CONTENDED_ROWS`] at a time.
const SMALL_AFTER_FAILURE_FOR: std::time::Duration = std::time::Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parse_that_stops_without_its_end_fails_the_job() {
        assert!(matches!(next_step(Some(Parsed::Rows(vec![]))), Ok(rows) if rows.is_empty()));
        assert_eq!(next_step(Some(Parsed::End)).err(), Some(RunEnd::Done));
        assert_eq!(
            next_step(Some(Parsed::Failed("x".into()))).err(),
            Some(RunEnd::Failed("x".into()))
        );
        // The channel closed without End: the parser panicked or stopped.
        assert!(
            matches!(next_step(None), Err(RunEnd::Failed(m)) if m.contains("parou antes do fim"))
        );
    }
}
