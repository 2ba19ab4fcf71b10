//! A contact's lists: phones and e-mails (in order, the first is the main
//! one), group memberships and custom values, written one contact at a time
//! (the form, merges, imported updates, inbound contacts; [`super::bulk`]
//! writes many new contacts at once).

use crate::custom_fields::values::{value_columns, FieldValue};
use crate::db::{with_conn, Conn};
use crate::tenant::CompanyId;

use super::StoredContact;
use crate::ids::ContactId;
use crate::ids::FieldId;

/// Phones and e-mails to add after those a contact has (`*_start`: the
/// position of the first), and groups to join.
#[derive(Debug, Clone, Default)]
pub struct Lists<'a> {
    pub phones: Vec<&'a str>,
    pub phone_start: usize,
    pub emails: Vec<&'a str>,
    pub email_start: usize,
    pub group_ids: Vec<i64>,
}

impl<'a> Lists<'a> {
    /// All of a contact's lists, from the first position.
    pub fn of(contact: &'a StoredContact) -> Lists<'a> {
        Lists {
            phones: contact.phones.iter().map(String::as_str).collect(),
            emails: contact.emails.iter().map(String::as_str).collect(),
            group_ids: contact.group_ids.clone(),
            ..Lists::default()
        }
    }
}

/// Adds phones, e-mails and group memberships to a contact (a membership it
/// has already is kept).
pub async fn insert(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    lists: &Lists<'_>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, c => {
        for (offset, e164) in lists.phones.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contact_phones (company_id, contact_id, e164, position) VALUES ($1, $2, $3, $4)",
            )
            .bind(company)
            .bind(id)
            .bind(*e164)
            .bind((lists.phone_start + offset) as i64)
            .execute(&mut *c)
            .await?;
        }
        for (offset, email) in lists.emails.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contact_emails (company_id, contact_id, email, position) VALUES ($1, $2, $3, $4)",
            )
            .bind(company)
            .bind(id)
            .bind(*email)
            .bind((lists.email_start + offset) as i64)
            .execute(&mut *c)
            .await?;
        }
        for group in &lists.group_ids {
            sqlx::query(
                "INSERT INTO contact_group_members (company_id, contact_id, group_id) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind(company)
            .bind(id)
            .bind(*group)
            .execute(&mut *c)
            .await?;
        }
    });
    Ok(())
}

/// Removes a contact's phones, e-mails and group memberships.
pub async fn delete(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
) -> Result<(), sqlx::Error> {
    const DELETES: [&str; 3] = [
        "DELETE FROM contact_phones WHERE company_id = $1 AND contact_id = $2",
        "DELETE FROM contact_emails WHERE company_id = $1 AND contact_id = $2",
        "DELETE FROM contact_group_members WHERE company_id = $1 AND contact_id = $2",
    ];
    with_conn!(conn, c => {
        for sql in DELETES {
            sqlx::query(sql).bind(company).bind(id).execute(&mut *c).await?;
        }
    });
    Ok(())
}

/// The phones and e-mails a contact has, in order.
pub async fn phones_and_emails(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    with_conn!(conn, c => {
        let phones: Vec<String> = sqlx::query_scalar(
            "SELECT e164 FROM contact_phones WHERE company_id = $1 AND contact_id = $2 ORDER BY position",
        )
        .bind(company)
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let emails: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM contact_emails WHERE company_id = $1 AND contact_id = $2 ORDER BY position",
        )
        .bind(company)
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        Ok((phones, emails))
    })
}

/// Replaces all of a contact's custom values with `values`.
pub async fn replace_custom_values(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    values: &[(FieldId, FieldValue)],
) -> Result<(), sqlx::Error> {
    delete_custom_values(conn, company, id, None).await?;
    insert_custom_values(conn, company, id, values).await
}

/// Replaces the values of the fields in `values` only (an imported row
/// sets the columns it has).
pub async fn replace_some_custom_values(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    values: &[(FieldId, FieldValue)],
) -> Result<(), sqlx::Error> {
    for (field, _) in values {
        delete_custom_values(conn, company, id, Some(*field)).await?;
    }
    insert_custom_values(conn, company, id, values).await
}

/// Removes a contact's values of one field, or of every field.
async fn delete_custom_values(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    field: Option<FieldId>,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, c => {
        for sql in [
            "DELETE FROM contact_field_values
              WHERE company_id = $1 AND contact_id = $2 AND ($3 IS NULL OR field_id = $3)",
            "DELETE FROM contact_field_options
              WHERE company_id = $1 AND contact_id = $2 AND ($3 IS NULL OR field_id = $3)",
        ] {
            sqlx::query(sql).bind(company).bind(id).bind(field).execute(&mut *c).await?;
        }
    });
    Ok(())
}

/// Adds custom values to a contact that has none of these fields yet.
pub async fn insert_custom_values(
    conn: &mut Conn<'_>,
    company: CompanyId,
    id: ContactId,
    values: &[(FieldId, FieldValue)],
) -> Result<(), sqlx::Error> {
    with_conn!(conn, c => {
        for (field, value) in values {
            match value {
                FieldValue::Options(options) => {
                    for option in options {
                        sqlx::query(
                            "INSERT INTO contact_field_options (company_id, contact_id, field_id, option_id)
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(company)
                        .bind(id)
                        .bind(*field)
                        .bind(*option)
                        .execute(&mut *c)
                        .await?;
                    }
                }
                value => {
                    let (text, key, number) = value_columns(value);
                    sqlx::query(
                        "INSERT INTO contact_field_values
                                (company_id, contact_id, field_id, value_text, value_key, value_number)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(company)
                    .bind(id)
                    .bind(*field)
                    .bind(text)
                    .bind(key)
                    .bind(number)
                    .execute(&mut *c)
                    .await?;
                }
            }
        }
    });
    Ok(())
}
