//! An import job as the browser sees it: its state, its counters, and the
//! progress figures (rows/s, ETA) derived from them. Pure and shared.

use serde::{Deserialize, Serialize};

use crate::custom_fields::model::FieldDefinition;
use crate::ids::JobId;
use crate::import_export::mapping::ColumnTarget;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// The file is stored; the user has not confirmed the mapping yet.
    Uploaded,
    /// Mapping confirmed; a server process is about to pick it up.
    Queued,
    Running,
    Done,
    /// Stopped by an error or by the loss of its server process; what was
    /// committed before stays.
    Failed,
    /// Stopped by the user; what was committed before stays.
    Cancelled,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Uploaded => "uploaded",
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<JobStatus> {
        [
            JobStatus::Uploaded,
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Done,
            JobStatus::Failed,
            JobStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether the job has ended (its counters will not change any more).
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobStatus::Done | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

/// What to do with a row that matches an existing contact (same contact ID,
/// or a phone or e-mail in common).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Leave the existing contact alone; the row counts as skipped.
    #[default]
    Skip,
    /// Fill the existing contact with the row's non-empty cells: they
    /// replace single values, phones/e-mails/groups are added to the lists,
    /// and empty cells never erase anything.
    Update,
    /// Create a new contact anyway.
    Create,
}

impl DuplicatePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicatePolicy::Skip => "skip",
            DuplicatePolicy::Update => "update",
            DuplicatePolicy::Create => "create",
        }
    }

    pub fn parse(text: &str) -> Option<DuplicatePolicy> {
        [
            DuplicatePolicy::Skip,
            DuplicatePolicy::Update,
            DuplicatePolicy::Create,
        ]
        .into_iter()
        .find(|p| p.as_str() == text)
    }
}

/// One import, with its counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: JobId,
    pub file_name: String,
    pub file_size: i64,
    /// "UTF-8", "UTF-8 (BOM)" or "Windows-1252".
    pub encoding: String,
    /// The delimiter's name: ";", "," or "tab".
    pub delimiter: String,
    pub status: JobStatus,
    pub policy: Option<DuplicatePolicy>,
    /// Data rows in the file.
    pub total_rows: i64,
    /// Rows committed so far (created + updated + skipped + failed).
    pub rows_done: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
    /// Why the job failed as a whole.
    pub error: Option<String>,
    pub cancel_requested: bool,
    /// Who uploaded the file.
    pub created_by: String,
    /// RFC 3339.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Seconds between the start and the last committed batch (or the end).
    pub elapsed_seconds: f64,
    /// Queued or running, but the process that ran it stopped (a crash, a
    /// kill, a deploy): it resumes by itself from its last committed batch.
    #[serde(default)]
    pub interrupted: bool,
}

impl ImportJob {
    /// Percentage of rows done, 0–100.
    pub fn percent(&self) -> f64 {
        if self.total_rows <= 0 {
            return if self.status == JobStatus::Done {
                100.0
            } else {
                0.0
            };
        }
        (self.rows_done as f64 * 100.0 / self.total_rows as f64).clamp(0.0, 100.0)
    }

    /// Rows per second so far; `None` before the first batch.
    pub fn rows_per_second(&self) -> Option<f64> {
        (self.elapsed_seconds > 0.0 && self.rows_done > 0)
            .then(|| self.rows_done as f64 / self.elapsed_seconds)
    }

    /// Seconds left at the current pace; `None` when it cannot be told yet
    /// or the job is not running.
    pub fn eta_seconds(&self) -> Option<u64> {
        if self.status != JobStatus::Running || self.interrupted {
            return None;
        }
        let rate = self.rows_per_second()?;
        let left = (self.total_rows - self.rows_done).max(0) as f64;
        Some((left / rate).ceil() as u64)
    }
}

/// "1 h 02 min", "3 min 05 s", "42 s".
pub fn format_duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// What the mapping step shows: the job, the file's header and first rows,
/// and a first guess of where each column goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub job: ImportJob,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// One per header.
    pub targets: Vec<ColumnTarget>,
    /// The company's custom fields (mapping targets).
    pub fields: Vec<FieldDefinition>,
}

/// A failed row as the error report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowFailure {
    /// The file's line number where the row starts (the header is line 1
    /// in a file that starts with it).
    pub line: i64,
    pub cells: Vec<String>,
    /// One sentence per offending field: "Telefone: …; E-mail: …".
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(status: JobStatus, total: i64, done: i64, elapsed: f64) -> ImportJob {
        ImportJob {
            id: JobId::new(1),
            file_name: "a.csv".into(),
            file_size: 10,
            encoding: "UTF-8".into(),
            delimiter: ";".into(),
            status,
            policy: Some(DuplicatePolicy::Skip),
            total_rows: total,
            rows_done: done,
            created: done,
            updated: 0,
            skipped: 0,
            failed: 0,
            error: None,
            cancel_requested: false,
            created_by: "Ana".into(),
            created_at: "2026-11-25T10:00:00Z".into(),
            started_at: None,
            finished_at: None,
            elapsed_seconds: elapsed,
            interrupted: false,
        }
    }

    #[test]
    fn progress_rate_and_eta() {
        let running = job(JobStatus::Running, 1_000, 250, 5.0);
        assert_eq!(running.percent(), 25.0);
        assert_eq!(running.rows_per_second(), Some(50.0));
        assert_eq!(running.eta_seconds(), Some(15));
        // Interrupted, waiting to be resumed: no ETA until it runs again.
        let interrupted = ImportJob {
            interrupted: true,
            ..running.clone()
        };
        assert_eq!(interrupted.eta_seconds(), None);
        // Nothing committed yet: no pace, no ETA.
        let starting = job(JobStatus::Running, 1_000, 0, 0.0);
        assert_eq!(starting.rows_per_second(), None);
        assert_eq!(starting.eta_seconds(), None);
        // Finished jobs have no ETA; an empty file counts as complete.
        assert_eq!(job(JobStatus::Done, 10, 10, 1.0).eta_seconds(), None);
        assert_eq!(job(JobStatus::Done, 0, 0, 0.0).percent(), 100.0);
    }

    #[test]
    fn statuses_and_policies_round_trip_their_names() {
        for status in [
            "uploaded",
            "queued",
            "running",
            "done",
            "failed",
            "cancelled",
        ] {
            assert_eq!(
                JobStatus::parse(status).map(JobStatus::as_str),
                Some(status)
            );
        }
        assert!(JobStatus::Cancelled.is_finished());
        assert!(!JobStatus::Running.is_finished());
        for policy in ["skip", "update", "create"] {
            assert_eq!(
                DuplicatePolicy::parse(policy).map(DuplicatePolicy::as_str),
                Some(policy)
            );
        }
        assert_eq!(DuplicatePolicy::parse("merge"), None);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(42), "42 s");
        assert_eq!(format_duration(185), "3 min 05 s");
        assert_eq!(format_duration(3720), "1 h 02 min");
    }
}
