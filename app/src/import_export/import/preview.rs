//! The mapping step: the file's header and first rows with guessed column
//! targets, and the confirmation that queues the job.

use serde::{Deserialize, Serialize};

use crate::custom_fields::model::FieldDefinition;
use crate::custom_fields::repo::list_fields;
use crate::db::Db;
use crate::error::AppError;
use crate::import_export::job::{DuplicatePolicy, ImportPreview, JobStatus};
use crate::import_export::mapping::{guess_columns, ColumnTarget};
use crate::import_export::repo::{self, StoredJob};
use crate::import_export::rows::pick_header;
use crate::problem::Problem;
use crate::tenant::CompanyId;

use super::stored_file::first_records;
use crate::ids::JobId;

/// Rows shown in the mapping step.
pub const PREVIEW_ROWS: usize = 5;

/// What the runner needs to know about the file's columns: stored as the
/// job's mapping when the user confirms it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmedMapping {
    /// Index of the header among the file's records.
    pub header_index: usize,
    pub headers: Vec<String>,
    pub targets: Vec<ColumnTarget>,
}

/// The header (index and names) of a stored file.
async fn read_header(
    db: &Db,
    company: CompanyId,
    job: &StoredJob,
    definitions: &[FieldDefinition],
) -> Result<(usize, Vec<String>, Vec<Vec<String>>), AppError> {
    let records = first_records(db, company, job, 10 + PREVIEW_ROWS).await?;
    if records.is_empty() {
        return Err(AppError::invalid("file", Problem::HeaderTooLong));
    }
    let index = pick_header(&records, definitions);
    let headers: Vec<String> = records[index]
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows = records
        .into_iter()
        .skip(index + 1)
        .take(PREVIEW_ROWS)
        .collect();
    Ok((index, headers, rows))
}

/// The mapping step's data for an uploaded job.
pub async fn preview(db: &Db, company: CompanyId, id: JobId) -> Result<ImportPreview, AppError> {
    let job = repo::get_job(db, company, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = list_fields(db, company, false).await?;
    let (headers, rows, targets) = if job.job.status == JobStatus::Uploaded {
        let (_, headers, rows) = read_header(db, company, &job, &fields).await?;
        let targets = guess_columns(&headers, &fields);
        (headers, rows, targets)
    } else {
        // The file is gone once the job ended; the mapping remembers the header.
        let mapping: Option<ConfirmedMapping> = job
            .mapping
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok());
        match mapping {
            Some(m) => (m.headers, Vec::new(), m.targets),
            None => (Vec::new(), Vec::new(), Vec::new()),
        }
    };
    Ok(ImportPreview {
        job: job.job,
        headers,
        rows,
        targets,
        fields,
    })
}

/// Confirms the mapping and queues the job. Checks that the targets fit
/// the header and name existing custom fields, and that at least a name,
/// phone or e-mail column is imported.
pub async fn confirm(
    db: &Db,
    company: CompanyId,
    id: JobId,
    targets: Vec<ColumnTarget>,
    policy: DuplicatePolicy,
) -> Result<(), AppError> {
    let job = repo::get_job(db, company, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if job.job.status != JobStatus::Uploaded {
        return Err(AppError::Conflict(
            "Esta importação já foi iniciada ou cancelada.".to_string(),
        ));
    }
    let fields = list_fields(db, company, false).await?;
    let (header_index, headers, _) = read_header(db, company, &job, &fields).await?;
    if targets.len() != headers.len() {
        return Err(AppError::invalid(
            "targets",
            Problem::MappingLength {
                columns: headers.len(),
                sent: targets.len(),
            },
        ));
    }
    for (index, target) in targets.iter().enumerate() {
        if let ColumnTarget::Custom(key) = target {
            if !fields.iter().any(|f| &f.key == key) {
                return Err(AppError::invalid(
                    &format!("targets.{index}"),
                    Problem::UnknownCustomField { key: key.clone() },
                ));
            }
        }
    }
    let identifies = targets.iter().any(|t| {
        matches!(
            t,
            ColumnTarget::Name
                | ColumnTarget::FirstName
                | ColumnTarget::LastName
                | ColumnTarget::Phone
                | ColumnTarget::Email
        )
    });
    if !identifies {
        return Err(AppError::invalid("targets", Problem::MappingNeedsIdentity));
    }
    let mapping = serde_json::to_string(&ConfirmedMapping {
        header_index,
        headers,
        targets,
    })
    .map_err(|_| AppError::Internal)?;
    if !repo::queue_job(db, company, id, &mapping, policy).await? {
        return Err(AppError::Conflict(
            "Esta importação já foi iniciada ou cancelada.".to_string(),
        ));
    }
    Ok(())
}
