//! Request sizes. [`limit_requests`] runs in front of every route before
//! anything else (no session lookup, no decoding): an over-long request
//! line is answered 414, over-large headers 431, a body declared larger
//! than its route's limit 413, each with the JSON `AppError::TooLarge`
//! naming the part and the limit.
//!
//! [`read_body`] runs after the guard (so an anonymous call of a signed-in
//! endpoint is refused before its body is read) and reads the body up to
//! its route's limit, within `RequestLimits::body_read_timeout`: a route never sees more
//! than the limit, and a client that trickles its body is answered 408
//! instead of holding the request open. The CSV upload streams to the
//! database under its own limit (`AGENDA_IMPORT_MAX_MB`, checked by the
//! upload route as it reads) and is left alone. Limits and defaults:
//! `docs/security.md`.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::error::{AppError, RequestPart};
use app::state::{AppState, RequestLimits};

/// The body limit of a path, or `None` for a route that enforces its own.
pub fn body_limit(limits: &RequestLimits, path: &str) -> Option<u64> {
    match path {
        "/contacts/import" => None,
        "/api/contacts/photo" => Some(limits.max_photo_body_bytes),
        _ => Some(limits.max_body_bytes),
    }
}

/// The bytes the request's headers take (names, values and separators).
fn header_bytes(request: &Request) -> usize {
    request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

fn too_large(part: RequestPart, limit: u64) -> Response {
    AppError::TooLarge {
        part,
        limit_bytes: limit,
    }
    .into_response()
}

/// The sizes checked before anything runs. See the module documentation.
pub async fn limit_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let limits = state.limits.requests;
    let uri = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if uri > limits.max_uri_bytes {
        return too_large(RequestPart::Uri, limits.max_uri_bytes as u64);
    }
    if header_bytes(&request) > limits.max_header_bytes {
        return too_large(RequestPart::Headers, limits.max_header_bytes as u64);
    }
    let Some(limit) = body_limit(&limits, request.uri().path()) else {
        return next.run(request).await;
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return too_large(RequestPart::Body, limit);
    }
    next.run(request).await
}

/// Reads the body under its route's limit and read timeout. See the
/// module documentation.
pub async fn read_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limits = state.limits.requests;
    let Some(limit) = body_limit(&limits, request.uri().path()) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let reading = to_bytes(body, usize::try_from(limit).unwrap_or(usize::MAX));
    let Ok(read) = tokio::time::timeout(limits.body_read_timeout, reading).await else {
        return (
            axum::http::StatusCode::REQUEST_TIMEOUT,
            [(axum::http::header::CONNECTION, "close")],
        )
            .into_response();
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(error) => {
            let over = std::error::Error::source(&error)
                .is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>());
            if over {
                return too_large(RequestPart::Body, limit);
            }
            tracing::info!(%error, "request body could not be read");
            return AppError::ServerFn(leptos::server_fn::error::ServerFnErrorErr::Args(
                "the request body could not be read".to_string(),
            ))
            .into_response();
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_has_its_body_limit() {
        let limits = RequestLimits::default();
        assert_eq!(
            body_limit(&limits, "/api/auth/login"),
            Some(limits.max_body_bytes)
        );
        assert_eq!(
            body_limit(&limits, "/api/contacts/photo"),
            Some(limits.max_photo_body_bytes)
        );
        assert!(limits.max_photo_body_bytes > app::contacts::photo::MAX_PHOTO_BYTES as u64);
        assert_eq!(body_limit(&limits, "/contacts/import"), None);
        assert_eq!(
            body_limit(&limits, "/contacts"),
            Some(limits.max_body_bytes)
        );
    }
}
