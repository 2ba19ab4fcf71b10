//! Contact photos over HTTP: upload (`POST /api/contacts/photo`, multipart)
//! and removal (`POST /api/contacts/remove_photo`) as server functions, and
//! the image itself at `GET /contacts/{id}/photo` (an axum route; see
//! `docs/api.md`). All check the session and the caller's company.

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;
use crate::ids::ContactId;

/// Stores a photo for a contact, replacing any; returns its new URL.
///
/// `POST /api/contacts/photo`, `multipart/form-data` with the fields `id`
/// (the contact) and `photo` (a JPEG, PNG or WebP file of at most 2 MiB;
/// the type is read from the file's bytes).
#[server(prefix = "/api", endpoint = "contacts/photo", input = MultipartFormData)]
pub async fn upload_photo(data: MultipartData) -> Result<String, AppError> {
    crate::error::respond(server::upload(data).await)
}

/// Removes a contact's photo (its initials show again).
///
/// `POST /api/contacts/remove_photo` with `id`.
#[server(prefix = "/api", endpoint = "contacts/remove_photo")]
pub async fn remove_photo(id: ContactId) -> Result<(), AppError> {
    crate::error::respond(server::remove(id).await)
}

#[cfg(feature = "ssr")]
pub use server::serve_photo;

#[cfg(feature = "ssr")]
mod server {
    use crate::ids::ContactId;
    use crate::problem::Problem;
    use axum::extract::{Path, State};
    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::Extension;
    use leptos::server_fn::codec::MultipartData;

    use crate::auth::secrets::new_token;
    use crate::auth::session::{require_user, RequestSession};
    use crate::contacts::photo::repo;
    use crate::contacts::photo::{photo_url, sniff, PhotoError, MAX_PHOTO_BYTES};
    use crate::error::AppError;
    use crate::state::{app_state, AppState};

    fn refused(error: PhotoError) -> AppError {
        AppError::invalid("photo", error.problem())
    }

    fn unreadable(error: impl std::fmt::Display) -> AppError {
        tracing::info!(%error, "unreadable photo upload");
        AppError::invalid("photo", Problem::UnreadableUpload)
    }

    pub async fn upload(data: MultipartData) -> Result<String, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
        let mut id: Option<ContactId> = None;
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
            match field.name() {
                Some("id") => {
                    let text = field.text().await.map_err(unreadable)?;
                    id = Some(
                        text.trim()
                            .parse()
                            .map_err(|_| AppError::invalid("id", Problem::BadContactId))?,
                    );
                }
                Some("photo") => {
                    // Read at most one byte past the limit: a huge upload is
                    // refused without being held in memory.
                    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                        if bytes.len() + chunk.len() > MAX_PHOTO_BYTES {
                            return Err(refused(PhotoError::TooLarge));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                }
                _ => {}
            }
        }
        let id = id.ok_or_else(|| AppError::invalid("id", Problem::ContactRequired))?;
        let kind = sniff(&bytes).map_err(refused)?;
        let version = new_token()[..16].to_string();
        if repo::set_photo(&db, company, id, kind.mime(), &bytes, &version).await? {
            Ok(photo_url(id, &version))
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn remove(id: ContactId) -> Result<(), AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        if repo::remove_photo(&db, company, id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// `GET /contacts/{id}/photo`: the image, for the caller's company only
    /// (another company's contact answers 404 like a missing one). The URL
    /// carries the photo's version, so it is cached privately for a year.
    pub async fn serve_photo(
        State(state): State<AppState>,
        Extension(session): Extension<RequestSession>,
        Path(id): Path<ContactId>,
    ) -> Response {
        let Some(user) = session.user else {
            return StatusCode::UNAUTHORIZED.into_response();
        };
        match repo::get_photo(&state.db, user.company_id, id).await {
            Ok(Some((content_type, bytes))) => (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_str(&content_type)
                            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                    ),
                    (
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("private, max-age=31536000, immutable"),
                    ),
                    (
                        header::X_CONTENT_TYPE_OPTIONS,
                        HeaderValue::from_static("nosniff"),
                    ),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        HeaderValue::from_static("default-src 'none'"),
                    ),
                ],
                bytes,
            )
                .into_response(),
            Ok(None) => StatusCode::NOT_FOUND.into_response(),
            Err(error) => {
                tracing::error!(%error, "reading a photo");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}
