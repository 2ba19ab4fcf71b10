//! Reading an uploaded file back from its stored chunks: decoding, the CSV
//! reader the import uses, the first records for the mapping step, and a
//! blocking reader for the runner's thread.

use std::io::Read;

use crate::db::Db;
use crate::error::AppError;
use crate::ids::JobId;
use crate::import_export::detect::TextEncoding;
use crate::import_export::repo::{self, StoredJob};
use crate::tenant::CompanyId;

/// Text of some bytes in an encoding; bad UTF-8 becomes U+FFFD (for
/// previews and reports only, never for stored data).
pub(super) fn decode_lossy(bytes: &[u8], encoding: TextEncoding) -> String {
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

/// How an encoding is stored in the job's row ([`encoding_of`] reads it back).
pub(super) fn stored_encoding(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 => "utf-8",
        TextEncoding::Utf8Bom => "utf-8-bom",
        TextEncoding::Windows1252 => "windows-1252",
    }
}

/// The encoding a job's row names ([`stored_encoding`] wrote it).
pub(super) fn encoding_of(stored: &str) -> TextEncoding {
    match stored {
        "windows-1252" => TextEncoding::Windows1252,
        "utf-8-bom" => TextEncoding::Utf8Bom,
        _ => TextEncoding::Utf8,
    }
}

/// A record's cells as text. Windows-1252 always decodes; UTF-8 that is not
/// valid is an error for the row (which column), with the cells kept
/// readable for the report.
pub(super) fn decode_record(
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
pub(super) fn csv_reader<R: Read>(reader: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader)
}

/// The first records of a stored file (decoded, lossy), read from its first
/// chunk: a record cut at the chunk's end is left out.
pub(super) async fn first_records(
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

/// Reads a job's stored file chunk by chunk, from a blocking thread. A
/// file that ends before its size (a piece missing) is an error, never a
/// shorter file.
pub(super) struct ChunkReader {
    runtime: tokio::runtime::Handle,
    db: Db,
    company: CompanyId,
    job: JobId,
    seq: i64,
    buffer: Vec<u8>,
    position: usize,
    done: bool,
    /// The file's size as uploaded, and the bytes read so far.
    expected: u64,
    read: u64,
}

impl ChunkReader {
    /// A reader of job `job`'s stored file, which was `expected` bytes long
    /// when uploaded. Must be made inside the runtime it blocks on.
    pub(super) fn new(db: Db, company: CompanyId, job: JobId, expected: u64) -> Self {
        ChunkReader {
            runtime: tokio::runtime::Handle::current(),
            db,
            company,
            job,
            seq: 0,
            buffer: Vec::new(),
            position: 0,
            done: false,
            expected,
            read: 0,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
