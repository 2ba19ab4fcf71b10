//! The state shared by the HTTP routes and the server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::auth::client_address::TrustedProxies;
use crate::auth::password_checks::{PasswordCheckSettings, PasswordChecks};
use crate::auth::throttle::DEFAULT_SIGN_UPS_PER_HOUR;
use crate::conversations::gateway::{ChannelGateway, LocalGateway};
use crate::db::Db;

/// The bounds on what anonymous requests may cost (`docs/security.md`).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Where password hashing runs, at most so many at once.
    pub password_checks: PasswordChecks,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// Company sign-ups allowed per client address and hour.
    pub sign_ups_per_hour: u32,
    /// Sizes of requests, checked before any route runs.
    pub requests: RequestLimits,
    /// The origin users reach the app at (`AGENDA_PUBLIC_URL`), when set:
    /// cross-site checks compare `Origin` with it instead of `Host`.
    pub public_origin: Option<String>,
    /// How long a session lives without use (`AGENDA_SESSION_IDLE_HOURS`).
    pub session_idle: std::time::Duration,
}

/// The largest request each part may be; larger ones are answered 414,
/// 431 or 413 before any route runs (the server's `limits` middleware).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// The request line's path and query, in bytes.
    pub max_uri_bytes: usize,
    /// All headers together (names and values), in bytes.
    pub max_header_bytes: usize,
    /// The body of a server function or any other route, in bytes.
    pub max_body_bytes: u64,
    /// The body of the photo upload (`/api/contacts/photo`): the photo's
    /// own limit and room for the form around it. The CSV upload
    /// (`/contacts/import`) has its own, `AGENDA_IMPORT_MAX_MB`.
    pub max_photo_body_bytes: u64,
    /// Longest a limited body may take to arrive (then 408).
    pub body_read_timeout: std::time::Duration,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            max_uri_bytes: 8 * 1024,
            max_header_bytes: 32 * 1024,
            max_body_bytes: 1024 * 1024,
            max_photo_body_bytes: crate::contacts::photo::MAX_PHOTO_BYTES as u64 + 64 * 1024,
            body_read_timeout: std::time::Duration::from_secs(60),
        }
    }
}

/// The settings [`Limits`] are made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitSettings {
    pub password_checks: PasswordCheckSettings,
    pub trusted_proxies: TrustedProxies,
    pub sign_ups_per_hour: u32,
    pub requests: RequestLimits,
    /// See [`Limits::public_origin`].
    pub public_origin: Option<String>,
    /// See [`Limits::session_idle`].
    pub session_idle: std::time::Duration,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            password_checks: PasswordCheckSettings::default(),
            trusted_proxies: TrustedProxies::default(),
            sign_ups_per_hour: DEFAULT_SIGN_UPS_PER_HOUR,
            requests: RequestLimits::default(),
            public_origin: None,
            session_idle: std::time::Duration::from_secs(
                crate::auth::session::DEFAULT_IDLE_HOURS * 3600,
            ),
        }
    }
}

impl Limits {
    /// Starts the password-check threads.
    pub fn start(settings: LimitSettings) -> Limits {
        Limits {
            password_checks: PasswordChecks::start(settings.password_checks),
            trusted_proxies: settings.trusted_proxies,
            sign_ups_per_hour: settings.sign_ups_per_hour,
            requests: settings.requests,
            public_origin: settings.public_origin,
            session_idle: settings.session_idle,
        }
    }
}

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
    /// Bounds on anonymous traffic.
    pub limits: Limits,
    /// The CSV imports this process runs.
    pub imports: crate::import_export::import::Runners,
}

impl AppState {
    /// The state with the built-in gateway (messages recorded locally) and
    /// the default limits.
    pub fn new(leptos_options: LeptosOptions, db: Db) -> AppState {
        AppState::with_limits(leptos_options, db, LimitSettings::default())
    }

    /// The state with the built-in gateway and these limits.
    pub fn with_limits(leptos_options: LeptosOptions, db: Db, limits: LimitSettings) -> AppState {
        AppState {
            leptos_options,
            db,
            gateway: Arc::new(LocalGateway),
            limits: Limits::start(limits),
            imports: Default::default(),
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
