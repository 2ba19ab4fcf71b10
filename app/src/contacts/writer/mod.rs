//! The one contact writer: every path that creates or changes a contact's
//! details goes through here (the form's create and update, merges, the
//! CSV import's new and updated rows, inbound messages from unknown
//! addresses, bulk inserts for demo data and benches), so the contact's
//! columns, its phones, e-mails, groups and custom values, and its search
//! ranks are written in one place. Adding a column to contacts touches this
//! module and the migrations.
//!
//! Each step is an `async fn` on a [`Conn`] inside the caller's
//! transaction; [`commit`] settles the search ranks of what the
//! transaction wrote and commits it. Timeline events are the caller's
//! (it knows what the change means); links and photos have their own
//! modules.
//!
//! - [`lists`]: phones, e-mails, group memberships, custom values.
//! - [`bulk`]: many new contacts in a few set-based statements.
//! - [`imported`]: a CSV row merged into a stored contact.

pub mod bulk;
pub mod imported;
pub mod lists;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::contacts::search::fold;
use crate::conversations::Channel;
use crate::custom_fields::values::FieldValue;
use crate::db::{with_conn, AsConn, Conn, Db, Tx};
use crate::ids::ContactId;
use crate::ids::FieldId;
use crate::tenant::CompanyId;

pub use bulk::insert_contacts;

/// A contact as the form saves it: validated, phones in E.164.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredContact {
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub document: Option<String>,
    pub gender: Option<String>,
    pub organization_id: Option<i64>,
    pub group_ids: Vec<i64>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub telegram: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    /// Checked custom values by field id (phones already in E.164).
    pub custom: Vec<(FieldId, FieldValue)>,
}

/// A contact to create in bulk ([`insert_contacts`]), already validated and
/// normalized; organization and groups by name.
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

/// Why a contact could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("the contact does not exist in this company")]
    NotFound,
    /// The contact changed since the version the write was based on.
    #[error("the contact changed since it was read")]
    Stale,
    #[error("organization {0} does not exist in this company")]
    UnknownOrganization(i64),
    #[error("group {0} does not exist in this company")]
    UnknownGroup(i64),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Begins a transaction that writes contacts (see [`commit`]).
pub async fn begin(db: &Db) -> Result<Tx, sqlx::Error> {
    db.begin_write().await
}

/// Settles the search ranks of the contacts `tx` created or renamed in
/// `company`, then commits it. Every transaction that writes contacts ends
/// here.
pub async fn commit(mut tx: Tx, company: CompanyId) -> Result<(), sqlx::Error> {
    crate::contacts::search::rank_repo::settle_ranks(&mut tx.conn(), company).await?;
    tx.commit().await
}

/// Creates a contact added through the form by `created_by`; its id. (Its
/// timeline's "created" entry is read from the row.)
pub async fn create(
    conn: &mut Conn<'_>,
    company: CompanyId,
    contact: &StoredContact,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ContactId, SaveError> {
    check_references(conn, company, contact).await?;
    let id: ContactId = with_conn!(conn, c => {
        sqlx::query_scalar(
            "INSERT INTO contacts (company_id, name, sort_key, address, organization_id, birth_date,
                                   document, gender, facebook, instagram, telegram, website, notes,
                                   created_at, updated_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)
             RETURNING id",
        )
        .bind(company)
        .bind(&contact.name)
        .bind(fold(&contact.name))
        .bind(&contact.address)
        .bind(contact.organization_id)
        .bind(contact.birth_date)
        .bind(&contact.document)
        .bind(&contact.gender)
        .bind(&contact.facebook)
        .bind(&contact.instagram)
        .bind(&contact.telegram)
        .bind(&contact.website)
        .bind(&contact.notes)
        .bind(now)
        .bind(created_by)
        .fetch_one(&mut *c)
        .await?
    });
    lists::insert(conn, company, id, &lists::Lists::of(contact)).await?;
    lists::insert_custom_values(conn, company, id, &contact.custom).await?;
    Ok(id)
}

/// Replaces a contact's details and lists as `actor`, if it is still at
/// `version`: [`SaveError::NotFound`] when it is not the company's,
/// [`SaveError::Stale`] when it changed since that version (the caller
/// rolls back).
pub async fn update(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    contact: &StoredContact,
    version: i64,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<(), SaveError> {
    let changed = with_conn!(conn, c => {
        sqlx::query(
            "UPDATE contacts SET name = $1, sort_key = $2, address = $3, birth_date = $4, document = $5,
                    gender = $6, facebook = $7, instagram = $8, telegram = $9, website = $10,
                    notes = $11, updated_at = $12, version = version + 1, updated_by = $15
              WHERE company_id = $13 AND id = $14 AND version = $16",
        )
        .bind(&contact.name)
        .bind(fold(&contact.name))
        .bind(&contact.address)
        .bind(contact.birth_date)
        .bind(&contact.document)
        .bind(&contact.gender)
        .bind(&contact.facebook)
        .bind(&contact.instagram)
        .bind(&contact.telegram)
        .bind(&contact.website)
        .bind(&contact.notes)
        .bind(now)
        .bind(company)
        .bind(id)
        .bind(actor)
        .bind(version)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if changed == 0 {
        return Err(if exists(conn, company, id).await? {
            SaveError::Stale
        } else {
            SaveError::NotFound
        });
    }
    check_references(conn, company, contact).await?;
    with_conn!(conn, c => {
        sqlx::query("UPDATE contacts SET organization_id = $1 WHERE company_id = $2 AND id = $3")
            .bind(contact.organization_id)
            .bind(company)
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    lists::delete(conn, company, id).await?;
    lists::insert(conn, company, id, &lists::Lists::of(contact)).await?;
    lists::replace_custom_values(conn, company, id, &contact.custom).await?;
    Ok(())
}

/// Whether the contact exists in the company.
pub async fn exists(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = with_conn!(conn, c => {
        sqlx::query_scalar("SELECT id FROM contacts WHERE company_id = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    Ok(found.is_some())
}

/// Refuses an organization or group that is not the company's (the form
/// sends ids).
async fn check_references(
    conn: &mut Conn<'_>,
    company: CompanyId,
    contact: &StoredContact,
) -> Result<(), SaveError> {
    with_conn!(conn, c => {
        if let Some(org) = contact.organization_id {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM organizations WHERE company_id = $1 AND id = $2")
                    .bind(company)
                    .bind(org)
                    .fetch_optional(&mut *c)
                    .await?;
            if found.is_none() {
                return Err(SaveError::UnknownOrganization(org));
            }
        }
        for group in &contact.group_ids {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM contact_groups WHERE company_id = $1 AND id = $2")
                    .bind(company)
                    .bind(*group)
                    .fetch_optional(&mut *c)
                    .await?;
            if found.is_none() {
                return Err(SaveError::UnknownGroup(*group));
            }
        }
    });
    Ok(())
}

/// A contact an inbound message creates: its name as the channel gave it
/// and the one address it wrote from.
#[derive(Debug, Clone, Copy)]
pub struct InboundContact<'a> {
    pub name: &'a str,
    pub via: Channel,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    /// A handle on Telegram, Instagram or Facebook.
    pub handle: Option<(Channel, &'a str)>,
}

/// Creates the contact of a customer who wrote from an unknown address;
/// its id.
pub async fn create_inbound(
    conn: &mut Conn<'_>,
    company: CompanyId,
    contact: InboundContact<'_>,
    now: DateTime<Utc>,
) -> Result<ContactId, sqlx::Error> {
    let handle = |wanted: Channel| {
        contact
            .handle
            .filter(|(channel, _)| *channel == wanted)
            .map(|(_, handle)| handle)
    };
    let id: ContactId = with_conn!(conn, c => {
        sqlx::query_scalar(
            "INSERT INTO contacts (company_id, name, sort_key, telegram, instagram, facebook,
                                   created_via, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(company)
        .bind(contact.name)
        .bind(fold(contact.name))
        .bind(handle(Channel::Telegram))
        .bind(handle(Channel::Instagram))
        .bind(handle(Channel::Facebook))
        .bind(contact.via.slug())
        .bind(now)
        .fetch_one(&mut *c)
        .await?
    });
    let lists = lists::Lists {
        phones: contact.phone.into_iter().collect(),
        emails: contact.email.into_iter().collect(),
        ..lists::Lists::default()
    };
    lists::insert(conn, company, id, &lists).await?;
    Ok(id)
}

/// Notes that the customer wrote through `channel`, when that is one only
/// the customer may open (Facebook Messenger, the web widget): agents may
/// then start conversations there.
pub async fn note_customer_wrote(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = match channel {
        Channel::Facebook => {
            "UPDATE contacts SET facebook_opened_at = COALESCE(facebook_opened_at, $1)
              WHERE company_id = $2 AND id = $3"
        }
        Channel::Widget => {
            "UPDATE contacts SET widget_opened_at = COALESCE(widget_opened_at, $1)
              WHERE company_id = $2 AND id = $3"
        }
        _ => return Ok(()),
    };
    with_conn!(conn, c => {
        sqlx::query(sql)
            .bind(now)
            .bind(company)
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Deletes a contact and everything that depends on it (phones, e-mails,
/// group memberships, conversations, timeline: `ON DELETE CASCADE`). The
/// photo key it had; `None` when it did not exist in the company.
pub async fn delete(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let photo = with_conn!(conn, c => {
        sqlx::query_scalar::<_, Option<String>>(
            "DELETE FROM contacts WHERE company_id = $1 AND id = $2 RETURNING photo",
        )
        .bind(company)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(photo)
}

/// Organizations and groups by name, found or created in the company once
/// per writer (an import or a bulk insert names the same few again and
/// again).
#[derive(Debug, Default)]
pub struct Names {
    organizations: HashMap<String, i64>,
    groups: HashMap<String, i64>,
}

impl Names {
    /// The id of the organization called `name`, created if new.
    pub async fn organization(
        &mut self,
        conn: &mut Conn<'_>,
        company: CompanyId,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        const CREATE_ORGANIZATION: &str =
            "INSERT INTO organizations (company_id, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (company_id, name) DO UPDATE SET name = excluded.name
             RETURNING id";
        find_or_create(
            &mut self.organizations,
            conn,
            CREATE_ORGANIZATION,
            company,
            name,
            now,
        )
        .await
    }

    /// The id of the group called `name`, created if new.
    pub async fn group(
        &mut self,
        conn: &mut Conn<'_>,
        company: CompanyId,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        const CREATE_GROUP: &str =
            "INSERT INTO contact_groups (company_id, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (company_id, name) DO UPDATE SET name = excluded.name
             RETURNING id";
        find_or_create(&mut self.groups, conn, CREATE_GROUP, company, name, now).await
    }

    /// The ids of the groups called `names`, created if new.
    pub async fn groups(
        &mut self,
        conn: &mut Conn<'_>,
        company: CompanyId,
        names: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, sqlx::Error> {
        let mut ids = Vec::with_capacity(names.len());
        for name in names {
            ids.push(self.group(conn, company, name, now).await?);
        }
        Ok(ids)
    }
}

async fn find_or_create(
    cache: &mut HashMap<String, i64>,
    conn: &mut Conn<'_>,
    sql: &'static str,
    company: CompanyId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    if let Some(id) = cache.get(name) {
        return Ok(*id);
    }
    let id: i64 = with_conn!(conn, c => {
        sqlx::query_scalar(sql)
            .bind(company)
            .bind(name)
            .bind(now)
            .fetch_one(&mut *c)
            .await?
    });
    cache.insert(name.to_string(), id);
    Ok(id)
}
