//! The import RPC API. Stable endpoints under `/api/import/` (see
//! `docs/api.md`); the file itself is uploaded to `POST /contacts/import`
//! and the error report downloaded from `GET /contacts/import/{id}/errors.csv`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::ids::JobId;
use crate::import_export::job::{DuplicatePolicy, ImportJob, ImportPreview};
use crate::import_export::mapping::ColumnTarget;

/// The company's latest imports (20), newest first. Every import endpoint
/// is for admins, and for agents when an admin allowed them to import
/// (`/api/agents/grants`).
///
/// `POST /api/import/jobs`.
#[server(prefix = "/api", endpoint = "import/jobs")]
pub async fn list_imports() -> Result<Vec<ImportJob>, AppError> {
    crate::error::respond(server::list().await)
}

/// An import with its file's header, first rows and guessed mapping.
///
/// `POST /api/import/preview` with `id`.
#[server(prefix = "/api", endpoint = "import/preview")]
pub async fn load_import_preview(id: JobId) -> Result<ImportPreview, AppError> {
    crate::error::respond(server::preview(id).await)
}

/// Confirms the mapping (one target per header column) and the duplicate
/// policy, and starts the import in the background.
///
/// `POST /api/import/start` with a JSON body
/// `{"id": 1, "targets": [{"target": "name"}, …], "policy": "skip"}`.
#[server(prefix = "/api", endpoint = "import/start", input = Json)]
pub async fn start_import(
    id: JobId,
    targets: Vec<ColumnTarget>,
    policy: DuplicatePolicy,
) -> Result<ImportJob, AppError> {
    crate::error::respond(server::start(id, targets, policy).await)
}

/// An import's state and counters (the progress bar polls it).
///
/// `POST /api/import/status` with `id`.
#[server(prefix = "/api", endpoint = "import/status")]
pub async fn import_status(id: JobId) -> Result<ImportJob, AppError> {
    crate::error::respond(server::status(id).await)
}

/// Stops an import: at once if it has not started, else before its next
/// batch (what was committed stays).
///
/// `POST /api/import/cancel` with `id`.
#[server(prefix = "/api", endpoint = "import/cancel")]
pub async fn cancel_import(id: JobId) -> Result<ImportJob, AppError> {
    crate::error::respond(server::cancel(id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::access::Grant;
    use crate::auth::session::require_grant;
    use crate::error::AppError;
    use crate::ids::JobId;
    use crate::import_export::import;
    use crate::import_export::job::{DuplicatePolicy, ImportJob, ImportPreview};
    use crate::import_export::mapping::ColumnTarget;
    use crate::import_export::repo;
    use crate::state::app_state;

    pub async fn list() -> Result<Vec<ImportJob>, AppError> {
        let company = require_grant(Grant::Import)?.company_id;
        let db = app_state()?.db;
        Ok(repo::list_jobs(&db, company, 20).await?)
    }

    pub async fn preview(id: JobId) -> Result<ImportPreview, AppError> {
        let company = require_grant(Grant::Import)?.company_id;
        let db = app_state()?.db;
        import::preview(&db, company, id).await
    }

    pub async fn status(id: JobId) -> Result<ImportJob, AppError> {
        let company = require_grant(Grant::Import)?.company_id;
        let db = app_state()?.db;
        repo::get_job(&db, company, id)
            .await?
            .map(|job| job.job)
            .ok_or(AppError::NotFound)
    }

    pub async fn start(
        id: JobId,
        targets: Vec<ColumnTarget>,
        policy: DuplicatePolicy,
    ) -> Result<ImportJob, AppError> {
        let company = require_grant(Grant::Import)?.company_id;
        let state = app_state()?;
        let db = state.db;
        import::confirm(&db, company, id, targets, policy).await?;
        state.imports.start(db.clone(), company, id);
        status(id).await
    }

    pub async fn cancel(id: JobId) -> Result<ImportJob, AppError> {
        let company = require_grant(Grant::Import)?.company_id;
        let db = app_state()?.db;
        if repo::get_job(&db, company, id).await?.is_none() {
            return Err(AppError::NotFound);
        }
        repo::request_cancel(&db, company, id).await?;
        status(id).await
    }
}
