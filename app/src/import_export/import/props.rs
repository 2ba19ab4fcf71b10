//! Property tests of the import's parsers, fed arbitrary bytes and text:
//! none panics, each answers the same however the upload is cut into
//! pieces, and every refusal is specific (which file problem, which row,
//! which column, why). The real-world-shaped files are in the integration
//! suite (`server/tests/api/import_corpus.rs`).

use proptest::prelude::*;

use crate::contacts::store::{prepare_contact, Strictness};
use crate::custom_fields::model::{FieldDefinition, FieldType, SelectOption};
use crate::ids::FieldId;
use crate::import_export::detect::{sniff_delimiter, sniff_encoding, TextEncoding};
use crate::import_export::mapping::{guess_columns, ColumnTarget};
use crate::import_export::rows::{FileError, FileScan, RowRead, RowReader};

use super::stored_file::{csv_reader, decode_record};
use super::upload::Incoming;

/// What the upload stores for `bytes` cut into pieces of `size`.
fn stored(bytes: &[u8], size: usize) -> Vec<u8> {
    let mut incoming = Incoming::default();
    let mut out = Vec::new();
    for piece in bytes.chunks(size.max(1)) {
        out.extend_from_slice(&incoming.take(piece, false));
    }
    out.extend_from_slice(&incoming.take(&[], true));
    out
}

/// The upload scan's verdict for `bytes` fed in pieces of `size`.
fn scanned(bytes: &[u8], size: usize) -> Result<u64, FileError> {
    let mut scan = FileScan::default();
    for piece in bytes.chunks(size.max(1)) {
        scan.feed(piece);
    }
    scan.finish()
}

/// Bytes shaped like a CSV file: mostly text, delimiters, quotes and line
/// ends, with now and then any byte at all.
fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        8 => prop::sample::select(b"abc ;,\t\"\r\n0123456789@.-+()/".to_vec()),
        2 => prop::sample::select("ãçéÓ€".as_bytes().to_vec()),
        1 => any::<u8>(),
    ];
    prop::collection::vec(byte, 0..600)
}

/// A custom field of each type, selects with two options.
fn every_field_type() -> Vec<FieldDefinition> {
    FieldType::ALL
        .iter()
        .enumerate()
        .map(|(n, field_type)| FieldDefinition {
            id: FieldId::new(n as i64 + 1),
            key: format!("campo_{n}"),
            label: format!("Campo {n}"),
            field_type: *field_type,
            required: false,
            help: String::new(),
            options: vec![
                SelectOption {
                    id: 100 + n as i64,
                    label: "Ouro".into(),
                    retired: false,
                },
                SelectOption {
                    id: 200 + n as i64,
                    label: "Prata".into(),
                    retired: false,
                },
            ],
            used_by: None,
        })
        .collect()
}

/// Every standard target, then every custom field.
fn every_target(definitions: &[FieldDefinition]) -> Vec<ColumnTarget> {
    let mut targets = ColumnTarget::STANDARD.to_vec();
    targets.extend(
        definitions
            .iter()
            .map(|d| ColumnTarget::Custom(d.key.clone())),
    );
    targets
}

/// Cells shaped like what people type in spreadsheets: names, dates,
/// numbers, documents, phones, e-mails, and any text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-zÀ-ÿ ]{0,20}",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[0-9.,-]{0,15}",
        "[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}-[0-9]{2}",
        "\\+?[0-9 ()-]{0,20}",
        "[a-z0-9.+-]{0,10}@?[a-z0-9.-]{0,10}",
        ".{0,40}",
    ]
}

proptest! {
    #[test]
    fn the_upload_stores_the_same_bytes_however_they_arrive(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        size in 1usize..64,
    ) {
        prop_assert_eq!(stored(&bytes, size), stored(&bytes, bytes.len().max(1)));
    }

    #[test]
    fn utf16_text_with_its_mark_is_stored_as_the_same_utf8(text in ".{0,200}", size in 1usize..16) {
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        // (Its lone CRs end lines as line feeds, as in any file.)
        let expected = text.replace("\r\n", "\u{0}").replace('\r', "\n").replace('\u{0}', "\r\n");
        if !text.contains('\u{0}') {
            prop_assert_eq!(stored(&le, size), expected.as_bytes());
            prop_assert_eq!(stored(&be, size), expected.as_bytes());
        }
    }

    #[test]
    fn the_upload_scan_does_not_depend_on_the_pieces(bytes in csv_like(), size in 1usize..40) {
        let whole = stored(&bytes, bytes.len().max(1));
        prop_assert_eq!(scanned(&stored(&bytes, size), size), scanned(&whole, whole.len().max(1)));
    }

    #[test]
    fn lines_end_the_same_in_crlf_lf_and_cr(
        rows in prop::collection::vec("[a-z0-9;, ]{0,12}", 1..12),
    ) {
        let verdicts: Vec<_> = ["\r\n", "\n", "\r"]
            .iter()
            .map(|end| scanned(&stored(rows.join(end).as_bytes(), 5), 7))
            .collect();
        prop_assert_eq!(&verdicts[0], &verdicts[1]);
        prop_assert_eq!(&verdicts[0], &verdicts[2]);
        // And the CSV reader finds as many records as the scan counted.
        if let Ok(rows) = verdicts[0] {
            for end in ["\r\n", "\n", "\r"] {
                let text = stored(rows_text(&rows, end).as_bytes(), 3);
                prop_assert_eq!(records(&text), rows + 1);
            }
        }
    }

    #[test]
    fn any_bytes_are_sniffed_and_decoded_without_panicking(bytes in csv_like()) {
        let encoding = sniff_encoding(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        if let Some(delimiter) = sniff_delimiter(&text) {
            prop_assert!(b",;\t|".contains(&delimiter), "{delimiter}");
        }
        for encoding in [encoding, TextEncoding::Utf8, TextEncoding::Windows1252] {
            let mut reader = csv_reader(&bytes[..], b';');
            let mut record = csv::ByteRecord::new();
            while let Ok(true) = reader.read_byte_record(&mut record) {
                match decode_record(&record, encoding) {
                    Ok(cells) => prop_assert_eq!(cells.len(), record.len()),
                    // A refused row says which column and why.
                    Err((cells, reason)) => {
                        prop_assert_eq!(cells.len(), record.len());
                        prop_assert!(reason.contains("coluna"), "{reason}");
                    }
                }
            }
        }
    }

    #[test]
    fn any_header_gets_a_target_per_column(headers in prop::collection::vec(".{0,30}", 0..20)) {
        let definitions = every_field_type();
        let targets = guess_columns(&headers, &definitions);
        prop_assert_eq!(targets.len(), headers.len());
        for target in targets {
            prop_assert_eq!(ColumnTarget::from_code(&target.code()), target);
        }
    }

    #[test]
    fn any_row_is_read_or_refused_with_the_column_and_why(
        cells in prop::collection::vec(cell(), 0..40),
    ) {
        let definitions = every_field_type();
        let targets = every_target(&definitions);
        let headers: Vec<String> = targets.iter().map(ColumnTarget::code).collect();
        let reader = RowReader::new(&headers, &targets, &definitions);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
        match reader.read(&cells) {
            RowRead::Blank => {
                prop_assert!(cells.iter().take(targets.len()).all(|c| c.trim().is_empty()));
            }
            RowRead::Invalid(reason) => {
                prop_assert!(reason.contains(':'), "names the column: {reason}");
            }
            RowRead::Contact(row) => {
                let checked = prepare_contact(
                    &row.form,
                    &definitions,
                    &|_| Vec::new(),
                    today,
                    Strictness::Import,
                );
                if let Err(errors) = checked {
                    prop_assert!(!errors.is_empty());
                    let reason = reader.describe(&row, &errors);
                    prop_assert!(reason.contains(':'), "names the column: {reason}");
                }
            }
        }
    }
}

/// `rows` data rows after a header, as text with `end` after each line.
fn rows_text(rows: &u64, end: &str) -> String {
    let mut text = format!("Nome{end}");
    for n in 0..*rows {
        text.push_str(&format!("P{n}{end}"));
    }
    text
}

/// Records the CSV reader finds.
fn records(bytes: &[u8]) -> u64 {
    let mut reader = csv_reader(bytes, b';');
    let mut record = csv::ByteRecord::new();
    let mut count = 0;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        count += 1;
    }
    count
}
