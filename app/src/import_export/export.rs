//! `GET /contacts/export.csv`: the contact list as a CSV download, streamed
//! in batches so the download starts at once and memory stays flat however
//! many contacts there are. The query string is the list's own (`q`, `org`,
//! `group`, `field`, `value`, `min`, `max`, `month`), so "export" gives
//! exactly what the list shows; `format` picks the flavor (`excel`, the
//! default, or `rfc4180`).
//!
//! The whole list comes in contact ID order (by and large the order contacts
//! were created in): each batch is then one range of every table, the fastest
//! read there is. A search or filter comes in the list's own name order.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::auth::access::Grant;
use crate::auth::session::RequestSession;
use crate::contacts::search::list_repo::{self, SearchPlan};
use crate::contacts::search::{parse_requested_search, Cursor, ListFilter, SearchTerms};
use crate::custom_fields::api::{resolve_filter, FieldQuery};
use crate::custom_fields::model::FieldDefinition;
use crate::db::Db;
use crate::error::AppError;
use crate::ids::ContactId;
use crate::ids::FieldId;
use crate::import_export::csv_format::{header as csv_header, row, CsvFlavor};
use crate::import_export::export_repo::{read_batch, BatchOf, ExportBatch};
use crate::state::AppState;
use crate::tenant::CompanyId;

/// Contacts read and written per step of the stream.
pub const EXPORT_BATCH: u32 = 1_000;

/// Batches read ahead of the one being written.
const READ_AHEAD: usize = 2;

/// The download's query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExportParams {
    pub q: Option<String>,
    pub org: Option<i64>,
    pub group: Option<i64>,
    pub field: Option<FieldId>,
    pub value: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub month: Option<u32>,
    pub format: Option<String>,
}

/// Where the reader is in the list.
struct Reader {
    db: Db,
    company: CompanyId,
    terms: SearchTerms,
    filter: ListFilter,
    /// The whole list, in ID order: the largest ID read so far.
    after_id: i64,
    /// A search or filter, in the list's order: the last row read.
    after: Option<Cursor>,
    /// A search or filter: the list's plan, made for the first page and
    /// kept for the others (it does not depend on the page).
    plan: Option<SearchPlan>,
}

/// A batch as read, with the page's order when it is a page of the list.
pub type ReadBatch = (ExportBatch, Option<Vec<ContactId>>);

impl Reader {
    fn whole_list(&self) -> bool {
        self.terms.is_empty() && self.filter == ListFilter::default()
    }

    /// The next batch; `None` after the last.
    async fn next(&mut self) -> Result<Option<ReadBatch>, AppError> {
        if self.whole_list() {
            let batch = read_batch(
                &self.db,
                self.company,
                BatchOf::After {
                    after: self.after_id,
                    limit: EXPORT_BATCH,
                },
            )
            .await?;
            let Some(last) = batch.last_id else {
                return Ok(None);
            };
            self.after_id = last;
            return Ok(Some((batch, None)));
        }
        // The list's own query (same plans, same rows), then the page's
        // contacts by id.
        let plan = match self.plan.take() {
            Some(plan) => plan,
            None => list_repo::plan_list(&self.db, self.company, &self.terms, &self.filter).await?,
        };
        let rows = list_repo::list_contacts_with(
            &self.db,
            self.company,
            &self.terms,
            self.filter.clone(),
            self.after.as_ref(),
            EXPORT_BATCH,
            &plan,
        )
        .await?;
        self.plan = Some(plan);
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        self.after = Some(Cursor {
            sort_key: last.sort_key.clone(),
            id: last.id.get(),
        });
        let ids: Vec<ContactId> = rows.iter().map(|row| row.id).collect();
        let batch = read_batch(&self.db, self.company, BatchOf::Ids(&ids)).await?;
        Ok(Some((batch, Some(ids))))
    }

    /// Sends batches to `batches`, then `Ok(None)` at the end, or the first
    /// error. Stops as soon as the receiver is gone (the download was
    /// abandoned), even in the middle of a read.
    async fn run(mut self, batches: mpsc::Sender<Message>) {
        loop {
            let next = tokio::select! {
                next = self.next() => next,
                () = batches.closed() => return,
            };
            let last = !matches!(next, Ok(Some(_)));
            if batches.send(next).await.is_err() || last {
                return;
            }
        }
    }
}

/// What the reading task sends: a batch, the end (`Ok(None)`), or an error.
/// A channel closed without the end means the task died: the stream fails
/// rather than pass a cut file off as whole.
type Message = Result<Option<ReadBatch>, AppError>;

/// Writes rows as CSV records with the flavor's delimiter.
fn write_records(
    out: &mut Vec<u8>,
    flavor: CsvFlavor,
    records: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(flavor.delimiter())
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for record in records {
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One batch as CSV lines, and how many contacts they hold.
pub fn format_batch(
    (batch, order): ReadBatch,
    definitions: &[FieldDefinition],
    flavor: CsvFlavor,
    zone: chrono_tz::Tz,
) -> Result<(Bytes, usize), BoxError> {
    let contacts = batch.into_contacts(definitions, order.as_deref(), zone)?;
    let mut out = Vec::with_capacity(contacts.len() * 160);
    write_records(
        &mut out,
        flavor,
        contacts
            .iter()
            .map(|contact| row(contact, definitions, flavor)),
    )?;
    Ok((Bytes::from(out), contacts.len()))
}

/// The whole export as a stream of chunks, each with how many contacts it
/// holds (the route's body, and the CLI's `agenda export`): the preamble
/// and header, then one chunk per batch.
///
/// A task reads the batches (a channel of [`READ_AHEAD`], plus the one it
/// is sending) while the stream turns them into CSV, so the database's work
/// and the formatting run side by side. Dropping the stream stops the task,
/// even mid-read; the first error, or the task's death, ends the stream
/// with an error, so a cut download never looks complete.
pub async fn export_stream(
    db: Db,
    company: CompanyId,
    params: ExportParams,
) -> Result<impl futures_util::Stream<Item = Result<(Bytes, usize), BoxError>>, AppError> {
    let flavor = CsvFlavor::parse(params.format.as_deref().unwrap_or_default())
        .ok_or_else(|| AppError::invalid("format", crate::problem::Problem::ExportFormat))?;
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
    let terms = parse_requested_search("q", params.q.as_deref().unwrap_or_default())?;
    let definitions = crate::custom_fields::repo::list_fields(&db, company, false).await?;
    let zone = crate::tenant::time_zone(&db, company).await?;
    let reader = Reader {
        terms,
        filter: ListFilter {
            organization: params.org,
            group: params.group,
            custom,
        },
        db,
        company,
        after_id: 0,
        after: None,
        plan: None,
    };
    let mut head = flavor.preamble().to_vec();
    write_records(&mut head, flavor, [csv_header(&definitions, zone.name())]).map_err(|error| {
        tracing::error!(%error, "export header");
        AppError::Internal
    })?;
    let (sender, receiver) = mpsc::channel(READ_AHEAD);
    tokio::spawn(reader.run(sender));
    let batches =
        futures_util::stream::unfold(Some((receiver, definitions)), move |state| async move {
            let (mut receiver, definitions) = state?;
            let chunk = match receiver.recv().await {
                Some(Ok(Some(batch))) => format_batch(batch, &definitions, flavor, zone),
                Some(Ok(None)) => return None,
                Some(Err(error)) => Err(BoxError::from(error)),
                None => Err(BoxError::from("the export's reading task stopped")),
            };
            match chunk {
                Ok(chunk) => Some((Ok(chunk), Some((receiver, definitions)))),
                Err(error) => {
                    // The first error ends the download (the client sees it
                    // cut off, not complete); the reader stops with it.
                    tracing::error!(%error, "export stopped");
                    Some((Err(error), None))
                }
            }
        });
    // Fused: a body may be polled again after its end (the gzip layer is),
    // which `unfold` does not allow.
    Ok(
        futures_util::stream::once(async move { Ok((Bytes::from(head), 0)) })
            .chain(batches)
            .fuse(),
    )
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
    let user = match session.user_granted(Grant::Export) {
        Ok(user) => user,
        Err(error) => return error.into_response(),
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
