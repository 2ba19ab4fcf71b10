//! All SQL of custom fields: definitions, options, and the values contacts
//! hold. Every statement is scoped by the caller's company.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::FromRow;

use crate::contacts::phone::{format_phone, normalize_phone};
use crate::custom_fields::definition::{validate_draft, validate_option};
use crate::custom_fields::model::{
    CustomFilter, CustomValue, FieldDefinition, FieldDraft, FieldFilter, FieldType, SelectOption,
};
use crate::custom_fields::values::{convert_value, value_columns, FieldValue};
use crate::db::{with_conn, AsConn, BeginWrite, Conn, Db};
use crate::error::FieldError;
use crate::ids::ContactId;
use crate::ids::FieldId;
use crate::problem::Problem;
use crate::tenant::CompanyId;
use crate::with_db;

/// Why a change was not made.
#[derive(Debug)]
pub enum ChangeError {
    /// No such field or option in the company.
    NotFound,
    /// The input was refused, one message per field.
    Invalid(Vec<FieldError>),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for ChangeError {
    fn from(error: sqlx::Error) -> Self {
        ChangeError::Db(error)
    }
}

fn invalid(field: &str, problem: Problem) -> ChangeError {
    ChangeError::Invalid(vec![FieldError::new(field, problem)])
}

#[derive(Debug, FromRow)]
struct FieldRow {
    id: FieldId,
    key: String,
    label: String,
    field_type: String,
    required: bool,
    help: String,
    used_by: Option<i64>,
}

#[derive(Debug, FromRow)]
struct OptionRow {
    id: i64,
    field_id: FieldId,
    label: String,
    retired: bool,
}

/// The company's fields in form order, with their options; `used_by` (how
/// many contacts have a value) only when `with_counts`, since counting reads
/// every value of the field.
pub async fn list_fields(
    db: &Db,
    company: CompanyId,
    with_counts: bool,
) -> Result<Vec<FieldDefinition>, sqlx::Error> {
    const WITH_COUNTS: &str = "SELECT f.id, f.key, f.label, f.field_type, f.required, f.help,
               (SELECT COUNT(*) FROM contact_field_values v
                 WHERE v.company_id = f.company_id AND v.field_id = f.id)
             + (SELECT COUNT(DISTINCT o.contact_id) FROM contact_field_options o
                 WHERE o.company_id = f.company_id AND o.field_id = f.id) AS used_by
          FROM custom_fields f WHERE f.company_id = $1 ORDER BY f.position, f.id";
    const WITHOUT_COUNTS: &str = "SELECT f.id, f.key, f.label, f.field_type, f.required, f.help,
               CAST(NULL AS BIGINT) AS used_by
          FROM custom_fields f WHERE f.company_id = $1 ORDER BY f.position, f.id";
    let sql = if with_counts {
        WITH_COUNTS
    } else {
        WITHOUT_COUNTS
    };
    let (fields, options) = with_db!(db, pool => {
        let fields = sqlx::query_as::<_, FieldRow>(sql)
            .bind(company)
            .fetch_all(pool)
            .await?;
        let options = sqlx::query_as::<_, OptionRow>(
            "SELECT id, field_id, label, retired FROM custom_field_options
              WHERE company_id = $1 ORDER BY position, id",
        )
        .bind(company)
        .fetch_all(pool)
        .await?;
        (fields, options)
    });
    let mut by_field: HashMap<FieldId, Vec<SelectOption>> = HashMap::new();
    for option in options {
        by_field
            .entry(option.field_id)
            .or_default()
            .push(SelectOption {
                id: option.id,
                label: option.label,
                retired: option.retired,
            });
    }
    Ok(fields
        .into_iter()
        .filter_map(|row| {
            Some(FieldDefinition {
                field_type: FieldType::parse(&row.field_type)?,
                options: by_field.remove(&row.id).unwrap_or_default(),
                id: row.id,
                key: row.key,
                label: row.label,
                required: row.required,
                help: row.help,
                used_by: row.used_by,
            })
        })
        .collect())
}

/// Creates a field (and its options) at the end of the form; returns its id.
pub async fn create_field(
    db: &Db,
    company: CompanyId,
    draft: &FieldDraft,
) -> Result<FieldId, ChangeError> {
    let now = Utc::now();
    let id = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let existing: Vec<(String, String)> =
            sqlx::query_as("SELECT key, label FROM custom_fields WHERE company_id = $1")
                .bind(company)
                .fetch_all(&mut *tx)
                .await?;
        let valid = validate_draft(draft, &existing).map_err(ChangeError::Invalid)?;
        let id: FieldId = sqlx::query_scalar(
            "INSERT INTO custom_fields (company_id, key, label, field_type, required, help, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6,
                     (SELECT coalesce(max(position), 0) + 1 FROM custom_fields WHERE company_id = $1), $7)
             RETURNING id",
        )
        .bind(company)
        .bind(&valid.key)
        .bind(&valid.label)
        .bind(valid.field_type.as_str())
        .bind(valid.required)
        .bind(&valid.help)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for (position, label) in valid.options.iter().enumerate() {
            sqlx::query(
                "INSERT INTO custom_field_options (company_id, field_id, label, position)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(company)
            .bind(id)
            .bind(label)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        id
    });
    Ok(id)
}

/// How many example values a refused type change quotes.
const EXAMPLES: usize = 3;

/// A value converted to another type, phones normalized as the server does.
fn converted(from: FieldType, to: FieldType, text: &str) -> Result<FieldValue, String> {
    let value = convert_value(from, to, text)?.ok_or_else(|| format!("\"{text}\""))?;
    finish_value(to, value).map_err(|_| format!("\"{text}\""))
}

/// The server's last step on a checked value: phones become E.164 (the key)
/// shown in their display format (the text).
pub fn finish_value(field_type: FieldType, value: FieldValue) -> Result<FieldValue, Problem> {
    match (field_type, value) {
        (FieldType::Phone, FieldValue::Text { text, .. }) => {
            let e164 = normalize_phone(&text).map_err(|_| Problem::InvalidPhone {
                text: text.trim().to_string(),
            })?;
            Ok(FieldValue::Text {
                text: format_phone(&e164),
                key: e164,
            })
        }
        (_, value) => Ok(value),
    }
}

/// Changes a field's label, help, required flag and type. A type change
/// converts every value, or is refused (nothing changed) naming values that
/// would not convert.
pub async fn update_field(
    db: &Db,
    company: CompanyId,
    id: FieldId,
    draft: &FieldDraft,
) -> Result<(), ChangeError> {
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let fields: Vec<(FieldId, String, String, String)> = sqlx::query_as(
            "SELECT id, key, label, field_type FROM custom_fields WHERE company_id = $1",
        )
        .bind(company)
        .fetch_all(&mut *tx)
        .await?;
        let Some((_, key, _, current)) = fields.iter().find(|f| f.0 == id).cloned() else {
            return Err(ChangeError::NotFound);
        };
        let others: Vec<(String, String)> = fields
            .into_iter()
            .filter(|f| f.0 != id)
            .map(|(_, key, label, _)| (key, label))
            .collect();
        let checked = FieldDraft {
            key,
            // Options are managed one by one; a select field keeps its own.
            options: vec!["-".to_string()],
            ..draft.clone()
        };
        let valid = validate_draft(&checked, &others).map_err(ChangeError::Invalid)?;
        let from = FieldType::parse(&current).ok_or(ChangeError::NotFound)?;
        let to = valid.field_type;
        if from != to {
            // Its holders' values are converted: a form opened before is stale.
            sqlx::query(BUMP_HOLDERS)
                .bind(Utc::now())
                .bind(company)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if from.is_select() != to.is_select() {
                return Err(invalid("field_type", Problem::NotASelectType));
            }
            if from == FieldType::MultiSelect && to == FieldType::SingleSelect {
                let crowded: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM (SELECT contact_id FROM contact_field_options
                      WHERE company_id = $1 AND field_id = $2
                      GROUP BY contact_id HAVING COUNT(*) > 1) AS crowded",
                )
                .bind(company)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if crowded > 0 {
                    return Err(invalid(
                        "field_type",
                        Problem::SeveralOptionsChosen { count: crowded },
                    ));
                }
            }
            if !from.is_select() {
                let values: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT contact_id, value_text FROM contact_field_values
                      WHERE company_id = $1 AND field_id = $2 ORDER BY contact_id",
                )
                .bind(company)
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                let mut failed = 0usize;
                let mut examples: Vec<String> = Vec::new();
                let mut new_values = Vec::with_capacity(values.len());
                for (contact, text) in &values {
                    match converted(from, to, text) {
                        Ok(value) => new_values.push((*contact, value)),
                        Err(example) => {
                            failed += 1;
                            if examples.len() < EXAMPLES {
                                examples.push(example);
                            }
                        }
                    }
                }
                if failed > 0 {
                    return Err(invalid(
                        "field_type",
                        Problem::ValuesDoNotConvert {
                            count: failed,
                            examples: examples.join(", "),
                        },
                    ));
                }
                for (contact, value) in new_values {
                    let (text, key, number) = value_columns(&value);
                    sqlx::query(
                        "UPDATE contact_field_values SET value_text = $1, value_key = $2, value_number = $3
                          WHERE company_id = $4 AND contact_id = $5 AND field_id = $6",
                    )
                    .bind(text)
                    .bind(key)
                    .bind(number)
                    .bind(company)
                    .bind(contact)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        sqlx::query(
            "UPDATE custom_fields SET label = $1, help = $2, required = $3, field_type = $4
              WHERE company_id = $5 AND id = $6",
        )
        .bind(&valid.label)
        .bind(&valid.help)
        .bind(valid.required)
        .bind(to.as_str())
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if from != to && (from.is_searchable_document() || to.is_searchable_document()) {
            // The search digits include CPF/CNPJ values: recompute them for
            // the field's contacts now that the type says otherwise.
            sqlx::query(refresh_search_sql(db))
                .bind(company)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

/// Recomputes the search digits of the contacts holding a value of field
/// `$2` (the two backends keep them with different machinery).
fn refresh_search_sql(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => {
            "UPDATE contacts SET (search_text, search_phones) =
                    (SELECT text, phones FROM contact_search_source s WHERE s.id = contacts.id)
              WHERE company_id = $1
                AND id IN (SELECT contact_id FROM contact_field_values WHERE field_id = $2)"
        }
        Db::Postgres(_) => {
            "UPDATE contacts SET search_phones = contact_search_phones(id)
              WHERE company_id = $1
                AND id IN (SELECT contact_id FROM contact_field_values WHERE field_id = $2)"
        }
    }
}

/// Moves a field one place up or down the form.
pub async fn move_field(
    db: &Db,
    company: CompanyId,
    id: FieldId,
    up: bool,
) -> Result<(), ChangeError> {
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let ids: Vec<FieldId> = sqlx::query_scalar(
            "SELECT id FROM custom_fields WHERE company_id = $1 ORDER BY position, id",
        )
        .bind(company)
        .fetch_all(&mut *tx)
        .await?;
        let Some(index) = ids.iter().position(|f| *f == id) else {
            return Err(ChangeError::NotFound);
        };
        let mut ids = ids;
        let other = if up { index.checked_sub(1) } else { Some(index + 1) };
        if let Some(other) = other.filter(|o| *o < ids.len()) {
            ids.swap(index, other);
            // Renumber all: positions stay dense whatever happened before.
            for (position, field) in ids.iter().enumerate() {
                sqlx::query("UPDATE custom_fields SET position = $1 WHERE company_id = $2 AND id = $3")
                    .bind(position as i64 + 1)
                    .bind(company)
                    .bind(*field)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
    });
    Ok(())
}

/// Marks the contacts that hold a value of field `$3` (company `$2`) as
/// changed at `$1`: a new version, made by no user.
const BUMP_HOLDERS: &str = "UPDATE contacts SET updated_at = $1, version = version + 1, updated_by = NULL
  WHERE company_id = $2
    AND (id IN (SELECT contact_id FROM contact_field_values WHERE company_id = $2 AND field_id = $3)
      OR id IN (SELECT contact_id FROM contact_field_options WHERE company_id = $2 AND field_id = $3))";

/// Deletes a field and every value of it, in one transaction. Returns how
/// many contacts lost a value.
pub async fn delete_field(db: &Db, company: CompanyId, id: FieldId) -> Result<u64, ChangeError> {
    let affected = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        // Its holders lose a value: a form opened before is stale.
        sqlx::query(BUMP_HOLDERS)
            .bind(Utc::now())
            .bind(company)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Values first, explicitly, while the field still says its type (the
        // search triggers look at it to drop CPF/CNPJ digits).
        let values = sqlx::query(
            "DELETE FROM contact_field_values WHERE company_id = $1 AND field_id = $2",
        )
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let chosen: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT contact_id) FROM contact_field_options
              WHERE company_id = $1 AND field_id = $2",
        )
        .bind(company)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let deleted = sqlx::query("DELETE FROM custom_fields WHERE company_id = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Err(ChangeError::NotFound);
        }
        tx.commit().await?;
        values + chosen as u64
    });
    Ok(affected)
}

/// The options of a select field (id, label); [`ChangeError::NotFound`]
/// when the company has no such select field.
async fn option_labels(
    conn: &mut Conn<'_>,
    company: CompanyId,
    field: FieldId,
) -> Result<Vec<(i64, String)>, ChangeError> {
    with_conn!(conn, c => {
        let field_type: Option<String> = sqlx::query_scalar(
            "SELECT field_type FROM custom_fields WHERE company_id = $1 AND id = $2",
        )
        .bind(company)
        .bind(field)
        .fetch_optional(&mut *c)
        .await?;
        if !field_type
            .as_deref()
            .and_then(FieldType::parse)
            .is_some_and(FieldType::is_select)
        {
            return Err(ChangeError::NotFound);
        }
        let labels = sqlx::query_as(
            "SELECT id, label FROM custom_field_options WHERE company_id = $1 AND field_id = $2",
        )
        .bind(company)
        .bind(field)
        .fetch_all(&mut *c)
        .await?;
        Ok(labels)
    })
}

/// Adds an option at the end of a select field; returns its id.
pub async fn add_option(
    db: &Db,
    company: CompanyId,
    field: FieldId,
    label: &str,
) -> Result<i64, ChangeError> {
    let id = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let labels = option_labels(&mut tx.conn(), company, field).await?;
        if labels.len() >= crate::custom_fields::definition::MAX_OPTIONS {
            return Err(invalid("label", Problem::FieldOptionsFull));
        }
        let label = validate_option(label, labels.iter().map(|(_, l)| l.as_str()))
            .map_err(|m| invalid("label", m))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO custom_field_options (company_id, field_id, label, position)
             VALUES ($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM custom_field_options
                                   WHERE company_id = $1 AND field_id = $2))
             RETURNING id",
        )
        .bind(company)
        .bind(field)
        .bind(&label)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        id
    });
    Ok(id)
}

/// Renames an option; contacts that chose it keep it.
pub async fn rename_option(
    db: &Db,
    company: CompanyId,
    field: FieldId,
    option: i64,
    label: &str,
) -> Result<(), ChangeError> {
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let labels = option_labels(&mut tx.conn(), company, field).await?;
        if !labels.iter().any(|(id, _)| *id == option) {
            return Err(ChangeError::NotFound);
        }
        let others = labels.iter().filter(|(id, _)| *id != option).map(|(_, l)| l.as_str());
        let label = validate_option(label, others).map_err(|m| invalid("label", m))?;
        sqlx::query(
            "UPDATE custom_field_options SET label = $1 WHERE company_id = $2 AND field_id = $3 AND id = $4",
        )
        .bind(&label)
        .bind(company)
        .bind(field)
        .bind(option)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Retires an option (no longer offered; contacts keep it) or brings it back.
pub async fn set_option_retired(
    db: &Db,
    company: CompanyId,
    field: FieldId,
    option: i64,
    retired: bool,
) -> Result<(), ChangeError> {
    with_db!(db, pool => {
        let changed = sqlx::query(
            "UPDATE custom_field_options SET retired = $1 WHERE company_id = $2 AND field_id = $3 AND id = $4",
        )
        .bind(retired)
        .bind(company)
        .bind(field)
        .bind(option)
        .execute(pool)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(ChangeError::NotFound);
        }
    });
    Ok(())
}

/// The option ids a contact holds, per select field.
pub async fn held_options(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
) -> Result<HashMap<FieldId, Vec<i64>>, sqlx::Error> {
    let rows: Vec<(FieldId, i64)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT field_id, option_id FROM contact_field_options
              WHERE company_id = $1 AND contact_id = $2",
        )
        .bind(company)
        .bind(contact)
        .fetch_all(pool)
        .await?
    });
    let mut held: HashMap<FieldId, Vec<i64>> = HashMap::new();
    for (field, option) in rows {
        held.entry(field).or_default().push(option);
    }
    Ok(held)
}

/// A contact's custom values, in form order (fields without a value left out).
pub async fn contact_values(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
) -> Result<Vec<CustomValue>, sqlx::Error> {
    let fields = list_fields(db, company, false).await?;
    Ok(values_of_contacts(db, company, &[contact], &fields)
        .await?
        .remove(&contact)
        .unwrap_or_default())
}

/// The SQL parameters of a list filter by a custom field, in the order the
/// contact list binds them (`$10`…`$17`): field, equal key, number range,
/// key range, month, option.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterParams {
    pub field: Option<FieldId>,
    pub equals: Option<String>,
    pub number_min: Option<f64>,
    pub number_max: Option<f64>,
    pub key_min: Option<String>,
    pub key_max: Option<String>,
    pub month: Option<String>,
    pub option: Option<i64>,
}

impl FilterParams {
    /// The parameters of `filter` (none when `None`).
    pub fn of(filter: Option<&CustomFilter>) -> FilterParams {
        let Some(filter) = filter else {
            return FilterParams::default();
        };
        let mut params = FilterParams {
            field: Some(filter.field_id),
            ..FilterParams::default()
        };
        match &filter.filter {
            FieldFilter::Equals(key) => params.equals = Some(key.clone()),
            FieldFilter::NumberRange(min, max) => {
                params.number_min = *min;
                params.number_max = *max;
            }
            FieldFilter::DateRange(from, to) => {
                params.key_min = from.clone();
                // Inclusive of the whole last day: "2026-11-30T10:00" sorts
                // before "2026-11-30~".
                params.key_max = to.as_ref().map(|to| format!("{to}~"));
            }
            FieldFilter::Month(month) => params.month = Some(format!("{month:02}")),
            FieldFilter::Option(option) => params.option = Some(*option),
        }
        params
    }
}

/// Up to `limit` ids of contacts meeting the filter, read from the value
/// indexes (the list's planner uses them when few contacts match).
pub async fn filter_candidates(
    pool: &sqlx::SqlitePool,
    company: CompanyId,
    filter: &CustomFilter,
    limit: usize,
) -> Result<Vec<i64>, sqlx::Error> {
    const VALUES: &str = "SELECT contact_id FROM contact_field_values
          WHERE company_id = $1 AND field_id = $2 AND ";
    let limit = limit as i64;
    let query = |condition: &str| format!("{VALUES}{condition} LIMIT $5");
    let ids = match &filter.filter {
        FieldFilter::Equals(key) => {
            sqlx::query_scalar(&query("value_key = $3 AND $4 IS NULL"))
                .bind(company)
                .bind(filter.field_id)
                .bind(key)
                .bind(None::<String>)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
        FieldFilter::NumberRange(min, max) => {
            sqlx::query_scalar(&query("value_number >= $3 AND value_number <= $4"))
                .bind(company)
                .bind(filter.field_id)
                .bind(min.unwrap_or(f64::MIN))
                .bind(max.unwrap_or(f64::MAX))
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
        FieldFilter::DateRange(from, to) => {
            sqlx::query_scalar(&query("value_key >= $3 AND value_key <= $4"))
                .bind(company)
                .bind(filter.field_id)
                .bind(from.clone().unwrap_or_default())
                .bind(format!(
                    "{}~",
                    to.clone().unwrap_or_else(|| "9999".to_string())
                ))
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
        FieldFilter::Month(month) => {
            sqlx::query_scalar(&query("substr(value_key, 6, 2) = $3 AND $4 IS NULL"))
                .bind(company)
                .bind(filter.field_id)
                .bind(format!("{month:02}"))
                .bind(None::<String>)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }
        FieldFilter::Option(option) => {
            sqlx::query_scalar(
                "SELECT contact_id FROM contact_field_options
                  WHERE company_id = $1 AND field_id = $2 AND option_id = $3 LIMIT $4",
            )
            .bind(company)
            .bind(filter.field_id)
            .bind(*option)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(ids)
}

/// The custom values of many contacts at once, by contact, in the order of
/// `fields` (the company's definitions, which the caller has read).
pub async fn values_of_contacts(
    db: &Db,
    company: CompanyId,
    ids: &[ContactId],
    fields: &[FieldDefinition],
) -> Result<HashMap<ContactId, Vec<CustomValue>>, sqlx::Error> {
    if fields.is_empty() || ids.is_empty() {
        return Ok(HashMap::new());
    }
    let join = crate::db::join_on_ids(db);
    let json = crate::db::json_ids(ids);
    let values_sql = format!(
        "SELECT v.contact_id, v.field_id, v.value_text
           FROM {join} contact_field_values v ON v.contact_id = s.value
          WHERE v.company_id = $1"
    );
    let options_sql = format!(
        "SELECT o.contact_id, o.field_id, o.option_id
           FROM {join} contact_field_options o ON o.contact_id = s.value
          WHERE o.company_id = $1"
    );
    type Values = Vec<(ContactId, FieldId, String)>;
    type Chosen = Vec<(ContactId, FieldId, i64)>;
    let (values, chosen): (Values, Chosen) = with_db!(db, pool => {
        let values = sqlx::query_as(&values_sql).bind(company).bind(&json).fetch_all(pool).await?;
        let chosen = sqlx::query_as(&options_sql).bind(company).bind(&json).fetch_all(pool).await?;
        (values, chosen)
    });
    Ok(assemble_values(ids, fields, values, chosen))
}

/// The custom values of contacts `ids` from their stored rows: `values`
/// (contact, field, text) and `chosen` (contact, field, option), each
/// shown with its field's definition, in `fields`' order; fields without a
/// value are left out. Shared by the contact reads and the CSV export.
pub fn assemble_values(
    ids: &[ContactId],
    fields: &[FieldDefinition],
    values: Vec<(ContactId, FieldId, String)>,
    chosen: Vec<(ContactId, FieldId, i64)>,
) -> HashMap<ContactId, Vec<CustomValue>> {
    let mut texts: HashMap<(ContactId, FieldId), String> = values
        .into_iter()
        .map(|(contact, field, text)| ((contact, field), text))
        .collect();
    let mut picked: HashMap<(ContactId, FieldId), Vec<i64>> = HashMap::new();
    for (contact, field, option) in chosen {
        picked.entry((contact, field)).or_default().push(option);
    }
    let mut by_contact: HashMap<ContactId, Vec<CustomValue>> = HashMap::new();
    if texts.is_empty() && picked.is_empty() {
        return by_contact;
    }
    for id in ids {
        for field in fields {
            let value = texts.remove(&(*id, field.id));
            let chosen = picked.remove(&(*id, field.id)).unwrap_or_default();
            let options: Vec<SelectOption> = field
                .options
                .iter()
                .filter(|o| chosen.contains(&o.id))
                .cloned()
                .collect();
            if value.is_none() && options.is_empty() {
                continue;
            }
            by_contact.entry(*id).or_default().push(CustomValue {
                field_id: field.id,
                key: field.key.clone(),
                label: field.label.clone(),
                field_type: field.field_type,
                value,
                options,
            });
        }
    }
    by_contact
}
