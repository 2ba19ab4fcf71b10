//! The import's two HTTP routes besides its server functions: the upload
//! (`POST /contacts/import`) and the error report
//! (`GET /contacts/import/{id}/errors.csv`).

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::auth::access::Grant;
use crate::auth::session::RequestSession;
use crate::error::AppError;
use crate::import_export::csv_format::{neutralize, CsvFlavor};
use crate::import_export::job::RowFailure;
use crate::import_export::repo;
use crate::import_export::rows::FileError;
use crate::state::AppState;

use super::preview::ConfirmedMapping;
use super::upload::{max_upload_mb, store_upload, UploadError};
use crate::ids::JobId;

/// The upload route's query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UploadParams {
    /// The file's name as the user picked it.
    pub name: Option<String>,
}

/// What the upload route answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Uploaded {
    pub id: JobId,
}

/// `POST /contacts/import?name=FILE`: the body is the file's bytes.
pub async fn upload_route(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
    Query(params): Query<UploadParams>,
    body: Body,
) -> Response {
    let user = match session.user_granted(Grant::Import) {
        Ok(user) => user,
        Err(error) => return error.into_response(),
    };
    let max = max_upload_mb() * 1_000_000;
    let stream = body.into_data_stream();
    match store_upload(
        &state.db,
        user.company_id,
        user.user_id,
        params.name.as_deref().unwrap_or_default(),
        stream,
        max,
    )
    .await
    {
        Ok(id) => (StatusCode::CREATED, axum::Json(Uploaded { id })).into_response(),
        Err(UploadError::File(FileError::TooLarge(mb))) => {
            let error = AppError::invalid("file", FileError::TooLarge(mb).problem());
            let mut response = error.into_response();
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            response
        }
        Err(error) => AppError::from(error).into_response(),
    }
}

/// Failed rows read per step of the error report.
const REPORT_PAGE: i64 = 1_000;

/// `GET /contacts/import/{id}/errors.csv`: every failed row with its line
/// number and reason, then the row as it was in the file.
pub async fn error_report_route(
    State(state): State<AppState>,
    Extension(session): Extension<RequestSession>,
    Path(id): Path<JobId>,
) -> Response {
    let user = match session.user_granted(Grant::Import) {
        Ok(user) => user,
        Err(error) => return error.into_response(),
    };
    let db = state.db.clone();
    let company = user.company_id;
    let job = match repo::get_job(&db, company, id).await {
        Ok(Some(job)) => job,
        Ok(None) => return AppError::NotFound.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };
    let headers: Vec<String> = job
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str::<ConfirmedMapping>(m).ok())
        .map(|m| m.headers)
        .unwrap_or_default();
    let flavor = CsvFlavor::Excel;
    let mut head = flavor.preamble().to_vec();
    let mut first = vec!["Linha".to_string(), "Motivo".to_string()];
    first.extend(headers);
    write_rows(&mut head, flavor, &[first]);
    let start = futures_util::stream::once(async move { Ok::<_, sqlx::Error>(Bytes::from(head)) });
    let pages = futures_util::stream::try_unfold(Some(0i64), move |after| {
        let db = db.clone();
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let failures = repo::failures(&db, company, id, after, REPORT_PAGE).await?;
            if failures.is_empty() {
                return Ok(None);
            }
            let next = (failures.len() as i64 == REPORT_PAGE)
                .then(|| failures.last().map_or(after, |f| f.line));
            let rows: Vec<Vec<String>> = failures
                .into_iter()
                .map(|f| {
                    let mut row = vec![f.line.to_string(), f.reason];
                    row.extend(f.cells);
                    row
                })
                .collect();
            let mut out = Vec::new();
            write_rows(&mut out, flavor, &rows);
            Ok(Some((Bytes::from(out), next)))
        }
    });
    crate::import_export::export::csv_download(
        &format!("erros-importacao-{id}.csv"),
        Body::from_stream(start.chain(pages)),
    )
}

/// A whole error report in memory (the command line writes it to a file).
pub fn error_report(headers: &[String], failures: Vec<RowFailure>) -> Vec<u8> {
    let flavor = CsvFlavor::Excel;
    let mut out = flavor.preamble().to_vec();
    let mut first = vec!["Linha".to_string(), "Motivo".to_string()];
    first.extend(headers.iter().cloned());
    let mut rows = vec![first];
    rows.extend(failures.into_iter().map(|f| {
        let mut row = vec![f.line.to_string(), f.reason];
        row.extend(f.cells);
        row
    }));
    write_rows(&mut out, flavor, &rows);
    out
}

/// Rows as CSV in the flavor, every cell neutralised.
fn write_rows(out: &mut Vec<u8>, flavor: CsvFlavor, rows: &[Vec<String>]) {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(flavor.delimiter())
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out);
    for row in rows {
        let cells: Vec<std::borrow::Cow<'_, str>> = row.iter().map(|c| neutralize(c)).collect();
        if let Err(error) = writer.write_record(cells.iter().map(|c| c.as_bytes())) {
            tracing::error!(%error, "error report row");
        }
    }
    let _ = writer.flush();
}
