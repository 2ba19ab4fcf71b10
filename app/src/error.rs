//! The one error type of the RPC API.
//!
//! Every server function returns `Result<T, AppError>`. The error travels to the
//! browser as JSON, so the UI can show a message per field (`Validation`) or a
//! specific message per kind, and the HTTP status says what happened.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

pub use crate::problem::Problem;

/// What is wrong with one input field: `{"field", "code", "params",
/// "message"}` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's key, as the API names it (`name`, `phones.1`, …).
    pub field: String,
    /// What is wrong, as a code with parameters.
    #[serde(flatten)]
    pub problem: Problem,
    /// The problem in words: in the request's language in API answers (the
    /// server words 422 answers on their way out), else in the default one. The UI words
    /// [`FieldError::problem`] in the user's language instead
    /// ([`FieldError::text`]).
    pub message: String,
}

impl FieldError {
    /// A problem with `field`, worded in the default language.
    pub fn new(field: impl Into<String>, problem: Problem) -> FieldError {
        let message = problem.text(Locale::default());
        FieldError {
            field: field.into(),
            problem,
            message,
        }
    }

    /// The problem in `locale`'s words.
    pub fn text(&self, locale: Locale) -> String {
        self.problem.text(locale)
    }
}

/// What a [`AppError::TooManyRequests`] counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Failed logins for one e-mail address from one client address.
    Login,
    /// Logins for one e-mail address from every client address together:
    /// after many failures they are spaced out, one check at a time.
    LoginPace,
    /// Company sign-ups from one client address.
    SignUp,
}

/// Which part of a request [`AppError::TooLarge`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestPart {
    /// The body (413).
    Body,
    /// The request line's path and query (414).
    Uri,
    /// The headers, all together (431).
    Headers,
}

/// What can go wrong in a server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or belongs to another company (the two are
    /// indistinguishable on purpose: no existence leak across tenants).
    #[error("not found")]
    NotFound,
    /// Nobody is signed in (or the session expired): sign in first.
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but the role does not allow this (agents on admin functions),
    /// or a cross-site request was refused.
    #[error("forbidden")]
    Forbidden,
    /// Too many attempts of one kind (see [`Limit`]); allowed again after
    /// `retry_after_secs` (also sent as the `Retry-After` header).
    #[error("too many requests ({limit:?}): retry after {retry_after_secs} s")]
    TooManyRequests { limit: Limit, retry_after_secs: u64 },
    /// The server is at its bound for expensive work (password checks) and
    /// the request could not wait longer; try again after `retry_after_secs`.
    #[error("busy: retry after {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    /// A part of the request is larger than the route accepts.
    #[error("request {part:?} larger than {limit_bytes} bytes")]
    TooLarge { part: RequestPart, limit_bytes: u64 },
    /// Input was refused; one message per offending field.
    #[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Validation(Vec<FieldError>),
    /// The request conflicts with existing data (e.g. a duplicate name).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The contact changed since the version the request was based on (a
    /// form or merge plan read before another save): `by` made the current
    /// version (when a user's save did) at `at` (RFC 3339). Reload, then
    /// apply the change again.
    #[error("changed at {at} since it was read")]
    Stale { by: Option<String>, at: String },
    /// Something failed on the server; details are logged, not sent.
    #[error("internal error")]
    Internal,
    /// The RPC layer itself failed (network, encoding, missing argument).
    #[error("{0}")]
    ServerFn(ServerFnErrorErr),
}

impl AppError {
    /// A validation error on a single field.
    pub fn invalid(field: &str, problem: Problem) -> Self {
        AppError::Validation(vec![FieldError::new(field, problem)])
    }

    /// The same error with its field messages worded in `locale`.
    pub fn worded_in(self, locale: Locale) -> Self {
        match self {
            AppError::Validation(fields) => AppError::Validation(
                fields
                    .into_iter()
                    .map(|field| FieldError {
                        message: field.problem.text(locale),
                        ..field
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    /// The HTTP status code this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::TooManyRequests { .. } => 429,
            AppError::Busy { .. } => 503,
            AppError::TooLarge { part, .. } => match part {
                RequestPart::Body => 413,
                RequestPart::Uri => 414,
                RequestPart::Headers => 431,
            },
            AppError::Validation(_) => 422,
            AppError::Conflict(_) | AppError::Stale { .. } => 409,
            AppError::Internal => 500,
            AppError::ServerFn(ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_)) => 400,
            AppError::ServerFn(_) => 500,
        }
    }
}

impl AppError {
    /// Seconds after which the request may be tried again, for the
    /// `Retry-After` header (429 and 503 only).
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests {
                retry_after_secs, ..
            }
            | AppError::Busy { retry_after_secs } => Some((*retry_after_secs).max(1)),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            // The database's own wording differs per backend and names
            // tables: log it, answer the same words on SQLite and PostgreSQL.
            // Conflicts a user can cause get a specific message where they
            // are checked (the repositories).
            sqlx::Error::Database(ref db) if db.is_unique_violation() => {
                tracing::warn!(error = %db, "unique violation");
                AppError::Conflict("already exists".to_string())
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// An error answered by a plain route (uploads, downloads) as the server
/// functions answer theirs: the JSON `AppError` with its status code.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{header, StatusCode};
        let status = StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&self).unwrap_or_default(),
        )
            .into_response();
        if let Some(seconds) = self.retry_after_secs() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

/// Sets the HTTP status of the current response from a server function's
/// result, so API clients see 404/422/… and not a blanket 500.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
                options.set_status(status);
            }
            if let Some(seconds) = error.retry_after_secs() {
                options.insert_header(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(seconds),
                );
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_json() {
        for error in [
            AppError::invalid("phone", Problem::InvalidPhone { text: "123".into() }),
            AppError::invalid("name", Problem::ContactNameRequired),
            AppError::invalid("notes", Problem::TooLong { max: 5000 }),
        ] {
            let json = serde_json::to_string(&error).expect("serializes");
            let back: AppError = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(back, error);
        }
    }

    #[test]
    fn a_field_error_is_a_code_with_parameters_and_words() {
        let error = FieldError::new("phones.0", Problem::TooManyPhones { max: 10 });
        assert_eq!(
            serde_json::to_value(&error).expect("json"),
            serde_json::json!({
                "field": "phones.0",
                "code": "too_many_phones",
                "params": {"max": 10},
                "message": "No máximo 10 telefones."
            })
        );
        let english = AppError::Validation(vec![error]).worded_in(Locale::En);
        let AppError::Validation(fields) = english else {
            unreachable!()
        };
        assert_eq!(fields[0].message, "At most 10 phones.");
        assert_eq!(fields[0].problem, Problem::TooManyPhones { max: 10 });
    }

    #[test]
    fn each_kind_maps_to_its_http_status() {
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Unauthorized.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        let limited = AppError::TooManyRequests {
            limit: Limit::Login,
            retry_after_secs: 0,
        };
        assert_eq!(limited.status_code(), 429);
        assert_eq!(limited.retry_after_secs(), Some(1), "never Retry-After: 0");
        assert_eq!(
            AppError::Busy {
                retry_after_secs: 2
            }
            .status_code(),
            503
        );
        for (part, status) in [
            (RequestPart::Body, 413),
            (RequestPart::Uri, 414),
            (RequestPart::Headers, 431),
        ] {
            let error = AppError::TooLarge {
                part,
                limit_bytes: 1,
            };
            assert_eq!(error.status_code(), status);
            assert_eq!(error.retry_after_secs(), None);
        }
        assert_eq!(
            AppError::invalid("x", Problem::NameRequired).status_code(),
            422
        );
        assert_eq!(AppError::Conflict("c".into()).status_code(), 409);
        assert_eq!(AppError::Internal.status_code(), 500);
        assert_eq!(
            AppError::ServerFn(ServerFnErrorErr::MissingArg("q".into())).status_code(),
            400
        );
    }
}
