//! SQL for organizations and groups. Every statement is scoped by the
//! caller's company.

use chrono::Utc;

use crate::contacts::directory::{validate_name, DirectoryKind, NameError};
use crate::db::{BeginWrite, Db};
use crate::tenant::CompanyId;
use crate::with_db;

/// An organization or group with how many contacts it has.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub name: String,
    pub contacts: i64,
}

/// Why a change was not made.
#[derive(Debug)]
pub enum ChangeError {
    /// No such entry in the company.
    NotFound,
    /// The name was refused.
    Name(NameError),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ChangeError {
    fn from(error: sqlx::Error) -> Self {
        ChangeError::Db(error)
    }
}

fn table(kind: DirectoryKind) -> &'static str {
    match kind {
        DirectoryKind::Organization => "organizations",
        DirectoryKind::Group => "contact_groups",
    }
}

/// How many contacts an entry has: a correlated count that walks only the
/// entry's own index range.
fn count_sql(kind: DirectoryKind) -> &'static str {
    match kind {
        DirectoryKind::Organization => {
            "(SELECT COUNT(*) FROM contacts c
               WHERE c.company_id = d.company_id AND c.organization_id = d.id)"
        }
        DirectoryKind::Group => {
            "(SELECT COUNT(*) FROM contact_group_members m
               WHERE m.company_id = d.company_id AND m.group_id = d.id)"
        }
    }
}

/// Every entry of a kind with its contact count (unsorted: the caller sorts
/// by folded name, the same on both databases).
pub async fn list(
    db: &Db,
    company: CompanyId,
    kind: DirectoryKind,
) -> Result<Vec<EntryRow>, sqlx::Error> {
    let sql = format!(
        "SELECT d.id, d.name, {} AS contacts FROM {} d WHERE d.company_id = $1",
        count_sql(kind),
        table(kind)
    );
    let rows = with_db!(db, pool => {
        sqlx::query_as::<_, EntryRow>(&sql)
            .bind(company)
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

/// Creates an entry; returns its id and the name as stored.
pub async fn create(
    db: &Db,
    company: CompanyId,
    kind: DirectoryKind,
    name: &str,
) -> Result<(i64, String), ChangeError> {
    let names_sql = format!("SELECT name FROM {} WHERE company_id = $1", table(kind));
    let insert_sql = format!(
        "INSERT INTO {} (company_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        table(kind)
    );
    let created = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let existing: Vec<String> = sqlx::query_scalar(&names_sql)
            .bind(company)
            .fetch_all(&mut *tx)
            .await?;
        let name = validate_name(name, existing.iter().map(String::as_str))
            .map_err(ChangeError::Name)?;
        let id: i64 = sqlx::query_scalar(&insert_sql)
            .bind(company)
            .bind(&name)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        (id, name)
    });
    Ok(created)
}

/// Renames an entry; its contacts keep it.
pub async fn rename(
    db: &Db,
    company: CompanyId,
    kind: DirectoryKind,
    id: i64,
    name: &str,
) -> Result<String, ChangeError> {
    let names_sql = format!("SELECT id, name FROM {} WHERE company_id = $1", table(kind));
    let update_sql = format!(
        "UPDATE {} SET name = $1 WHERE company_id = $2 AND id = $3",
        table(kind)
    );
    let renamed = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let entries: Vec<(i64, String)> = sqlx::query_as(&names_sql)
            .bind(company)
            .fetch_all(&mut *tx)
            .await?;
        if !entries.iter().any(|(other, _)| *other == id) {
            return Err(ChangeError::NotFound);
        }
        let others = entries
            .iter()
            .filter(|(other, _)| *other != id)
            .map(|(_, name)| name.as_str());
        let name = validate_name(name, others).map_err(ChangeError::Name)?;
        sqlx::query(&update_sql)
            .bind(&name)
            .bind(company)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        name
    });
    Ok(renamed)
}

/// Deletes an entry. Its contacts stay: an organization's contacts lose
/// their organization, a group's members leave the group, in the same
/// transaction. Returns how many contacts were affected.
pub async fn delete(
    db: &Db,
    company: CompanyId,
    kind: DirectoryKind,
    id: i64,
) -> Result<u64, ChangeError> {
    let delete_sql = format!(
        "DELETE FROM {} WHERE company_id = $1 AND id = $2",
        table(kind)
    );
    let affected = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let affected = match kind {
            DirectoryKind::Organization => sqlx::query(
                "UPDATE contacts SET organization_id = NULL, updated_at = $1,
                        version = version + 1, updated_by = NULL
                  WHERE company_id = $2 AND organization_id = $3",
            )
            .bind(Utc::now())
            .bind(company)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            DirectoryKind::Group => {
                // Its members change (a form opened before is stale).
                sqlx::query(
                    "UPDATE contacts SET updated_at = $1, version = version + 1, updated_by = NULL
                      WHERE company_id = $2 AND id IN (SELECT contact_id FROM contact_group_members
                                                        WHERE company_id = $2 AND group_id = $3)",
                )
                .bind(Utc::now())
                .bind(company)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM contact_group_members WHERE company_id = $1 AND group_id = $2",
                )
                .bind(company)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            }
        };
        let deleted = sqlx::query(&delete_sql)
            .bind(company)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            // Nothing was there: roll back (nothing was changed either).
            return Err(ChangeError::NotFound);
        }
        tx.commit().await?;
        affected
    });
    Ok(affected)
}
