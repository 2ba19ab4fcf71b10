//! `agenda check`: verifies a database after a crash, a restore or a fault
//! test. Each check reads only; what it finds is a [`Finding`] naming the
//! check and what is wrong. The suite runs it after every fault it injects.
//!
//! - SQLite's own `integrity_check` and `foreign_key_check`;
//! - the full-text index's own `integrity-check` (SQLite);
//! - every contact's search columns equal what the search computes from its
//!   name, e-mails, phones and documents (both backends);
//! - the search ranks (SQLite): every contact ranked inside its company's
//!   space, ranks in name order, one index entry per rank and no other;
//! - no phone, e-mail, custom value, group membership or photo of a contact
//!   that does not exist in the same company;
//! - every import's counters add up to the rows it committed.
//!
//! It also counts each company's contacts, phones and e-mails, and lists
//! the imports waiting to be resumed.

use std::fmt;

use crate::contacts::search::rank::POSITIONS;
use crate::db::Db;
use crate::with_db;

/// Something a check found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check's name, as `agenda check` prints it.
    pub check: &'static str,
    pub detail: String,
}

/// One company's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyCounts {
    pub company: i64,
    pub name: String,
    pub contacts: i64,
    pub phones: i64,
    pub emails: i64,
}

/// What [`check`] found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// The checks run, in order.
    pub checks: Vec<&'static str>,
    pub findings: Vec<Finding>,
    pub companies: Vec<CompanyCounts>,
    /// Imports waiting to be resumed (not a fault: a server resumes them).
    pub interrupted_imports: Vec<i64>,
}

impl CheckReport {
    /// No check found anything wrong.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    fn found(&mut self, check: &'static str, detail: impl Into<String>) {
        self.findings.push(Finding {
            check,
            detail: detail.into(),
        });
    }

    /// Records a count that must be zero.
    fn expect_none(&mut self, check: &'static str, count: i64, what: &str) {
        if count != 0 {
            self.found(check, format!("{count} {what}"));
        }
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            let found: Vec<&Finding> = self.findings.iter().filter(|x| x.check == *check).collect();
            if found.is_empty() {
                writeln!(f, "ok      {check}")?;
            }
            for finding in found {
                writeln!(f, "FAILED  {check}: {}", finding.detail)?;
            }
        }
        for counts in &self.companies {
            writeln!(
                f,
                "company {} ({}): {} contacts, {} phones, {} e-mails",
                counts.company, counts.name, counts.contacts, counts.phones, counts.emails
            )?;
        }
        for job in &self.interrupted_imports {
            writeln!(f, "import {job} was interrupted and waits to be resumed")?;
        }
        Ok(())
    }
}

/// Runs every check on `db`.
pub async fn check(db: &Db) -> Result<CheckReport, sqlx::Error> {
    let mut report = CheckReport::default();
    if let Db::Sqlite(pool) = db {
        report.checks.push("sqlite integrity_check");
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(pool)
            .await?;
        if lines != ["ok"] {
            for line in lines.into_iter().take(20) {
                report.found("sqlite integrity_check", line);
            }
        }
        report.checks.push("sqlite foreign_key_check");
        let orphans: Vec<(String, Option<i64>, String)> =
            sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                .fetch_all(pool)
                .await?;
        for (table, rowid, parent) in orphans.into_iter().take(20) {
            report.found(
                "sqlite foreign_key_check",
                format!(
                    "{table} row {} refers to a missing {parent}",
                    rowid.unwrap_or(0)
                ),
            );
        }
        report.checks.push("search index integrity-check");
        if let Err(error) =
            sqlx::query("INSERT INTO contact_search (contact_search) VALUES ('integrity-check')")
                .execute(pool)
                .await
        {
            report.found("search index integrity-check", error.to_string());
        }
    }
    search_columns(db, &mut report).await?;
    if let Db::Sqlite(pool) = db {
        search_ranks(pool, &mut report).await?;
    }
    contact_children(db, &mut report).await?;
    imports(db, &mut report).await?;
    report.companies = company_counts(db).await?;
    Ok(report)
}

/// Every contact's search columns hold what the search computes.
async fn search_columns(db: &Db, report: &mut CheckReport) -> Result<(), sqlx::Error> {
    const CHECK: &str = "search columns in step with contacts";
    report.checks.push(CHECK);
    let stale: i64 = match db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM contacts c JOIN contact_search_source s ON s.id = c.id
                  WHERE c.search_text IS NOT s.text OR c.search_phones IS NOT s.phones",
            )
            .fetch_one(pool)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM contacts
                  WHERE search_text IS DISTINCT FROM contact_search_text(id)
                     OR search_phones IS DISTINCT FROM contact_search_phones(id)",
            )
            .fetch_one(pool)
            .await?
        }
    };
    report.expect_none(CHECK, stale, "contacts whose search columns are stale");
    Ok(())
}

/// SQLite's search index follows the ranks (migration 0012).
async fn search_ranks(
    pool: &sqlx::SqlitePool,
    report: &mut CheckReport,
) -> Result<(), sqlx::Error> {
    const CHECK: &str = "search ranks and index entries";
    report.checks.push(CHECK);
    let outside: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM contacts
          WHERE search_rank IS NULL OR search_rank <= company_id * $1
             OR search_rank >= (company_id + 1) * $1",
    )
    .bind(POSITIONS)
    .fetch_one(pool)
    .await?;
    report.expect_none(CHECK, outside, "contacts without a rank of their company");
    let out_of_order: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT search_rank,
                                      lag(search_rank) OVER (PARTITION BY company_id
                                                             ORDER BY sort_key, id) AS before
                                 FROM contacts)
          WHERE before >= search_rank",
    )
    .fetch_one(pool)
    .await?;
    report.expect_none(CHECK, out_of_order, "ranks out of name order");
    let (entries, ranked): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM contact_search),
                (SELECT COUNT(*) FROM contacts WHERE search_rank IS NOT NULL)",
    )
    .fetch_one(pool)
    .await?;
    if entries != ranked {
        report.found(
            CHECK,
            format!("{entries} index entries for {ranked} ranked contacts"),
        );
    }
    let strays: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM contact_search s
          WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.search_rank = s.rowid)",
    )
    .fetch_one(pool)
    .await?;
    report.expect_none(CHECK, strays, "index entries under no contact's rank");
    Ok(())
}

/// The tables whose rows belong to a contact.
const CONTACT_CHILDREN: [&str; 5] = [
    "contact_phones",
    "contact_emails",
    "contact_field_values",
    "contact_group_members",
    "contact_photos",
];

/// No row of a contact that does not exist in the same company.
async fn contact_children(db: &Db, report: &mut CheckReport) -> Result<(), sqlx::Error> {
    const CHECK: &str = "no orphan phones, e-mails, values, memberships or photos";
    report.checks.push(CHECK);
    for table in CONTACT_CHILDREN {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} x
              WHERE NOT EXISTS (SELECT 1 FROM contacts c
                                 WHERE c.id = x.contact_id AND c.company_id = x.company_id)"
        );
        let orphans: i64 = with_db!(db, pool => {
            sqlx::query_scalar(&sql).fetch_one(pool).await?
        });
        report.expect_none(
            CHECK,
            orphans,
            &format!("rows of {table} without their contact"),
        );
    }
    Ok(())
}

/// Every import's counters add up (each committed row is counted once as
/// created, updated, skipped or failed, with its batch); interrupted ones
/// are listed.
async fn imports(db: &Db, report: &mut CheckReport) -> Result<(), sqlx::Error> {
    const CHECK: &str = "import counters add up";
    report.checks.push(CHECK);
    let off: Vec<(i64, i64, i64)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT id, rows_done, created + updated + skipped + failed FROM import_jobs
              WHERE rows_done <> created + updated + skipped + failed ORDER BY id",
        )
        .fetch_all(pool)
        .await?
    });
    for (id, done, counted) in off {
        report.found(
            CHECK,
            format!("import {id} committed {done} rows but counts {counted}"),
        );
    }
    let now = chrono::Utc::now();
    report.interrupted_imports = crate::import_export::repo::interrupted_jobs(db, now)
        .await?
        .into_iter()
        .map(|(_, id)| id.get())
        .collect();
    Ok(())
}

/// Each company's contacts, phones and e-mails.
async fn company_counts(db: &Db) -> Result<Vec<CompanyCounts>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, i64, i64)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT c.id, c.name,
                    (SELECT COUNT(*) FROM contacts x WHERE x.company_id = c.id),
                    (SELECT COUNT(*) FROM contact_phones x WHERE x.company_id = c.id),
                    (SELECT COUNT(*) FROM contact_emails x WHERE x.company_id = c.id)
               FROM companies c ORDER BY c.id",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(company, name, contacts, phones, emails)| CompanyCounts {
            company,
            name,
            contacts,
            phones,
            emails,
        })
        .collect())
}
