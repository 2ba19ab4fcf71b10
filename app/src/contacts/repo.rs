//! One contact: reading it, and its create, update and delete through the
//! contact writer; possible duplicates; the organizations and groups the
//! form offers. Every function takes the caller's [`CompanyId`] and scopes
//! every statement by it.

use chrono::Utc;
use sqlx::FromRow;

use crate::contacts::writer::{self, SaveError, StoredContact};
use crate::db::{with_conn, AsConn, Db};
use crate::ids::ContactId;
use crate::tenant::CompanyId;
use crate::timeline::repo::{append as append_event, NewEvent};
use crate::with_db;

/// Counts a company's contacts (for the CLI and tests; the UI never counts).
pub async fn count_contacts(db: &Db, company: CompanyId) -> Result<i64, sqlx::Error> {
    let count = with_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE company_id = $1")
            .bind(company)
            .fetch_one(pool)
            .await?
    });
    Ok(count)
}

/// One contact's row, without its lists.
#[derive(Debug, Clone, FromRow)]
pub struct ContactRow {
    pub id: ContactId,
    pub name: String,
    pub address: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub document: Option<String>,
    pub gender: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub telegram: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub photo: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    /// Adds one with every write that changes what the form shows.
    pub version: i64,
    /// Who made the current version (`None`: an import, an admin's change
    /// of the directory, or not edited since versions exist).
    pub updated_by_name: Option<String>,
    /// The customer wrote through Facebook Messenger / the web widget
    /// (read by [`get_contact`] only).
    #[sqlx(default)]
    pub facebook_opened: bool,
    #[sqlx(default)]
    pub widget_opened: bool,
}

/// A contact with its phones (E.164), e-mails and groups.
#[derive(Debug, Clone)]
pub struct ContactRecord {
    pub row: ContactRow,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub groups: Vec<(i64, String)>,
    pub custom: Vec<crate::custom_fields::model::CustomValue>,
}

/// Reads one contact of the company; `None` when it does not exist there.
pub async fn get_contact(
    db: &Db,
    company: CompanyId,
    id: ContactId,
) -> Result<Option<ContactRecord>, sqlx::Error> {
    const ROW: &str = "SELECT c.id, c.name, c.address, c.birth_date, c.document, c.gender,
                c.organization_id, o.name AS organization_name, c.facebook, c.instagram,
                c.telegram, c.website, c.notes, c.photo, c.created_at, c.updated_at,
                c.version, u.name AS updated_by_name,
                c.facebook_opened_at IS NOT NULL AS facebook_opened,
                c.widget_opened_at IS NOT NULL AS widget_opened
           FROM contacts c
           LEFT JOIN organizations o ON o.company_id = c.company_id AND o.id = c.organization_id
           LEFT JOIN users u ON u.company_id = c.company_id AND u.id = c.updated_by
          WHERE c.company_id = $1 AND c.id = $2";
    let record = with_db!(db, pool => {
        let Some(row) = sqlx::query_as::<_, ContactRow>(ROW)
            .bind(company)
            .bind(id)
            .fetch_optional(pool)
            .await?
        else {
            return Ok(None);
        };
        let phones: Vec<String> = sqlx::query_scalar(
            "SELECT e164 FROM contact_phones WHERE company_id = $1 AND contact_id = $2 ORDER BY position",
        )
        .bind(company)
        .bind(id)
        .fetch_all(pool)
        .await?;
        let emails: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM contact_emails WHERE company_id = $1 AND contact_id = $2 ORDER BY position",
        )
        .bind(company)
        .bind(id)
        .fetch_all(pool)
        .await?;
        let groups: Vec<(i64, String)> = sqlx::query_as(
            "SELECT g.id, g.name FROM contact_group_members m
               JOIN contact_groups g ON g.company_id = m.company_id AND g.id = m.group_id
              WHERE m.company_id = $1 AND m.contact_id = $2 ORDER BY g.name",
        )
        .bind(company)
        .bind(id)
        .fetch_all(pool)
        .await?;
        ContactRecord { row, phones, emails, groups, custom: Vec::new() }
    });
    let custom = crate::custom_fields::repo::contact_values(db, company, id).await?;
    Ok(Some(ContactRecord { custom, ..record }))
}

/// Creates a contact added through the form by `created_by`; returns its
/// id. (Its timeline's "created" entry is read from the row.)
pub async fn create_contact(
    db: &Db,
    company: CompanyId,
    contact: &StoredContact,
    created_by: Option<i64>,
) -> Result<ContactId, SaveError> {
    let mut tx = writer::begin(db).await?;
    let id = writer::create(&mut tx.conn(), company, contact, created_by, Utc::now()).await?;
    writer::commit(tx, company).await?;
    Ok(id)
}

/// Replaces a contact's details and lists as `actor`, and appends `event`
/// (what changed) to its timeline in the same transaction, if the contact
/// is still at `version` (the one `event` was worked out from):
/// `SaveError::Stale` otherwise, and nothing is written.
pub async fn update_contact(
    db: &Db,
    company: CompanyId,
    id: ContactId,
    contact: &StoredContact,
    event: Option<&NewEvent>,
    version: i64,
    actor: i64,
) -> Result<(), SaveError> {
    let mut tx = writer::begin(db).await?;
    let conn = &mut tx.conn();
    writer::update(conn, company, id, contact, version, actor, Utc::now()).await?;
    if let Some(event) = event {
        append_event(conn, company, event).await?;
    }
    writer::commit(tx, company).await?;
    Ok(())
}

/// Deletes a contact and everything that depends on it (phones, e-mails,
/// group memberships, conversations, timeline: ON DELETE CASCADE); contacts
/// linked to it as their main are unlinked first, on their timelines, by
/// `actor`. One transaction. Returns the photo key it had, so the caller
/// can remove the file; `None` when the contact did not exist in the
/// company.
pub async fn delete_contact(
    db: &Db,
    company: CompanyId,
    id: ContactId,
    actor: Option<i64>,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let mut tx = writer::begin(db).await?;
    let conn = &mut tx.conn();
    let name: Option<String> = with_conn!(conn, c => {
        sqlx::query_scalar("SELECT name FROM contacts WHERE company_id = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(name) = name else {
        return Ok(None);
    };
    crate::contacts::links::repo::unlink_members(conn, company, (id, &name), actor).await?;
    let photo = writer::delete(conn, company, id).await?;
    tx.commit().await?;
    Ok(photo)
}

/// Contacts of the company (other than `except`) that share one of these
/// phones (E.164) or e-mails: (id, name, the shared value).
pub async fn find_duplicates(
    db: &Db,
    company: CompanyId,
    phones: &[String],
    emails: &[String],
    except: Option<ContactId>,
) -> Result<Vec<(ContactId, String, String)>, sqlx::Error> {
    let mut found = Vec::new();
    with_db!(db, pool => {
        for phone in phones {
            let rows: Vec<(ContactId, String)> = sqlx::query_as(
                "SELECT c.id, c.name FROM contact_phones p
                   JOIN contacts c ON c.company_id = p.company_id AND c.id = p.contact_id
                  WHERE p.company_id = $1 AND p.e164 = $2 AND ($3 IS NULL OR c.id <> $3)",
            )
            .bind(company)
            .bind(phone)
            .bind(except)
            .fetch_all(pool)
            .await?;
            found.extend(first_five(rows).map(|(id, name)| (id, name, phone.clone())));
        }
        for email in emails {
            let rows: Vec<(ContactId, String)> = sqlx::query_as(
                "SELECT c.id, c.name FROM contact_emails e
                   JOIN contacts c ON c.company_id = e.company_id AND c.id = e.contact_id
                  WHERE e.company_id = $1 AND e.email = $2 AND ($3 IS NULL OR c.id <> $3)",
            )
            .bind(company)
            .bind(email)
            .bind(except)
            .fetch_all(pool)
            .await?;
            found.extend(first_five(rows).map(|(id, name)| (id, name, email.clone())));
        }
    });
    Ok(found)
}

/// The five oldest of some matches. Sorted here rather than with ORDER BY
/// id LIMIT 5 in SQL: SQLite answers that by walking the company's phones
/// (or e-mails) in contact order, all of them when nothing matches.
fn first_five(mut rows: Vec<(ContactId, String)>) -> impl Iterator<Item = (ContactId, String)> {
    rows.sort_unstable_by_key(|(id, _)| *id);
    rows.into_iter().take(5)
}

/// The company's organizations and groups, by name.
pub async fn directory(
    db: &Db,
    company: CompanyId,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), sqlx::Error> {
    let lists = with_db!(db, pool => {
        let organizations: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM organizations WHERE company_id = $1 ORDER BY name, id")
                .bind(company)
                .fetch_all(pool)
                .await?;
        let groups: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM contact_groups WHERE company_id = $1 ORDER BY name, id")
                .bind(company)
                .fetch_all(pool)
                .await?;
        (organizations, groups)
    });
    Ok(lists)
}
