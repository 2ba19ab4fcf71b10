//! The CSV export's reads (server only): one statement per batch of
//! contacts that returns the batch as JSON, a few text values in one row.
//!
//! Why JSON: the driver's cost per row and per column (a copy and an
//! allocation each) was most of the export's time when a batch came back as
//! one row per contact with its lists aggregated (~8 µs a contact, against
//! ~2 µs for the database's own work). Here the database builds six JSON
//! arrays per batch (contacts, phones, e-mails, groups, custom values,
//! chosen options) and serde parses them in one pass each.
//!
//! Why ranges: the whole list is read in contact ID order, so a batch's
//! phones, e-mails, groups and custom values are each one range of their
//! table's `(contact_id, …)` key, read in order, instead of three index
//! probes per contact scattered over the tables. A page of a search or a
//! filter (name order, ids anywhere) reads its lists by id instead.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::contacts::document::format_document;
use crate::contacts::phone::format_phone;
use crate::custom_fields::model::FieldDefinition;
use crate::db::Db;
use crate::ids::ContactId;
use crate::ids::FieldId;
use crate::import_export::csv_format::ExportContact;
use crate::tenant::CompanyId;
use crate::with_db;

/// Which contacts a batch holds.
#[derive(Debug, Clone, Copy)]
pub enum BatchOf<'a> {
    /// The company's next `limit` contacts in ID order after ID `after`.
    After { after: i64, limit: u32 },
    /// These contacts of the company (a page of a search or filter).
    Ids(&'a [ContactId]),
}

/// A batch as the database returns it: JSON arrays, parsed by
/// [`ExportBatch::into_contacts`] (apart, so parsing one batch can overlap
/// reading the next).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ExportBatch {
    /// `[[id, name, address, birth_date, document, gender, organization,
    /// facebook, instagram, telegram, website, notes, created_at], …]`
    pub contacts: Option<String>,
    /// `[[contact_id, position, e164], …]`
    pub phones: Option<String>,
    /// `[[contact_id, position, email], …]`
    pub emails: Option<String>,
    /// `[[contact_id, group name], …]`
    pub groups: Option<String>,
    /// `[[contact_id, field_id, value_text], …]`
    pub field_values: Option<String>,
    /// `[[contact_id, field_id, option_id], …]`
    pub field_options: Option<String>,
    /// How many contacts the batch holds, and its largest ID.
    pub count: i64,
    pub last_id: Option<i64>,
}

/// One contact's own columns, in the order of the JSON array.
#[derive(Debug, Deserialize)]
struct ContactColumns {
    id: ContactId,
    name: String,
    address: Option<String>,
    birth_date: Option<String>,
    document: Option<String>,
    gender: Option<String>,
    organization: Option<String>,
    facebook: Option<String>,
    instagram: Option<String>,
    telegram: Option<String>,
    website: Option<String>,
    notes: Option<String>,
    created_at: String,
}

/// The statement for a batch on `db`'s backend. The batch's ids come first
/// (a materialized CTE), then each JSON array is its own subquery. (The
/// CROSS JOIN makes SQLite walk the batch's memberships and look each group
/// up, rather than probe every batch id under every group of the company.)
fn batch_sql(db: &Db, of: BatchOf<'_>) -> String {
    let postgres = matches!(db, Db::Postgres(_));
    let source = match (of, postgres) {
        (BatchOf::After { .. }, _) => {
            "SELECT id FROM contacts WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        }
        (BatchOf::Ids(_), false) => {
            "SELECT c.id FROM json_each($2) AS s CROSS JOIN contacts c ON c.id = s.value
              WHERE c.company_id = $1"
        }
        (BatchOf::Ids(_), true) => {
            "SELECT c.id FROM (SELECT jsonb_array_elements_text(CAST($2 AS jsonb))::bigint AS value) AS s
               JOIN contacts c ON c.id = s.value
              WHERE c.company_id = $1"
        }
    };
    // A contiguous run of the company's ids: one range of each list table.
    // Any ids: one key lookup per contact.
    let member = |alias: &str| match of {
        BatchOf::After { .. } => format!(
            "{alias}.company_id = $1 AND {alias}.contact_id BETWEEN
               (SELECT min(id) FROM batch) AND (SELECT max(id) FROM batch)"
        ),
        BatchOf::Ids(_) => {
            format!("{alias}.company_id = $1 AND {alias}.contact_id IN (SELECT id FROM batch)")
        }
    };
    let (agg, array, as_text) = if postgres {
        ("json_agg", "json_build_array", "::text")
    } else {
        ("json_group_array", "json_array", "")
    };
    let (phones, emails, groups, values, options) = (
        member("p"),
        member("e"),
        member("m"),
        member("v"),
        member("f"),
    );
    format!(
        "WITH batch AS MATERIALIZED ({source})
         SELECT
           (SELECT {agg}({array}(c.id, c.name, c.address, c.birth_date, c.document, c.gender,
                                  o.name, c.facebook, c.instagram, c.telegram, c.website,
                                  c.notes, c.created_at)){as_text}
              FROM batch b
              JOIN contacts c ON c.id = b.id
              LEFT JOIN organizations o
                ON o.company_id = c.company_id AND o.id = c.organization_id) AS contacts,
           (SELECT {agg}({array}(p.contact_id, p.position, p.e164)){as_text}
              FROM contact_phones p WHERE {phones}) AS phones,
           (SELECT {agg}({array}(e.contact_id, e.position, e.email)){as_text}
              FROM contact_emails e WHERE {emails}) AS emails,
           (SELECT {agg}({array}(m.contact_id, g.name)){as_text}
              FROM contact_group_members m CROSS JOIN contact_groups g
             WHERE {groups} AND g.company_id = m.company_id AND g.id = m.group_id) AS groups,
           (SELECT {agg}({array}(v.contact_id, v.field_id, v.value_text)){as_text}
              FROM contact_field_values v WHERE {values}) AS field_values,
           (SELECT {agg}({array}(f.contact_id, f.field_id, f.option_id)){as_text}
              FROM contact_field_options f WHERE {options}) AS field_options,
           (SELECT count(*) FROM batch) AS count,
           (SELECT max(id) FROM batch) AS last_id"
    )
}

/// Reads one batch of the company's contacts for the export.
pub async fn read_batch(
    db: &Db,
    company: CompanyId,
    of: BatchOf<'_>,
) -> Result<ExportBatch, sqlx::Error> {
    if let BatchOf::Ids([]) = of {
        return Ok(ExportBatch::default());
    }
    let sql = batch_sql(db, of);
    let batch = with_db!(db, pool => {
        let query = sqlx::query_as::<_, ExportBatch>(&sql).bind(company);
        let query = match of {
            BatchOf::After { after, limit } => query.bind(after).bind(i64::from(limit)),
            BatchOf::Ids(ids) => query.bind(crate::db::json_ids(ids)),
        };
        query.fetch_one(pool).await?
    });
    Ok(batch)
}

/// A JSON array of the batch, empty when the backend returned NULL (no
/// rows, on PostgreSQL).
fn parse<T: serde::de::DeserializeOwned>(json: Option<&str>) -> Result<Vec<T>, serde_json::Error> {
    match json {
        Some(text) => serde_json::from_str(text),
        None => Ok(Vec::new()),
    }
}

/// A stored timestamp (SQLite's text or PostgreSQL's JSON rendering) as
/// RFC 3339 to the second, with `zone`'s offset (`Z` in UTC).
fn rfc3339_in(stored: &str, zone: chrono_tz::Tz) -> String {
    stored
        .parse::<DateTime<Utc>>()
        .map(|d| {
            d.with_timezone(&zone)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| stored.to_string())
}

impl ExportBatch {
    /// The batch's contacts as the CSV shows them (phones and document
    /// formatted, lists in their stored order, groups by name), in `order`
    /// when given (a page of the list), else in ID order. `fields`: the
    /// company's custom field definitions; `zone`: the one "Criado em" is
    /// written in.
    pub fn into_contacts(
        self,
        fields: &[FieldDefinition],
        order: Option<&[ContactId]>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<ExportContact>, serde_json::Error> {
        let columns: Vec<ContactColumns> = parse(self.contacts.as_deref())?;
        let mut phones: Vec<(ContactId, i64, String)> = parse(self.phones.as_deref())?;
        let mut emails: Vec<(ContactId, i64, String)> = parse(self.emails.as_deref())?;
        let mut groups: Vec<(ContactId, String)> = parse(self.groups.as_deref())?;
        let values: Vec<(ContactId, FieldId, String)> = parse(self.field_values.as_deref())?;
        let chosen: Vec<(ContactId, FieldId, i64)> = parse(self.field_options.as_deref())?;
        // Already in key order when read as a range; sorting makes it so
        // whatever order the aggregate saw.
        phones.sort_unstable_by_key(|(contact, position, _)| (*contact, *position));
        emails.sort_unstable_by_key(|(contact, position, _)| (*contact, *position));
        groups.sort_unstable();
        let ids: Vec<ContactId> = columns.iter().map(|c| c.id).collect();
        let mut custom = crate::custom_fields::repo::assemble_values(&ids, fields, values, chosen);
        let mut by_id: HashMap<ContactId, ExportContact> = HashMap::with_capacity(columns.len());
        for c in columns {
            by_id.insert(
                c.id,
                ExportContact {
                    id: c.id.get(),
                    name: c.name,
                    phones: Vec::new(),
                    emails: Vec::new(),
                    address: c.address,
                    birth_date: c.birth_date,
                    document: c.document.as_deref().map(format_document),
                    gender: c.gender,
                    organization: c.organization,
                    groups: Vec::new(),
                    facebook: c.facebook,
                    instagram: c.instagram,
                    telegram: c.telegram,
                    website: c.website,
                    notes: c.notes,
                    created_at: rfc3339_in(&c.created_at, zone),
                    custom: custom.remove(&c.id).unwrap_or_default(),
                },
            );
        }
        for (contact, _, e164) in phones {
            if let Some(c) = by_id.get_mut(&contact) {
                c.phones.push(format_phone(&e164));
            }
        }
        for (contact, _, email) in emails {
            if let Some(c) = by_id.get_mut(&contact) {
                c.emails.push(email);
            }
        }
        for (contact, name) in groups {
            if let Some(c) = by_id.get_mut(&contact) {
                c.groups.push(name);
            }
        }
        let mut contacts: Vec<ExportContact> = match order {
            Some(order) => order.iter().filter_map(|id| by_id.remove(id)).collect(),
            None => by_id.into_values().collect(),
        };
        if order.is_none() {
            contacts.sort_unstable_by_key(|c| c.id);
        }
        Ok(contacts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_becomes_contacts_with_their_lists_in_order() {
        let batch = ExportBatch {
            contacts: Some(
                r#"[[7,"Bruno",null,null,"52998224725","male","Loja",null,null,null,null,null,"2026-12-02T15:23:36.255723110+00:00"],
                    [3,"Ana","Rua A, 1","1990-12-31",null,null,null,"ana.fb",null,null,null,"x\ny","2026-12-01 10:00:00+00:00"]]"#
                    .to_string(),
            ),
            phones: Some(r#"[[3,1,"+14155552671"],[3,0,"+5511987654321"]]"#.to_string()),
            emails: Some(r#"[[7,0,"b@x.com"]]"#.to_string()),
            groups: Some(r#"[[3,"VIP"],[3,"Atacado"]]"#.to_string()),
            field_values: Some("[]".to_string()),
            // PostgreSQL's json_agg over no rows.
            field_options: None,
            count: 2,
            last_id: Some(7),
        };
        let contacts = batch
            .clone()
            .into_contacts(&[], None, chrono_tz::UTC)
            .expect("parse");
        assert_eq!(contacts.iter().map(|c| c.id).collect::<Vec<_>>(), [3, 7]);
        let ana = &contacts[0];
        assert_eq!(ana.phones, ["(11) 98765-4321", "+1 415-555-2671"]);
        assert_eq!(ana.groups, ["Atacado", "VIP"]);
        assert_eq!(ana.birth_date.as_deref(), Some("1990-12-31"));
        assert_eq!(ana.notes.as_deref(), Some("x\ny"));
        assert_eq!(ana.created_at, "2026-12-01T10:00:00Z");
        let bruno = &contacts[1];
        assert_eq!(bruno.document.as_deref(), Some("529.982.247-25"));
        assert_eq!(bruno.organization.as_deref(), Some("Loja"));
        assert_eq!(bruno.emails, ["b@x.com"]);
        assert_eq!(bruno.created_at, "2026-12-02T15:23:36Z");
        // A page of the list keeps the page's order.
        let page = batch
            .into_contacts(
                &[],
                Some(&[ContactId::new(7), ContactId::new(3)]),
                chrono_tz::UTC,
            )
            .expect("parse");
        assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), [7, 3]);
    }

    #[test]
    fn a_malformed_batch_is_an_error_not_a_panic() {
        let batch = ExportBatch {
            contacts: Some("[[1]]".to_string()),
            ..Default::default()
        };
        assert!(batch.into_contacts(&[], None, chrono_tz::UTC).is_err());
    }
}
