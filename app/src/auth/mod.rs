//! Accounts: sign-up, login, sessions, roles, agents and invitations.
//!
//! Pure rules (`validate`, `throttle`, `client_address`, `model`) are
//! unit-tested; `secrets`, `session`, `password_checks` and `repo` are
//! server-only.

pub mod access;
pub mod api;
pub mod client_address;
pub mod model;
pub mod pages;
pub mod throttle;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod password_checks;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod session;

pub use model::{AgentGrants, Profile, Role, SessionUser};

/// The demo company's admin login. It is public on purpose (printed at first
/// start, shown on the login page and in the README) and only exists while
/// the demo company does.
pub const DEMO_EMAIL: &str = "demo@agenda.example";
/// See [`DEMO_EMAIL`].
pub const DEMO_PASSWORD: &str = "agenda-demo";

use leptos::prelude::*;

use crate::error::AppError;

/// The signed-in user as the pages see it: loaded once per document (on
/// the server while rendering, then handed to the browser with the page).
pub type CurrentUser = Resource<Result<Option<Profile>, AppError>>;

/// Loads the signed-in user and shares it with every component below.
pub fn provide_current_user() {
    provide_context::<CurrentUser>(Resource::new(|| (), |_| api::me()));
}

/// The signed-in user resource (see [`provide_current_user`]).
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}
