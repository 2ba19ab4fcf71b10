//! The import's server side (server only), in the order a file goes
//! through it:
//!
//! 1. [`upload`]: the file received piece by piece, checked and stored as
//!    an `uploaded` job's chunks;
//! 2. [`preview`]: the mapping step (header, first rows, guessed targets)
//!    and its confirmation, which queues the job;
//! 3. [`runner`]: the background run, batch by batch, each batch one
//!    transaction with the job's counters;
//! 4. [`routes`]: the upload and error-report HTTP routes.
//!
//! [`stored_file`] reads a stored file back for the last three. The
//! server functions of the import pages are in `import_api`.

pub mod preview;
pub mod routes;
pub mod runner;
mod stored_file;
pub mod upload;

pub use preview::{confirm, preview, ConfirmedMapping, PREVIEW_ROWS};
pub use routes::{error_report, error_report_route, upload_route};
pub use runner::{
    heartbeat_every, keep_beating, run_job, spawn_job, Heartbeat, COMPACT_AFTER_ROWS, IMPORT_BATCH,
};
pub use upload::{file_pieces, max_upload_mb, store_upload, UploadError, DEFAULT_MAX_UPLOAD_MB};
