//! The import's route components.

mod import_job_page;
mod import_page;

pub use import_job_page::ImportJobPage;
pub use import_page::ImportPage;
