//! CSV import and export of contacts.

/// Writing one batch of an import's rows through the contact writer
/// (server only).
#[cfg(feature = "ssr")]
pub mod batch_repo;
/// The list's "⋮" menu and the import page's parts.
pub mod components;
/// The exported file's flavor, columns and cells: pure.
pub mod csv_format;
/// An uploaded file's encoding and delimiter: pure.
pub mod detect;
/// `GET /contacts/export.csv`, streamed (server only).
#[cfg(feature = "ssr")]
pub mod export;
/// The export's batch reads (server only).
#[cfg(feature = "ssr")]
pub mod export_repo;
/// The upload route, preview, background runner and error report (server only).
#[cfg(feature = "ssr")]
pub mod import;
/// The import's server functions (`/api/import/…`).
pub mod import_api;
/// Import jobs, duplicate policies and progress figures: pure, shared.
pub mod job;
/// Column targets and their guesses from header names: pure.
pub mod mapping;
/// The import pages.
pub mod pages;
/// All SQL of the import (server only).
#[cfg(feature = "ssr")]
pub mod repo;
/// From a file's bytes and rows to contact forms: pure.
pub mod rows;
