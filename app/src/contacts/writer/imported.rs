//! A CSV row about a stored contact ("update" policy): lists grow, single
//! values are replaced by the row's non-empty cells, custom values by the
//! row's columns.

use chrono::{DateTime, Utc};

use crate::contacts::form::MAX_ENTRIES;
use crate::contacts::search::fold;
use crate::db::{with_conn, Conn};
use crate::tenant::CompanyId;

use super::lists::{self, Lists};
use super::{Names, StoredContact};
use crate::ids::ContactId;

/// What an imported row brings to a stored contact.
#[derive(Debug, Clone, Copy)]
pub struct ImportedRow<'a> {
    /// The row's values; empty cells are `None` / empty lists.
    pub contact: &'a StoredContact,
    /// Whether the row had a name (else the stored one stays).
    pub name_given: bool,
    /// The organization by name, found or created.
    pub organization: Option<&'a str>,
    /// Groups by name, found or created, joined.
    pub groups: &'a [String],
}

/// Why an imported row was not merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeRefusal {
    /// The contact would hold more than [`MAX_ENTRIES`] phones or e-mails.
    TooManyEntries,
}

/// Merges `row` into contact `id`: its new phones and e-mails are added
/// after the stored ones, its non-empty cells replace single values, the
/// custom fields it has replace theirs, its groups are joined. The version
/// moves (no user made it: `updated_by` is cleared).
pub async fn merge_row(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    row: ImportedRow<'_>,
    names: &mut Names,
    now: DateTime<Utc>,
) -> Result<Result<(), MergeRefusal>, sqlx::Error> {
    let contact = row.contact;
    let (phones, emails) = lists::phones_and_emails(conn, company, id).await?;
    let new_phones: Vec<&str> = contact
        .phones
        .iter()
        .filter(|p| !phones.contains(p))
        .map(String::as_str)
        .collect();
    let new_emails: Vec<&str> = contact
        .emails
        .iter()
        .filter(|e| !emails.contains(e))
        .map(String::as_str)
        .collect();
    if phones.len() + new_phones.len() > MAX_ENTRIES
        || emails.len() + new_emails.len() > MAX_ENTRIES
    {
        return Ok(Err(MergeRefusal::TooManyEntries));
    }
    let organization_id = match row.organization {
        Some(name) => Some(names.organization(conn, company, name, now).await?),
        None => None,
    };
    let name = row.name_given.then_some(contact.name.as_str());
    with_conn!(conn, c => {
        sqlx::query(
            "UPDATE contacts SET
                    name = COALESCE($1, name), sort_key = COALESCE($2, sort_key),
                    address = COALESCE($3, address), birth_date = COALESCE($4, birth_date),
                    document = COALESCE($5, document), gender = COALESCE($6, gender),
                    facebook = COALESCE($7, facebook), instagram = COALESCE($8, instagram),
                    telegram = COALESCE($9, telegram), website = COALESCE($10, website),
                    notes = COALESCE($11, notes),
                    organization_id = COALESCE($12, organization_id), updated_at = $13,
                    version = version + 1, updated_by = NULL
              WHERE company_id = $14 AND id = $15",
        )
        .bind(name)
        .bind(name.map(fold))
        .bind(&contact.address)
        .bind(contact.birth_date)
        .bind(&contact.document)
        .bind(&contact.gender)
        .bind(&contact.facebook)
        .bind(&contact.instagram)
        .bind(&contact.telegram)
        .bind(&contact.website)
        .bind(&contact.notes)
        .bind(organization_id)
        .bind(now)
        .bind(company)
        .bind(id)
        .execute(&mut *c)
        .await?;
    });
    let lists = Lists {
        phone_start: phones.len(),
        phones: new_phones,
        email_start: emails.len(),
        emails: new_emails,
        group_ids: names.groups(conn, company, row.groups, now).await?,
    };
    lists::insert(conn, company, id, &lists).await?;
    lists::replace_some_custom_values(conn, company, id, &contact.custom).await?;
    Ok(Ok(()))
}
