//! Writing one batch of an import's prepared rows: new contacts in bulk,
//! rows about stored contacts merged into them, failed rows recorded, and
//! the job's counters, all in one transaction through the contact writer
//! ([`crate::contacts::writer`]).

use std::collections::HashMap;

use chrono::Utc;

use crate::contacts::writer::bulk::{write_new, NewIds, NewRows};
use crate::contacts::writer::imported::{merge_row, ImportedRow, MergeRefusal};
use crate::contacts::writer::{self, Names, StoredContact};
use crate::db::{with_conn, AsConn, Conn, Db};
use crate::ids::ContactId;
use crate::ids::FieldId;
use crate::ids::JobId;
use crate::import_export::job::{DuplicatePolicy, JobStatus, RowFailure};
use crate::import_export::repo::JobRun;
use crate::tenant::CompanyId;

/// A row ready to be written.
#[derive(Debug, Clone)]
pub enum PreparedRow {
    /// Nothing in it: counted as skipped.
    Blank,
    Failed(RowFailure),
    Contact(Box<PreparedContact>),
}

/// A valid row: the contact as the form would store it, plus what the
/// writer resolves by name or matches on.
#[derive(Debug, Clone)]
pub struct PreparedContact {
    pub line: i64,
    pub cells: Vec<String>,
    pub contact: StoredContact,
    pub contact_id: Option<ContactId>,
    /// Whether the name came from the file (it replaces an existing name).
    pub name_given: bool,
    pub organization: Option<String>,
    pub groups: Vec<String>,
    /// Required custom fields the row leaves empty: an error only when the
    /// row creates a contact (an update keeps the existing values).
    pub missing_required: Vec<String>,
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// Whether the batch was written or the job had been cancelled (then
/// nothing of the batch was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOutcome {
    Written(BatchCounts),
    Cancelled,
    /// The job is no longer running under this run (it ended, or another
    /// process took it over): nothing was written, and the runner stops.
    NotRunning,
}

/// The contacts a batch may match, by key (the oldest per phone or e-mail).
#[derive(Debug, Default)]
struct Known {
    ids: std::collections::HashSet<ContactId>,
    phones: HashMap<String, ContactId>,
    emails: HashMap<String, ContactId>,
}

impl Known {
    /// The stored contact a row is about, if any: same ID, else a phone,
    /// else an e-mail in common (the oldest such contact), this batch's
    /// earlier rows included. Never one under the "create" policy.
    fn existing(&self, prepared: &PreparedContact, policy: DuplicatePolicy) -> Option<ContactId> {
        if policy == DuplicatePolicy::Create {
            return None;
        }
        let contact = &prepared.contact;
        prepared
            .contact_id
            .filter(|id| self.ids.contains(id))
            .or_else(|| {
                contact
                    .phones
                    .iter()
                    .find_map(|p| self.phones.get(p).copied())
            })
            .or_else(|| {
                contact
                    .emails
                    .iter()
                    .find_map(|e| self.emails.get(e).copied())
            })
    }

    /// A contact the batch wrote: later rows of the batch match it too.
    fn add(&mut self, id: ContactId, contact: &StoredContact) {
        self.ids.insert(id);
        for phone in &contact.phones {
            self.phones.entry(phone.clone()).or_insert(id);
        }
        for email in &contact.emails {
            self.emails.entry(email.clone()).or_insert(id);
        }
    }
}

/// The contact IDs, phones and e-mails of a batch's rows, each as a JSON
/// array (the lookups read them with `json_each` / `jsonb_array_elements_text`).
fn batch_keys(rows: &[PreparedRow]) -> (String, String, String) {
    let contacts = rows.iter().filter_map(|row| match row {
        PreparedRow::Contact(prepared) => Some(prepared),
        _ => None,
    });
    let (mut ids, mut phones, mut emails) = (Vec::new(), Vec::new(), Vec::new());
    for prepared in contacts {
        ids.extend(prepared.contact_id);
        phones.extend(prepared.contact.phones.iter());
        emails.extend(prepared.contact.emails.iter());
    }
    let json = |value: serde_json::Value| value.to_string();
    (
        json(serde_json::json!(ids)),
        json(serde_json::json!(phones)),
        json(serde_json::json!(emails)),
    )
}

impl Known {
    /// Every stored contact the batch's rows could match, read in three
    /// statements (one per key) instead of one or more per row.
    async fn read(
        conn: &mut Conn<'_>,
        company: CompanyId,
        rows: &[PreparedRow],
    ) -> Result<Known, sqlx::Error> {
        let (ids, phones, emails) = batch_keys(rows);
        let (ids_sql, phones_sql, emails_sql) = if conn.is_sqlite() {
            (
                "SELECT id, id FROM contacts WHERE company_id = $1 AND id IN (SELECT value FROM json_each($2))",
                "SELECT e164, contact_id FROM contact_phones WHERE company_id = $1 AND e164 IN (SELECT value FROM json_each($2))",
                "SELECT email, contact_id FROM contact_emails WHERE company_id = $1 AND email IN (SELECT value FROM json_each($2))",
            )
        } else {
            (
                "SELECT id, id FROM contacts WHERE company_id = $1 AND id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)",
                "SELECT e164, contact_id FROM contact_phones WHERE company_id = $1 AND e164 IN (SELECT jsonb_array_elements_text($2::jsonb))",
                "SELECT email, contact_id FROM contact_emails WHERE company_id = $1 AND email IN (SELECT jsonb_array_elements_text($2::jsonb))",
            )
        };
        let mut known = Known::default();
        with_conn!(conn, c => {
            let found: Vec<(ContactId, i64)> = sqlx::query_as(ids_sql)
                .bind(company)
                .bind(ids)
                .fetch_all(&mut *c)
                .await?;
            known.ids.extend(found.into_iter().map(|(id, _)| id));
            for (sql, keys, map) in [
                (phones_sql, phones, &mut known.phones),
                (emails_sql, emails, &mut known.emails),
            ] {
                let found: Vec<(String, ContactId)> = sqlx::query_as(sql)
                    .bind(company)
                    .bind(keys)
                    .fetch_all(&mut *c)
                    .await?;
                for (key, id) in found {
                    let slot = map.entry(key).or_insert(id);
                    *slot = (*slot).min(id);
                }
            }
        });
        Ok(known)
    }
}

/// Writes one batch in one transaction: the contacts, the failed rows, and
/// the job's counters and heartbeat. If the job was asked to stop, or is no
/// longer running, nothing is written.
pub async fn write_batch(
    db: &Db,
    company: CompanyId,
    run: JobRun,
    policy: DuplicatePolicy,
    rows: &[PreparedRow],
) -> Result<BatchOutcome, sqlx::Error> {
    let now = Utc::now();
    let job = run.id;
    let mut tx = writer::begin(db).await?;
    let conn = &mut tx.conn();
    match job_state(conn, company, run).await? {
        JobState::Running => {}
        JobState::NotRunning => {
            tx.rollback().await?;
            return Ok(BatchOutcome::NotRunning);
        }
        JobState::CancelRequested => {
            tx.rollback().await?;
            return Ok(BatchOutcome::Cancelled);
        }
    }
    let document_fields = document_fields(conn, company).await?;
    let mut known = match policy {
        DuplicatePolicy::Create => Known::default(),
        _ => Known::read(conn, company, rows).await?,
    };
    // Ids for the rows that match no stored contact (rows matching an
    // earlier row of the batch leave theirs unused).
    let wanted = rows
        .iter()
        .filter(|row| match row {
            PreparedRow::Contact(prepared) => {
                prepared.missing_required.is_empty() && known.existing(prepared, policy).is_none()
            }
            _ => false,
        })
        .count();
    let mut new_ids = NewIds::reserve(conn, wanted).await?;
    let mut names = Names::default();
    let mut pending = NewRows::default();
    let mut failures: Vec<RowFailure> = Vec::new();
    let mut counts = BatchCounts::default();
    for row in rows {
        let prepared = match row {
            PreparedRow::Blank => {
                counts.skipped += 1;
                continue;
            }
            PreparedRow::Failed(failure) => {
                failures.push(failure.clone());
                continue;
            }
            PreparedRow::Contact(prepared) => prepared,
        };
        let contact = &prepared.contact;
        match (known.existing(prepared, policy), policy) {
            (Some(_), DuplicatePolicy::Skip) => counts.skipped += 1,
            (Some(id), _) => {
                if pending.holds(id) {
                    write_new(conn, company, &mut pending, Some(job), now).await?;
                }
                let row = ImportedRow {
                    contact,
                    name_given: prepared.name_given,
                    organization: prepared.organization.as_deref(),
                    groups: &prepared.groups,
                };
                match merge_row(conn, company, id, row, &mut names, now).await? {
                    Ok(()) => {
                        known.add(id, contact);
                        counts.updated += 1;
                    }
                    Err(MergeRefusal::TooManyEntries) => failures.push(RowFailure {
                        line: prepared.line,
                        cells: prepared.cells.clone(),
                        reason: format!(
                            "O contato {id} ficaria com mais de {MAX_ENTRIES} telefones ou e-mails."
                        ),
                    }),
                }
            }
            (None, _) if !prepared.missing_required.is_empty() => {
                failures.push(RowFailure {
                    line: prepared.line,
                    cells: prepared.cells.clone(),
                    reason: prepared
                        .missing_required
                        .iter()
                        .map(|label| format!("{label}: é obrigatório para criar o contato."))
                        .collect::<Vec<_>>()
                        .join(" "),
                });
            }
            (None, _) => {
                let organization_id = match &prepared.organization {
                    Some(name) => Some(names.organization(conn, company, name, now).await?),
                    None => None,
                };
                let id = new_ids.take()?;
                let group_ids = names.groups(conn, company, &prepared.groups, now).await?;
                pending.push(id, organization_id, &group_ids, contact, &document_fields);
                known.add(id, contact);
                counts.created += 1;
            }
        }
    }
    write_new(conn, company, &mut pending, Some(job), now).await?;
    counts.failed = failures.len() as i64;
    record_failures(conn, company, job, &failures).await?;
    count_batch(conn, company, job, rows.len(), counts).await?;
    writer::commit(tx, company).await?;
    Ok(BatchOutcome::Written(counts))
}

/// Most phones or e-mails a contact may hold after an update merges lists.
const MAX_ENTRIES: usize = crate::contacts::form::MAX_ENTRIES;

/// Whether a batch may be written.
enum JobState {
    Running,
    CancelRequested,
    /// Another process took the job over, or it ended.
    NotRunning,
}

/// The job's state for this run. On PostgreSQL its row stays locked until
/// the commit, so another process cannot take the job over while the batch
/// is written (SQLite holds the write lock from `BEGIN IMMEDIATE` already).
async fn job_state(
    conn: &mut Conn<'_>,
    company: CompanyId,
    run: JobRun,
) -> Result<JobState, sqlx::Error> {
    let lock = if conn.is_sqlite() { "" } else { " FOR UPDATE" };
    let sql = format!(
        "SELECT cancel_requested, status, attempt FROM import_jobs WHERE company_id = $1 AND id = $2{lock}"
    );
    let (cancel, status, attempt): (bool, String, i64) = with_conn!(conn, c => {
        sqlx::query_as(&sql).bind(company).bind(run.id).fetch_one(&mut *c).await?
    });
    Ok(
        if status != JobStatus::Running.as_str() || attempt != run.attempt {
            JobState::NotRunning
        } else if cancel {
            JobState::CancelRequested
        } else {
            JobState::Running
        },
    )
}

/// The company's CPF/CNPJ custom fields: their values join the search's
/// digits.
async fn document_fields(
    conn: &mut Conn<'_>,
    company: CompanyId,
) -> Result<Vec<FieldId>, sqlx::Error> {
    let ids = with_conn!(conn, c => {
        sqlx::query_scalar(
            "SELECT id FROM custom_fields WHERE company_id = $1 AND field_type IN ('cpf', 'cnpj')",
        )
        .bind(company)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(ids)
}

/// Longest cell kept in the error report, in characters: a row refused
/// for a 12 MiB cell is reported with the cell's start and "…", not with
/// the whole of it again.
pub const MAX_REPORT_CELL_CHARS: usize = 2_000;

/// A failed row's cells as the error report stores them (JSON).
fn report_cells(cells: &[String]) -> String {
    let cells: Vec<std::borrow::Cow<'_, str>> = cells
        .iter()
        .map(
            |cell| match cell.char_indices().nth(MAX_REPORT_CELL_CHARS) {
                Some((end, _)) => format!("{}…", &cell[..end]).into(),
                None => cell.as_str().into(),
            },
        )
        .collect();
    serde_json::to_string(&cells).unwrap_or_default()
}

/// Stores the batch's failed rows for the error report.
async fn record_failures(
    conn: &mut Conn<'_>,
    company: CompanyId,
    job: JobId,
    failures: &[RowFailure],
) -> Result<(), sqlx::Error> {
    with_conn!(conn, c => {
        for failure in failures {
            sqlx::query(
                "INSERT INTO import_errors (company_id, job_id, line, cells, reason) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT DO NOTHING",
            )
            .bind(company)
            .bind(job)
            .bind(failure.line)
            .bind(report_cells(&failure.cells))
            .bind(&failure.reason)
            .execute(&mut *c)
            .await?;
        }
    });
    Ok(())
}

/// Adds the batch to the job's counters and beats its heartbeat.
async fn count_batch(
    conn: &mut Conn<'_>,
    company: CompanyId,
    job: JobId,
    rows: usize,
    counts: BatchCounts,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, c => {
        sqlx::query(
            "UPDATE import_jobs SET rows_done = rows_done + $1, created = created + $2,
                    updated = updated + $3, skipped = skipped + $4, failed = failed + $5,
                    heartbeat_at = $6
              WHERE company_id = $7 AND id = $8",
        )
        .bind(rows as i64)
        .bind(counts.created)
        .bind(counts.updated)
        .bind(counts.skipped)
        .bind(counts.failed)
        .bind(Utc::now())
        .bind(company)
        .bind(job)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}
