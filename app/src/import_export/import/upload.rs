//! The upload: a file received piece by piece, checked, sniffed and stored
//! as an `uploaded` job's chunks.

use std::borrow::Cow;
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

/// An upload's bytes as stored, made uniform as they arrive:
/// - a UTF-16 file (Excel's "Texto Unicode", which starts with a byte order
///   mark) becomes UTF-8, so the scan, the sniffing and the CSV reader see
///   text;
/// - a line that ends in a lone CR (classic Mac files, some exports) ends
///   in a line feed instead, as LF and CR LF lines do, so every record and
///   its line number read the same whichever the file used.
///
/// Any other byte passes through unchanged.
#[derive(Default)]
pub(super) struct Incoming {
    decoding: Decoding,
    /// The last byte given out was held back: a CR whose next byte decides.
    held_cr: bool,
}

#[derive(Default)]
enum Decoding {
    /// The first bytes, until two tell whether there is a UTF-16 mark.
    #[default]
    Start,
    Waiting(Vec<u8>),
    Utf16(encoding_rs::Decoder),
    AsIs,
}

impl Incoming {
    /// The stored bytes for the next `piece`; `last` flushes.
    pub(super) fn take<'a>(&mut self, piece: &'a [u8], last: bool) -> Cow<'a, [u8]> {
        let text = self.decode(piece, last);
        self.line_ends(text, last)
    }

    fn decode<'a>(&mut self, piece: &'a [u8], last: bool) -> Cow<'a, [u8]> {
        match &mut self.decoding {
            Decoding::Start | Decoding::Waiting(_) => {
                let mut head = match std::mem::take(&mut self.decoding) {
                    Decoding::Waiting(head) => head,
                    _ => Vec::new(),
                };
                head.extend_from_slice(piece);
                if head.len() < 2 && !last {
                    self.decoding = Decoding::Waiting(head);
                    return Cow::Borrowed(&[]);
                }
                self.decoding =
                    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
                        // BOM sniffing picks the byte order and drops the mark.
                        Decoding::Utf16(encoding_rs::UTF_16LE.new_decoder())
                    } else {
                        Decoding::AsIs
                    };
                Cow::Owned(self.decode(&head, last).into_owned())
            }
            Decoding::AsIs => Cow::Borrowed(piece),
            Decoding::Utf16(decoder) => {
                let room = decoder
                    .max_utf8_buffer_length(piece.len())
                    .unwrap_or(piece.len() * 3 + 16);
                let mut text = String::with_capacity(room);
                // A lone surrogate becomes U+FFFD, as any reader would show it.
                let _ = decoder.decode_to_string(piece, &mut text, last);
                Cow::Owned(text.into_bytes())
            }
        }
    }

    /// Lone CRs become line feeds; CR LF stays.
    fn line_ends<'a>(&mut self, text: Cow<'a, [u8]>, last: bool) -> Cow<'a, [u8]> {
        // CR LF files (most of them) pass through without a copy: only a CR
        // not followed by LF, or one that ends the piece, needs work.
        let lone = text
            .windows(2)
            .any(|pair| pair[0] == b'\r' && pair[1] != b'\n');
        if !self.held_cr && !lone && text.last() != Some(&b'\r') {
            return text;
        }
        let mut out = Vec::with_capacity(text.len() + 1);
        if std::mem::take(&mut self.held_cr) {
            match text.first() {
                Some(b'\n') => out.push(b'\r'),
                Some(_) => out.push(b'\n'),
                None if last => out.push(b'\n'),
                None => {
                    self.held_cr = true;
                    return Cow::Owned(out);
                }
            }
        }
        for (index, &byte) in text.iter().enumerate() {
            if byte != b'\r' {
                out.push(byte);
                continue;
            }
            match text.get(index + 1) {
                Some(b'\n') => out.push(b'\r'),
                Some(_) => out.push(b'\n'),
                None if last => out.push(b'\n'),
                None => self.held_cr = true,
            }
        }
        Cow::Owned(out)
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
    let mut received = 0u64;
    let mut incoming = Incoming::default();
    let mut keep = |text: &[u8]| -> std::io::Result<()> {
        if sample.len() < SAMPLE_BYTES {
            let take = (SAMPLE_BYTES - sample.len()).min(text.len());
            sample.extend_from_slice(&text[..take]);
        }
        scan.feed(text);
        spool.write_all(text)
    };
    while let Some(piece) = pieces.next().await {
        let piece = piece.map_err(|e| UploadError::Io(std::io::Error::other(e.to_string())))?;
        received += piece.len() as u64;
        if received > max_bytes {
            return Err(UploadError::File(FileError::TooLarge(
                max_bytes / 1_000_000,
            )));
        }
        keep(&incoming.take(&piece, false))?;
    }
    keep(&incoming.take(&[], true))?;
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

    /// Feeds `bytes` in pieces of `size` and returns what is stored.
    fn stored(bytes: &[u8], size: usize) -> Vec<u8> {
        let mut incoming = Incoming::default();
        let mut out = Vec::new();
        for piece in bytes.chunks(size) {
            out.extend_from_slice(&incoming.take(piece, false));
        }
        out.extend_from_slice(&incoming.take(&[], true));
        out
    }

    #[test]
    fn utf16_files_are_stored_as_utf8_whatever_the_pieces() {
        let text = "Nome\tTelefone\r\nJoão Çé\t11 98765-4321\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for size in [1, 2, 3, 7, 1024] {
            assert_eq!(stored(&le, size), text.as_bytes(), "LE in pieces of {size}");
            assert_eq!(stored(&be, size), text.as_bytes(), "BE in pieces of {size}");
        }
        // Anything else passes through, a one-byte file included.
        let plain = "\u{feff}Nome;Fone\r\nAna;1\r\n".as_bytes();
        assert_eq!(stored(plain, 1), plain);
        assert_eq!(stored(b"x", 1), b"x");
        assert_eq!(stored(b"", 1), b"");
    }

    #[test]
    fn lone_crs_end_lines_as_line_feeds_whatever_the_pieces() {
        let mac = b"Nome;Fone\rAna;1\rBia;2\r";
        let mixed = b"a\r\nb\rc\nd\r";
        for size in [1, 2, 3, 64] {
            assert_eq!(stored(mac, size), b"Nome;Fone\nAna;1\nBia;2\n", "{size}");
            assert_eq!(stored(mixed, size), b"a\r\nb\nc\nd\n", "{size}");
        }
        // In a UTF-16 file too.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("x\ry\r".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(stored(&utf16, 3), b"x\ny\n");
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
}
