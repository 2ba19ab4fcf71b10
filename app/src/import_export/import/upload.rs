//! The upload: a file received piece by piece, checked, sniffed and stored
//! as an `uploaded` job's chunks.

use std::io::{Read, Seek, SeekFrom, Write};

use axum::body::Bytes;
use futures_util::StreamExt;

use crate::db::Db;
use crate::error::AppError;
use crate::ids::JobId;
use crate::import_export::detect::{sniff_delimiter, sniff_encoding};
use crate::import_export::repo::{self, NewJob, CHUNK_BYTES};
use crate::import_export::rows::{FileError, FileScan};
use crate::tenant::CompanyId;

use super::stored_file::{decode_lossy, stored_encoding};

/// Largest upload accepted by default, in MB (`AGENDA_IMPORT_MAX_MB`).
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 512;

/// Bytes of the file's start used to sniff its encoding and delimiter.
const SAMPLE_BYTES: usize = 64 * 1024;

/// The upload limit in bytes, from `AGENDA_IMPORT_MAX_MB`.
pub fn max_upload_mb() -> u64 {
    std::env::var("AGENDA_IMPORT_MAX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_MAX_UPLOAD_MB)
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
            UploadError::File(error) => AppError::invalid("file", error.problem()),
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
) -> Result<JobId, UploadError>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(
            clean_file_name("C:\\Users\\ana\\clientes.csv"),
            "clientes.csv"
        );
        assert_eq!(clean_file_name("/tmp/x/lista.csv"), "lista.csv");
        assert_eq!(clean_file_name("  "), "contatos.csv");
    }
}
