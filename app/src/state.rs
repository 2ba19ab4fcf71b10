//! The state shared by the HTTP routes and the server functions.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::db::Db;

/// Router state. leptos_axum provides it as context to server functions and
/// to server-side rendering (`expect_context::<AppState>()`).
#[derive(Debug, Clone, FromRef)]
pub struct AppState {
    /// Where the site's static files live and how they are named.
    pub leptos_options: LeptosOptions,
    /// The database.
    pub db: Db,
}

/// The application state from inside a server function.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function's context");
        crate::error::AppError::Internal
    })
}
