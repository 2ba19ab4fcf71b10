//! The import's server side (server only), in the order a file goes
//! through it:
//!
//! 1. [`upload`]: the file received piece by piece, checked and stored as
//!    an `uploaded` job's chunks;
//! 2. [`preview`]: the mapping step (header, first rows, guessed targets)
//!    and its confirmation, which queues the job;
//! 3. [`runner`]: the background run, batch by batch, each batch one
//!    transaction with the job's counters; [`runners`]: the runs of one
//!    process, the resumption of interrupted ones and their hand-back on
//!    shutdown;
//! 4. [`routes`]: the upload and error-report HTTP routes.
//!
//! [`stored_file`] reads a stored file back for the last three. The
//! server functions of the import pages are in `import_api`.

pub mod preview;
#[cfg(test)]
mod props;
pub mod routes;
pub mod runner;
pub mod runners;
mod stored_file;
pub mod upload;

pub use preview::{confirm, preview, ConfirmedMapping, PREVIEW_ROWS};
pub use routes::{error_report, error_report_route, upload_route};
pub use runner::{
    compact_after_imports, heartbeat_every, keep_beating, run_job, run_taken, Heartbeat,
    COMPACT_AFTER_ROWS, IMPORT_BATCH,
};
pub use runners::Runners;
/// The stop signal a run takes (re-exported for the command line and benches).
pub use tokio_util::sync::CancellationToken;
pub use upload::{file_pieces, max_upload_mb, store_upload, UploadError, DEFAULT_MAX_UPLOAD_MB};
