//! The import's server side: the upload route (`POST /contacts/import`),
//! the preview read from the stored file, the background runner, and the
//! error report (`GET /contacts/import/{id}/errors.csv`).
//!
//! The runner is a pipeline of two tasks: a blocking thread reads the
//! stored file (decoding, CSV parsing, mapping, validation and phone
//! normalization: the CPU work) and hands batches of prepared rows to an
//! async task that writes each batch in one transaction together with the
//! job's counters. A cancel, a crash or a kill -9 therefore never leaves a
//! half-written contact, and the counters always say what was committed.

use std::io::{Read, Seek, SeekFrom, Write};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::Utc;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::auth::access::Grant;
use crate::auth::session::RequestSession;
use crate::contacts::search::rank_repo::compact_index;
use crate::contacts::store::{prepare_contact, Strictness};
use crate::custom_fields::model::FieldDefinition;
use crate::custom_fields::repo::list_fields;
use crate::db::Db;
use crate::error::AppError;
use crate::import_export::batch_repo::{self, BatchOutcome, PreparedContact, PreparedRow};
use crate::import_export::csv_format::{neutralize, CsvFlavor};
use crate::import_export::detect::{sniff_delimiter, sniff_encoding, TextEncoding};
use crate::import_export::job::{DuplicatePolicy, ImportPreview, JobStatus, RowFailure};
use crate::import_export::mapping::{guess_columns, ColumnTarget};
use crate::import_export::repo::{self, NewJob, StoredJob, CHUNK_BYTES};
use crate::import_export::rows::{pick_header, FileError, FileScan, RowRead, RowReader};
use crate::state::AppState;
use crate::tenant::CompanyId;

/// Rows per write transaction. 2,500 imported ~25 % faster than 1,000
/// (fewer commits, larger set-based statements; BENCHMARKS.md) and holds
/// SQLite's write lock ~0.2 s a batch, which is what an agent saving a
/// contact during an import may wait. 5,000 was faster still but noisier
/// and doubled the memory.
pub const IMPORT_BATCH: usize = 2_500;

/// Largest upload accepted by default, in MB (`AGENDA_IMPORT_MAX_MB`).
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 512;

/// Bytes of the file's start used to sniff its encoding and delimiter.
const SAMPLE_BYTES: usize = 64 * 1024;

/// Rows shown in the mapping step.
pub const PREVIEW_ROWS: usize = 5;

/// The upload limit in bytes, from `AGENDA_IMPORT_MAX_MB`.
pub fn max_upload_mb() -> u64 {
    std::env::var("AGENDA_IMPORT_MAX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_MAX_UPLOAD_MB)
}

/// What the runner needs to know about the file's columns: stored as the
/// job's mapping when the user confirms it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmedMapping {
    /// Index of the header among the file's records.
    pub header_index: usize,
    pub headers: Vec<String>,
    pub targets: Vec<ColumnTarget>,
}

fn stored_encoding(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 => "utf-8",
        TextEncoding::Utf8Bom => "utf-8-bom",
        TextEncoding::Windows1252 => "windows-1252",
    }
}

/// Why an upload was refused.
#[derive(Debug)]
pub enum UploadError {
    File(FileError),
    Io(std::io::Error),
    Db(sqlx::Error),
}

impl From<std::io::Error> for UploadError {
    fn from(error: std::io::Error) -> Self {
        UploadError::Io(error)
    }
}

impl From<sqlx::Error> for UploadError {
    fn from(error: sqlx::Error) -> Self {
        UploadError::Db(error)
    }
}

impl From<UploadError> for AppError {
    fn from(error: UploadError) -> Self {
        match error {
            UploadError::File(error) => AppError::field("file", error.to_string()),
            UploadError::Io(error) => {
                tracing::error!(%error, "import upload i/o");
                AppError::Internal
            }
            UploadError::Db(error) => error.into(),
        }
    }
}

/// A file name as shown to people: its last path part, at most 200 characters.
fn clean_file_name(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.is_empty() {
        "contatos.csv".to_string()
    } else {
        name
    }
}

/// Receives a file piece by piece, checks it (size, binary bytes, quotes,
/// rows), sniffs its shape, and stores it as an `uploaded` job. The bytes go
/// to a temporary file first, so a refused or broken upload never touches
/// the database, and memory stays flat.
pub async fn store_upload<S, E>(
    db: &Db,
    company: CompanyId,
    user: i64,
    file_name: &str,
    mut pieces: S,
    max_bytes: u64,
) -> Result<i64, UploadError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut spool = tempfile::tempfile()?;
    let mut scan = FileScan::default();
    let mut sample: Vec<u8> = Vec::with_capacity(SAMPLE_BYTES);
    while let Some(piece) = pieces.next().await {
        let piece = piece.map_err(|e| UploadError::Io(std::io::Error::other(e.to_string())))?;
        if scan.bytes + piece.len() as u64 > max_bytes {
            return Err(UploadError::File(FileError::TooLarge(
                max_bytes / 1_000_000,
            )));
        }
        if sample.len() < SAMPLE_BYTES {
            let take = (SAMPLE_BYTES - sample.len()).min(piece.len());
            sample.extend_from_slice(&piece[..take]);
        }
        scan.feed(&piece);
        spool.write_all(&piece)?;
    }
    let size = scan.bytes;
    let rows = scan.finish().map_err(UploadError::File)?;
    let encoding = sniff_encoding(&sample);
    let text = decode_lossy(&sample, encoding);
    let delimiter = sniff_delimiter(&text).unwrap_or(b',');
    spool.seek(SeekFrom::Start(0))?;
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let next = move || -> std::io::Result<Option<Vec<u8>>> {
        let mut filled = 0;
        while filled < buffer.len() {
            let n = spool.read(&mut buffer[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        Ok((filled > 0).then(|| buffer[..filled].to_vec()))
    };
    let name = clean_file_name(file_name);
    let id = repo::create_job(
        db,
        company,
        &NewJob {
            created_by: user,
            file_name: &name,
            file_size: size as i64,
            encoding: stored_encoding(encoding),
            delimiter,
            total_rows: rows as i64,
        },
        next,
    )
    .await?;
    Ok(id)
}

/// A file on disk as the pieces [`store_upload`] takes (the command line
/// and the benchmark upload files this way).
pub fn file_pieces(
    file: tokio::fs::File,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Unpin {
    Box::pin(futures_util::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buffer = vec![0u8; CHUNK_BYTES];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(Bytes::from(buffer)), file))
            }
            Err(error) => Some((Err(error), file)),
        }
    }))
}

/// Text of some bytes in an encoding; bad UTF-8 becomes U+FFFD (for
/// previews and reports only, never for stored data).
fn decode_lossy(bytes: &[u8], encoding: TextEncoding) -> String {
    match encoding {
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

fn encoding_of(stored: &str) -> TextEncoding {
    match stored {
        "windows-1252" => TextEncoding::Windows1252,
        "utf-8-bom" => TextEncoding::Utf8Bom,
        _ => TextEncoding::Utf8,
    }
}

/// A record's cells as text. Windows-1252 always decodes; UTF-8 that is not
/// valid is an error for the row (which column), with the cells kept
/// readable for the report.
fn decode_record(
    record: &csv::ByteRecord,
    encoding: TextEncoding,
) -> Result<Vec<String>, (Vec<String>, String)> {
    let mut cells = Vec::with_capacity(record.len());
    let mut bad: Option<usize> = None;
    let last = record.len().saturating_sub(1);
    for (index, field) in record.iter().enumerate() {
        let field = if index == last {
            field.strip_suffix(b"\r").unwrap_or(field)
        } else {
            field
        };
        match encoding {
            TextEncoding::Windows1252 => cells.push(
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(field)
                    .0
                    .into_owned(),
            ),
            _ => match std::str::from_utf8(field) {
                Ok(text) => cells.push(text.to_string()),
                Err(_) => {
                    bad.get_or_insert(index);
                    cells.push(String::from_utf8_lossy(field).into_owned());
                }
            },
        }
    }
    match bad {
        None => Ok(cells),
        Some(index) => Err((
            cells,
            format!(
                "coluna {}: o texto não é UTF-8 válido (o arquivo mistura codificações?).",
                crate::import_export::rows::column_letter(index)
            ),
        )),
    }
}

/// The CSV reader for imported files. Only a line feed ends a record (a
/// CR before it is dropped from the last cell): with the default, a CRLF's
/// line feed would be read as the start of the next record and every line
/// number after the header would be off by one.
fn csv_reader<R: Read>(reader: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader)
}

/// The first records of a stored file (decoded, lossy), read from its first
/// chunk: a record cut at the chunk's end is left out.
async fn first_records(
    db: &Db,
    company: CompanyId,
    job: &StoredJob,
    limit: usize,
) -> Result<Vec<Vec<String>>, AppError> {
    let first = repo::read_chunk(db, company, job.job.id, 0)
        .await?
        .ok_or(AppError::NotFound)?;
    let whole = first.len() as i64 == job.job.file_size;
    let encoding = encoding_of(&job.encoding);
    let start = if first.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let mut reader = csv_reader(&first[start..], job.delimiter);
    let mut record = csv::ByteRecord::new();
    let mut records = Vec::new();
    while records.len() < limit {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
        let cut = !whole && reader.position().byte() as usize >= first.len() - start;
        if cut {
            break;
        }
        records.push(match decode_record(&record, encoding) {
            Ok(cells) => cells,
            Err((cells, _)) => cells,
        });
    }
    Ok(records)
}

/// The header (index and names) of a stored file.
async fn read_header(
    db: &Db,
    company: CompanyId,
    job: &StoredJob,
    definitions: &[FieldDefinition],
) -> Result<(usize, Vec<String>, Vec<Vec<String>>), AppError> {
    let records = first_records(db, company, job, 10 + PREVIEW_ROWS).await?;
    if records.is_empty() {
        return Err(AppError::field(
            "file",
            "A primeira linha do arquivo passa de 1 MB: não parece um CSV de contatos.",
        ));
    }
    let index = pick_header(&records, definitions);
    let headers: Vec<String> = records[index]
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows = records
        .into_iter()
        .skip(index + 1)
        .take(PREVIEW_ROWS)
        .collect();
    Ok((index, headers, rows))
}

/// The mapping step's data for an uploaded job.
pub async fn preview(db: &Db, company: CompanyId, id: i64) -> Result<ImportPreview, AppError> {
    let job = repo::get_job(db, company, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = list_fields(db, company, false).await?;
    let (headers, rows, targets) = if job.job.status == JobStatus::Uploaded {
        let (_, headers, rows) = read_header(db, company, &job, &fields).await?;
        let targets = guess_columns(&headers, &fields);
        (headers, rows, targets)
    } else {
        // The file is gone once the job ended; the mapping remembers the header.
        let mapping: Option<ConfirmedMapping> = job
            .mapping
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok());
        match mapping {
            Some(m) => (m.headers, Vec::new(), m.targets),
            None => (Vec::new(), Vec::new(), Vec::new()),
        }
    };
    Ok(ImportPreview {
        job: job.job,
        headers,
        rows,
        targets,
        fields,
    })
}

/// Confirms the mapping and queues the job. Checks that the targets fit
/// the header and name existing custom fields, and that at least a name,
/// phone or e-mail column is imported.
pub async fn confirm(
    db: &Db,
    company: CompanyId,
    id: i64,
    targets: Vec<ColumnTarget>,
    policy: DuplicatePolicy,
) -> Result<(), AppError> {
    let job = repo::get_job(db, company, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if job.job.status != JobStatus::Uploaded {
        return Err(AppError::Conflict(
            "Esta importação já foi iniciada ou cancelada.".to_string(),
        ));
    }
    let fields = list_fields(db, company, false).await?;
    let (header_index, headers, _) = read_header(db, company, &job, &fields).await?;
    if targets.len() != headers.len() {
        return Err(AppError::field(
            "targets",
            format!(
                "O arquivo tem {} colunas; o mapeamento enviado tem {}.",
                headers.len(),
                targets.len()
            ),
        ));
    }
    for (index, target) in targets.iter().enumerate() {
        if let ColumnTarget::Custom(key) = target {
            if !fields.iter().any(|f| &f.key == key) {
                return Err(AppError::field(
                    &format!("targets.{index}"),
                    format!("O campo personalizado \"{key}\" não existe."),
                ));
            }
        }
    }
    let identifies = targets.iter().any(|t| {
        matches!(
            t,
            ColumnTarget::Name
                | ColumnTarget::FirstName
                | ColumnTarget::LastName
                | ColumnTarget::Phone
                | ColumnTarget::Email
        )
    });
    if !identifies {
        return Err(AppError::field(
            "targets",
            "Associe ao menos uma coluna a Nome, Telefone ou E-mail.",
        ));
    }
    let mapping = serde_json::to_string(&ConfirmedMapping {
        header_index,
        headers,
        targets,
    })
    .map_err(|_| AppError::Internal)?;
    if !repo::queue_job(db, company, id, &mapping, policy).await? {
        return Err(AppError::Conflict(
            "Esta importação já foi iniciada ou cancelada.".to_string(),
        ));
    }
    Ok(())
}

/// Reads a job's stored file chunk by chunk, from a blocking thread. A
/// file that ends before its size (a piece missing) is an error, never a
/// shorter file.
struct ChunkReader {
    runtime: tokio::runtime::Handle,
    db: Db,
    company: CompanyId,
    job: i64,
    seq: i64,
    buffer: Vec<u8>,
    position: usize,
    done: bool,
    /// The file's size as uploaded, and the bytes read so far.
    expected: u64,
    read: u64,
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.position == self.buffer.len() {
            if self.done {
                return Ok(0);
            }
            let next = self
                .runtime
                .block_on(repo::read_chunk(&self.db, self.company, self.job, self.seq))
                .map_err(std::io::Error::other)?;
            match next {
                Some(bytes) => {
                    let skip = if self.seq == 0 && bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
                        3
                    } else {
                        0
                    };
                    self.read += bytes.len() as u64;
                    self.buffer = bytes;
                    self.position = skip;
                    self.seq += 1;
                }
                None if self.read != self.expected => {
                    return Err(std::io::Error::other(format!(
                        "o arquivo guardado está incompleto ({} de {} bytes)",
                        self.read, self.expected
                    )));
                }
                None => self.done = true,
            }
        }
        let n = out.len().min(self.buffer.len() - self.position);
        out[..n].copy_from_slice(&self.buffer[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

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
pub async fn run_job(db: Db, company: CompanyId, id: i64) -> Result<bool, AppError> {
    if !repo::claim_job(&db, company, id).await? {
        return Ok(false);
    }
    let result = run_claimed(&db, company, id).await;
    let (status, error) = match &result {
        Ok((RunEnd::NotRunning, _)) => {
            tracing::warn!(job = id, "import stopped: another process declared it lost");
            return Ok(true);
        }
        Ok((RunEnd::Done, _)) => (JobStatus::Done, None),
        Ok((RunEnd::Cancelled, _)) => (JobStatus::Cancelled, None),
        Ok((RunEnd::Failed(message), _)) => (JobStatus::Failed, Some(message.clone())),
        Err(error) => {
            tracing::error!(%error, job = id, "import failed");
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
                tracing::warn!(%error, job = id, "compacting the search index");
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
pub fn keep_beating(db: Db, company: CompanyId, id: i64, every: std::time::Duration) -> Heartbeat {
    Heartbeat(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match repo::beat(&db, company, id).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(error) => tracing::warn!(%error, job = id, "import heartbeat"),
            }
        }
    }))
}

/// Runs the job's batches: how it ended, and how many contacts it wrote.
async fn run_claimed(db: &Db, company: CompanyId, id: i64) -> Result<(RunEnd, i64), AppError> {
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
        reader: ChunkReader {
            runtime: tokio::runtime::Handle::current(),
            db: db.clone(),
            company,
            job: id,
            seq: 0,
            buffer: Vec::new(),
            position: 0,
            done: false,
            expected: u64::try_from(job.job.file_size).unwrap_or(0),
            read: 0,
        },
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
    id: i64,
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
pub fn spawn_job(db: Db, company: CompanyId, id: i64) {
    tokio::spawn(async move {
        if let Err(error) = run_job(db, company, id).await {
            tracing::error!(%error, job = id, "import job");
        }
    });
}

/// The upload route's query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UploadParams {
    /// The file's name as the user picked it.
    pub name: Option<String>,
}

/// What the upload route answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Uploaded {
    pub id: i64,
}

/// `POST /contacts/import?name=FILE`: the body is the file's bytes.
pub async fn upload_route(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
    Query(params): Query<UploadParams>,
    body: Body,
) -> Response {
    let user = match session.user_granted(Grant::Import) {
        Ok(user) => user,
        Err(error) => return error.into_response(),
    };
    let max = max_upload_mb() * 1_000_000;
    let stream = body.into_data_stream();
    match store_upload(
        &state.db,
        user.company_id,
        user.user_id,
        params.name.as_deref().unwrap_or_default(),
        stream,
        max,
    )
    .await
    {
        Ok(id) => (StatusCode::CREATED, axum::Json(Uploaded { id })).into_response(),
        Err(UploadError::File(FileError::TooLarge(mb))) => {
            let error = AppError::field("file", FileError::TooLarge(mb).to_string());
            let mut response = error.into_response();
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            response
        }
        Err(error) => AppError::from(error).into_response(),
    }
}

/// Failed rows read per step of the error report.
const REPORT_PAGE: i64 = 1_000;

/// `GET /contacts/import/{id}/errors.csv`: every failed row with its line
/// number and reason, then the row as it was in the file.
pub async fn error_report_route(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
    Path(id): Path<i64>,
) -> Response {
    let user = match session.user_granted(Grant::Import) {
        Ok(user) => user,
        Err(error) => return error.into_response(),
    };
    let db = state.db.clone();
    let company = user.company_id;
    let job = match repo::get_job(&db, company, id).await {
        Ok(Some(job)) => job,
        Ok(None) => return AppError::NotFound.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };
    let headers: Vec<String> = job
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str::<ConfirmedMapping>(m).ok())
        .map(|m| m.headers)
        .unwrap_or_default();
    let flavor = CsvFlavor::Excel;
    let mut head = flavor.preamble().to_vec();
    let mut first = vec!["Linha".to_string(), "Motivo".to_string()];
    first.extend(headers);
    write_rows(&mut head, flavor, &[first]);
    let start = futures_util::stream::once(async move { Ok::<_, sqlx::Error>(Bytes::from(head)) });
    let pages = futures_util::stream::try_unfold(Some(0i64), move |after| {
        let db = db.clone();
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let failures = repo::failures(&db, company, id, after, REPORT_PAGE).await?;
            if failures.is_empty() {
                return Ok(None);
            }
            let next = (failures.len() as i64 == REPORT_PAGE)
                .then(|| failures.last().map_or(after, |f| f.line));
            let rows: Vec<Vec<String>> = failures
                .into_iter()
                .map(|f| {
                    let mut row = vec![f.line.to_string(), f.reason];
                    row.extend(f.cells);
                    row
                })
                .collect();
            let mut out = Vec::new();
            write_rows(&mut out, flavor, &rows);
            Ok(Some((Bytes::from(out), next)))
        }
    });
    crate::import_export::export::csv_download(
        &format!("erros-importacao-{id}.csv"),
        Body::from_stream(start.chain(pages)),
    )
}

/// A whole error report in memory (the command line writes it to a file).
pub fn error_report(headers: &[String], failures: Vec<RowFailure>) -> Vec<u8> {
    let flavor = CsvFlavor::Excel;
    let mut out = flavor.preamble().to_vec();
    let mut first = vec!["Linha".to_string(), "Motivo".to_string()];
    first.extend(headers.iter().cloned());
    let mut rows = vec![first];
    rows.extend(failures.into_iter().map(|f| {
        let mut row = vec![f.line.to_string(), f.reason];
        row.extend(f.cells);
        row
    }));
    write_rows(&mut out, flavor, &rows);
    out
}

/// Rows as CSV in the flavor, every cell neutralised.
fn write_rows(out: &mut Vec<u8>, flavor: CsvFlavor, rows: &[Vec<String>]) {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(flavor.delimiter())
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out);
    for row in rows {
        let cells: Vec<std::borrow::Cow<'_, str>> = row.iter().map(|c| neutralize(c)).collect();
        if let Err(error) = writer.write_record(cells.iter().map(|c| c.as_bytes())) {
            tracing::error!(%error, "error report row");
        }
    }
    let _ = writer.flush();
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

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(
            clean_file_name("C:\\Users\\ana\\clientes.csv"),
            "clientes.csv"
        );
        assert_eq!(clean_file_name("/tmp/x/lista.csv"), "lista.csv");
        assert_eq!(clean_file_name("  "), "contatos.csv");
    }

    #[test]
    fn records_decode_per_encoding() {
        let mut record = csv::ByteRecord::new();
        record.push_field(b"Jo\xe3o");
        record.push_field(b"ok");
        assert_eq!(
            decode_record(&record, TextEncoding::Windows1252),
            Ok(vec!["João".to_string(), "ok".to_string()])
        );
        let Err((cells, reason)) = decode_record(&record, TextEncoding::Utf8) else {
            panic!("invalid UTF-8 must be refused");
        };
        assert_eq!(cells[0], "Jo\u{fffd}o");
        assert!(reason.starts_with("coluna A:"), "{reason}");
    }
}
