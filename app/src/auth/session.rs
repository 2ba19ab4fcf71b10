//! Sessions on the request path (server only): the cookie, resolving it to a
//! user, and the checks every server function starts with.
//!
//! The server's middleware resolves the session cookie once per request and
//! stores a [`RequestSession`] in the request's extensions; leptos_axum hands
//! the request parts to server functions and to server rendering, where
//! [`require_user`], [`require_admin`] and [`require_grant`] read it.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use chrono::{Duration, Utc};

use crate::auth::model::SessionUser;
use crate::auth::{repo, secrets};
use crate::db::Db;
use crate::error::AppError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "agenda_session";
/// How long a session lasts after login.
pub const SESSION_DAYS: i64 = 30;
/// The cookie that marks a browser which signed in to an account before:
/// its logins to that account are not paced (`auth::throttle`), so others'
/// failed guesses never keep the owner out. Sent to the login endpoint only.
pub const DEVICE_COOKIE: &str = "agenda_device";
/// How long a browser stays known after its last login.
pub const DEVICE_DAYS: i64 = 365;
/// [`DEVICE_DAYS`] in milliseconds.
pub const DEVICE_MS: i64 = DEVICE_DAYS * 24 * 60 * 60 * 1_000;

/// What the middleware found about the request's session.
#[derive(Debug, Clone, Default)]
pub struct RequestSession {
    /// The signed-in user, when the cookie names a live session.
    pub user: Option<SessionUser>,
    /// The digest of the cookie's token (present even if the session is dead).
    pub token_digest: Option<String>,
    /// Whether the request came over https (cookies get `Secure`).
    pub secure: bool,
    /// The client's address (the socket's peer, or what a trusted proxy
    /// says; see `auth::client_address`), when known.
    pub client: Option<std::net::IpAddr>,
}

impl RequestSession {
    /// The signed-in user if they may use what `grant` allows (for plain
    /// routes, which get the session as an extractor): `Unauthorized` or
    /// `Forbidden` otherwise.
    pub fn user_granted(self, grant: crate::auth::access::Grant) -> Result<SessionUser, AppError> {
        let user = self.user.ok_or(AppError::Unauthorized)?;
        if user.may(grant) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The value of a cookie in a request's headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_string())
        })
}

/// Whether the request reached us over https (directly or through a proxy
/// that says so).
pub fn is_https(headers: &HeaderMap, scheme: Option<&str>) -> bool {
    scheme == Some("https")
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// How long a session lives without use, by default (`AGENDA_SESSION_IDLE_HOURS`).
pub const DEFAULT_IDLE_HOURS: u64 = 12;
/// A session's last use is written at most this often (a write per request
/// would serialise every request on SQLite): an idle timeout is exact to
/// within this.
pub const TOUCH_EVERY_SECS: i64 = 5 * 60;

/// Resolves the request's session cookie (one indexed lookup; and, at most
/// every [`TOUCH_EVERY_SECS`] of use, one write recording the use, in the
/// background). A session unused for `idle` has ended.
pub async fn resolve(
    db: &Db,
    headers: &HeaderMap,
    secure: bool,
    client: Option<std::net::IpAddr>,
    idle: std::time::Duration,
) -> RequestSession {
    let Some(token) = cookie_value(headers, SESSION_COOKIE).filter(|t| !t.is_empty()) else {
        return RequestSession {
            secure,
            client,
            ..RequestSession::default()
        };
    };
    let digest = secrets::token_digest(&token);
    let now = Utc::now();
    let idle_since = now - Duration::from_std(idle).unwrap_or(Duration::days(SESSION_DAYS));
    let user = match repo::session_user(db, &digest, now, idle_since).await {
        Ok(Some((user, last_seen))) => {
            if now - last_seen >= Duration::seconds(TOUCH_EVERY_SECS) {
                // Off the request's path: the request never waits for it.
                let (db, digest) = (db.clone(), digest.clone());
                tokio::spawn(async move {
                    if let Err(error) = repo::touch_session(&db, &digest, now).await {
                        tracing::warn!(%error, "could not record a session's use");
                    }
                });
            }
            Some(user)
        }
        Ok(None) => None,
        Err(error) => {
            tracing::error!(%error, "session lookup failed");
            None
        }
    };
    RequestSession {
        user,
        token_digest: Some(digest),
        secure,
        client,
    }
}

/// The `Set-Cookie` value that stores a session token.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let max_age = Duration::days(SESSION_DAYS).num_seconds();
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// The `Set-Cookie` value that marks this browser as one that signed in.
pub fn device_cookie(token: &str, secure: bool) -> String {
    let max_age = Duration::days(DEVICE_DAYS).num_seconds();
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{DEVICE_COOKIE}={token}; Path=/api/auth/login; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    )
}

/// The digest of the current request's device cookie, if it sent one.
pub fn request_device() -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    cookie_value(&parts.headers, DEVICE_COOKIE)
        .filter(|token| !token.is_empty())
        .map(|token| secrets::token_digest(&token))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}")
}

/// The session the middleware resolved for the current request.
pub fn request_session() -> RequestSession {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestSession>().cloned())
        .unwrap_or_default()
}

/// The signed-in user, or `Unauthorized`.
pub fn require_user() -> Result<SessionUser, AppError> {
    request_session().user.ok_or(AppError::Unauthorized)
}

/// The signed-in admin: `Unauthorized` when nobody is signed in, `Forbidden`
/// for an agent.
pub fn require_admin() -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if user.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in user if they may use what `grant` allows (admins, and
/// agents their company allowed): `Unauthorized` or `Forbidden` otherwise.
pub fn require_grant(grant: crate::auth::access::Grant) -> Result<SessionUser, AppError> {
    request_session().user_granted(grant)
}

/// Adds a header to the current server function's response.
pub fn append_response_header(value: String) {
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        options.append_header(SET_COOKIE, value);
    }
}

/// Starts a session for `user_id`: stores it and sets the cookie.
pub async fn start_session(db: &Db, user_id: i64) -> Result<(), AppError> {
    let token = secrets::new_token();
    let expires_at = Utc::now() + Duration::days(SESSION_DAYS);
    repo::create_session(db, &secrets::token_digest(&token), user_id, expires_at).await?;
    append_response_header(session_cookie(&token, request_session().secure));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_over_https() {
        let cookie = session_cookie("abc", false);
        assert!(cookie.starts_with("agenda_session=abc; Path=/;"));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie("abc", true).ends_with("; Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
        let device = device_cookie("xyz", true);
        assert!(
            device.starts_with("agenda_device=xyz; Path=/api/auth/login;"),
            "{device}"
        );
        assert!(device.contains("HttpOnly") && device.contains("SameSite=Strict"));
        assert!(device.ends_with("; Secure"));
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; agenda_session=tok"));
        headers.append(COOKIE, HeaderValue::from_static("agenda_locale=en"));
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("tok")
        );
        assert_eq!(
            cookie_value(&headers, "agenda_locale").as_deref(),
            Some("en")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn https_is_recognised_directly_or_through_a_proxy() {
        let mut headers = HeaderMap::new();
        assert!(!is_https(&headers, None));
        assert!(is_https(&headers, Some("https")));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS"));
        assert!(is_https(&headers, None));
    }
}
