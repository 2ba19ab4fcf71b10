//! Keeping a database sound (server only): `agenda check` verifies one,
//! `agenda backup` and `agenda restore` copy an SQLite one out and back;
//! [`statistics`] keeps PostgreSQL's planner statistics in step with a bulk
//! write.

pub mod backup;
pub mod check;
pub mod statistics;

pub use backup::{backup, restore, sqlite_path, BackupError, BackupSummary};
pub use check::{check, CheckReport, CompanyCounts, Finding};
