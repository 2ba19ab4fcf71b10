//! Writing many new contacts at once (CSV import, demo data, benches):
//! rows gathered in memory with ids reserved up front, then written in a
//! handful of set-based statements per batch instead of several per contact
//! (server only).
//!
//! Each backend keeps its search columns in step with triggers (migration
//! 0005); written one row at a time, a contact with two phones and an
//! e-mail would rewrite its row (and its search index entries) four times.
//! - SQLite: the lists are written first, the contacts last (foreign keys
//!   are deferred to the commit; the lists' triggers find no contact yet).
//! - PostgreSQL: foreign keys are checked per statement, so the contacts go
//!   first, then their lists, while the triggers stand aside (the
//!   transaction-local setting `agenda.search_refresh = 'deferred'`,
//!   migration 0011).
//!
//! Either way the contacts are inserted with their search columns already
//! filled ([`search_columns`], what the triggers would compute; migration
//! 0011 lets SQLite's insert trigger pass such rows), so each contact row
//! and its search index entries are written once.

use std::collections::{HashSet, VecDeque};

use chrono::{DateTime, Utc};

use crate::contacts::search::{fold, search_columns};
use crate::custom_fields::values::{value_columns, FieldValue};
use crate::db::{AsConn, Conn, Db};
use crate::tenant::CompanyId;

use super::{Names, NewContact, StoredContact};
use crate::ids::{ContactId, FieldId};

/// New contacts of a batch, kept as JSON arrays to be written by
/// [`write_new`] in seven statements at most.
#[derive(Debug, Default)]
pub struct NewRows {
    ids: HashSet<ContactId>,
    pub contacts: Vec<serde_json::Value>,
    pub phones: Vec<serde_json::Value>,
    pub emails: Vec<serde_json::Value>,
    pub members: Vec<serde_json::Value>,
    pub values: Vec<serde_json::Value>,
    pub options: Vec<serde_json::Value>,
}

impl NewRows {
    /// Adds a contact under its reserved id; organization and groups are
    /// already found or created; `document_fields` are the company's CPF and
    /// CNPJ custom fields (their values are searched like the document).
    pub fn push(
        &mut self,
        id: ContactId,
        organization_id: Option<i64>,
        group_ids: &[i64],
        contact: &StoredContact,
        document_fields: &[FieldId],
    ) {
        use serde_json::json;
        self.ids.insert(id);
        let sort_key = fold(&contact.name);
        let mut documents: Vec<(FieldId, &str)> = contact
            .custom
            .iter()
            .filter(|(field, _)| document_fields.contains(field))
            .filter_map(|(field, value)| match value {
                FieldValue::Text { text, .. } => Some((*field, text.as_str())),
                _ => None,
            })
            .collect();
        documents.sort_unstable_by_key(|(field, _)| *field);
        let documents: Vec<&str> = documents.into_iter().map(|(_, text)| text).collect();
        let (search_text, search_phones) = search_columns(
            &sort_key,
            &contact.emails,
            &contact.phones,
            contact.document.as_deref(),
            &documents,
        );
        self.contacts.push(json!({
            "id": id,
            "name": contact.name,
            "sort_key": sort_key,
            "search_text": search_text,
            "search_phones": search_phones,
            "address": contact.address,
            "organization_id": organization_id,
            "birth_date": contact.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
            "document": contact.document,
            "gender": contact.gender,
            "facebook": contact.facebook,
            "instagram": contact.instagram,
            "telegram": contact.telegram,
            "website": contact.website,
            "notes": contact.notes,
        }));
        for (position, phone) in contact.phones.iter().enumerate() {
            self.phones.push(json!([id, phone, position]));
        }
        for (position, email) in contact.emails.iter().enumerate() {
            self.emails.push(json!([id, email, position]));
        }
        for group in group_ids {
            self.members.push(json!([id, group]));
        }
        for (field, value) in &contact.custom {
            match value {
                FieldValue::Options(options) => {
                    for option in options {
                        self.options.push(json!([id, field, option]));
                    }
                }
                value => {
                    let (text, key, number) = value_columns(value);
                    self.values.push(json!([id, field, text, key, number]));
                }
            }
        }
    }

    /// Whether the contact is waiting here (a later row about it must
    /// write the batch first).
    pub fn holds(&self, id: ContactId) -> bool {
        self.ids.contains(&id)
    }

    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    /// The JSON arrays, emptied, and the rows forgotten.
    pub fn take(&mut self) -> [String; 6] {
        let json = |rows: &mut Vec<serde_json::Value>| {
            serde_json::Value::Array(std::mem::take(rows)).to_string()
        };
        let taken = [
            json(&mut self.contacts),
            json(&mut self.phones),
            json(&mut self.emails),
            json(&mut self.members),
            json(&mut self.values),
            json(&mut self.options),
        ];
        self.ids.clear();
        taken
    }
}

/// The statements that write a [`NewRows`] on one backend: `$1` company,
/// `$2` the JSON array; the contacts' also `$3` import job and `$4` now.
pub struct NewRowsSql {
    pub contacts: &'static str,
    /// Phones, e-mails, group memberships, custom values, select options:
    /// in the order of [`NewRows::take`].
    pub lists: [&'static str; 5],
}

pub const SQLITE_NEW_ROWS: NewRowsSql = NewRowsSql {
    contacts: "INSERT INTO contacts (id, company_id, name, sort_key, address, organization_id, birth_date,
                                     document, gender, facebook, instagram, telegram, website, notes,
                                     import_job_id, created_at, updated_at, search_text, search_phones)
               SELECT value ->> 'id', $1, value ->> 'name', value ->> 'sort_key', value ->> 'address',
                      value ->> 'organization_id', value ->> 'birth_date', value ->> 'document',
                      value ->> 'gender', value ->> 'facebook', value ->> 'instagram',
                      value ->> 'telegram', value ->> 'website', value ->> 'notes', $3, $4, $4,
                      value ->> 'search_text', value ->> 'search_phones'
                 FROM json_each($2)",
    lists: [
        "INSERT INTO contact_phones (company_id, contact_id, e164, position)
         SELECT $1, value ->> 0, value ->> 1, value ->> 2 FROM json_each($2)",
        "INSERT INTO contact_emails (company_id, contact_id, email, position)
         SELECT $1, value ->> 0, value ->> 1, value ->> 2 FROM json_each($2)",
        "INSERT INTO contact_group_members (company_id, contact_id, group_id)
         SELECT $1, value ->> 0, value ->> 1 FROM json_each($2) WHERE true
         ON CONFLICT DO NOTHING",
        "INSERT INTO contact_field_values
                (company_id, contact_id, field_id, value_text, value_key, value_number)
         SELECT $1, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4
           FROM json_each($2)",
        "INSERT INTO contact_field_options (company_id, contact_id, field_id, option_id)
         SELECT $1, value ->> 0, value ->> 1, value ->> 2 FROM json_each($2)",
    ],
};

pub const POSTGRES_NEW_ROWS: NewRowsSql = NewRowsSql {
    contacts: "INSERT INTO contacts (id, company_id, name, sort_key, address, organization_id, birth_date,
                                     document, gender, facebook, instagram, telegram, website, notes,
                                     import_job_id, created_at, updated_at, search_text, search_phones)
               SELECT r.id, $1, r.name, r.sort_key, r.address, r.organization_id, r.birth_date,
                      r.document, r.gender, r.facebook, r.instagram, r.telegram, r.website, r.notes,
                      $3, $4, $4, r.search_text, r.search_phones
                 FROM jsonb_to_recordset($2::jsonb) AS r(
                      id BIGINT, name TEXT, sort_key TEXT, address TEXT, organization_id BIGINT,
                      birth_date DATE, document TEXT, gender TEXT, facebook TEXT, instagram TEXT,
                      telegram TEXT, website TEXT, notes TEXT, search_text TEXT, search_phones TEXT)",
    lists: [
        "INSERT INTO contact_phones (company_id, contact_id, e164, position)
         SELECT $1, (value ->> 0)::bigint, value ->> 1, (value ->> 2)::bigint
           FROM jsonb_array_elements($2::jsonb)",
        "INSERT INTO contact_emails (company_id, contact_id, email, position)
         SELECT $1, (value ->> 0)::bigint, value ->> 1, (value ->> 2)::bigint
           FROM jsonb_array_elements($2::jsonb)",
        "INSERT INTO contact_group_members (company_id, contact_id, group_id)
         SELECT $1, (value ->> 0)::bigint, (value ->> 1)::bigint FROM jsonb_array_elements($2::jsonb)
         ON CONFLICT DO NOTHING",
        "INSERT INTO contact_field_values
                (company_id, contact_id, field_id, value_text, value_key, value_number)
         SELECT $1, (value ->> 0)::bigint, (value ->> 1)::bigint, value ->> 2, value ->> 3,
                (value ->> 4)::double precision
           FROM jsonb_array_elements($2::jsonb)",
        "INSERT INTO contact_field_options (company_id, contact_id, field_id, option_id)
         SELECT $1, (value ->> 0)::bigint, (value ->> 1)::bigint, (value ->> 2)::bigint
           FROM jsonb_array_elements($2::jsonb)",
    ],
};

/// Reserves `$1` contact ids on PostgreSQL (they are never handed out again).
pub const POSTGRES_RESERVE_IDS: &str =
    "SELECT nextval(pg_get_serial_sequence('contacts', 'id')) FROM generate_series(1, $1::bigint)";

/// Ids for the new contacts of one write transaction ([`NewIds::take`]).
#[derive(Debug)]
pub enum NewIds {
    /// SQLite: the ids after the highest, free while the transaction holds
    /// the write lock (`BEGIN IMMEDIATE`); found inside the transaction so
    /// a rolled-back batch leaves none behind.
    After(i64),
    /// PostgreSQL: ids taken from the sequence (never handed out again).
    Reserved(VecDeque<i64>),
}

impl NewIds {
    /// Prepares the transaction for [`write_new`] and gets ids for up to
    /// `wanted` new contacts. On SQLite foreign keys wait for the commit
    /// (the lists are written before their contacts, see the module's
    /// notes).
    pub async fn reserve(conn: &mut Conn<'_>, wanted: usize) -> Result<NewIds, sqlx::Error> {
        match conn {
            Conn::Sqlite(c) => {
                sqlx::query("PRAGMA defer_foreign_keys = ON")
                    .execute(&mut **c)
                    .await?;
                let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM contacts")
                    .fetch_one(&mut **c)
                    .await?;
                Ok(NewIds::After(last))
            }
            Conn::Postgres(c) => {
                if wanted == 0 {
                    return Ok(NewIds::Reserved(VecDeque::new()));
                }
                let ids: Vec<i64> = sqlx::query_scalar(POSTGRES_RESERVE_IDS)
                    .bind(wanted as i64)
                    .fetch_all(&mut **c)
                    .await?;
                Ok(NewIds::Reserved(ids.into()))
            }
        }
    }

    /// The next id; an error when more are taken than were reserved.
    pub fn take(&mut self) -> Result<ContactId, sqlx::Error> {
        match self {
            NewIds::After(last) => {
                *last += 1;
                Ok(ContactId::new(*last))
            }
            NewIds::Reserved(ids) => ids
                .pop_front()
                .map(ContactId::new)
                .ok_or_else(|| sqlx::Error::Protocol("no new contact id left reserved".into())),
        }
    }
}

/// Writes and empties `rows` inside the caller's write transaction, which
/// took their ids from [`NewIds::reserve`]; `job` is the import that
/// creates them, if any.
pub async fn write_new(
    conn: &mut Conn<'_>,
    company: CompanyId,
    rows: &mut NewRows,
    job: Option<crate::ids::JobId>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let [contacts, phones, emails, members, values, options] = rows.take();
    let lists = [phones, emails, members, values, options];
    match conn {
        Conn::Sqlite(c) => {
            // Lists first: foreign keys are deferred, and the lists'
            // triggers find no contact to refresh.
            for (sql, rows) in SQLITE_NEW_ROWS.lists.iter().zip(&lists) {
                if rows != "[]" {
                    sqlx::query(sql)
                        .bind(company)
                        .bind(rows)
                        .execute(&mut **c)
                        .await?;
                }
            }
            sqlx::query(SQLITE_NEW_ROWS.contacts)
                .bind(company)
                .bind(&contacts)
                .bind(job)
                .bind(now)
                .execute(&mut **c)
                .await?;
        }
        Conn::Postgres(c) => {
            // Contacts first (foreign keys are checked per statement), the
            // triggers standing aside while the lists go in.
            sqlx::query("SELECT set_config('agenda.search_refresh', 'deferred', true)")
                .execute(&mut **c)
                .await?;
            sqlx::query(POSTGRES_NEW_ROWS.contacts)
                .bind(company)
                .bind(&contacts)
                .bind(job)
                .bind(now)
                .execute(&mut **c)
                .await?;
            for (sql, rows) in POSTGRES_NEW_ROWS.lists.iter().zip(&lists) {
                if rows != "[]" {
                    sqlx::query(sql)
                        .bind(company)
                        .bind(rows)
                        .execute(&mut **c)
                        .await?;
                }
            }
            sqlx::query("SELECT set_config('agenda.search_refresh', '', true)")
                .execute(&mut **c)
                .await?;
        }
    }
    Ok(())
}

/// How many contacts one write transaction of [`insert_contacts`] holds.
const BATCH: usize = 1_000;

/// Creates contacts (demo data, tests, benches) in write transactions of
/// [`BATCH`] rows; their ids in input order. Organizations and groups are
/// found or created by name within the company.
pub async fn insert_contacts(
    db: &Db,
    company: CompanyId,
    contacts: &[NewContact],
) -> Result<Vec<ContactId>, sqlx::Error> {
    let mut ids = Vec::with_capacity(contacts.len());
    let mut names = Names::default();
    for batch in contacts.chunks(BATCH) {
        let mut tx = super::begin(db).await?;
        let conn = &mut tx.conn();
        let now = Utc::now();
        let mut new_ids = NewIds::reserve(conn, batch.len()).await?;
        let mut rows = NewRows::default();
        for contact in batch {
            let id = new_ids.take()?;
            let organization_id = match &contact.organization {
                Some(name) => Some(names.organization(conn, company, name, now).await?),
                None => None,
            };
            let group_ids = names.groups(conn, company, &contact.groups, now).await?;
            let stored = StoredContact {
                name: contact.name.clone(),
                phones: contact.phones.clone(),
                emails: contact.emails.clone(),
                address: contact.address.clone(),
                ..StoredContact::default()
            };
            rows.push(id, organization_id, &group_ids, &stored, &[]);
            ids.push(id);
        }
        write_new(conn, company, &mut rows, None, now).await?;
        super::commit(tx, company).await?;
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_taken_as_json_arrays_and_forgotten() {
        let mut rows = NewRows::default();
        let contact = StoredContact {
            name: "Ana Lúcia".into(),
            phones: vec!["+5511987654321".into(), "+5511912345678".into()],
            emails: vec!["ana@example.com".into()],
            ..StoredContact::default()
        };
        rows.push(ContactId::new(7), Some(3), &[5], &contact, &[]);
        assert!(rows.holds(ContactId::new(7)));
        assert!(!rows.holds(ContactId::new(8)));
        let [contacts, phones, emails, members, values, options] = rows.take();
        let contacts: serde_json::Value = serde_json::from_str(&contacts).expect("json");
        assert_eq!(contacts[0]["id"], 7);
        assert_eq!(contacts[0]["sort_key"], "ana lucia");
        assert_eq!(contacts[0]["organization_id"], 3);
        assert_eq!(contacts[0]["search_text"], "ana lucia\nana@example.com");
        assert_eq!(contacts[0]["search_phones"], "5511987654321\n5511912345678");
        assert_eq!(phones, r#"[[7,"+5511987654321",0],[7,"+5511912345678",1]]"#);
        assert_eq!(emails, r#"[[7,"ana@example.com",0]]"#);
        assert_eq!(members, "[[7,5]]");
        assert_eq!((values.as_str(), options.as_str()), ("[]", "[]"));
        assert!(rows.is_empty());
        assert!(!rows.holds(ContactId::new(7)));
    }
}
