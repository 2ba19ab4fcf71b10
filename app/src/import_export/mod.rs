//! CSV import and export of contacts.

/// The list's "⋮" menu.
pub mod components;
/// The exported file's flavor, columns and cells: pure.
pub mod csv_format;
/// An uploaded file's encoding and delimiter: pure.
pub mod detect;
/// `GET /contacts/export.csv`, streamed (server only).
#[cfg(feature = "ssr")]
pub mod export;
/// Column targets and their guesses from header names: pure.
pub mod mapping;
