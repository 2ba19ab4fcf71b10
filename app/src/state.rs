//! The state shared by the HTTP routes and the server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::conversations::gateway::{ChannelGateway, LocalGateway};
use crate::db::Db;

/// Router state. leptos_axum provides it as context to server functions and
/// to server-side rendering (`expect_context::<AppState>()`).
#[derive(Debug, Clone, FromRef)]
pub struct AppState {
    /// Where the site's static files live and how they are named.
    pub leptos_options: LeptosOptions,
    /// The database.
    pub db: Db,
    /// Where outbound messages go.
    pub gateway: Arc<dyn ChannelGateway>,
}

impl AppState {
    /// The state with the built-in gateway (messages recorded locally).
    pub fn new(leptos_options: LeptosOptions, db: Db) -> AppState {
        AppState {
            leptos_options,
            db,
            gateway: Arc::new(LocalGateway),
        }
    }
}

/// The application state from inside a server function.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function's context");
        crate::error::AppError::Internal
    })
}
