//! The background runner: a pipeline of two tasks. A blocking thread reads
//! the stored file (decoding, CSV parsing, mapping, validation and phone
//! normalization: the CPU work) and hands batches of prepared rows to an
//! async task that writes each batch in one transaction together with the
//! job's counters. A cancel, a crash or a kill -9 therefore never leaves a
//! half-written contact, and the counters always say what was committed.

use chrono::Utc;

use crate::contacts::search::rank_repo::compact_index;
use crate::contacts::store::{prepare_contact, Strictness};
use crate::custom_fields::model::FieldDefinition;
use crate::custom_fields::repo::list_fields;
use crate::db::Db;
use crate::error::AppError;
use crate::import_export::batch_repo::{self, BatchOutcome, PreparedContact, PreparedRow};
use crate::import_export::detect::TextEncoding;
use crate::import_export::job::{DuplicatePolicy, JobStatus, RowFailure};
use crate::import_export::repo;
use crate::import_export::rows::{RowRead, RowReader};
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

/// Everything the parsing thread needs.
struct Parse {
    reader: ChunkReader,
    delimiter: u8,
    encoding: TextEncoding,
    mapping: ConfirmedMapping,
    definitions: Vec<FieldDefinition>,
    policy: DuplicatePolicy,
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
        let line = record.position().map_or(0, |p| p.line() as i64);
        batch.push(prepare_row(
            &row_reader,
            checked,
            policy,
            &record,
            encoding,
            line,
            today,
        ));
        if batch.len() == IMPORT_BATCH {
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

/// Runs a queued job to its end (done, failed or cancelled). Returns
/// `Ok(false)` when another process had taken it.
pub async fn run_job(db: Db, company: CompanyId, id: JobId) -> Result<bool, AppError> {
    if !repo::claim_job(&db, company, id).await? {
        return Ok(false);
    }
    let result = run_claimed(&db, company, id).await;
    let (status, error) = match &result {
        Ok((RunEnd::NotRunning, _)) => {
            tracing::warn!(job = %id, "import stopped: another process declared it lost");
            return Ok(true);
        }
        Ok((RunEnd::Done, _)) => (JobStatus::Done, None),
        Ok((RunEnd::Cancelled, _)) => (JobStatus::Cancelled, None),
        Ok((RunEnd::Failed(message), _)) => (JobStatus::Failed, Some(message.clone())),
        Err(error) => {
            tracing::error!(%error, job = %id, "import failed");
            (
                JobStatus::Failed,
                Some("Erro interno ao gravar; as linhas contadas foram gravadas.".to_string()),
            )
        }
    };
    repo::finish_job(&db, company, id, status, error.as_deref()).await?;
    if let Ok((_, written)) = result {
        if written >= COMPACT_AFTER_ROWS {
            // Only the search's speed depends on it: a failure is logged.
            if let Err(error) = compact_index(&db).await {
                tracing::warn!(%error, job = %id, "compacting the search index");
            }
        }
    }
    Ok(true)
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
    /// The job was no longer running when a batch was to be written.
    NotRunning,
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
    id: JobId,
    every: std::time::Duration,
) -> Heartbeat {
    Heartbeat(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match repo::beat(&db, company, id).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(error) => tracing::warn!(%error, job = %id, "import heartbeat"),
            }
        }
    }))
}

/// Runs the job's batches: how it ended, and how many contacts it wrote.
async fn run_claimed(db: &Db, company: CompanyId, id: JobId) -> Result<(RunEnd, i64), AppError> {
    let job = repo::get_job(db, company, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mapping: ConfirmedMapping = job
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .ok_or(AppError::Internal)?;
    let policy = job.job.policy.unwrap_or_default();
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
    };
    let writer = db.bulk_writer().await?;
    let every = heartbeat_every(std::time::Duration::from_secs(
        u64::try_from(repo::stale_after_seconds()).unwrap_or(60),
    ));
    let heartbeat = keep_beating(db.clone(), company, id, every);
    let parser = tokio::task::spawn_blocking(move || parse_file(parse, sender));
    let end = write_batches(db, writer.db(), company, id, policy, &mut receiver).await;
    drop(heartbeat);
    writer.finish().await;
    drop(receiver);
    let _ = parser.await;
    end
}

/// Writes the parsed batches through `writer` until the file ends, the job
/// is cancelled or stops running, parsing fails or a write fails; counts
/// the contacts created and updated.
async fn write_batches(
    db: &Db,
    writer: &Db,
    company: CompanyId,
    id: JobId,
    policy: DuplicatePolicy,
    receiver: &mut tokio::sync::mpsc::Receiver<Parsed>,
) -> Result<(RunEnd, i64), AppError> {
    let mut written = 0;
    loop {
        let rows = match next_step(receiver.recv().await) {
            Ok(rows) => rows,
            Err(end) => return Ok((end, written)),
        };
        match batch_repo::write_batch(writer, company, id, policy, &rows).await? {
            BatchOutcome::Written(counts) => {
                written += counts.created + counts.updated;
                db.yield_to_writers().await
            }
            BatchOutcome::Cancelled => return Ok((RunEnd::Cancelled, written)),
            BatchOutcome::NotRunning => return Ok((RunEnd::NotRunning, written)),
        }
    }
}

/// Queues a job and runs it in the background of this process.
pub fn spawn_job(db: Db, company: CompanyId, id: JobId) {
    tokio::spawn(async move {
        if let Err(error) = run_job(db, company, id).await {
            tracing::error!(%error, job = %id, "import job");
        }
    });
}

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
