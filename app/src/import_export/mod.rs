//! CSV import and export of contacts.

/// The list's "⋮" menu.
pub mod components;
/// The exported file's flavor, columns and cells: pure.
pub mod csv_format;
/// `GET /contacts/export.csv`, streamed (server only).
#[cfg(feature = "ssr")]
pub mod export;
