//! `GET /contacts/export.csv`: the contact list as a CSV download, streamed
//! in batches so the download starts at once and memory stays flat however
//! many contacts there are. The query string is the list's own (`q`, `org`,
//! `group`, `field`, `value`, `min`, `max`, `month`), so "export" gives
//! exactly what the list shows; `format` picks the flavor (`excel`, the
//! default, or `rfc4180`).

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

use crate::auth::session::RequestSession;
use crate::contacts::document::format_document;
use crate::contacts::phone::format_phone;
use crate::contacts::repo::{self, ContactRecord};
use crate::contacts::search::{parse_search, Cursor, ListFilter, SearchTerms};
use crate::custom_fields::api::{resolve_filter, FieldQuery};
use crate::custom_fields::model::FieldDefinition;
use crate::db::Db;
use crate::error::AppError;
use crate::import_export::csv_format::{header as csv_header, row, CsvFlavor, ExportContact};
use crate::state::AppState;
use crate::tenant::CompanyId;

/// Contacts read and written per step of the stream.
pub const EXPORT_BATCH: u32 = 1_000;

/// The download's query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExportParams {
    pub q: Option<String>,
    pub org: Option<i64>,
    pub group: Option<i64>,
    pub field: Option<i64>,
    pub value: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub month: Option<u32>,
    pub format: Option<String>,
}

/// What the export needs between batches.
struct Export {
    db: Db,
    company: CompanyId,
    terms: SearchTerms,
    filter: ListFilter,
    definitions: Vec<FieldDefinition>,
    flavor: CsvFlavor,
    after: Option<Cursor>,
    started: bool,
    done: bool,
}

/// A stored contact as its CSV row shows it.
pub fn export_contact(record: ContactRecord) -> ExportContact {
    let row = record.row;
    ExportContact {
        id: row.id,
        name: row.name,
        phones: record.phones.iter().map(|p| format_phone(p)).collect(),
        emails: record.emails,
        address: row.address,
        birth_date: row.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
        document: row.document.as_deref().map(format_document),
        gender: row.gender,
        organization: row.organization_name,
        groups: record.groups.into_iter().map(|(_, name)| name).collect(),
        facebook: row.facebook,
        instagram: row.instagram,
        telegram: row.telegram,
        website: row.website,
        notes: row.notes,
        created_at: row
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        custom: record.custom,
    }
}

/// Writes rows as CSV records with the flavor's delimiter.
fn write_records(
    out: &mut Vec<u8>,
    flavor: CsvFlavor,
    records: &[Vec<String>],
) -> Result<(), csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(flavor.delimiter())
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for record in records {
        writer.write_record(record)?;
    }
    writer.flush()?;
    Ok(())
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The next piece of the file and how many contacts it holds: the preamble
/// and header first, then one batch of contacts; `None` at the end.
async fn next_chunk(mut export: Export) -> Result<Option<((Bytes, usize), Export)>, BoxError> {
    if export.done {
        return Ok(None);
    }
    let mut out = Vec::new();
    if !export.started {
        out.extend_from_slice(export.flavor.preamble());
        write_records(&mut out, export.flavor, &[csv_header(&export.definitions)])?;
        export.started = true;
    }
    // (id, sort key) of the batch: the plain name-ordered walk when nothing
    // filters, else the list's own query (same plans, same rows).
    let rows: Vec<(i64, String)> =
        if export.terms.is_empty() && export.filter == ListFilter::default() {
            repo::next_in_name_order(
                &export.db,
                export.company,
                export.after.as_ref(),
                EXPORT_BATCH,
            )
            .await?
        } else {
            repo::list_contacts(
                &export.db,
                export.company,
                &export.terms,
                export.filter.clone(),
                export.after.as_ref(),
                EXPORT_BATCH,
            )
            .await?
            .into_iter()
            .map(|row| (row.id, row.sort_key))
            .collect()
        };
    if rows.len() < EXPORT_BATCH as usize {
        export.done = true;
    }
    if let Some((id, sort_key)) = rows.last() {
        export.after = Some(Cursor {
            sort_key: sort_key.clone(),
            id: *id,
        });
    }
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let records = repo::get_contacts(&export.db, export.company, &ids, &export.definitions).await?;
    let lines: Vec<Vec<String>> = records
        .into_iter()
        .map(|record| row(&export_contact(record), &export.definitions, export.flavor))
        .collect();
    write_records(&mut out, export.flavor, &lines)?;
    Ok(Some(((Bytes::from(out), lines.len()), export)))
}

/// The whole export as a stream of chunks, each with how many contacts it
/// holds (the route's body, and the CLI's `agenda export`).
pub async fn export_stream(
    db: Db,
    company: CompanyId,
    params: ExportParams,
) -> Result<impl futures_util::Stream<Item = Result<(Bytes, usize), BoxError>>, AppError> {
    let flavor = CsvFlavor::parse(params.format.as_deref().unwrap_or_default())
        .ok_or_else(|| AppError::field("format", "Use format=excel ou format=rfc4180."))?;
    let custom = resolve_filter(
        &db,
        company,
        FieldQuery {
            field: params.field,
            value: params.value,
            min: params.min,
            max: params.max,
            month: params.month,
        },
    )
    .await?;
    let definitions = crate::custom_fields::repo::list_fields(&db, company, false).await?;
    let export = Export {
        terms: parse_search(params.q.as_deref().unwrap_or_default()),
        filter: ListFilter {
            organization: params.org,
            group: params.group,
            custom,
        },
        db,
        company,
        definitions,
        flavor,
        after: None,
        started: false,
        done: false,
    };
    Ok(futures_util::stream::try_unfold(export, next_chunk))
}

/// A CSV file download: its type, `attachment` with `file_name`, no caching.
pub fn csv_download(file_name: &str, body: Body) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The route handler.
pub async fn export_contacts(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
    Query(params): Query<ExportParams>,
) -> Response {
    let Some(user) = session.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match export_stream(state.db.clone(), user.company_id, params).await {
        Ok(stream) => csv_download(
            &format!("contatos-{}.csv", chrono::Utc::now().format("%Y-%m-%d")),
            Body::from_stream(futures_util::TryStreamExt::map_ok(stream, |(bytes, _)| {
                bytes
            })),
        ),
        Err(error) => error.into_response(),
    }
}
