//! All SQL of the contacts module. Every function takes the caller's
//! [`CompanyId`] and scopes every statement by it.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::FromRow;

use crate::contacts::search::{fold, like_escape, Cursor, SearchTerms};
use crate::db::{BeginWrite, Db};
use crate::tenant::CompanyId;
use crate::with_db;

/// A row of the contact list as the database returns it.
#[derive(Debug, Clone, FromRow)]
pub struct ContactListRow {
    pub id: i64,
    pub name: String,
    pub sort_key: String,
    /// Main phone, E.164.
    pub phone: Option<String>,
    /// Main e-mail.
    pub email: Option<String>,
}

/// Lists contacts in name order, one page after `after`, filtered by `terms`.
///
/// Keyset paging on (sort_key, id): the cost of a page does not grow with its
/// depth, and there is no COUNT.
pub async fn list_contacts(
    db: &Db,
    company: CompanyId,
    terms: &SearchTerms,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<Vec<ContactListRow>, sqlx::Error> {
    const SQL: &str = r#"
        SELECT c.id, c.name, c.sort_key,
               (SELECT p.e164 FROM contact_phones p
                 WHERE p.contact_id = c.id ORDER BY p.position LIMIT 1) AS phone,
               (SELECT e.email FROM contact_emails e
                 WHERE e.contact_id = c.id ORDER BY e.position LIMIT 1) AS email
          FROM contacts c
         WHERE c.company_id = $1
           AND ($2 IS NULL AND $3 IS NULL AND $4 IS NULL
                OR c.sort_key LIKE $2 ESCAPE '\'
                OR c.id = $4
                OR EXISTS (SELECT 1 FROM contact_emails e
                            WHERE e.company_id = $1 AND e.contact_id = c.id
                              AND e.email LIKE $2 ESCAPE '\')
                OR EXISTS (SELECT 1 FROM contact_phones p
                            WHERE p.company_id = $1 AND p.contact_id = c.id
                              AND p.e164 LIKE $3))
           AND ($5 IS NULL OR (c.sort_key, c.id) > ($5, $6))
         ORDER BY c.sort_key, c.id
         LIMIT $7
    "#;
    let text_pattern = terms.text.as_ref().map(|t| format!("%{}%", like_escape(t)));
    let digits_pattern = terms.digits.as_ref().map(|d| format!("%{d}%"));
    let rows = with_db!(db, pool => {
        sqlx::query_as::<_, ContactListRow>(SQL)
            .bind(company.0)
            .bind(text_pattern)
            .bind(digits_pattern)
            .bind(terms.id)
            .bind(after.map(|c| c.sort_key.clone()))
            .bind(after.map(|c| c.id))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

/// A contact to create, already validated and normalized.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewContact {
    pub name: String,
    /// E.164 numbers; the first is the main one.
    pub phones: Vec<String>,
    /// Lower-case addresses; the first is the main one.
    pub emails: Vec<String>,
    pub address: Option<String>,
    /// Organization name; created in the company if new.
    pub organization: Option<String>,
    /// Group names; created in the company if new.
    pub groups: Vec<String>,
}

/// Finds or creates an organization by name, returning its id.
const CREATE_ORGANIZATION: &str =
    "INSERT INTO organizations (company_id, name, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (company_id, name) DO UPDATE SET name = excluded.name
     RETURNING id";

/// Finds or creates a group by name, returning its id.
const CREATE_GROUP: &str =
    "INSERT INTO contact_groups (company_id, name, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (company_id, name) DO UPDATE SET name = excluded.name
     RETURNING id";

/// The id of a named row (organization, group) of the company, from `cache`
/// or by running the find-or-create statement `sql` on `executor`. A macro
/// rather than a function so the same code serves every backend's connection
/// type inside `with_db!`.
macro_rules! find_or_create {
    ($executor:expr, $cache:ident, $sql:expr, $company:expr, $name:expr, $now:expr) => {
        match $cache.get($name.as_str()) {
            Some(id) => *id,
            None => {
                let id: i64 = sqlx::query_scalar($sql)
                    .bind($company.0)
                    .bind($name)
                    .bind($now)
                    .fetch_one($executor)
                    .await?;
                $cache.insert($name.clone(), id);
                id
            }
        }
    };
}

/// How many contacts one write transaction holds when creating many.
const BATCH: usize = 1_000;

/// Creates contacts in batched write transactions of [`BATCH`] rows; returns
/// their ids in input order. Organizations and groups are found or created by
/// name within the company.
pub async fn insert_contacts(
    db: &Db,
    company: CompanyId,
    contacts: &[NewContact],
) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::with_capacity(contacts.len());
    let mut organizations: HashMap<String, i64> = HashMap::new();
    let mut groups: HashMap<String, i64> = HashMap::new();
    for batch in contacts.chunks(BATCH) {
        with_db!(db, pool => {
            let mut tx = pool.begin_write().await?;
            let now = Utc::now();
            for contact in batch {
                let organization_id = match &contact.organization {
                    Some(name) => Some(find_or_create!(&mut *tx, organizations, CREATE_ORGANIZATION, company, name, now)),
                    None => None,
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO contacts (company_id, name, sort_key, address, organization_id, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                )
                .bind(company.0)
                .bind(&contact.name)
                .bind(fold(&contact.name))
                .bind(&contact.address)
                .bind(organization_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                for (position, e164) in contact.phones.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO contact_phones (company_id, contact_id, e164, position) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(company.0)
                    .bind(id)
                    .bind(e164)
                    .bind(position as i64)
                    .execute(&mut *tx)
                    .await?;
                }
                for (position, email) in contact.emails.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO contact_emails (company_id, contact_id, email, position) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(company.0)
                    .bind(id)
                    .bind(email)
                    .bind(position as i64)
                    .execute(&mut *tx)
                    .await?;
                }
                for group in &contact.groups {
                    let group_id = find_or_create!(&mut *tx, groups, CREATE_GROUP, company, group, now);
                    sqlx::query(
                        "INSERT INTO contact_group_members (company_id, contact_id, group_id) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(company.0)
                    .bind(id)
                    .bind(group_id)
                    .execute(&mut *tx)
                    .await?;
                }
                ids.push(id);
            }
            tx.commit().await?;
        });
    }
    Ok(ids)
}

/// Counts a company's contacts (for the CLI and tests; the UI never counts).
pub async fn count_contacts(db: &Db, company: CompanyId) -> Result<i64, sqlx::Error> {
    let count = with_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE company_id = $1")
            .bind(company.0)
            .fetch_one(pool)
            .await?
    });
    Ok(count)
}
